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

// A run's output may hold terminal escape sequences and other control characters; printed as
// they are they would act on the user's terminal. Each becomes a visible \xHH (tabs stay, and
// line breaks where a text may span lines).
std::string printable(const std::string& text, bool multiline = false) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && !(multiline && c == '\n')) || byte == 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_text(const std::vector<Record>& records, Level level) {
  std::string out;
  for (const Record& record : records) {
    out += "[" + label(record.category) + "] " + printable(record.fact) + "\n";
    if (std::string source = field_or_empty(record, "source"); !source.empty())
      out += "  | " + printable(source) + "\n";
    if (std::string hint = field_or_empty(record, "hint"); !hint.empty())
      out += "  hint: " + printable(hint) + "\n";
    if (std::string repeats = field_or_empty(record, "repeats"); !repeats.empty())
      out += "  (" + repeats + " more like this)\n";
    if (level == Level::Execution) continue;
    if (!record.explanation.empty()) out += "  why: " + printable(record.explanation, true) + "\n";
    if (level == Level::Explain) continue;
    if (!record.suggestion.empty()) out += "  try: " + printable(record.suggestion, true) + "\n";
    for (const std::string& statement : record.statements)
      out += "    " + printable(statement, true) + "\n";
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

std::vector<Record> records_from_json(std::string_view json) {
  std::vector<Record> out;
  auto array = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return out;
  auto text = [](const nlohmann::json& item, const char* key) {
    auto it = item.find(key);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  for (const auto& item : array) {
    if (!item.is_object()) continue;
    Record r;
    std::string category = text(item, "category");
    for (auto c : {Category::CompileError, Category::ExecutionError, Category::PerformanceMetric,
                   Category::Performance, Category::Timeout, Category::Crash, Category::NoMetric,
                   Category::Unknown})
      if (to_string(c) == category) r.category = c;
    r.rule = text(item, "rule");
    r.fact = text(item, "fact");
    r.explanation = text(item, "explanation");
    r.suggestion = text(item, "suggestion");
    r.statement_kind = text(item, "statement_kind");
    r.metric_unit = text(item, "metric_unit");
    if (auto it = item.find("metric"); it != item.end() && it->is_number())
      r.metric = it->get<double>();
    if (auto it = item.find("fields"); it != item.end() && it->is_object())
      for (const auto& [name, value] : it->items())
        if (value.is_string()) r.fields[name] = value.get<std::string>();
    if (auto it = item.find("statements"); it != item.end() && it->is_array())
      for (const auto& s : *it)
        if (s.is_string()) r.statements.push_back(s.get<std::string>());
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mapforge::guide
