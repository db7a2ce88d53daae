#include <gtest/gtest.h>

#include <set>

#include "dsl/dsl.h"
#include "machine/machine.h"
#include "search/search.h"
#include "sim/sim.h"

namespace mapforge::search {
namespace {

Problem problem_for(const std::string& name, const std::string& machine_name, int nodes) {
  auto machine = machine::builtin_machine(machine_name, nodes).value();
  app::MachineFacts facts{machine.nodes, machine.processors_per_node(machine::ProcKind::GPU),
                          machine.processors_per_node(machine::ProcKind::CPU)};
  auto a = app::builtin_app(name, facts);
  Problem p;
  p.app = describe_app(*a.app);
  p.machine = sim::shape_of(machine);
  p.seed = 7;
  return p;
}

TEST(Space, OriginIsTheEmptyPolicy) {
  Problem p = problem_for("cannon", "p100-node", 1);
  for (auto g : {Space::Granularity::Full, Space::Granularity::Reduced, Space::Granularity::Small}) {
    Space s = Space::build(p, g);
    EXPECT_EQ(s.render(s.origin()), "");
    EXPECT_GT(s.size(), 1.0);
  }
}

TEST(Space, EveryRandomPointIsAPolicyThatChecks) {
  for (const char* app : {"circuit", "cannon", "cosma", "pennant"}) {
    Problem p = problem_for(app, "lassen", 4);
    Space s = Space::build(p, Space::Granularity::Full);
    Rng rng(3);
    for (int i = 0; i < 20; ++i) {
      std::string text = s.render(random_point(s, rng));
      auto diagnostics = dsl::check("random.map", text);
      EXPECT_FALSE(dsl::has_errors(diagnostics)) << app << "\n"
                                                 << text << dsl::render_all(diagnostics);
    }
  }
}

TEST(Space, TemplatesPlaceEveryPointOnTheMachine) {
  // Every template, for 1-3 dimensional launches, maps each point to a processor that exists.
  auto shape = dsl::MachineShape::standard(4, 2, 4, 0);
  for (auto t : index_templates()) {
    for (int dims = 1; dims <= 3; ++dims) {
      MappingFunction f = index_function(t, dsl::ProcKind::GPU, dims, 3);
      std::string text =
          f.assignment + "\n" + f.definition + "\nIndexTaskMap work " + f.name + ";\n";
      auto policy = dsl::Policy::load("t.map", text);
      ASSERT_TRUE(policy.ok()) << text << dsl::render_all(policy.errors());
      auto mapper = dsl::Mapper::create(policy.value(), shape);
      ASSERT_TRUE(mapper.ok());
      std::vector<std::int64_t> domain(static_cast<std::size_t>(dims), dims == 1 ? 32 : 4);
      std::set<std::pair<int, int>> used;
      std::vector<std::int64_t> point(static_cast<std::size_t>(dims), 0);
      for (std::int64_t i = 0; i < (dims == 1 ? 32 : dims == 2 ? 16 : 64); ++i) {
        std::int64_t r = i;
        for (int d = dims - 1; d >= 0; --d) {
          point[static_cast<std::size_t>(d)] = r % domain[static_cast<std::size_t>(d)];
          r /= domain[static_cast<std::size_t>(d)];
        }
        auto placed = mapper.value().map_index_point("work", dsl::ProcKind::GPU,
                                                     dsl::IndexPoint{point, domain});
        ASSERT_TRUE(placed.ok()) << f.definition << dsl::render_all(placed.errors());
        ASSERT_TRUE(placed.value().has_value());
        for (const auto& proc : placed.value()->processors) used.insert({proc.node, proc.index});
      }
      std::size_t points = dims == 1 ? 32 : dims == 2 ? 16 : 64;
      std::size_t expected =
          t == IndexTemplate::BlockCyclic ? std::min<std::size_t>(16, (points + 2) / 3) : 16;
      EXPECT_GE(used.size(), std::min<std::size_t>(expected, points))
          << to_string(t) << " " << dims << "-D uses too few processors";
    }
  }
}

}  // namespace
}  // namespace mapforge::search
