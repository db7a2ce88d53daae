#include "guide/guide.h"

#include <algorithm>
#include <istream>

#include "guide/collector.h"
#include "guide/line_reader.h"
#include "guide/profile_analysis.h"
#include "guide/rule_table.h"

namespace mapforge::guide {
namespace {

struct NamedLevel {
  Level level;
  std::string_view name;
};
constexpr NamedLevel kLevels[] = {
    {Level::Execution, "execution"}, {Level::Explain, "explain"}, {Level::Suggest, "suggest"}};

std::vector<Record> finish(Collector& collector, const RunOutput& run, Level level) {
  std::vector<Record> records = collector.finish(run, level);
  if (run.profile_json) {
    std::vector<Record> profile = analyze_profile(*run.profile_json, level);
    // After the metric, whose cause they name, and after every error.
    auto after = std::find_if(records.begin(), records.end(), [](const Record& r) {
      return r.category == Category::Performance;
    });
    records.insert(after, std::make_move_iterator(profile.begin()),
                   std::make_move_iterator(profile.end()));
  }
  if (records.size() > kMaxRecords) records.resize(kMaxRecords);
  return records;
}

}  // namespace

std::string_view to_string(Level level) {
  for (const NamedLevel& named : kLevels)
    if (named.level == level) return named.name;
  return "suggest";
}

std::optional<Level> parse_level(std::string_view word) {
  for (const NamedLevel& named : kLevels)
    if (named.name == word) return named.level;
  return std::nullopt;
}

std::string_view to_string(Category category) {
  switch (category) {
    case Category::CompileError: return "compile_error";
    case Category::ExecutionError: return "execution_error";
    case Category::PerformanceMetric: return "performance_metric";
    case Category::Performance: return "performance";
    case Category::Timeout: return "timeout";
    case Category::Crash: return "crash";
    case Category::NoMetric: return "no_metric";
    case Category::Unknown: return "unknown";
  }
  return "unknown";
}

std::vector<Record> analyze(std::istream& text, const RunOutput& run, Level level) {
  Collector collector(builtin_rules());
  std::string line;
  if (std::streambuf* buffer = text.rdbuf()) {
    while (read_line(*buffer, line)) collector.feed(line);
  }
  return finish(collector, run, level);
}

std::vector<Record> analyze(std::string_view text, const RunOutput& run, Level level) {
  Collector collector(builtin_rules());
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    collector.feed(line.substr(0, kMaxLineBytes));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return finish(collector, run, level);
}

}  // namespace mapforge::guide
