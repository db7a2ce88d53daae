// The rule table (rules.json, compiled in): what each rule matches and what it says. Private to
// the guide module.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "guide/guide.h"

namespace mapforge::guide {

/// A run-level condition that a rule describes instead of an output line.
enum class Event { None, Timeout, Signal, ExitStatus, NoMetric };

struct Rule {
  std::string id;
  Category category = Category::Unknown;
  Event event = Event::None;
  std::vector<std::string> keywords;  // a line must contain one of them before the regex runs
  std::optional<std::regex> regex;
  std::string regex_text;
  std::vector<std::string> fields;   // names of the regex's groups 1..n ("" skips a group)
  std::string fact;                  // event rules: the fact, a template
  std::string explanation;           // templates over the fields: {task}, {region|requirement|=*}
  std::string suggestion;
  std::string statement_kind;
  /// Alternatives, first that fully expands wins; a single alternative drops what cannot expand.
  std::vector<std::vector<std::string>> statements;
  bool statement_alternatives = false;
  std::vector<std::string> merge_into;  // a detail line: adds its fields to such a previous record
  std::vector<std::string> absorb;      // a main line: takes over such a previous record
  std::vector<std::string> derive;      // computed fields (derive.h)
  std::string metric_field;             // PerformanceMetric: the field holding the value
  std::string metric_unit;              // a template
};

/// Parses a rule table; on failure returns nullopt and sets `error` (rule id and what is wrong).
std::optional<std::vector<Rule>> parse_rules(std::string_view json, std::string& error);

/// The compiled-in table (rules.json), parsed once.
const std::vector<Rule>& builtin_rules();

/// The text of rules.json as compiled in (generated rules_data.cc).
std::string_view embedded_rules_json();

std::optional<Category> parse_category(std::string_view word);

}  // namespace mapforge::guide
