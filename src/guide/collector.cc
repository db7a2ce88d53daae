#include "guide/collector.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>
#include <set>

namespace mapforge::guide {
namespace {

/// Regular expressions see at most this much of a line (std::regex recurses per character).
constexpr std::size_t kMaxRegexBytes = 1024;
/// A detail line belongs to the error a few lines above it.
constexpr std::size_t kMergeWindow = 4;

/// Fields that differ between repeats of one error (times, ids, points, amounts).
const std::set<std::string, std::less<>> kVolatileFields = {
    "uid", "id", "node", "thread", "time", "requested", "free", "point", "launch_domain",
    "value", "legion_line", "processor", "memory"};

struct NamedSignal {
  int number;
  std::string_view name;
};
constexpr NamedSignal kSignals[] = {{1, "SIGHUP"},  {2, "SIGINT"},   {4, "SIGILL"},
                                    {6, "SIGABRT"}, {7, "SIGBUS"},   {8, "SIGFPE"},
                                    {9, "SIGKILL"}, {11, "SIGSEGV"}, {13, "SIGPIPE"},
                                    {15, "SIGTERM"}, {24, "SIGXCPU"}};

int rank(Category category) {
  switch (category) {
    case Category::CompileError: return 0;
    case Category::ExecutionError: return 1;
    case Category::Crash: return 2;
    case Category::Timeout: return 3;
    case Category::Unknown: return 4;
    case Category::NoMetric: return 5;
    case Category::PerformanceMetric: return 6;
    case Category::Performance: return 7;
  }
  return 8;
}

bool is_error(Category category) {
  return category == Category::CompileError || category == Category::ExecutionError ||
         category == Category::Crash;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

/// A fact is one line of at most kMaxFactBytes, cut at a UTF-8 character boundary.
std::string make_fact(std::string_view line) {
  line = trim(line);
  if (line.size() <= kMaxFactBytes) return std::string(line);
  std::size_t cut = kMaxFactBytes - 3;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return std::string(line.substr(0, cut)) + "...";
}

/// `[0 - 7f0000000000]    0.000005 {5}{mapper}: message`: node, level, logger; the message.
std::string_view strip_log_prefix(std::string_view line, Fields& fields) {
  if (line.empty() || line.front() != '[') return line;
  std::size_t close = line.find("] ");
  std::size_t level = line.find('{', close == std::string_view::npos ? 0 : close);
  std::size_t logger = line.find("}{", level == std::string_view::npos ? 0 : level);
  std::size_t end = line.find("}: ", logger == std::string_view::npos ? 0 : logger);
  if (close == std::string_view::npos || level == std::string_view::npos ||
      logger == std::string_view::npos || end == std::string_view::npos)
    return line;
  std::string_view node = trim(line.substr(1, line.find(" - ") - 1));
  if (all_digits(node)) fields["node"] = std::string(node);
  fields["log_level"] = std::string(line.substr(level + 1, logger - level - 1));
  fields["logger"] = std::string(line.substr(logger + 2, end - logger - 2));
  return line.substr(end + 3);
}

/// `LEGION ERROR: message (from file f:n)`.
std::string_view strip_legion_error(std::string_view message, Fields& fields) {
  constexpr std::string_view kPrefix = "LEGION ERROR: ";
  std::size_t at = message.find(kPrefix);
  if (at == std::string_view::npos) return message;
  message.remove_prefix(at + kPrefix.size());
  std::size_t from = message.rfind(" (from file ");
  if (from != std::string_view::npos) {
    std::string_view where = message.substr(from + 12);
    where = where.substr(0, where.find(')'));
    std::size_t colon = where.rfind(':');
    fields["legion_file"] = std::string(where.substr(0, colon));
    if (colon != std::string_view::npos) fields["legion_line"] = std::string(where.substr(colon + 1));
    message = message.substr(0, from);
  }
  return message;
}

/// `file:line:col: error: message`: file, line, col. Whether it is one.
bool parse_diagnostic(std::string_view message, Fields& fields) {
  std::size_t at = message.find(": error: ");
  if (at == std::string_view::npos) return false;
  std::string_view where = message.substr(0, at);
  std::size_t col = where.rfind(':');
  if (col == std::string_view::npos) return false;
  std::size_t line = where.rfind(':', col - 1);
  if (line == std::string_view::npos || line == 0) return false;
  std::string_view line_text = where.substr(line + 1, col - line - 1);
  std::string_view col_text = where.substr(col + 1);
  if (!all_digits(line_text) || !all_digits(col_text)) return false;
  fields["file"] = std::string(where.substr(0, line));
  fields["line"] = std::string(line_text);
  fields["col"] = std::string(col_text);
  std::string_view text = message.substr(at + 9);
  fields["message"] = make_fact(text.substr(0, text.rfind("; mapping task '")));
  return true;
}

/// `...; mapping task 'T' point (3,) of launch domain (4,)`: task, point, launch_domain.
void parse_mapping_context(std::string_view message, Fields& fields) {
  constexpr std::string_view kMarker = "; mapping task '";
  std::size_t at = message.rfind(kMarker);
  if (at == std::string_view::npos) return;
  std::string_view rest = message.substr(at + kMarker.size());
  std::size_t quote = rest.find('\'');
  if (quote == std::string_view::npos) return;
  fields["task"] = std::string(rest.substr(0, quote));
  rest.remove_prefix(quote + 1);
  constexpr std::string_view kPoint = " point ", kDomain = " of launch domain ";
  std::size_t domain = rest.find(kDomain);
  if (rest.substr(0, kPoint.size()) == kPoint && domain != std::string_view::npos) {
    fields["point"] = std::string(rest.substr(kPoint.size(), domain - kPoint.size()));
    fields["launch_domain"] = std::string(trim(rest.substr(domain + kDomain.size())));
  }
}

bool looks_like_log_line(std::string_view line) {
  return !line.empty() && line.front() == '[' && line.find("}: ") != std::string_view::npos;
}

bool is_caret_line(std::string_view line) {
  line = trim(line);
  return !line.empty() && std::all_of(line.begin(), line.end(), [](char c) { return c == '^' || c == '~'; });
}

/// `did you mean 'GPU'?` in a hint.
void parse_hint(std::string_view hint, Fields& fields) {
  fields["hint"] = make_fact(hint);
  constexpr std::string_view kMean = "did you mean '";
  std::size_t at = hint.find(kMean);
  if (at == std::string_view::npos) return;
  std::string_view rest = hint.substr(at + kMean.size());
  fields["did_you_mean"] = std::string(rest.substr(0, rest.find('\'')));
}

std::string entry_key(const Rule& rule, const Fields& fields) {
  std::string key = rule.id;
  for (const auto& [name, value] : fields) {
    // A rule with a regex tells errors apart by its fields; the whole message holds ids.
    if (kVolatileFields.contains(name) || (rule.regex && name == "message")) continue;
    key += "\x1f" + name + "=" + value;
  }
  return key;
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

Collector::Collector(const std::vector<Rule>& rules) : rules_(rules) {}

void Collector::feed(std::string_view line) {
  ++line_number_;
  if (!trim(line).empty()) last_line_ = make_fact(line);
  if (continue_diagnostic(line)) return;
  Fields fields;
  const Rule* rule = match(line, fields);
  if (!rule) return;
  add(*rule, line, std::move(fields));
}

bool Collector::continue_diagnostic(std::string_view line) {
  if (continuation_ == Continuation::None || last_entry_ < 0) return false;
  Entry& entry = entries_[static_cast<std::size_t>(last_entry_)];
  Continuation state = continuation_;
  continuation_ = Continuation::None;
  if (state == Continuation::Source && !looks_like_log_line(line) &&
      line.find(": error: ") == std::string_view::npos && line.substr(0, 6) != "hint: ") {
    // Kept with its indentation: the caret's column counts from the line's start.
    std::string_view source = line.substr(0, kMaxFactBytes);
    while (!source.empty() && std::isspace(static_cast<unsigned char>(source.back())))
      source.remove_suffix(1);
    entry.fields.try_emplace("source", std::string(source));
    continuation_ = Continuation::Caret;
    return true;
  }
  if (state == Continuation::Caret && is_caret_line(line)) {
    continuation_ = Continuation::Hint;
    return true;
  }
  if (state != Continuation::None && line.substr(0, 6) == "hint: ") {
    if (!entry.fields.contains("hint")) parse_hint(line.substr(6), entry.fields);
    return true;
  }
  return false;
}

const Rule* Collector::match(std::string_view line, Fields& fields) const {
  std::string_view searched = line.substr(0, kMaxRegexBytes);
  for (const Rule& rule : rules_) {
    if (rule.event != Event::None) continue;
    bool keyword = std::any_of(rule.keywords.begin(), rule.keywords.end(),
                               [&](const std::string& k) { return line.find(k) != std::string_view::npos; });
    if (!keyword) continue;
    if (!rule.regex) return &rule;
    std::match_results<std::string_view::const_iterator> groups;
    if (!std::regex_search(searched.begin(), searched.end(), groups, *rule.regex)) continue;
    for (std::size_t i = 0; i < rule.fields.size(); ++i)
      if (!rule.fields[i].empty() && groups[i + 1].matched && groups[i + 1].length() > 0)
        fields[rule.fields[i]] = make_fact(std::string_view(&*groups[i + 1].first,
                                                            static_cast<std::size_t>(groups[i + 1].length())));
    return &rule;
  }
  return nullptr;
}

Collector::Entry* Collector::find_recent_entry(const std::vector<std::string>& ids) {
  if (last_entry_ < 0 || line_number_ - last_entry_line_ > kMergeWindow) return nullptr;
  Entry& candidate = entries_[static_cast<std::size_t>(last_entry_)];
  return contains(ids, "*") || contains(ids, candidate.rule->id) ? &candidate : nullptr;
}

void Collector::add(const Rule& rule, std::string_view line, Fields matched) {
  // Structure every runtime line shares, then the rule's own fields on top.
  Fields fields;
  std::string_view message = strip_legion_error(strip_log_prefix(line, fields), fields);
  bool diagnostic = parse_diagnostic(message, fields);
  parse_mapping_context(message, fields);
  if (!diagnostic && message.size() != line.size()) fields["message"] = make_fact(message);
  for (auto& [name, value] : matched) fields[name] = std::move(value);

  if (!rule.merge_into.empty()) {
    if (Entry* target = find_recent_entry(rule.merge_into)) {
      // A consequence of the error above (an abort after it) is noted, not listed again.
      if (contains(rule.merge_into, "*")) target->fields.try_emplace("followed_by", make_fact(line));
      for (auto& [name, value] : fields) target->fields.try_emplace(name, value);
      last_entry_line_ = line_number_;
      return;
    }
  }
  if (!rule.absorb.empty()) {
    if (Entry* target = find_recent_entry(rule.absorb)) {
      for (auto& [name, value] : fields) target->fields[name] = value;
      target->rule = &rule;
      target->fact = make_fact(line);
      target->key = entry_key(rule, target->fields);
      last_entry_line_ = line_number_;
      return;
    }
  }
  std::string key = entry_key(rule, fields);
  std::ptrdiff_t same = -1, last_of_rule = -1;
  std::size_t of_rule = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].rule != &rule) continue;
    ++of_rule;
    last_of_rule = static_cast<std::ptrdiff_t>(i);
    if (entries_[i].key == key) same = static_cast<std::ptrdiff_t>(i);
  }
  std::ptrdiff_t target = same >= 0 ? same : of_rule >= kMaxPerRule ? last_of_rule : -1;
  if (target < 0 && entries_.size() >= kMaxRecords) {
    ++omitted_;
    return;
  }
  if (target >= 0) {
    ++entries_[static_cast<std::size_t>(target)].repeats;
  } else {
    Entry entry;
    entry.rule = &rule;
    entry.fact = make_fact(line);
    entry.fields = std::move(fields);
    entry.key = std::move(key);
    entry.line = line_number_;
    entries_.push_back(std::move(entry));
    target = static_cast<std::ptrdiff_t>(entries_.size() - 1);
  }
  last_entry_ = target;
  last_entry_line_ = line_number_;
  continuation_ = diagnostic ? Continuation::Source : Continuation::None;
}

const Rule* Collector::event_rule(Event event) const {
  for (const Rule& rule : rules_)
    if (rule.event == event) return &rule;
  return nullptr;
}

Record Collector::make_record(const Entry& entry, Level level) const {
  const Rule& rule = *entry.rule;
  Fields fields = entry.fields;
  for (const std::string& name : rule.derive) derive(name, fields);
  Record record;
  record.category = rule.category;
  record.rule = rule.id;
  record.fact = entry.fact;
  if (!rule.metric_field.empty()) {
    auto value = fields.find(rule.metric_field);
    if (value != fields.end()) record.metric = std::strtod(value->second.c_str(), nullptr);
    record.metric_unit = expand_lenient(rule.metric_unit, fields);
  }
  if (level != Level::Execution) record.explanation = expand_lenient(rule.explanation, fields);
  if (level == Level::Suggest) {
    record.suggestion = expand_lenient(rule.suggestion, fields);
    record.statement_kind = rule.statement_kind;
    for (const std::vector<std::string>& alternative : rule.statements) {
      std::vector<std::string> expanded;
      bool complete = true;
      for (const std::string& statement : alternative) {
        auto text = expand(statement, fields);
        if (text) expanded.push_back(std::move(*text));
        complete = complete && text.has_value();
      }
      if (rule.statement_alternatives && !complete) continue;
      record.statements = std::move(expanded);
      break;
    }
  }
  // Internal bookkeeping fields are not part of the contract.
  fields.erase("log_level");
  if (entry.repeats > 0) fields["repeats"] = std::to_string(entry.repeats);
  record.fields = std::move(fields);
  return record;
}

Record Collector::make_event_record(Event event, Fields fields, Level level) const {
  const Rule* rule = event_rule(event);
  Record record;
  if (!rule) {  // a table without the run-level rules still says something honest
    record.category = Category::Unknown;
    record.rule = "run.unknown";
    record.fact = fields.contains("last_line") ? fields["last_line"] : "no output";
    record.fields = std::move(fields);
    return record;
  }
  Entry entry;
  entry.rule = rule;
  entry.fields = std::move(fields);
  entry.fact = make_fact(expand_lenient(rule->fact, entry.fields));
  return make_record(entry, level);
}

std::vector<Record> Collector::finish(const RunOutput& run, Level level) {
  std::vector<Record> records;
  bool has_error = false, has_metric = false, has_crash = false;
  for (const Entry& entry : entries_) {
    has_error |= is_error(entry.rule->category);
    has_metric |= entry.rule->category == Category::PerformanceMetric;
    has_crash |= entry.rule->category == Category::Crash;
  }
  bool signal_noted = false;
  for (const Entry& entry : entries_) {
    Record record = make_record(entry, level);
    // A signal after a recognised error is its consequence: noted on the first such record.
    if (run.signal && !signal_noted && (is_error(entry.rule->category))) {
      record.fields.try_emplace("signal", std::to_string(*run.signal));
      signal_noted = true;
    }
    records.push_back(std::move(record));
  }
  if (omitted_ > 0 && !records.empty())
    records.back().fields["omitted_matches"] = std::to_string(omitted_);

  Fields common;
  if (!last_line_.empty()) common["last_line"] = last_line_;
  if (run.exit_status) common["exit_status"] = std::to_string(*run.exit_status);
  if (run.timed_out) records.push_back(make_event_record(Event::Timeout, common, level));
  if (run.signal && !signal_noted) {
    Fields fields = common;
    fields["signal"] = std::to_string(*run.signal);
    for (const NamedSignal& named : kSignals)
      if (named.number == *run.signal) fields["signal_name"] = std::string(named.name);
    records.push_back(make_event_record(Event::Signal, std::move(fields), level));
    has_crash = true;
  }
  bool failed_quietly = run.exit_status && *run.exit_status != 0 && !has_error && !has_crash &&
                        !run.timed_out;
  if (failed_quietly) records.push_back(make_event_record(Event::ExitStatus, common, level));
  if (!has_metric && !has_error && !has_crash && !run.timed_out && !failed_quietly)
    records.push_back(make_event_record(Event::NoMetric, common, level));
  std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    return rank(a.category) < rank(b.category);
  });
  return records;
}

}  // namespace mapforge::guide
