// The runtime's default placement, against cases worked out by hand from Legion 25.06's
// DefaultMapper (default_select_num_blocks, default_decompose_points, CyclicShardingFunctor)
// and the reference mapper's single-task default (src/sim/README.md, "Default placement").
#include <gtest/gtest.h>

#include "app/builder.h"
#include "sim/decisions.h"
#include "sim/sim.h"

namespace mapforge::sim {
namespace {

using machine::ProcKind;

app::App one_task_app() {
  app::AppBuilder b("t", "test");
  int task = b.add_task("work", app::KernelClass::Streaming,
                        {{app::VariantKind::GPU, {}}, {app::VariantKind::CPU, {}}}, {});
  app::Phase& phase = b.add_phase("p", 1, true);
  b.add_index_launch(phase, task, {1}, 0);
  auto result = b.finish({app::Metric::Kind::ElapsedTime, 0, ""});
  EXPECT_TRUE(result.app);
  return *result.app;
}

struct Where {
  int node, gpu;
  bool operator==(const Where&) const = default;
};

class Placement : public ::testing::Test {
 protected:
  /// Where the default puts `point` of `domain` on `nodes` nodes of 4 GPUs; `policy` may turn
  /// control replication off.
  Where place(int nodes, std::vector<std::int64_t> point, std::vector<std::int64_t> domain,
              const std::string& policy = "") {
    machine_ = machine::builtin_machine("lassen", nodes).value();
    topology_.emplace(machine_);
    std::optional<dsl::Mapper> mapper;
    if (!policy.empty()) {
      auto loaded = dsl::Policy::load("p.map", policy);
      EXPECT_TRUE(loaded.ok());
      auto created = dsl::Mapper::create(loaded.value(), shape_of(machine_));
      EXPECT_TRUE(created.ok());
      mapper.emplace(std::move(created.value()));
    }
    Decisions d(app_, *topology_, mapper ? &*mapper : nullptr);
    auto p = d.place_index(0, ProcKind::GPU, point, domain, std::nullopt);
    const Proc& proc = topology_->procs()[static_cast<std::size_t>(p.procs.front())];
    return {proc.node, proc.index};
  }
  app::App app_ = one_task_app();
  machine::Machine machine_;
  std::optional<Topology> topology_;
};

constexpr const char* kNoReplication = "ControlReplicate other;\n";

TEST_F(Placement, OneNodeBlocksTheDomainInFortranOrder) {
  // (2, 2) on 4 GPUs: blocks (2, 2), visited dimension 0 fastest: GPU x + 2y.
  for (int x = 0; x < 2; ++x)
    for (int y = 0; y < 2; ++y) EXPECT_EQ(place(1, {x, y}, {2, 2}), (Where{0, x + 2 * y}));
  // 10 points on 4 GPUs: {0,1}, {2,3,4}, {5,6}, {7,8,9} (block b starts at 10 b / 4).
  const int expected[10] = {0, 0, 1, 1, 1, 2, 2, 3, 3, 3};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(place(1, {i}, {10}), (Where{0, expected[i]}));
}

TEST_F(Placement, ControlReplicationShardsCyclicallyThenSlicesEachShard) {
  // (4, 4) on 4 nodes: shard = (x + 4y) mod 4 = x; its points (x, 0..3) go to GPU y.
  for (int x = 0; x < 4; ++x)
    for (int y = 0; y < 4; ++y) EXPECT_EQ(place(4, {x, y}, {4, 4}), (Where{x, y}));
  // (2, 4) on 2 nodes: node x, GPU y.
  for (int x = 0; x < 2; ++x)
    for (int y = 0; y < 4; ++y) EXPECT_EQ(place(2, {x, y}, {2, 4}), (Where{x, y}));
  // (2, 2, 2) on 2 nodes: node x, GPU y + 2z.
  for (int x = 0; x < 2; ++x)
    for (int y = 0; y < 2; ++y)
      for (int z = 0; z < 2; ++z) EXPECT_EQ(place(2, {x, y, z}, {2, 2, 2}), (Where{x, y + 2 * z}));
  // 16 points on 4 nodes: node i mod 4, GPU i / 4.
  for (int i = 0; i < 16; ++i) EXPECT_EQ(place(4, {i}, {16}), (Where{i % 4, i / 4}));
}

TEST_F(Placement, WithoutReplicationOneFlatDecompositionOverEveryGpu) {
  // (4, 4) over 16 GPUs node-major: blocks (4, 4), block x + 4y -> GPU x + 4y = (node y, GPU x).
  for (int x = 0; x < 4; ++x)
    for (int y = 0; y < 4; ++y) EXPECT_EQ(place(4, {x, y}, {4, 4}, kNoReplication), (Where{y, x}));
  // (2, 4) over 8 GPUs: blocks (2, 4), block x + 2y.
  for (int x = 0; x < 2; ++x)
    for (int y = 0; y < 4; ++y)
      EXPECT_EQ(place(2, {x, y}, {2, 4}, kNoReplication),
                (Where{(x + 2 * y) / 4, (x + 2 * y) % 4}));
  // (2, 2, 2) over 8 GPUs: node z, GPU x + 2y.
  for (int x = 0; x < 2; ++x)
    for (int y = 0; y < 2; ++y)
      for (int z = 0; z < 2; ++z)
        EXPECT_EQ(place(2, {x, y, z}, {2, 2, 2}, kNoReplication), (Where{z, x + 2 * y}));
  // 16 points on 4 nodes: node i / 4, GPU i mod 4.
  for (int i = 0; i < 16; ++i)
    EXPECT_EQ(place(4, {i}, {16}, kNoReplication), (Where{i / 4, i % 4}));
}

TEST_F(Placement, PrimesGoLargestFirstToTheLongestRemainingDimension) {
  // 12 GPUs (3 nodes) on a (6, 4) launch without replication: primes 3, 2, 2; 3 -> x (6 > 4),
  // 2 -> y (4 > 2), 2 -> x (2 = 2, ties to the lower dimension): blocks (6, 2).
  // Point (5, 3) is in block (5, 1) = block 5 + 6 = 11: GPU 11 = node 2, GPU 3.
  EXPECT_EQ(place(3, {5, 3}, {6, 4}, kNoReplication), (Where{2, 3}));
  EXPECT_EQ(place(3, {0, 2}, {6, 4}, kNoReplication), (Where{1, 2}));  // block 6
}

TEST_F(Placement, SingleTasksWithAndWithoutATaskStatement) {
  machine_ = machine::builtin_machine("lassen", 2).value();
  topology_.emplace(machine_);
  const int parent = topology_->proc_id(ProcKind::GPU, 1, 2);  // node 1, GPU 2
  // A Task statement chose the kind: the reference mapper's select_initial_processor_by_kind
  // takes the first GPU of the node (local_gpus.front()), not the parent's.
  auto loaded = dsl::Policy::load("p.map", "Task * GPU;\n");
  ASSERT_TRUE(loaded.ok());
  auto mapper = dsl::Mapper::create(loaded.value(), shape_of(machine_));
  ASSERT_TRUE(mapper.ok());
  Decisions with_task(app_, *topology_, &mapper.value());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(with_task.place_single(0, ProcKind::GPU, parent, false).procs.front(),
              topology_->proc_id(ProcKind::GPU, 1, 0));
  // Without one, Legion's DefaultMapper deals them round-robin over the parent's node
  // (default_get_next_local_gpu), counting per parent processor (one mapper per processor), or
  // over the machine from the top-level task.
  Decisions plain(app_, *topology_, nullptr);
  const int other_parent = topology_->proc_id(ProcKind::GPU, 1, 3);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(plain.place_single(0, ProcKind::GPU, parent, false).procs.front(),
              topology_->proc_id(ProcKind::GPU, 1, i % 4));
    EXPECT_EQ(plain.place_single(0, ProcKind::GPU, other_parent, false).procs.front(),
              topology_->proc_id(ProcKind::GPU, 1, i % 4));
  }
  const int top = topology_->proc_id(ProcKind::CPU, 0, 0);
  for (int i = 0; i < 9; ++i)
    EXPECT_EQ(plain.place_single(0, ProcKind::GPU, top, true).procs.front(),
              topology_->proc_id(ProcKind::GPU, (i % 8) / 4, i % 4));
}

}  // namespace
}  // namespace mapforge::sim
