// Running the published comparisons on the simulated machine.
#include <cctype>
#include <cmath>

#include "app/app.h"
#include "fidelity/fidelity.h"
#include "machine/machine.h"
#include "tune/tune.h"

namespace mapforge::fidelity {
namespace {

constexpr double kClear = 0.1;  // |ln(ratio)| above which an effect counts as clear

/// Items (flops, wires, cells) per second of a finished run.
struct Rate {
  std::optional<double> per_s;
  std::string error;
};

class Simulated {
 public:
  Simulated(const app::App& app, const machine::Machine& machine)
      : app_(app), backend_(tune::make_sim_backend(app, machine, false)) {}

  Rate rate(const std::string& policy) const {
    tune::RunResult r = backend_->run(policy);
    if (!r.ok) return {std::nullopt, first_error(r.output)};
    const double metric = r.metric.value_or(0);
    if (metric <= 0) return {std::nullopt, "the run reported no figure"};
    if (app_.metric.kind == app::Metric::Kind::Throughput) return {metric * 1e9, {}};
    return {app_.metric.work / metric, {}};
  }

 private:
  static std::string first_error(const std::string& output) {
    std::size_t start = 0;
    while (start < output.size()) {
      std::size_t end = output.find('\n', start);
      std::string line = output.substr(start, end == std::string::npos ? end : end - start);
      if (line.find("rror") != std::string::npos || line.find("failed") != std::string::npos ||
          line.find("Assertion") != std::string::npos)
        return line;
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return output.substr(0, output.find('\n'));
  }

  const app::App& app_;
  std::unique_ptr<tune::Backend> backend_;
};

/// The scale of a table's unit: "GFLOP/s per node" -> 1e9, "1e7 wires/s per node" -> 1e7.
std::optional<double> unit_scale(const std::string& unit) {
  if (unit.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(unit.front()))) {
    try {
      double scale = std::stod(unit);
      if (scale > 0 && std::isfinite(scale)) return scale;
    } catch (...) {
    }
    return std::nullopt;
  }
  switch (unit.front()) {
    case 'T':
      return 1e12;
    case 'G':
      return 1e9;
    case 'M':
      return 1e6;
    case 'K':
    case 'k':
      return 1e3;
    default:
      return 1.0;
  }
}

struct Loaded {
  std::optional<app::App> app;
  std::optional<machine::Machine> machine;
  std::string error;
};

/// The app and machine of a row; with several ranks per node the machine is rank_machine and
/// the matrix size stays the one of `nodes` nodes.
Loaded load(const std::string& machine_name, int nodes, const std::string& app_name,
            std::vector<std::pair<std::string, std::int64_t>> sizes, int ranks = 1) {
  Loaded out;
  machine::LoadResult m = machine::builtin_machine(machine_name, nodes);
  if (!m.ok()) {
    out.error =
        m.errors().empty() ? "unknown machine '" + machine_name + "'" : m.errors().front().render();
    return out;
  }
  const machine::Machine loaded = rank_machine(m.value(), nodes, ranks);
  if (ranks > 1 && app_name == "johnson") sizes.emplace_back("n", app::matmul_default_n(nodes));
  app::MachineFacts facts{loaded.nodes, loaded.processors_per_node(machine::ProcKind::GPU),
                          std::max(1, loaded.processors_per_node(machine::ProcKind::CPU))};
  app::LoadResult a = app::builtin_app(app_name, facts, sizes);
  if (!a.app) {
    out.error = a.errors.empty() ? "unknown app '" + app_name + "'" : a.errors.front();
    return out;
  }
  out.machine = loaded;
  out.app = std::move(a.app);
  return out;
}

void summarise(const std::vector<const Comparison*>& rows, Summary& s) {
  std::vector<double> errors, real, simulated;
  for (const Comparison* c : rows) {
    if (c->clear) {
      ++s.clear;
      if (c->agrees) ++s.agree;
    }
    if (c->real && c->simulated) {
      errors.push_back(std::abs(std::log(*c->simulated / *c->real)));
      real.push_back(*c->real);
      simulated.push_back(*c->simulated);
    }
  }
  s.compared = static_cast<int>(errors.size());
  s.median_abs_log_error = median(errors);
  s.spearman = spearman(real, simulated);
}

}  // namespace

bool agrees(std::optional<double> real, std::optional<double> simulated) {
  if (!real) return !simulated || *simulated <= 1.0 / 1.1;
  if (!simulated) return *real < 1.0;
  return (*real > 1.0) == (*simulated > 1.0) && *simulated != 1.0;
}

RunResult run(const Tables& tables, const Options& options) {
  RunResult result;
  Report& report = result.report;
  report.max_nodes = options.max_nodes;
  auto wanted = [&](const std::string& app) {
    if (options.apps.empty()) return true;
    for (const std::string& a : options.apps)
      if (a == app) return true;
    return false;
  };
  for (const MapperRow& row : tables.mapper) {
    if (!wanted(row.app) || row.nodes < options.min_nodes) continue;
    const PublishedRun configuration = published_run(row.app, row.nodes);
    Loaded l = load(options.machine, row.nodes, row.app, {}, configuration.ranks_per_node);
    if (!l.app) {
      result.errors.push_back("mapper table line " + std::to_string(row.line) + ": " + l.error);
      continue;
    }
    const std::string expert(app::expert_policy(row.app));
    if (expert.empty()) {
      result.errors.push_back("mapper table line " + std::to_string(row.line) + ": app '" +
                              row.app + "' has no expert mapper");
      continue;
    }
    Simulated sim(*l.app, *l.machine);
    Rate with_expert = sim.rate(as_run(expert, configuration));
    Rate by_default = sim.rate(as_run(
        default_variant(expert, row.app == "circuit", configuration.kept_maps), configuration));

    Throughput t{row.line, row.app, row.nodes, row.unit, row.expert, std::nullopt};
    if (auto scale = unit_scale(row.unit); scale && with_expert.per_s)
      t.simulated = *with_expert.per_s / row.nodes / *scale;
    report.throughput.push_back(t);

    Comparison c;
    c.table = "mapper";
    c.line = row.line;
    c.app = row.app;
    c.nodes = row.nodes;
    c.what = "default/expert";
    if (row.by_default) c.real = *row.by_default / row.expert;
    if (with_expert.per_s && by_default.per_s) c.simulated = *by_default.per_s / *with_expert.per_s;
    c.sim_error = !with_expert.per_s  ? "expert: " + with_expert.error
                  : !by_default.per_s ? "default: " + by_default.error
                                      : "";
    c.clear = !c.real || std::abs(std::log(*c.real)) > kClear;
    // A failed expert run leaves nothing to compare.
    c.agrees = with_expert.per_s && agrees(c.real, c.simulated);
    report.comparisons.push_back(std::move(c));
  }
  for (const StencilRow& row : tables.stencil) {
    if (!wanted("stencil") || row.nodes < options.min_nodes) continue;
    auto sizes = [&](std::int64_t tx, std::int64_t ty) {
      return std::vector<std::pair<std::string, std::int64_t>>{
          {"nx", row.domain_x}, {"ny", row.domain_y}, {"ntx", tx}, {"nty", ty}};
    };
    Loaded o = load(options.machine, row.nodes, "stencil", sizes(row.o_tiles_x, row.o_tiles_y));
    Loaded q = load(options.machine, row.nodes, "stencil", sizes(row.c_tiles_x, row.c_tiles_y));
    Comparison c;
    c.table = "stencil";
    c.line = row.line;
    c.app = "stencil";
    c.nodes = row.nodes;
    c.what = std::to_string(row.domain_x) + "x" + std::to_string(row.domain_y) + ": " +
             std::to_string(row.o_tiles_x) + "x" + std::to_string(row.o_tiles_y) + " vs " +
             std::to_string(row.c_tiles_x) + "x" + std::to_string(row.c_tiles_y);
    c.real = row.t_c_s / row.t_o_s;
    c.clear = std::abs(std::log(*c.real)) > kClear;
    if (!o.app || !q.app) {
      result.errors.push_back("stencil table line " + std::to_string(row.line) + ": " +
                              (o.app ? q.error : o.error));
      continue;
    }
    if (o.machine->total_processors(machine::ProcKind::GPU) != row.gpus) {
      result.errors.push_back("stencil table line " + std::to_string(row.line) + ": " +
                              std::to_string(row.gpus) + " GPUs, but " + options.machine + " on " +
                              std::to_string(row.nodes) + " nodes has " +
                              std::to_string(o.machine->total_processors(machine::ProcKind::GPU)));
      continue;
    }
    const std::string expert(app::expert_policy("stencil"));
    Rate ro = Simulated(*o.app, *o.machine)
                  .rate(stencil_decompose_policy(expert, row.o_tiles_x, row.o_tiles_y));
    Rate rc = Simulated(*q.app, *q.machine).rate(expert);
    // Both grids cover the same cells and steps: the ratio of rates is t_c / t_o.
    if (ro.per_s && rc.per_s) c.simulated = *ro.per_s / *rc.per_s;
    c.sim_error = !ro.per_s ? "o: " + ro.error : !rc.per_s ? "c: " + rc.error : "";
    c.agrees = agrees(c.real, c.simulated);
    report.comparisons.push_back(std::move(c));
  }
  std::vector<const Comparison*> mapper, stencil;
  for (const Comparison& c : report.comparisons) {
    if (c.nodes > options.max_nodes) continue;
    (c.table == "mapper" ? mapper : stencil).push_back(&c);
  }
  summarise(mapper, report.mapper);
  summarise(stencil, report.stencil);
  return result;
}

}  // namespace mapforge::fidelity
