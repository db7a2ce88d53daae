// The `command` backend (DESIGN.md §8): any program, given the policy file's path through a
// command template; its output, exit status and time go to AutoGuide, its metric is read with
// a regular expression.
#include <atomic>
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

class CommandBackend final : public Backend {
 public:
  CommandBackend(CommandSettings settings, std::regex regex)
      : settings_(std::move(settings)), regex_(std::move(regex)) {}

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
    ProcessResult p = run_shell(line, options);
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
    r.output = p.started ? p.output : "mapforge: error: cannot run the command: " + p.error + "\n";
    r.exit_status = p.exit_status;
    r.signal = p.signal;
    r.timed_out = p.timed_out;
    if (p.success()) {
      r.metric = last_metric(r.output, regex_);
      r.ok = r.metric.has_value();
    }
    return r;
  }
  Objective objective() const override { return settings_.objective; }
  std::string metric_unit() const override { return settings_.metric_unit; }

 private:
  CommandSettings settings_;
  std::regex regex_;
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
  std::error_code ec;
  std::filesystem::create_directories(settings.scratch, ec);
  if (ec) {
    error = "cannot create " + settings.scratch.string() + ": " + ec.message();
    return nullptr;
  }
  return std::make_unique<CommandBackend>(settings, std::move(regex));
}

std::optional<double> extract_metric(const std::string& output, const std::string& regex) {
  try {
    return last_metric(output, std::regex(regex, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

}  // namespace mapforge::tune
