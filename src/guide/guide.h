// AutoGuide (DESIGN.md §5): turns a run's raw output (text, exit status, optional profile) into
// feedback records at three levels: the raw facts, what they mean, and what to change in the
// mapper. Reads only what a real run also gives, so the same rules serve simulated and real
// (Legion) runs. Depends on nothing but the standard library (and nlohmann-json privately).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mapforge::guide {

/// How much feedback: `execution` (the raw facts: the error line or the metric), `explain`
/// (+ what it means), `suggest` (+ what to change, naming statements, tasks and regions).
enum class Level { Execution, Explain, Suggest };
std::string_view to_string(Level level);
std::optional<Level> parse_level(std::string_view word);

enum class Category {
  CompileError,
  ExecutionError,
  PerformanceMetric,
  Performance,
  Timeout,
  Crash,
  NoMetric,
  Unknown
};
std::string_view to_string(Category category);

/// One piece of feedback.
struct Record {
  Category category = Category::Unknown;
  std::string rule;                           // the rule's id, e.g. "legion.default_mapper.oom"
  std::string fact;                           // the raw line (or profile figure) it is about
  std::map<std::string, std::string> fields;  // task, region, memory, requested, free, index, ...
  std::string explanation;                    // explain and suggest levels
  std::string suggestion;                     // suggest level
  std::string statement_kind;                 // the DSL statement to change: Region, Layout, ...
  std::vector<std::string>
      statements;           // concrete suggested statements, e.g. "Region * rp_ghost GPU FBMEM;"
  double metric = 0;        // PerformanceMetric: the value (seconds or GFLOPS)
  std::string metric_unit;  // "s" or "GFLOPS"
};

/// What a run gave: its output (stdout and stderr together, in order), how it ended, and the
/// profile when there is one.
struct RunOutput {
  std::optional<int> exit_status;
  std::optional<int> signal;  // killed by this signal
  bool timed_out = false;
  std::optional<std::string> profile_json;
};

/// Reads the output line by line from `text` (bounded memory: hundreds of MB are fine) and
/// returns the records, most important first. Never fails: unknown output gives a generic,
/// honest record.
std::vector<Record> analyze(std::istream& text, const RunOutput& run, Level level);
std::vector<Record> analyze(std::string_view text, const RunOutput& run, Level level);

/// Feedback for people and LLMs.
std::string render_text(const std::vector<Record>& records, Level level);
/// Reads render_json's output back (what a journal stores); entries that are not objects, and
/// keys of the wrong type, are skipped: the result is never an error.
std::vector<Record> records_from_json(std::string_view json);

/// The records as a JSON array (category, rule, fact, fields, explanation, suggestion,
/// statement_kind, statements, metric), trimmed to the level.
std::string render_json(const std::vector<Record>& records, Level level);

}  // namespace mapforge::guide
