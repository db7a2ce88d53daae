// The `sim` backend: the simulated machine in-process, answering like a real run would.
#include <nlohmann/json.hpp>

#include "dsl/dsl.h"
#include "search/search.h"
#include "sim/sim.h"
#include "tune/tune.h"

namespace mapforge::tune {
namespace {

class SimBackend final : public Backend {
 public:
  SimBackend(const app::App& app, const machine::Machine& machine, bool profile)
      : app_(app),
        machine_(machine),
        shape_(sim::shape_of(machine)),
        names_(search::app_names(app)),
        profile_(profile) {}

  RunResult run(const std::string& policy_text) const override {
    RunResult r;
    dsl::CheckOptions options;
    options.app = names_;
    auto loaded = dsl::Policy::load("mapping.map", policy_text, options);
    if (!loaded.ok()) {
      r.output = dsl::render_all(loaded.errors());
      r.exit_status = 2;
      return r;
    }
    std::string printed = dsl::render_all(loaded->warnings());
    auto mapper = dsl::Mapper::create(loaded.value(), shape_, [&](std::string_view line) {
      printed += std::string(line) + "\n";
    });
    if (!mapper.ok()) {
      r.output = printed + dsl::render_all(mapper.errors());
      r.exit_status = 1;
      return r;
    }
    sim::Options sim_options;
    sim_options.profile = profile_;
    sim::Result result = sim::simulate(app_, machine_, &mapper.value(), sim_options);
    r.output = printed + result.warnings + result.output + result.errors;
    r.exit_status = result.ok ? 0 : 1;
    r.ok = result.ok;
    if (result.ok) {
      r.metric = result.metric;
      r.profile_json = std::move(result.profile_json);
    }
    return r;
  }
  Objective objective() const override {
    return app_.metric.kind == app::Metric::Kind::Throughput ? Objective::Maximize
                                                             : Objective::Minimize;
  }
  std::string metric_unit() const override {
    return app_.metric.kind == app::Metric::Kind::Throughput ? "GFLOPS" : "s";
  }

 private:
  app::App app_;
  machine::Machine machine_;
  dsl::MachineShape shape_;
  dsl::AppNames names_;
  bool profile_ = true;
};

}  // namespace

std::unique_ptr<Backend> make_sim_backend(const app::App& app, const machine::Machine& machine,
                                          bool profile) {
  return std::make_unique<SimBackend>(app, machine, profile);
}

search::Problem make_problem(const app::App* app, const machine::Machine& machine,
                             const TuneSettings& settings, Objective objective,
                             const std::string& metric_unit) {
  search::Problem p;
  if (app) {
    p.app = search::describe_app(*app);
    p.app_description = search::to_json(p.app).dump(2);
  } else {
    p.app_description = "(no app metadata: tune a program by its feedback only)";
  }
  p.machine = sim::shape_of(machine);
  p.machine_description = "machine '" + machine.name + "': " + search::describe_shape(p.machine);
  p.feedback_level = settings.feedback;
  p.maximize = objective == Objective::Maximize;
  p.metric_unit = metric_unit;
  p.seed = settings.seed;
  p.iterations = settings.iterations;
  p.start_policy = settings.start_policy;
  return p;
}

std::optional<double> normalized(std::optional<double> metric, std::optional<double> expert,
                                 Objective objective) {
  if (!expert || *expert <= 0) return std::nullopt;
  if (!metric || *metric <= 0) return 0.0;
  return objective == Objective::Maximize ? *metric / *expert : *expert / *metric;
}

}  // namespace mapforge::tune
