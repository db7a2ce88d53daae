// `mapforge tune`: run an agent against a backend for N iterations, journalling every evaluation
// in a run directory (src/tune/JOURNAL.md); `--resume` continues a run with its own settings.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/loading.h"
#include "cli/tuning.h"
#include "search/llm/llm_agent.h"
#include "search/search.h"
#include "tune/tune.h"

namespace mapforge::cli {
namespace {

class TuneCommand final : public Command {
 public:
  std::string_view name() const override { return "tune"; }
  std::string_view summary() const override {
    return "find a better mapper: run an agent against the simulator or a real program";
  }
  void configure(CLI::App& app) override {
    app.add_option("--app", settings_.app,
                   "a built-in program or an app JSON file (required with the sim backend; with "
                   "--backend command it gives the agents the program's metadata)");
    app.add_option("--size", settings_.sizes, "a size parameter, name=value (repeatable)");
    app.add_option("--machine", settings_.machine, "a built-in machine or a machine JSON file")
        ->default_val("p100-node");
    app.add_option("--nodes", settings_.nodes, "number of nodes (overrides the machine's)")
        ->check(int_range(1, kMaxNodes));
    app.add_option("--agent", settings_.agent,
                   "guided (default), random, opentuner, exhaustive or llm")
        ->default_val("guided");
    app.add_option("--iterations,-n", settings_.iterations,
                   "evaluations, the starting point and failed runs included")
        ->default_val(10)
        ->check(int_range(1, 1000000));
    app.add_option("--seed", settings_.seed, "seed of the agent's choices")->default_val(1);
    app.add_option("--out", out_, "the run directory (journal.jsonl, best.map, ...)")->required();
    app.add_option("-j,--jobs", settings_.jobs, "evaluations run at once")
        ->default_val(1)
        ->check(int_range(1, 256));
    app.add_option("--feedback", feedback_, "AutoGuide level: execution, explain or suggest")
        ->default_val("suggest");
    app.add_flag("--resume", resume_,
                 "continue the run in --out with the settings it started with");
    app.add_option("--backend", settings_.backend, "sim (default) or command")->default_val("sim");
    app.add_option("--command", settings_.command.command_template,
                   "command backend: the command line, with {mapping} for the policy file");
    app.add_option("--metric", settings_.command.metric_regex,
                   "command backend: regular expression whose first capture group is the metric");
    app.add_flag("--maximize", maximize_,
                 "command backend: the metric is a throughput (default: a time, lower is better)");
    app.add_option("--unit", settings_.command.metric_unit, "command backend: the metric's unit")
        ->default_val("s");
    app.add_option(
        "--unset-env", settings_.command.unset_env,
        "command backend: an environment variable the command must not see (its value "
        "is also redacted from the output); repeatable. OPENAI_API_KEY never reaches it");
    app.add_option("--timeout", settings_.command.timeout_s,
                   "command backend: seconds before a run is stopped (0: none)")
        ->default_val(0)
        ->check(number_range(0.0, 1e7));
    app.add_option("--start", start_,
                   "a policy file to start from (guided, llm): iteration 0 runs it, and the agent "
                   "improves it (default: the empty policy, the runtime's defaults)");
    add_llm_options(app, llm_);
    // What a resumed run takes from its journal: giving it again would be ignored, so say so.
    for (const char* name :
         {"--app",        "--size",   "--machine",  "--nodes",     "--agent",
          "--iterations", "--seed",   "--jobs",     "--feedback",  "--backend",
          "--command",    "--metric", "--maximize", "--unit",      "--timeout",
          "--unset-env",  "--start",  "--llm-url",  "--llm-model", "--llm-variant"})
      settings_options_.push_back(app.get_option(name));
    app.add_flag("--quiet,-q", quiet_, "no progress lines");
    app.add_flag("--json", json_, "print the result as JSON");
  }
  int run(Io& io) override;

 private:
  tune::TuneSettings settings_;
  LlmOptions llm_;
  std::string out_, feedback_, start_;
  std::vector<CLI::Option*> settings_options_;
  bool resume_ = false, maximize_ = false, quiet_ = false, json_ = false;
};

int TuneCommand::run(Io& io) {
  if (resume_) {
    for (const CLI::Option* option : settings_options_) {
      if (option->count() == 0) continue;
      io.err << "mapforge: error: --resume continues a run with the settings in its journal; "
             << "drop " << option->get_name() << "\n";
      return kExitBadInput;
    }
    std::string error;
    auto saved = tune::settings_from_journal(out_, error);
    if (!saved) {
      io.err << "mapforge: error: --resume: " << error << "\n";
      return kExitBadInput;
    }
    settings_ = *saved;
    llm_.url = settings_.llm_url;
    llm_.model = settings_.llm_model;
    if (!settings_.llm_variant.empty()) llm_.variant = settings_.llm_variant;
  } else {
    auto level = guide::parse_level(feedback_);
    if (!level) {
      io.err << "mapforge: error: --feedback: expected execution, explain or suggest, got '"
             << feedback_ << "'\n";
      return kExitBadInput;
    }
    settings_.feedback = *level;
    settings_.command.objective = maximize_ ? tune::Objective::Maximize : tune::Objective::Minimize;
    if (!start_.empty()) {
      FileText read = read_text(start_, io.in, kPolicyFile);
      if (!read.error.empty()) {
        io.err << "mapforge: error: --start: " << read.error << "\n";
        return kExitBadInput;
      }
      auto diagnostics = dsl::check(start_, read.text);
      if (dsl::has_errors(diagnostics)) {
        io.err << dsl::render_all(diagnostics);
        return kExitBadInput;
      }
      settings_.start_policy = std::move(read.text);
    }
    if (settings_.agent == "llm") {
      std::tie(settings_.llm_url, settings_.llm_model) = llm_endpoint_for_journal(llm_);
      settings_.llm_variant = llm_.variant;
    }
  }
  settings_.command.scratch = std::filesystem::path(out_) / "scratch";
  Tuning tuning;
  if (!prepare_tuning(settings_, llm_, tuning, io)) return kExitBadInput;
  if (settings_.nodes == 0) settings_.nodes = tuning.machine->nodes;  // journal what ran
  ProgressPrinter progress(io.err, quiet_);
  tune::TuneResult result =
      tune::run_tune(settings_, *tuning.agent, *tuning.backend, tuning.reference, out_, resume_,
                     [&](const tune::Progress& p) { progress.print(p, tuning.unit); });
  progress.finish();
  if (!result.ok) {
    io.err << "mapforge: error: " << result.error << "\n";
    return kExitBadInput;
  }
  print_summary(io, settings_, tuning, result, out_, json_);
  return result.best_metric ? kExitOk : kExitFailed;
}

}  // namespace

std::unique_ptr<Command> make_tune_command() { return std::make_unique<TuneCommand>(); }

}  // namespace mapforge::cli
