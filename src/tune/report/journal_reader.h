// Reading a run's journal.jsonl (src/tune/JOURNAL.md): the header line and the evaluations as
// structs, every key of JOURNAL.md, extra keys tolerated (each record keeps its line as written).
// Used by `mapforge report` and, for --resume, by the tuning loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mapforge::tune {

/// What best.map holds when the best policy is the empty one: a comment, so that the file says
/// what it means instead of being empty (it still loads as the empty policy).
inline constexpr std::string_view kDefaultsWereBest =
    "# The runtime's defaults were best: no statement of any policy tried beat them.\n";

enum class Objective { Minimize, Maximize };

/// Line 1, `"type": "run"`. Absent keys (and `null`) leave the defaults.
struct RunHeader {
  int version = 1;
  std::string app, machine;
  std::optional<int> nodes;
  std::vector<std::string> sizes;  // "name=value"
  std::string agent;
  std::optional<int> iterations;
  std::optional<std::uint64_t> seed;
  std::optional<int> jobs;
  std::string feedback;  // execution, explain or suggest
  std::string backend;   // sim or command
  std::string command, metric_regex;
  std::optional<double> timeout_s;
  Objective objective = Objective::Minimize;
  std::string metric_unit;
  std::optional<double> expert_metric, default_metric;
  std::string expert_policy;
  std::string started;
  std::string llm_url, llm_model;
  /// The line as written (also keys this struct does not know).
  std::string json;
};

/// Every further line, `"type": "eval"`. `iteration` and `ok` are required; other absent keys
/// (and `null`) leave the defaults.
struct EvalRecord {
  std::size_t line = 0;  // 1-based line number in the journal
  int iteration = 0;
  std::optional<int> batch;
  std::string policy;
  bool ok = false;
  std::optional<double> metric, normalized, best_metric;
  std::string output;
  std::optional<int> exit_status, signal;
  bool timed_out = false;
  std::string feedback_text;
  std::string feedback_json;  // `feedback` re-serialised as JSON text, "" when absent
  std::string agent_json;     // `agent` re-serialised as JSON text, "" when absent
  bool duplicate = false;
  std::string started, finished;
  std::optional<double> duration_s;
  /// The line as written.
  std::string json;
};

struct Journal {
  RunHeader header;
  std::vector<EvalRecord> evals;  // in file order
  /// E.g. a truncated last line that was skipped, lines of an unknown type.
  std::vector<std::string> warnings;
  /// Bytes from the start of the file up to and including the last line accepted (header or
  /// eval): a writer resuming the run truncates the file to this size before appending.
  std::uintmax_t valid_bytes = 0;
  /// The last accepted line has no '\n' (complete JSON, but the writer must add one first).
  bool last_line_unterminated = false;
};

struct JournalResult {
  bool ok = false;
  /// "<file>:<line>: <what is wrong>" (or "<file>: <what>" for the file as a whole).
  std::string error;
  Journal journal;
};

/// Reads and checks `file`. Errors: the file is missing or unreadable, empty, its first line is
/// not a run header, a line is not a JSON object, a key has the wrong type, a required key is
/// missing. A last line without its '\n' that does not parse (a run killed mid-write) is
/// skipped with a warning.
JournalResult read_journal(const std::filesystem::path& file);

/// The same for text in memory; `name` stands for the file in messages.
JournalResult parse_journal(std::string_view text, std::string_view name);

}  // namespace mapforge::tune
