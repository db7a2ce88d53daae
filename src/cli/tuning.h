// What `tune` and `bench` share: building the backend, the reference runs, the Problem and the
// agent from settings, the progress line, and the closing summary (private to the cli module).
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "search/agent.h"
#include "tune/tune.h"

namespace mapforge::cli {

struct LlmOptions {
  std::string url, model, variant = "optoprime";
  double timeout_s = 120;
};
void add_llm_options(CLI::App& app, LlmOptions& options);

struct Tuning {
  std::optional<app::App> app;
  std::optional<machine::Machine> machine;
  std::unique_ptr<tune::Backend> backend;
  tune::Reference reference;
  search::Problem problem;
  std::unique_ptr<search::Agent> agent;
  std::string unit;
};

/// Loads what the settings name and builds the backend, the reference runs (sim: the expert and
/// the default mapping) and the agent. Prints errors; false means exit 2.
bool prepare_tuning(const tune::TuneSettings& settings, const LlmOptions& llm, Tuning& tuning,
                    Io& io);
/// A new agent for the same problem (bench runs several).
std::unique_ptr<search::Agent> make_named_agent(const std::string& name,
                                                const search::Problem& problem,
                                                const LlmOptions& llm, std::string& error);
/// The llm endpoint and model as a journal may record them: the effective base URL (flag or
/// environment) without user info, never the key. Empty when the agent is not llm.
std::pair<std::string, std::string> llm_endpoint_for_journal(const LlmOptions& llm);
/// Whether the llm agent can be used (an endpoint and a model are configured).
bool llm_configured(const LlmOptions& llm);

std::string format_metric(std::optional<double> metric, const std::string& unit);

/// "[ 3/10] 0.919 s | best 0.919 s (1.00x expert) | 0.02 s/eval | ETA 0 s" on stderr, rewritten
/// in place on a terminal, one line per evaluation otherwise.
class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream& err, bool quiet);
  void print(const tune::Progress& p, const std::string& unit);
  void finish();

 private:
  std::ostream& err_;
  bool quiet_;
  bool tty_;
  bool open_line_ = false;
};

void print_summary(Io& io, const tune::TuneSettings& settings, const Tuning& tuning,
                   const tune::TuneResult& result, const std::string& out_dir, bool json);

}  // namespace mapforge::cli
