// read_journal and parse_journal (journal_reader.h).
#include "tune/report/journal_reader.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace mapforge::tune {
namespace {

using nlohmann::json;

/// What is wrong with one line (the caller adds file and line number).
struct LineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string type_name(const json& value) {
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  return "null";
}

[[noreturn]] void wrong_type(const std::string& key, const char* expected, const json& value) {
  throw LineError("key \"" + key + "\" must be " + expected + ", not " + type_name(value));
}

/// The value of `key`, or nullptr when absent or null.
const json* find(const json& object, const std::string& key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

void read_string(const json& object, const std::string& key, std::string& out) {
  if (const json* value = find(object, key)) {
    if (!value->is_string()) wrong_type(key, "a string", *value);
    out = value->get<std::string>();
  }
}

void read_bool(const json& object, const std::string& key, bool& out) {
  if (const json* value = find(object, key)) {
    if (!value->is_boolean()) wrong_type(key, "true or false", *value);
    out = value->get<bool>();
  }
}

void read_number(const json& object, const std::string& key, std::optional<double>& out) {
  if (const json* value = find(object, key)) {
    if (!value->is_number()) wrong_type(key, "a number", *value);
    double number = value->get<double>();
    if (!std::isfinite(number)) throw LineError("key \"" + key + "\" is not a finite number");
    out = number;
  }
}

void read_int(const json& object, const std::string& key, std::optional<int>& out) {
  if (const json* value = find(object, key)) {
    if (!value->is_number_integer()) wrong_type(key, "an integer", *value);
    auto number = value->get<std::int64_t>();
    if (value->is_number_unsigned() &&
        value->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
      throw LineError("key \"" + key + "\" is out of range");
    if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max())
      throw LineError("key \"" + key + "\" is out of range");
    out = static_cast<int>(number);
  }
}

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// "parse error at column 12: syntax error ..." from nlohmann's message.
std::string json_error_text(const std::string& what) {
  std::string text = what;
  if (auto close = text.find("] "); text.rfind("[json.exception", 0) == 0 && close != text.npos)
    text.erase(0, close + 2);
  if (auto at = text.find("at line 1, "); at != text.npos) text.erase(at + 3, 8);
  return text;
}

RunHeader parse_header(const json& object) {
  RunHeader header;
  std::string type;
  read_string(object, "type", type);
  if (type != "run") {
    if (type.empty()) throw LineError("the first line is not a run header (it has no \"type\")");
    throw LineError("the first line is not a run header (\"type\" is \"" + type +
                    "\", expected \"run\")");
  }
  std::optional<int> version;
  read_int(object, "version", version);
  if (version) {
    if (*version > 1)
      throw LineError("journal version " + std::to_string(*version) +
                      " is newer than this mapforge reads (1)");
    if (*version < 1)
      throw LineError("journal version " + std::to_string(*version) + " is invalid");
    header.version = *version;
  }
  read_string(object, "app", header.app);
  read_string(object, "machine", header.machine);
  read_int(object, "nodes", header.nodes);
  if (const json* sizes = find(object, "sizes")) {
    if (!sizes->is_array()) wrong_type("sizes", "a list of strings", *sizes);
    for (const json& size : *sizes) {
      if (!size.is_string()) wrong_type("sizes", "a list of strings", *sizes);
      header.sizes.push_back(size.get<std::string>());
    }
  }
  read_string(object, "agent", header.agent);
  read_int(object, "iterations", header.iterations);
  if (const json* seed = find(object, "seed")) {
    if (!seed->is_number_integer() ||
        (!seed->is_number_unsigned() && seed->get<std::int64_t>() < 0))
      wrong_type("seed", "a non-negative integer", *seed);
    header.seed = seed->get<std::uint64_t>();
  }
  read_int(object, "jobs", header.jobs);
  read_string(object, "feedback", header.feedback);
  read_string(object, "backend", header.backend);
  read_string(object, "command", header.command);
  read_string(object, "metric_regex", header.metric_regex);
  read_number(object, "timeout_s", header.timeout_s);
  std::string objective;
  read_string(object, "objective", objective);
  if (objective == "maximize") {
    header.objective = Objective::Maximize;
  } else if (objective.empty() || objective == "minimize") {
    header.objective = Objective::Minimize;
  } else {
    throw LineError("\"objective\" is \"" + objective +
                    "\", expected \"minimize\" or \"maximize\"");
  }
  read_string(object, "metric_unit", header.metric_unit);
  read_number(object, "expert_metric", header.expert_metric);
  read_number(object, "default_metric", header.default_metric);
  read_string(object, "expert_policy", header.expert_policy);
  read_string(object, "started", header.started);
  read_string(object, "llm_url", header.llm_url);
  read_string(object, "llm_model", header.llm_model);
  return header;
}

EvalRecord parse_eval(const json& object) {
  EvalRecord eval;
  std::optional<int> iteration;
  read_int(object, "iteration", iteration);
  if (!iteration) throw LineError("an eval line needs \"iteration\"");
  if (*iteration < 0) throw LineError("\"iteration\" is negative");
  eval.iteration = *iteration;
  if (find(object, "ok") == nullptr) throw LineError("an eval line needs \"ok\"");
  read_bool(object, "ok", eval.ok);
  read_int(object, "batch", eval.batch);
  read_string(object, "policy", eval.policy);
  read_number(object, "metric", eval.metric);
  read_number(object, "normalized", eval.normalized);
  read_number(object, "best_metric", eval.best_metric);
  read_string(object, "output", eval.output);
  read_int(object, "exit_status", eval.exit_status);
  read_int(object, "signal", eval.signal);
  read_bool(object, "timed_out", eval.timed_out);
  read_string(object, "feedback_text", eval.feedback_text);
  if (const json* feedback = find(object, "feedback")) eval.feedback_json = dump(*feedback);
  if (const json* agent = find(object, "agent")) eval.agent_json = dump(*agent);
  read_bool(object, "duplicate", eval.duplicate);
  read_string(object, "started", eval.started);
  read_string(object, "finished", eval.finished);
  read_number(object, "duration_s", eval.duration_s);
  return eval;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

JournalResult parse_journal(std::string_view text, std::string_view name) {
  JournalResult result;
  Journal& journal = result.journal;
  const std::string file(name);
  bool have_header = false;
  std::size_t line_number = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    const bool terminated = end != std::string_view::npos;
    if (!terminated) end = text.size();
    std::string_view line = text.substr(position, end - position);
    const std::size_t next = terminated ? end + 1 : end;
    ++line_number;
    position = next;
    if (blank(line)) continue;
    const std::string where = file + ":" + std::to_string(line_number) + ": ";

    json object;
    try {
      object = json::parse(line);
    } catch (const json::parse_error& error) {
      if (!terminated && have_header) {
        journal.warnings.push_back(where +
                                   "the last line is incomplete (the run was stopped while "
                                   "writing it); skipped");
        break;
      }
      result.error = where + "not valid JSON: " + json_error_text(error.what());
      if (!terminated) result.error += " (the line is incomplete)";
      return result;
    }
    if (!object.is_object()) {
      result.error = where + "expected a JSON object, found " + type_name(object);
      return result;
    }
    try {
      if (!have_header) {
        journal.header = parse_header(object);
        journal.header.json = std::string(line);
        have_header = true;
      } else {
        std::string type;
        read_string(object, "type", type);
        if (type == "eval") {
          EvalRecord eval = parse_eval(object);
          eval.line = line_number;
          eval.json = std::string(line);
          journal.evals.push_back(std::move(eval));
        } else if (type == "run") {
          throw LineError("a second run header");
        } else {
          journal.warnings.push_back(where + "a line of unknown type \"" + type + "\"; skipped");
        }
      }
    } catch (const LineError& error) {
      result.error = where + error.what();
      return result;
    }
    journal.valid_bytes = next;
    journal.last_line_unterminated = !terminated;
  }
  if (!have_header) {
    result.error = file + ": empty; the first line must be the run header";
    return result;
  }
  result.ok = true;
  return result;
}

JournalResult read_journal(const std::filesystem::path& file) {
  JournalResult result;
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    result.error = file.string() + ": no such file (not a run directory of mapforge tune?)";
    return result;
  }
  if (std::filesystem::is_directory(file, error)) {
    result.error = file.string() + ": is a directory, not a journal";
    return result;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    result.error = file.string() + ": cannot be read";
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    result.error = file.string() + ": cannot be read";
    return result;
  }
  return parse_journal(text.str(), file.string());
}

}  // namespace mapforge::tune
