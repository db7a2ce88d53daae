// render_text and render_json (guide.h).
#include <nlohmann/json.hpp>

#include "guide/guide.h"

namespace mapforge::guide {
namespace {

std::string label(Category category) {
  std::string text(to_string(category));
  for (char& c : text)
    if (c == '_') c = ' ';
  return text;
}

std::string field_or_empty(const Record& record, const std::string& name) {
  auto it = record.fields.find(name);
  return it == record.fields.end() ? std::string() : it->second;
}

}  // namespace

std::string render_text(const std::vector<Record>& records, Level level) {
  std::string out;
  for (const Record& record : records) {
    out += "[" + label(record.category) + "] " + record.fact + "\n";
    if (std::string source = field_or_empty(record, "source"); !source.empty())
      out += "  | " + source + "\n";
    if (std::string hint = field_or_empty(record, "hint"); !hint.empty())
      out += "  hint: " + hint + "\n";
    if (std::string repeats = field_or_empty(record, "repeats"); !repeats.empty())
      out += "  (" + repeats + " more like this)\n";
    if (level == Level::Execution) continue;
    if (!record.explanation.empty()) out += "  why: " + record.explanation + "\n";
    if (level == Level::Explain) continue;
    if (!record.suggestion.empty()) out += "  try: " + record.suggestion + "\n";
    for (const std::string& statement : record.statements) out += "    " + statement + "\n";
  }
  return out;
}

std::string render_json(const std::vector<Record>& records, Level level) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const Record& record : records) {
    nlohmann::ordered_json item;
    item["category"] = to_string(record.category);
    item["rule"] = record.rule;
    item["fact"] = record.fact;
    item["fields"] = nlohmann::ordered_json::object();
    for (const auto& [name, value] : record.fields) item["fields"][name] = value;
    if (record.category == Category::PerformanceMetric) {
      item["metric"] = record.metric;
      item["metric_unit"] = record.metric_unit;
    }
    if (level != Level::Execution) item["explanation"] = record.explanation;
    if (level == Level::Suggest) {
      item["suggestion"] = record.suggestion;
      item["statement_kind"] = record.statement_kind;
      item["statements"] = record.statements;
    }
    array.push_back(std::move(item));
  }
  // Output bytes are not always UTF-8 (a crashed run prints anything): replace, never throw.
  return array.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace mapforge::guide
