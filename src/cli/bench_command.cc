// `mapforge bench`: the published experiments (REFERENCE.md §1) on the simulated machine. For
// each program: the expert and default mappings, then random, opentuner (10 and 1000
// iterations), guided (10) and, when an endpoint is configured, llm (10), over several seeds;
// throughput normalised to the expert (a failure counts 0). Writes bench.md, bench.json and
// bench.html (one convergence panel per program); every run keeps its own run directory, and a
// repeated bench resumes them instead of running them again.
#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/loading.h"
#include "cli/tuning.h"
#include "search/search.h"
#include "tune/report/report.h"
#include "tune/tune.h"

namespace mapforge::cli {
namespace {

struct Arm {
  std::string agent;
  int iterations = 10;
  std::string label() const { return agent + "@" + std::to_string(iterations); }
};

struct ArmResult {
  Arm arm;
  std::vector<double> best;  // per seed, normalised (0: nothing valid found)
  std::vector<std::vector<std::optional<double>>> curves;  // per seed, best-so-far normalised
};

struct AppResult {
  std::string app;
  std::optional<double> expert_metric, default_metric;
  std::string unit;
  std::vector<ArmResult> arms;
};

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / double(v.size());
}

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

class BenchCommand final : public Command {
 public:
  std::string_view name() const override { return "bench"; }
  std::string_view summary() const override {
    return "repeat the published experiments: agents against the expert over the nine programs";
  }
  void configure(CLI::App& app) override {
    app.add_option("--apps", apps_, "programs (default: all nine)")->delimiter(',');
    app.add_option("--machine", machine_, "a built-in machine or a machine JSON file")
        ->default_val("p100-node");
    app.add_option("--nodes", nodes_, "number of nodes")->check(int_range(1, kMaxNodes));
    app.add_option("--seeds", seeds_, "independent runs per agent")
        ->default_val(5)
        ->check(int_range(1, 1000));
    app.add_option("--iterations", iterations_, "iterations of the short runs")
        ->default_val(10)
        ->check(int_range(1, 100000));
    app.add_option("--long-iterations", long_iterations_,
                   "iterations of opentuner's long run (0: skip it)")
        ->default_val(1000)
        ->check(int_range(0, 1000000));
    app.add_option("--long-seeds", long_seeds_,
                   "seeds of the long opentuner run (default: --seeds; it costs the most)")
        ->check(int_range(1, 1000));
    app.add_option("--agents", agents_,
                   "agents of the short runs (default: random,opentuner,"
                   "guided, and llm when an endpoint is configured)")
        ->delimiter(',');
    app.add_option("--out", out_, "where to write bench.md, bench.json, bench.html and the runs")
        ->default_val("bench-out");
    app.add_option("-j,--jobs", jobs_, "evaluations at once inside each run")
        ->default_val(1)
        ->check(int_range(1, 256));
    add_llm_options(app, llm_);
    app.add_flag("--quiet,-q", quiet_, "no progress lines");
  }
  int run(Io& io) override;

 private:
  bool run_app(const std::string& app, AppResult& out, Io& io);
  void write_outputs(const std::vector<AppResult>& results, Io& io);

  std::vector<std::string> apps_, agents_;
  std::string machine_, out_;
  int nodes_ = 0, seeds_ = 5, long_seeds_ = 0, iterations_ = 10, long_iterations_ = 1000, jobs_ = 1;
  LlmOptions llm_;
  bool quiet_ = false;
};

bool BenchCommand::run_app(const std::string& app_name, AppResult& out, Io& io) {
  tune::TuneSettings base;
  base.app = app_name;
  base.machine = machine_;
  base.nodes = nodes_;
  base.jobs = jobs_;
  Tuning tuning;
  base.agent = "random";  // any built-in agent: prepare_tuning needs one
  if (!prepare_tuning(base, llm_, tuning, io)) return false;
  out.app = app_name;
  out.expert_metric = tuning.reference.expert_metric;
  out.default_metric = tuning.reference.default_metric;
  out.unit = tuning.unit;
  auto lean_backend = tune::make_sim_backend(*tuning.app, *tuning.machine, /*profile=*/false);
  std::vector<Arm> arms;
  std::vector<std::string> agents = agents_;
  if (agents.empty()) {
    agents = {"random", "opentuner", "guided"};
    if (llm_configured(llm_)) agents.push_back("llm");
  }
  for (const auto& a : agents) {
    arms.push_back({a, iterations_});
    if (a == "opentuner" && long_iterations_ > 0 && long_iterations_ != iterations_)
      arms.push_back({a, long_iterations_});
  }
  for (const Arm& arm : arms) {
    ArmResult result{arm, {}, {}};
    bool long_run = arm.iterations == long_iterations_ && arm.iterations != iterations_;
    int seeds = long_run && long_seeds_ > 0 ? long_seeds_ : seeds_;
    for (int seed = 1; seed <= seeds; ++seed) {
      tune::TuneSettings s = base;
      s.agent = arm.agent;
      s.iterations = arm.iterations;
      s.seed = static_cast<std::uint64_t>(seed);
      bool uses_feedback = arm.agent == "guided" || arm.agent == "llm";
      s.journal_outputs = uses_feedback;
      std::filesystem::path dir = std::filesystem::path(out_) / "runs" / app_name /
                                  (arm.label() + "-seed" + std::to_string(seed));
      bool resume = std::filesystem::exists(dir / "journal.jsonl");
      tuning.problem.seed = s.seed;
      tuning.problem.iterations = s.iterations;
      std::string error;
      auto agent = make_named_agent(arm.agent, tuning.problem, llm_, error);
      if (!agent) {
        io.err << "mapforge: error: " << error << "\n";
        return false;
      }
      std::vector<std::optional<double>> curve;
      const tune::Backend& backend = uses_feedback ? *tuning.backend : *lean_backend;
      auto objective = backend.objective();
      tune::TuneResult r = tune::run_tune(
          s, *agent, backend, tuning.reference, dir, resume, [&](const tune::Progress& p) {
            curve.push_back(tune::normalized(p.best_metric, out.expert_metric, objective));
          });
      if (!r.ok) {
        io.err << "mapforge: error: " << dir.string() << ": " << r.error << "\n";
        return false;
      }
      // A resumed, complete run reports no progress: read its curve from the journal.
      if (curve.size() < static_cast<std::size_t>(r.evaluations)) {
        auto journal = tune::read_journal(dir / "journal.jsonl");
        curve.clear();
        std::optional<double> best;
        auto evals = journal.journal.evals;
        std::sort(evals.begin(), evals.end(),
                  [](const auto& a, const auto& b) { return a.iteration < b.iteration; });
        for (const auto& e : evals) {
          auto n = tune::normalized(e.ok ? e.metric : std::nullopt, out.expert_metric, objective);
          if (n && (!best || *n > *best)) best = n;
          curve.push_back(best);
        }
      }
      double best = tune::normalized(r.best_metric, out.expert_metric, objective).value_or(0);
      result.best.push_back(best);
      result.curves.push_back(std::move(curve));
      if (!quiet_)
        io.err << app_name << " " << arm.label() << " seed " << seed << ": " << fixed(best)
               << "x expert\n";
    }
    out.arms.push_back(std::move(result));
  }
  return true;
}

void BenchCommand::write_outputs(const std::vector<AppResult>& results, Io& io) {
  std::vector<std::string> labels;
  for (const auto& r : results)
    for (const auto& a : r.arms)
      if (std::find(labels.begin(), labels.end(), a.arm.label()) == labels.end())
        labels.push_back(a.arm.label());
  // Markdown: one row per program, mean / best / worst per agent.
  std::string md = "# mapforge bench: " + machine_ +
                   (nodes_ ? " x" + std::to_string(nodes_) : std::string()) + ", " +
                   std::to_string(seeds_) + " seeds" +
                   (long_seeds_ > 0 && long_iterations_ > 0
                        ? " (" + std::to_string(long_seeds_) + " for opentuner@" +
                              std::to_string(long_iterations_) + ")"
                        : std::string()) +
                   "\n\nThroughput normalised to the expert mapper (1.00; a failure "
                   "counts 0). Cells: mean (best / worst) over seeds.\n\n| program | default |";
  std::string table = "<table>\n<tr><th>program</th><th>default</th>";
  for (const auto& l : labels) {
    md += " " + l + " |";
    table += "<th>" + tune::html_escape(l) + "</th>";
  }
  table += "</tr>\n";
  md += "\n|---|---|";
  for (std::size_t i = 0; i < labels.size(); ++i) md += "---|";
  md += "\n";
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const auto& r : results) {
    auto objective = r.unit == "GFLOPS" ? tune::Objective::Maximize : tune::Objective::Minimize;
    double def = tune::normalized(r.default_metric, r.expert_metric, objective).value_or(0);
    md += "| " + r.app + " | " + fixed(def) + " |";
    table += "<tr><td>" + tune::html_escape(r.app) + "</td><td>" + fixed(def) + "</td>";
    nlohmann::ordered_json row = {{"app", r.app},
                                  {"expert_metric", r.expert_metric ? *r.expert_metric : 0.0},
                                  {"default_metric", r.default_metric ? *r.default_metric : 0.0},
                                  {"metric_unit", r.unit},
                                  {"default", def},
                                  {"agents", nlohmann::ordered_json::object()}};
    for (const auto& l : labels) {
      auto it = std::find_if(r.arms.begin(), r.arms.end(),
                             [&](const ArmResult& a) { return a.arm.label() == l; });
      if (it == r.arms.end() || it->best.empty()) {
        md += " - |";
        table += "<td>-</td>";
        continue;
      }
      double mx = *std::max_element(it->best.begin(), it->best.end());
      double mn = *std::min_element(it->best.begin(), it->best.end());
      md += " " + fixed(mean(it->best)) + " (" + fixed(mx) + " / " + fixed(mn) + ") |";
      table +=
          "<td><b>" + fixed(mean(it->best)) + "</b> (" + fixed(mx) + " / " + fixed(mn) + ")</td>";
      row["agents"][l] = {
          {"mean", mean(it->best)}, {"best", mx}, {"worst", mn}, {"per_seed", it->best}};
    }
    md += "\n";
    table += "</tr>\n";
    json.push_back(row);
  }
  table += "</table>\n";
  // HTML: the table and, per program, the short runs' convergence (mean best-so-far over
  // seeds) and, when there is one, the long run on its own axis.
  std::string body = "<h1>mapforge bench: " + tune::html_escape(machine_) +
                     (nodes_ ? " x" + std::to_string(nodes_) : std::string()) + "</h1>\n<p>" +
                     tune::html_escape(md.substr(md.find("Throughput"),
                                                 md.find("\n\n|") - md.find("Throughput"))) +
                     "</p>\n" + table;
  for (const auto& r : results) {
    std::vector<tune::Series> short_runs, long_runs;
    for (const auto& a : r.arms) {
      std::size_t n = 0;
      for (const auto& c : a.curves) n = std::max(n, c.size());
      tune::Series s{a.arm.label(), {}};
      for (std::size_t i = 0; i < n; ++i) {
        double sum = 0;
        int count = 0;
        for (const auto& c : a.curves) {
          if (i < c.size()) {
            sum += c[i].value_or(0);
            ++count;
          }
        }
        s.values.push_back(count ? std::optional<double>(sum / count) : std::nullopt);
      }
      (a.arm.iterations > iterations_ ? long_runs : short_runs).push_back(std::move(s));
    }
    tune::PlotOptions plot;
    plot.y_label = "throughput / expert";
    plot.objective = tune::Objective::Maximize;
    plot.scale = tune::Scale::Linear;
    plot.expert = 1.0;
    body += "<h2>" + tune::html_escape(r.app) + "</h2>\n";
    plot.title = r.app + ": best so far, first " + std::to_string(iterations_) +
                 " iterations (mean over seeds)";
    body += tune::convergence_svg(short_runs, plot);
    if (!long_runs.empty()) {
      plot.title = r.app + ": best so far, long runs (mean over seeds)";
      body += tune::convergence_svg(long_runs, plot);
    }
  }
  std::filesystem::path dir(out_);
  std::string error;
  for (auto [file, text] : {std::pair<std::string, std::string>{"bench.md", md},
                            {"bench.json", json.dump(2) + "\n"},
                            {"bench.html", tune::html_page("mapforge bench", body)}}) {
    std::ofstream f(dir / file, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f) io.err << "mapforge: error: cannot write " << (dir / file).string() << "\n";
  }
  io.out << md << "\n"
         << (dir / "bench.md").string() << "\n"
         << (dir / "bench.json").string() << "\n"
         << (dir / "bench.html").string() << "\n";
}

int BenchCommand::run(Io& io) {
  if (apps_.empty())
    for (const auto& spec : app::builtin_apps()) apps_.push_back(spec.name);
  std::error_code ec;
  std::filesystem::create_directories(out_, ec);
  if (ec) {
    io.err << "mapforge: error: cannot create " << out_ << ": " << ec.message() << "\n";
    return kExitBadInput;
  }
  std::vector<AppResult> results;
  for (const auto& app : apps_) {
    AppResult r;
    if (!run_app(app, r, io)) return kExitBadInput;
    results.push_back(std::move(r));
  }
  write_outputs(results, io);
  return kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_bench_command() { return std::make_unique<BenchCommand>(); }

}  // namespace mapforge::cli
