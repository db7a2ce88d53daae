#include <gtest/gtest.h>

#include <set>

#include "machine/machine.h"
#include "search/search.h"
#include "sim/sim.h"

namespace mapforge::search {
namespace {

Problem problem_for(const std::string& name) {
  auto machine = machine::builtin_machine("p100-node", 1).value();
  app::MachineFacts facts{1, 4, 4};
  Problem p;
  p.app = describe_app(*app::builtin_app(name, facts).app);
  p.machine = sim::shape_of(machine);
  p.seed = 11;
  return p;
}

TEST(Agents, UnknownNameSaysWhichExist) {
  std::string error;
  EXPECT_EQ(make_agent("annealing", problem_for("stencil"), error), nullptr);
  EXPECT_EQ(error,
            "unknown agent 'annealing' (expected guided, random, opentuner, exhaustive or llm)");
}

TEST(Agents, SameSeedSameProposals) {
  for (const char* name : {"random", "opentuner", "exhaustive", "guided"}) {
    std::string error;
    auto a = make_agent(name, problem_for("cannon"), error);
    auto b = make_agent(name, problem_for("cannon"), error);
    for (int round = 0; round < 3; ++round) {
      auto pa = a->propose(2), pb = b->propose(2);
      ASSERT_EQ(pa.size(), pb.size()) << name;
      std::vector<Observation> obs;
      for (std::size_t i = 0; i < pa.size(); ++i) {
        EXPECT_EQ(pa[i].policy, pb[i].policy) << name;
        Observation o;
        o.iteration = round * 2 + int(i);
        o.policy = pa[i].policy;
        o.ok = i == 0;
        o.score = i == 0 ? 1.0 + round : 0;
        obs.push_back(o);
      }
      a->observe(obs);
      b->observe(obs);
    }
  }
}

TEST(Agents, GuidedStartsEmptyAndNeverRepeats) {
  auto agent = make_guided_agent(problem_for("cannon"));
  std::set<std::string> seen;
  auto first = agent->propose(1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].policy, "");
  for (int i = 0; i < 12; ++i) {
    auto p = i == 0 ? first : agent->propose(1);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_TRUE(seen.insert(p[0].policy).second) << "repeated:\n" << p[0].policy;
    Observation o;
    o.iteration = i;
    o.policy = p[0].policy;
    o.ok = false;
    agent->observe({o});
  }
}

TEST(Agents, GuidedAppliesARepairFromFeedback) {
  auto agent = make_guided_agent(problem_for("cannon"));
  auto p0 = agent->propose(1);
  Observation o;
  o.policy = p0[0].policy;
  guide::Record r;
  r.category = guide::Category::ExecutionError;
  r.rule = "blas.dgemm";
  r.statements = {"Layout * * * SOA C_order;"};
  o.feedback = {r};
  agent->observe({o});
  auto p1 = agent->propose(1);
  ASSERT_EQ(p1.size(), 1u);
  EXPECT_EQ(p1[0].policy, "Layout * * * SOA C_order;\n");
}

TEST(Agents, ExhaustiveProposesEachPolicyOnceInOrder) {
  auto agent = make_exhaustive_agent(problem_for("pennant"));
  std::set<std::string> seen;
  auto first = agent->propose(1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].policy, "");  // the origin: every decision left to the runtime
  int n = 1;
  for (;;) {
    auto batch = agent->propose(64);
    if (batch.empty()) break;
    for (auto& x : batch) {
      EXPECT_TRUE(seen.insert(x.policy).second) << "proposed twice:\n" << x.policy;
      ++n;
    }
    ASSERT_LT(n, 1000000);
  }
  // Every point of the small space, each distinct policy once.
  Space s = Space::build(problem_for("pennant"), Space::Granularity::Small);
  EXPECT_LE(double(n), s.size());
  EXPECT_GT(n, 100);
}

}  // namespace
}  // namespace mapforge::search
