#include "cli/tuning.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/loading.h"
#include "search/llm/llm_agent.h"
#include "search/search.h"
#include "tune/report/report.h"

namespace mapforge::cli {

void add_llm_options(CLI::App& app, LlmOptions& options) {
  app.add_option(
      "--llm-url", options.url,
      "llm agent: base URL of an OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)");
  app.add_option("--llm-model", options.model, "llm agent: model name (default: $OPENAI_MODEL)");
  app.add_option("--llm-variant", options.variant, "llm agent: optoprime (default) or opro")
      ->default_val("optoprime");
  app.add_option("--llm-timeout", options.timeout_s, "llm agent: seconds per request")
      ->default_val(120)
      ->check(number_range(1.0, 3600.0));
}

namespace {

search::llm::LlmSettings llm_settings(const LlmOptions& llm) {
  search::llm::LlmSettings s;
  s.chat.base_url = llm.url;
  s.chat.model = llm.model;
  s.chat.timeout_s = llm.timeout_s;
  if (auto v = search::llm::parse_variant(llm.variant)) s.variant = *v;
  search::llm::apply_environment(s);
  return s;
}

}  // namespace

std::pair<std::string, std::string> llm_endpoint_for_journal(const LlmOptions& llm) {
  auto s = llm_settings(llm);
  s.chat.api_key.clear();
  search::llm::ChatClient client(s.chat);
  return {client.endpoint(), s.chat.model};
}

bool llm_configured(const LlmOptions& llm) {
  auto s = llm_settings(llm);
  return !search::llm::settings_problem(s) && (!llm.url.empty() || std::getenv("OPENAI_BASE_URL"));
}

std::unique_ptr<search::Agent> make_named_agent(const std::string& name,
                                                const search::Problem& problem,
                                                const LlmOptions& llm, std::string& error) {
  if (name != "llm") return search::make_agent(name, problem, error);
  if (!search::llm::parse_variant(llm.variant)) {
    error = "--llm-variant: expected optoprime or opro, got '" + llm.variant + "'";
    return nullptr;
  }
  auto settings = llm_settings(llm);
  if (auto problem_text = search::llm::settings_problem(settings)) {
    error = *problem_text;  // it already names the llm agent
    return nullptr;
  }
  return search::llm::make_llm_agent(problem, settings);
}

bool prepare_tuning(const tune::TuneSettings& settings, const LlmOptions& llm, Tuning& tuning,
                    Io& io) {
  if (settings.backend != "sim" && settings.backend != "command") {
    io.err << "mapforge: error: --backend: expected sim or command, got '" << settings.backend
           << "'\n";
    return false;
  }
  tuning.machine = load_machine_arg(settings.machine, settings.nodes, io);
  if (!tuning.machine) return false;
  if (!settings.app.empty()) {
    tuning.app = load_app_arg(settings.app, settings.sizes, *tuning.machine, io);
    if (!tuning.app) return false;
  } else if (settings.backend == "sim") {
    io.err << "mapforge: error: --app is required with the sim backend\n";
    return false;
  }
  if (settings.backend == "sim") {
    tuning.backend = tune::make_sim_backend(*tuning.app, *tuning.machine);
    // The reference points: the expert's mapper and the runtime's defaults, run once each.
    std::string expert(app::expert_policy(tuning.app->name));
    tuning.reference.expert_policy = expert;
    if (!expert.empty()) {
      auto run = tuning.backend->run(expert);
      if (run.ok) tuning.reference.expert_metric = run.metric;
    }
    auto plain = tuning.backend->run("");
    if (plain.ok) tuning.reference.default_metric = plain.metric;
  } else {
    if (settings.command.command_template.empty()) {
      io.err << "mapforge: error: --backend command needs --command 'CMD ... {mapping} ...'\n";
      return false;
    }
    std::string error;
    tuning.backend = tune::make_command_backend(settings.command, error);
    if (!tuning.backend) {
      io.err << "mapforge: error: " << error << "\n";
      return false;
    }
  }
  tuning.unit = tuning.backend->metric_unit();
  tuning.problem = tune::make_problem(tuning.app ? &*tuning.app : nullptr, *tuning.machine,
                                      settings, tuning.backend->objective(), tuning.unit);
  std::string error;
  tuning.agent = make_named_agent(settings.agent, tuning.problem, llm, error);
  if (!tuning.agent) {
    io.err << "mapforge: error: --agent: " << error << "\n";
    return false;
  }
  return true;
}

std::string format_metric(std::optional<double> metric, const std::string& unit) {
  return metric ? tune::format_metric(*metric, unit) : "failed";
}

ProgressPrinter::ProgressPrinter(std::ostream& err, bool quiet)
    : err_(err), quiet_(quiet), tty_(&err == &std::cerr && ::isatty(2)) {}

void ProgressPrinter::print(const tune::Progress& p, const std::string& unit) {
  if (quiet_) return;
  char line[256];
  std::string vs;
  if (p.best_vs_expert) {
    char b[32];
    std::snprintf(b, sizeof b, " (%.2fx expert)", *p.best_vs_expert);
    vs = b;
  }
  std::snprintf(line, sizeof line, "[%*d/%d] %-14s | best %s%s | %.3g s/eval | ETA %.0f s",
                int(std::to_string(p.iterations).size()), p.iteration, p.iterations,
                format_metric(p.metric, unit).c_str(), format_metric(p.best_metric, unit).c_str(),
                vs.c_str(), p.seconds_per_eval, p.eta_s);
  if (tty_) {
    err_ << "\r\033[K" << line << std::flush;
    open_line_ = true;
  } else {
    err_ << line << "\n";
  }
}

void ProgressPrinter::finish() {
  if (open_line_) err_ << "\n";
  open_line_ = false;
}

void print_summary(Io& io, const tune::TuneSettings& settings, const Tuning& tuning,
                   const tune::TuneResult& result, const std::string& out_dir, bool json) {
  auto objective = tuning.backend->objective();
  auto vs_expert = tune::normalized(result.best_metric, tuning.reference.expert_metric, objective);
  auto vs_default =
      tune::normalized(result.best_metric, tuning.reference.default_metric, objective);
  if (json) {
    auto num = [](std::optional<double> v) {
      return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
    };
    nlohmann::ordered_json out = {
        {"app", settings.app},
        {"machine", settings.machine},
        {"agent", settings.agent},
        {"iterations", result.evaluations},
        {"best_metric", num(result.best_metric)},
        {"metric_unit", tuning.unit},
        {"best_iteration", result.best_iteration},
        {"expert_metric", num(tuning.reference.expert_metric)},
        {"default_metric", num(tuning.reference.default_metric)},
        {"vs_expert", num(vs_expert)},
        {"vs_default", num(vs_default)},
        {"best_map", (std::filesystem::path(out_dir) / "best.map").string()}};
    io.out << out.dump(2) << "\n";
    return;
  }
  io.out << settings.agent << " on " << (settings.app.empty() ? "the command" : settings.app)
         << " (" << settings.machine << "), " << result.evaluations << " iterations:\n";
  if (!result.best_metric) {
    io.out << "  no policy ran successfully; see " << out_dir << "/journal.jsonl\n";
    return;
  }
  io.out << "  best        " << format_metric(result.best_metric, tuning.unit) << " (iteration "
         << result.best_iteration << ")\n";
  char buf[64];
  if (tuning.reference.expert_metric) {
    std::snprintf(buf, sizeof buf, "%.3fx", vs_expert.value_or(0));
    io.out << "  expert      " << format_metric(tuning.reference.expert_metric, tuning.unit)
           << "  -> best is " << buf << " the expert's throughput\n";
  }
  if (tuning.reference.default_metric) {
    std::snprintf(buf, sizeof buf, "%.3fx", vs_default.value_or(0));
    io.out << "  default     " << format_metric(tuning.reference.default_metric, tuning.unit)
           << "  -> best is " << buf << " the default mapping's throughput\n";
  }
  io.out << "  best mapper " << out_dir << "/best.map\n";
  io.out << "  report      mapforge report " << out_dir << "\n";
  io.out << "\n" << result.best_policy;
}

}  // namespace mapforge::cli
