// Matches output lines against the rule table and gathers the records of one run. Private to the
// guide module; guide.cc drives it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "guide/derive.h"
#include "guide/guide.h"
#include "guide/rule_table.h"

namespace mapforge::guide {

inline constexpr std::size_t kMaxFactBytes = 400;
inline constexpr std::size_t kMaxRecords = 50;
/// Records kept per rule; further matches are counted in the last one's `repeats` field.
inline constexpr std::size_t kMaxPerRule = 3;

class Collector {
 public:
  explicit Collector(const std::vector<Rule>& rules);

  /// One line of output (already without its newline).
  void feed(std::string_view line);
  /// The records, most important first, with the run-level ones (timeout, signal, exit status,
  /// no metric) added, expanded at `level`.
  std::vector<Record> finish(const RunOutput& run, Level level);

 private:
  struct Entry {
    const Rule* rule = nullptr;
    std::string fact;
    Fields fields;
    std::string key;  // rule id and the fields that tell distinct errors apart
    std::size_t line = 0;
    std::size_t repeats = 0;
  };
  enum class Continuation { None, Source, Caret, Hint };

  bool continue_diagnostic(std::string_view line);
  const Rule* match(std::string_view line, Fields& fields) const;
  void add(const Rule& rule, std::string_view line, Fields fields);
  /// The entry the last matched line went to, if it is of one of `ids` and a few lines above.
  Entry* find_recent_entry(const std::vector<std::string>& ids);
  Record make_record(const Entry& entry, Level level) const;
  Record make_event_record(Event event, Fields fields, Level level) const;
  const Rule* event_rule(Event event) const;

  const std::vector<Rule>& rules_;
  std::vector<Entry> entries_;
  std::size_t line_number_ = 0;
  std::size_t omitted_ = 0;
  std::ptrdiff_t last_entry_ = -1;  // the entry the last matched line went to
  std::size_t last_entry_line_ = 0;
  Continuation continuation_ = Continuation::None;
  std::string last_line_;  // the last non-empty line, for a failure with no recognised error
};

}  // namespace mapforge::guide
