// The tuning module's public header (DESIGN.md §7-8): backends that run a policy and return
// what a real run gives (text, exit status, optional profile), the loop that drives an agent
// for N iterations and journals every evaluation, resume, and the published experiments.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/app.h"
#include "guide/guide.h"
#include "machine/machine.h"
#include "search/agent.h"
#include "tune/report/journal_reader.h"

namespace mapforge::tune {

/// What one run of a policy gave.
struct RunResult {
  bool ok = false;               // ran to the end and printed a metric
  std::optional<double> metric;  // in the app's unit
  std::string output;            // stdout and stderr
  std::optional<int> exit_status;
  std::optional<int> signal;
  bool timed_out = false;
  std::string profile_json;  // the simulator's profile (sim backend)
};

class Backend {
 public:
  virtual ~Backend() = default;
  /// Runs one policy. Must be safe to call from several threads at once (`-j`).
  virtual RunResult run(const std::string& policy_text) const = 0;
  virtual Objective objective() const = 0;
  virtual std::string metric_unit() const = 0;
};

/// The simulator in-process: the policy is checked against the app's names (errors print like
/// `mapforge check`, exit status 2), bound to the machine and simulated with a profile.
/// Without `profile` runs are faster and AutoGuide sees only the text (agents that ignore
/// feedback: bench's opentuner and random runs).
std::unique_ptr<Backend> make_sim_backend(const app::App& app, const machine::Machine& machine,
                                          bool profile = true);

struct CommandSettings {
  std::string command_template;  // `{mapping}` becomes the policy file's path
  std::string metric_regex;      // first capture group (or the whole match) is the metric
  double timeout_s = 0;          // 0: none
  Objective objective = Objective::Minimize;
  std::string metric_unit = "s";
  std::filesystem::path scratch;  // where policy files are written
  /// Environment variables the command must not see, besides kSecretVariables (`--unset-env`);
  /// their values are also redacted from its output.
  std::vector<std::string> unset_env;
};
/// Variables never passed to a command's children: the llm agent's API key.
inline const std::vector<std::string> kSecretVariables = {"OPENAI_API_KEY"};
/// `text` with every occurrence of each secret value (4 characters or more) replaced by
/// `[redacted NAME]`. `secrets` holds (name, value) pairs.
std::string redact_secrets(std::string text,
                           const std::vector<std::pair<std::string, std::string>>& secrets);
/// Any program: the template with `{mapping}` replaced, run by /bin/sh. Returns null and sets
/// `error` for a bad template or regular expression.
std::unique_ptr<Backend> make_command_backend(const CommandSettings& settings, std::string& error);

/// The metric in `output` per `regex` (last match wins: programs print their result last).
std::optional<double> extract_metric(const std::string& output, const std::string& regex);

/// What `mapforge tune` was asked for; journalled in the header so that --resume repeats it.
struct TuneSettings {
  std::string app, machine;
  int nodes = 0;
  std::vector<std::string> sizes;
  std::string agent = "guided";
  int iterations = 10;
  std::uint64_t seed = 1;
  int jobs = 1;
  guide::Level feedback = guide::Level::Suggest;
  std::string backend = "sim";
  CommandSettings command;
  std::string llm_url, llm_model, llm_variant = "optoprime";
  /// The policy to start from (`--start FILE`), journalled in the header; "" for the empty one.
  std::string start_policy;
  /// false: the journal keeps metrics and policies but no outputs or feedback (long bench runs).
  bool journal_outputs = true;
};

struct Reference {
  std::optional<double> expert_metric, default_metric;
  std::string expert_policy;
};

/// One finished evaluation, as the loop reports progress.
struct Progress {
  int iteration = 0;
  int iterations = 0;
  std::optional<double> metric;
  std::optional<double> best_metric;
  std::optional<double> best_vs_expert;  // > 1 is better than the expert
  double seconds_per_eval = 0;
  double eta_s = 0;
};

struct TuneResult {
  bool ok = false;  // false: the run could not start or resume (see error)
  std::string error;
  int evaluations = 0;  // iterations journalled, resumed ones included
  std::optional<double> best_metric;
  std::string best_policy;
  int best_iteration = -1;
};

/// Runs (or, with `resume`, continues) the loop in `dir`. `agent` must be new (it is replayed
/// through the journal on resume). `on_progress` is called after every evaluation.
TuneResult run_tune(const TuneSettings& settings, search::Agent& agent, const Backend& backend,
                    const Reference& reference, const std::filesystem::path& dir, bool resume,
                    const std::function<void(const Progress&)>& on_progress = {});

/// The settings a run directory was started with (from its journal header).
std::optional<TuneSettings> settings_from_journal(const std::filesystem::path& dir,
                                                  std::string& error);

/// The Problem agents see for an app on a machine; without an app (a command backend given no
/// `--app`) agents work from feedback alone.
search::Problem make_problem(const app::App* app, const machine::Machine& machine,
                             const TuneSettings& settings, Objective objective,
                             const std::string& metric_unit);

/// Normalised throughput against the expert: 0 for a failure, nullopt without an expert.
std::optional<double> normalized(std::optional<double> metric, std::optional<double> expert,
                                 Objective objective);

}  // namespace mapforge::tune
