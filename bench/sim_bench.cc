// Simulator speed: one evaluation = bind the expert policy to the machine and simulate the
// program once (what an agent pays per iteration; generating the program is done once and
// excluded). Reported per program on p100-node and on 16-node lassen, with the point tasks
// simulated per second and the process's peak resident memory so far.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>

#include "sim/sim.h"

namespace {

using namespace mapforge;

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void BM_Simulate(benchmark::State& state, const std::string& app_name,
                 const std::string& machine_name, int nodes) {
  auto machine = machine::builtin_machine(machine_name, nodes);
  if (!machine.ok()) {
    state.SkipWithError("machine does not load");
    return;
  }
  app::MachineFacts facts{machine->nodes, machine->processors_per_node(machine::ProcKind::GPU),
                          machine->processors_per_node(machine::ProcKind::CPU)};
  auto program = app::builtin_app(app_name, facts);
  if (!program.app) {
    state.SkipWithError("app does not generate");
    return;
  }
  auto policy = dsl::Policy::load(app_name + ".map", app::expert_policy(app_name));
  if (!policy.ok()) {
    state.SkipWithError("expert policy does not load");
    return;
  }
  std::int64_t points = 0;
  for (auto _ : state) {
    auto mapper = dsl::Mapper::create(policy.value(), sim::shape_of(machine.value()));
    sim::Result result = sim::simulate(*program.app, machine.value(), &mapper.value());
    if (!result.ok) {
      state.SkipWithError(result.errors.c_str());
      return;
    }
    points = result.point_tasks;
    benchmark::DoNotOptimize(result.elapsed_s);
  }
  state.counters["evals_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["point_tasks"] = static_cast<double>(points);
  state.counters["points_per_s"] =
      benchmark::Counter(static_cast<double>(points) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}

const char* const kApps[] = {"circuit", "stencil", "pennant",   "cannon", "summa",
                             "pumma",   "johnson", "solomonik", "cosma"};

int register_all() {
  for (const char* app_name : kApps) {
    benchmark::RegisterBenchmark((std::string("p100-node/") + app_name).c_str(), BM_Simulate,
                                 std::string(app_name), std::string("p100-node"), 1)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("lassen16/") + app_name).c_str(), BM_Simulate,
                                 std::string(app_name), std::string("lassen"), 16)
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}
const int kRegistered = register_all();

}  // namespace
