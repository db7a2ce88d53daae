#include "guide/rule_table.h"

#include <cassert>
#include <nlohmann/json.hpp>
#include <set>

#include "guide/derive.h"

namespace mapforge::guide {
namespace {

using nlohmann::json;

struct NamedEvent {
  std::string_view name;
  Event event;
};
constexpr NamedEvent kEvents[] = {{"timeout", Event::Timeout},
                                  {"signal", Event::Signal},
                                  {"exit_status", Event::ExitStatus},
                                  {"no_metric", Event::NoMetric}};

bool read_string(const json& rule, const char* key, std::string& out, std::string& error) {
  auto it = rule.find(key);
  if (it == rule.end()) return true;
  if (!it->is_string()) {
    error = std::string("'") + key + "' must be a string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool read_strings(const json& rule, const char* key, std::vector<std::string>& out,
                  std::string& error) {
  auto it = rule.find(key);
  if (it == rule.end()) return true;
  if (!it->is_array()) {
    error = std::string("'") + key + "' must be an array of strings";
    return false;
  }
  for (const json& item : *it) {
    if (!item.is_string()) {
      error = std::string("'") + key + "' must be an array of strings";
      return false;
    }
    out.push_back(item.get<std::string>());
  }
  return true;
}

/// `statements`: ["s1", "s2"] (one alternative) or [["s1"], ["s2", "s3"]] (alternatives).
bool read_statements(const json& rule, Rule& out, std::string& error) {
  auto it = rule.find("statements");
  if (it == rule.end()) return true;
  const char* shape = "'statements' must be an array of strings or an array of string arrays";
  if (!it->is_array()) {
    error = shape;
    return false;
  }
  out.statement_alternatives = !it->empty() && it->front().is_array();
  if (!out.statement_alternatives) out.statements.emplace_back();
  for (const json& item : *it) {
    if (out.statement_alternatives != item.is_array()) {
      error = shape;
      return false;
    }
    if (!item.is_array()) {
      if (!item.is_string()) {
        error = shape;
        return false;
      }
      out.statements.front().push_back(item.get<std::string>());
      continue;
    }
    std::vector<std::string>& alternative = out.statements.emplace_back();
    for (const json& statement : item) {
      if (!statement.is_string()) {
        error = shape;
        return false;
      }
      alternative.push_back(statement.get<std::string>());
    }
  }
  return true;
}

bool read_rule(const json& item, Rule& rule, std::string& error) {
  if (!item.is_object()) {
    error = "a rule must be an object";
    return false;
  }
  if (!read_string(item, "id", rule.id, error)) return false;
  static const std::set<std::string, std::less<>> kKeys = {
      "id",         "category",   "event",  "keywords", "regex",      "fields",
      "explanation", "suggestion", "statement_kind", "statements", "merge_into",
      "absorb",     "derive",     "metric", "note", "fact"};
  for (const auto& [key, value] : item.items()) {
    if (!kKeys.contains(key)) {
      error = "unknown key '" + key + "'";
      return false;
    }
  }
  std::string category, event;
  if (!read_string(item, "id", rule.id, error) || !read_string(item, "category", category, error) ||
      !read_string(item, "event", event, error) ||
      !read_strings(item, "keywords", rule.keywords, error) ||
      !read_string(item, "regex", rule.regex_text, error) ||
      !read_strings(item, "fields", rule.fields, error) ||
      !read_string(item, "fact", rule.fact, error) ||
      !read_string(item, "explanation", rule.explanation, error) ||
      !read_string(item, "suggestion", rule.suggestion, error) ||
      !read_string(item, "statement_kind", rule.statement_kind, error) ||
      !read_statements(item, rule, error) ||
      !read_strings(item, "merge_into", rule.merge_into, error) ||
      !read_strings(item, "absorb", rule.absorb, error) ||
      !read_strings(item, "derive", rule.derive, error))
    return false;
  if (rule.id.empty()) {
    error = "a rule needs an 'id'";
    return false;
  }
  auto parsed = parse_category(category);
  if (!parsed) {
    error = "unknown category '" + category + "'";
    return false;
  }
  rule.category = *parsed;
  if (!event.empty()) {
    for (const NamedEvent& named : kEvents)
      if (named.name == event) rule.event = named.event;
    if (rule.event == Event::None) {
      error = "unknown event '" + event + "'";
      return false;
    }
  }
  if (rule.event == Event::None && rule.keywords.empty()) {
    error = "a rule needs 'keywords' (the literal prefilter) or an 'event'";
    return false;
  }
  for (const std::string& keyword : rule.keywords) {
    if (keyword.empty()) {
      error = "an empty keyword matches every line";
      return false;
    }
  }
  if (!rule.regex_text.empty()) {
    try {
      rule.regex.emplace(rule.regex_text, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      error = "bad regex: " + std::string(e.what());
      return false;
    }
    if (rule.regex->mark_count() != rule.fields.size()) {
      error = "the regex has " + std::to_string(rule.regex->mark_count()) + " groups but " +
              std::to_string(rule.fields.size()) + " fields are named";
      return false;
    }
  } else if (!rule.fields.empty()) {
    error = "'fields' name regex groups, but there is no 'regex'";
    return false;
  }
  for (const std::string& name : rule.derive) {
    if (!is_derivation(name)) {
      error = "unknown derivation '" + name + "'";
      return false;
    }
  }
  if (auto metric = item.find("metric"); metric != item.end()) {
    if (!metric->is_object() || !metric->contains("field") || !(*metric)["field"].is_string()) {
      error = "'metric' must be {\"field\": ..., \"unit\": ...}";
      return false;
    }
    rule.metric_field = (*metric)["field"].get<std::string>();
    if (!read_string(*metric, "unit", rule.metric_unit, error)) return false;
  }
  return true;
}

}  // namespace

std::optional<Category> parse_category(std::string_view word) {
  for (Category c : {Category::CompileError, Category::ExecutionError, Category::PerformanceMetric,
                     Category::Performance, Category::Timeout, Category::Crash, Category::NoMetric,
                     Category::Unknown})
    if (to_string(c) == word) return c;
  return std::nullopt;
}

std::optional<std::vector<Rule>> parse_rules(std::string_view text, std::string& error) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (document.is_discarded() || !document.is_object() || !document.contains("rules") ||
      !document["rules"].is_array()) {
    error = "the rule table must be a JSON object with a 'rules' array";
    return std::nullopt;
  }
  std::vector<Rule> rules;
  std::set<std::string, std::less<>> ids;
  for (const json& item : document["rules"]) {
    Rule rule;
    if (!read_rule(item, rule, error)) {
      error = "rule " + std::to_string(rules.size() + 1) +
              (rule.id.empty() ? "" : " '" + rule.id + "'") + ": " + error;
      return std::nullopt;
    }
    if (!ids.insert(rule.id).second) {
      error = "rule '" + rule.id + "' is defined twice";
      return std::nullopt;
    }
    rules.push_back(std::move(rule));
  }
  for (const Rule& rule : rules) {
    for (const auto* list : {&rule.merge_into, &rule.absorb})
      for (const std::string& target : *list)
        if (target != "*" && !ids.contains(target)) {
          error = "rule '" + rule.id + "' refers to unknown rule '" + target + "'";
          return std::nullopt;
        }
  }
  return rules;
}

const std::vector<Rule>& builtin_rules() {
  static const std::vector<Rule> kRules = [] {
    std::string error;
    auto rules = parse_rules(embedded_rules_json(), error);
    assert(rules && "the compiled-in rules.json is invalid (run mapforge_guide_tests)");
    return rules ? std::move(*rules) : std::vector<Rule>{};
  }();
  return kRules;
}

}  // namespace mapforge::guide
