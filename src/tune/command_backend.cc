// The `command` backend (DESIGN.md §8): any program, given the policy file's path through a
// command template; its output, exit status and time go to AutoGuide, its metric is read with
// a regular expression.
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <regex>

#include "tune/process/process.h"
#include "tune/tune.h"

namespace mapforge::tune {
namespace {

/// The last match's first group (or the whole match) as a number: programs print results last.
std::optional<double> last_metric(const std::string& output, const std::regex& regex) {
  std::optional<double> value;
  for (auto it = std::sregex_iterator(output.begin(), output.end(), regex);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    std::string text = m.size() > 1 && m[1].matched ? m[1].str() : m[0].str();
    try {
      std::size_t used = 0;
      double v = std::stod(text, &used);
      if (used > 0) value = v;
    } catch (...) {
    }
  }
  return value;
}

using Secrets = std::vector<std::pair<std::string, std::string>>;

class CommandBackend final : public Backend {
 public:
  /// `unset`: the variables the command does not get; `secrets`: their values, to redact.
  CommandBackend(CommandSettings settings, std::regex regex, std::vector<std::string> unset,
                 Secrets secrets)
      : settings_(std::move(settings)),
        regex_(std::move(regex)),
        secrets_(std::move(secrets)),
        unset_(std::move(unset)) {}

  RunResult run(const std::string& policy_text) const override {
    RunResult r;
    // Each run gets its own file, so parallel runs never share one.
    std::filesystem::path file =
        settings_.scratch / ("mapping-" + std::to_string(counter_.fetch_add(1)) + ".map");
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << policy_text;
      if (!out) {
        r.output = "mapforge: error: cannot write the policy file " + file.string() + "\n";
        return r;
      }
    }
    std::string line = expand_template(settings_.command_template,
                                       {{"mapping", std::filesystem::absolute(file).string()}});
    ProcessOptions options;
    options.timeout_s = settings_.timeout_s;
    options.unset_environment = unset_;
    ProcessResult p = run_shell(line, options);
    // A secret the command found elsewhere (a file, its own environment) never reaches the
    // journal, the feedback or a prompt.
    p.output = redact_secrets(std::move(p.output), secrets_);
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
    r.output = p.started ? p.output : "mapforge: error: cannot run the command: " + p.error + "\n";
    r.exit_status = p.exit_status;
    r.signal = p.signal;
    r.timed_out = p.timed_out;
    if (p.success()) {
      r.metric = last_metric(r.output, regex_);
      r.ok = r.metric.has_value();
      // A time of zero or less is no measurement: the run failed, wherever it is reported.
      if (r.ok && settings_.objective == Objective::Minimize && !(*r.metric > 0)) {
        r.output += "mapforge: the metric " + std::to_string(*r.metric) +
                    " is not a positive time; the run counts as failed\n";
        r.ok = false;
      }
    }
    return r;
  }
  Objective objective() const override { return settings_.objective; }
  std::string metric_unit() const override { return settings_.metric_unit; }

 private:
  CommandSettings settings_;
  std::regex regex_;
  Secrets secrets_;
  std::vector<std::string> unset_;
  mutable std::atomic<std::uint64_t> counter_{0};
};

}  // namespace

std::unique_ptr<Backend> make_command_backend(const CommandSettings& settings, std::string& error) {
  if (settings.command_template.find("{mapping}") == std::string::npos) {
    error = "--command must contain {mapping} (where the policy file's path goes)";
    return nullptr;
  }
  try {
    expand_template(settings.command_template, {{"mapping", "x"}});
  } catch (const TemplateError& e) {
    error = std::string("--command: ") + e.what();
    return nullptr;
  }
  std::regex regex;
  try {
    regex = std::regex(settings.metric_regex, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    error = "--metric: not a valid regular expression: " + std::string(e.what());
    return nullptr;
  }
  if (settings.metric_regex.empty()) {
    error = "--metric is required with --backend command";
    return nullptr;
  }
  if (regex.mark_count() == 0) {
    error = "--metric: '" + settings.metric_regex +
            "' has no capture group; put one around the number, e.g. 'time: ([0-9.eE+-]+)'";
    return nullptr;
  }
  std::error_code ec;
  std::filesystem::create_directories(settings.scratch, ec);
  if (ec) {
    error = "cannot create " + settings.scratch.string() + ": " + ec.message();
    return nullptr;
  }
  Secrets secrets;
  std::vector<std::string> names = kSecretVariables;
  names.insert(names.end(), settings.unset_env.begin(), settings.unset_env.end());
  for (const std::string& name : names) {
    if (name.empty() || name.find('=') != std::string::npos) {
      error = "--unset-env: '" + name + "' is not an environment variable name";
      return nullptr;
    }
    if (const char* value = std::getenv(name.c_str())) secrets.emplace_back(name, value);
  }
  return std::make_unique<CommandBackend>(settings, std::move(regex), std::move(names),
                                          std::move(secrets));
}

std::string redact_secrets(std::string text, const Secrets& secrets) {
  for (const auto& [name, value] : secrets) {
    if (value.size() < 4) continue;  // too short to tell apart from ordinary output
    const std::string mark = "[redacted " + name + "]";
    for (std::size_t at = text.find(value); at != std::string::npos;
         at = text.find(value, at + mark.size()))
      text.replace(at, value.size(), mark);
  }
  return text;
}

std::optional<double> extract_metric(const std::string& output, const std::string& regex) {
  try {
    return last_metric(output, std::regex(regex, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

}  // namespace mapforge::tune
