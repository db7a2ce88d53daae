// What the tuning loop adds to each evaluation besides the run itself: an agent's proposal
// (rendering a point of the space to policy text; guided's ranking of its candidate edits;
// the OpenTuner port's next configuration) and AutoGuide's reading of a run with its profile.
// Programs on 4 lassen nodes (the published experiments' cluster size).
#include <benchmark/benchmark.h>

#include <string>

#include "guide/guide.h"
#include "search/search.h"
#include "sim/sim.h"

namespace {

using namespace mapforge;

struct Setup {
  app::App app;
  machine::Machine machine;
  search::Problem problem;
};

/// The expert mapper's run with its profile, as AutoGuide reads it.
struct ExpertRun {
  std::string output;
  guide::RunOutput how;
};

ExpertRun expert_run(const Setup& s, const std::string& name) {
  auto policy = dsl::Policy::load("e.map", app::expert_policy(name)).value();
  auto mapper = dsl::Mapper::create(policy, s.problem.machine);
  auto run = sim::simulate(s.app, s.machine, &mapper.value(), sim::Options{true});
  ExpertRun r{run.output, {}};
  r.how.exit_status = 0;
  r.how.profile_json = run.profile_json;
  return r;
}

Setup setup(const std::string& name) {
  auto machine = machine::builtin_machine("lassen", 4).value();
  app::MachineFacts facts{4, machine.processors_per_node(machine::ProcKind::GPU),
                          machine.processors_per_node(machine::ProcKind::CPU)};
  Setup s{*app::builtin_app(name, facts).app, machine, {}};
  s.problem.app = search::describe_app(s.app);
  s.problem.machine = sim::shape_of(machine);
  return s;
}

void BM_RenderRandomPoint(benchmark::State& state, const std::string& name) {
  Setup s = setup(name);
  auto space = search::Space::build(s.problem, search::Space::Granularity::Full);
  search::Rng rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(space.render(search::random_point(space, rng)));
  state.counters["params"] = static_cast<double>(space.params().size());
}

// One guided round: observe a run (with AutoGuide's records of a real profile), propose.
void BM_GuidedRound(benchmark::State& state, const std::string& name) {
  Setup s = setup(name);
  ExpertRun run = expert_run(s, name);
  auto records = guide::analyze(run.output, run.how, guide::Level::Suggest);
  int iteration = 0;
  auto agent = search::make_guided_agent(s.problem);
  for (auto _ : state) {
    auto proposals = agent->propose(1);
    if (proposals.empty()) {
      agent = search::make_guided_agent(s.problem);
      continue;
    }
    search::Observation o;
    o.iteration = iteration++;
    o.policy = proposals[0].policy;
    o.ok = true;
    o.score = 1.0 + 1e-3 * iteration;
    o.feedback = records;
    agent->observe({o});
  }
}

void BM_OpenTunerRound(benchmark::State& state, const std::string& name) {
  Setup s = setup(name);
  auto agent = search::make_opentuner_agent(s.problem);
  int iteration = 0;
  for (auto _ : state) {
    auto proposals = agent->propose(1);
    search::Observation o;
    o.iteration = iteration++;
    o.policy = proposals.empty() ? "" : proposals[0].policy;
    o.ok = iteration % 3 != 0;
    o.score = o.ok ? 1.0 / (1 + iteration % 17) : 0;
    agent->observe({o});
  }
}

void BM_AutoGuideWithProfile(benchmark::State& state, const std::string& name) {
  Setup s = setup(name);
  ExpertRun run = expert_run(s, name);
  for (auto _ : state)
    benchmark::DoNotOptimize(guide::analyze(run.output, run.how, guide::Level::Suggest));
  state.counters["profile_bytes"] = static_cast<double>(run.how.profile_json->size());
}

}  // namespace

BENCHMARK_CAPTURE(BM_RenderRandomPoint, circuit, std::string("circuit"));
BENCHMARK_CAPTURE(BM_RenderRandomPoint, cosma, std::string("cosma"));
BENCHMARK_CAPTURE(BM_GuidedRound, circuit, std::string("circuit"));
BENCHMARK_CAPTURE(BM_GuidedRound, cosma, std::string("cosma"));
BENCHMARK_CAPTURE(BM_OpenTunerRound, circuit, std::string("circuit"));
BENCHMARK_CAPTURE(BM_OpenTunerRound, cosma, std::string("cosma"));
BENCHMARK_CAPTURE(BM_AutoGuideWithProfile, circuit, std::string("circuit"));
BENCHMARK_CAPTURE(BM_AutoGuideWithProfile, cosma, std::string("cosma"));
