// The mapping API: lookup precedence (DSL.md §2), placements and their errors (§4).
#include <gtest/gtest.h>

#include <map>

#include "dsl/test_support.h"

namespace mapforge::dsl {
namespace {

const MachineShape kShape = MachineShape::standard(2, 8, 4, 1);

std::vector<std::int64_t> v(std::initializer_list<std::int64_t> values) { return values; }

Placement place(const Mapper& mapper, std::string_view task, ProcKind kind,
                std::vector<std::int64_t> point, std::vector<std::int64_t> ispace) {
  auto result = mapper.map_index_point(task, kind, IndexPoint{point, ispace});
  EXPECT_TRUE(result.ok()) << render_all(result.errors());
  EXPECT_TRUE(result.ok() && result.value().has_value());
  return result.ok() && result.value() ? *result.value() : Placement{};
}

TEST(Mapper, TaskKindsAndSelection) {
  Mapper mapper =
      testing::load_mapper("Task * GPU,CPU;\nTask init CPU;\nTask io_task IO,CPU;", kShape);
  EXPECT_EQ(mapper.task_kinds("calc"), (std::vector<ProcKind>{ProcKind::GPU, ProcKind::CPU}));
  EXPECT_EQ(mapper.task_kinds("init"), (std::vector<ProcKind>{ProcKind::CPU}));
  std::vector<ProcKind> cpu_only = {ProcKind::CPU};
  std::vector<ProcKind> both = {ProcKind::CPU, ProcKind::GPU};
  EXPECT_EQ(mapper.select_kind("calc", both), ProcKind::GPU);
  EXPECT_EQ(mapper.select_kind("calc", cpu_only), ProcKind::CPU);  // no GPU variant
  // The machine has no IO processors, so the next kind wins.
  EXPECT_EQ(mapper.select_kind("io_task", std::vector<ProcKind>{ProcKind::IO, ProcKind::CPU}),
            ProcKind::CPU);
  Mapper silent = testing::load_mapper("", kShape);
  EXPECT_TRUE(silent.task_kinds("calc").empty());
  EXPECT_EQ(silent.select_kind("calc", both), std::nullopt);
}

// The reference keeps the first statement for a key (DSLMapper tree.cpp: each statement's run()
// inserts into a std::map / unordered_map, which never overwrites).
TEST(Mapper, FirstStatementForAKeyWins) {
  Mapper mapper = testing::load_mapper(
      "Task t GPU;\nTask t CPU;\nRegion t r GPU FBMEM;\nRegion t r GPU ZCMEM;\n"
      "Layout t r FBMEM SOA;\nLayout t r FBMEM AOS;\nInstanceLimit t 2;\nInstanceLimit t 5;",
      kShape);
  EXPECT_EQ(mapper.task_kinds("t"), (std::vector<ProcKind>{ProcKind::GPU}));
  EXPECT_EQ(mapper.region_memories("t", RegionArg{"r"}, ProcKind::GPU),
            (std::vector<MemKind>{MemKind::FBMEM}));
  EXPECT_EQ(mapper.layout("t", RegionArg{"r"}, MemKind::FBMEM)->front().kind,
            LayoutConstraint::Kind::SOA);
  EXPECT_EQ(mapper.instance_limit("t", ProcKind::GPU), 2);
}

// A task mapped twice (as the paper's final Solomonik mapper maps task_1): the reference uses the
// first function (tree.cpp, IndexTaskMapNode::run inserts into indextask2func), for a task's
// name and for a processor kind alike.
TEST(Mapper, FirstIndexTaskMapWins) {
  Mapper mapper = testing::load_mapper(R"(
m = Machine(GPU);
def first(Task task) { return m[0, 2]; }
def second(Task task) { return m[1, 3]; }
IndexTaskMap task_1 first;
IndexTaskMap task_1 second;
IndexTaskMap GPU first;
IndexTaskMap GPU second;
)",
                                       MachineShape::standard(2, 1, 4, 0));
  std::vector<std::int64_t> point = {1, 0, 1}, domain = {2, 2, 2};
  auto placed = mapper.map_index_point("task_1", ProcKind::GPU, IndexPoint{point, domain});
  ASSERT_TRUE(placed.ok() && placed.value());
  EXPECT_EQ(placed.value()->processors.front(), (ProcessorId{0, 2, ProcKind::GPU}));
  auto other = mapper.map_index_point("other", ProcKind::GPU, IndexPoint{point, domain});
  ASSERT_TRUE(other.ok() && other.value());
  EXPECT_EQ(other.value()->processors.front(), (ProcessorId{0, 2, ProcKind::GPU}));
}

// `IndexTaskMap * f;` loads in the reference but matches no task (tree.cpp, runindex looks up
// the task's name, then "CPU"/"GPU"/"OMP", never "*").
TEST(Mapper, StarTaskMapMatchesNoTask) {
  Mapper mapper = testing::load_mapper(
      "m = Machine(GPU);\ndef f(Task task) { return m[0, 0]; }\nIndexTaskMap * f;\n"
      "SingleTaskMap * f;",
      kShape);
  EXPECT_FALSE(mapper.has_index_map("t", ProcKind::GPU));
  EXPECT_FALSE(mapper.has_single_map("t", ProcKind::GPU));
}

TEST(Mapper, RegionLookupPrecedence) {
  Mapper mapper = testing::load_mapper(R"(
Region * * * SYSMEM;
Region * rp_ghost * RDMEM;
Region calc * * SOCKMEM;
Region calc rp_ghost * ZCMEM;
Region calc rp_ghost GPU FBMEM;
Region other * GPU FBMEM;
Region other * * ZCMEM;
)",
                                       kShape);
  auto mems = [&](std::string_view task, std::string_view region, ProcKind kind) {
    auto list = mapper.region_memories(task, RegionArg{region}, kind);
    return list.empty() ? std::string("-") : std::string(to_string(list.front()));
  };
  EXPECT_EQ(mems("calc", "rp_ghost", ProcKind::GPU), "FBMEM");      // (task, region, kind)
  EXPECT_EQ(mems("calc", "rp_ghost", ProcKind::CPU), "ZCMEM");      // (task, region, *)
  EXPECT_EQ(mems("calc", "rp_private", ProcKind::CPU), "SOCKMEM");  // (task, *)
  EXPECT_EQ(mems("dist", "rp_ghost", ProcKind::GPU), "RDMEM");      // (*, region)
  EXPECT_EQ(mems("dist", "rp_wires", ProcKind::GPU), "SYSMEM");     // (*, *)
  EXPECT_EQ(mems("other", "x", ProcKind::GPU), "FBMEM");  // the kind beats '*' within a key
  EXPECT_EQ(mems("other", "x", ProcKind::CPU), "ZCMEM");
}

TEST(Mapper, RegionByArgumentIndex) {
  Mapper mapper = testing::load_mapper("Region t 1 GPU ZCMEM;\nRegion t * GPU FBMEM;", kShape);
  // The levels join: argument 1's own list, then the (t, *) list.
  EXPECT_EQ(mapper.region_memories("t", RegionArg{"b", 1}, ProcKind::GPU),
            (std::vector<MemKind>{MemKind::ZCMEM, MemKind::FBMEM}));
  EXPECT_EQ(mapper.region_memories("t", RegionArg{"a", 0}, ProcKind::GPU),
            (std::vector<MemKind>{MemKind::FBMEM}));
  EXPECT_EQ(mapper.region_memories("t", RegionArg{"", 1}, ProcKind::GPU),
            (std::vector<MemKind>{MemKind::ZCMEM, MemKind::FBMEM}));
}

// The reference joins the memory lists of every level, most specific first, and takes the first
// kind that exists with affinity to the processor (tree.cpp, Tree2Legion::query_memory_list;
// dsl_mapper.cc, dsl_default_policy_select_target_memory). Its example: on a machine without
// ZCMEM, `Region * rp_shared GPU ZCMEM;` falls through to `Region * * GPU FBMEM;`.
TEST(Mapper, RegionLevelsJoin) {
  const char* policy = "Region * * GPU FBMEM;\nRegion * rp_shared GPU ZCMEM;";
  Mapper no_zc = testing::load_mapper(
      policy, MachineShape::standard(1, 1, 1, 0, {MemKind::SYSMEM, MemKind::FBMEM}));
  EXPECT_EQ(no_zc.region_memories("t", RegionArg{"rp_shared"}, ProcKind::GPU),
            (std::vector<MemKind>{MemKind::ZCMEM, MemKind::FBMEM}));
  EXPECT_EQ(no_zc.select_memory("t", RegionArg{"rp_shared"}, ProcKind::GPU), MemKind::FBMEM);
  Mapper with_zc = testing::load_mapper(policy, kShape);
  EXPECT_EQ(with_zc.select_memory("t", RegionArg{"rp_shared"}, ProcKind::GPU), MemKind::ZCMEM);
  // Worked from the reference's code: (t, 0, GPU) beats (t, 0, *) within a level; the levels
  // then follow: ZC from (t, 0), RD from (t, *), SYS from (*, 0), FB from (*, *); a kind listed
  // again adds nothing.
  Mapper joined = testing::load_mapper(R"(
Region t 0 GPU ZCMEM;
Region t 0 * SOCKMEM;
Region t * GPU RDMEM,ZCMEM;
Region * 0 GPU SYSMEM;
Region * * GPU FBMEM;
)",
                                       kShape);
  EXPECT_EQ(
      joined.region_memories("t", RegionArg{"", 0}, ProcKind::GPU),
      (std::vector<MemKind>{MemKind::ZCMEM, MemKind::RDMEM, MemKind::SYSMEM, MemKind::FBMEM}));
  // VIRTUAL ends the search where it stands.
  Mapper virt = testing::load_mapper("Region t r GPU VIRTUAL;\nRegion * * GPU FBMEM;", kShape);
  EXPECT_EQ(virt.select_memory("t", RegionArg{"r"}, ProcKind::GPU), MemKind::VIRTUAL);
}

TEST(Mapper, SelectMemoryNeedsAffinity) {
  Mapper mapper =
      testing::load_mapper("Region * * GPU SYSMEM,ZCMEM,FBMEM;\nRegion * * CPU FBMEM;", kShape);
  EXPECT_EQ(mapper.select_memory("t", RegionArg{"r"}, ProcKind::GPU), MemKind::ZCMEM);
  EXPECT_EQ(mapper.select_memory("t", RegionArg{"r"}, ProcKind::CPU), std::nullopt);
}

TEST(Mapper, LayoutLookup) {
  Mapper mapper = testing::load_mapper(
      "Layout * * * SOA C_order;\nLayout * * FBMEM AOS;\nLayout t r * F_order Align==128;", kShape);
  auto words = [&](std::string_view task, std::string_view region, MemKind mem) {
    auto layout = mapper.layout(task, RegionArg{region}, mem);
    std::string out;
    if (layout)
      for (const auto& c : *layout) out += (out.empty() ? "" : " ") + c.word();
    return out;
  };
  EXPECT_EQ(words("x", "y", MemKind::SYSMEM), "SOA C_order");
  EXPECT_EQ(words("x", "y", MemKind::FBMEM), "AOS");
  EXPECT_EQ(words("t", "r", MemKind::FBMEM), "F_order Align==128");
  Mapper silent = testing::load_mapper("", kShape);
  EXPECT_EQ(silent.layout("t", RegionArg{"r"}, MemKind::FBMEM), std::nullopt);
}

TEST(Mapper, InstanceLimitCollectAndControlReplicate) {
  Mapper mapper = testing::load_mapper(
      "InstanceLimit task_4 2;\nInstanceLimit task_4 GPU 5;\nInstanceLimit * 9;\n"
      "CollectMemory task_4 rA;\nCollectMemory * 2;\nControlReplicate main,other;",
      kShape);
  EXPECT_EQ(mapper.instance_limit("task_4", ProcKind::GPU), 5);
  EXPECT_EQ(mapper.instance_limit("task_4", ProcKind::CPU), 2);
  EXPECT_EQ(mapper.instance_limit("x", ProcKind::CPU), 9);
  EXPECT_TRUE(mapper.collect_memory("task_4", RegionArg{"rA", 0}));
  EXPECT_FALSE(mapper.collect_memory("task_4", RegionArg{"rB", 1}));
  EXPECT_TRUE(mapper.collect_memory("x", RegionArg{"rB", 2}));
  EXPECT_EQ(mapper.control_replicate("main"), true);
  EXPECT_EQ(mapper.control_replicate("x"), false);
  Mapper silent = testing::load_mapper("", kShape);
  EXPECT_EQ(silent.control_replicate("main"), std::nullopt);
  EXPECT_EQ(silent.instance_limit("x", ProcKind::GPU), std::nullopt);
}

constexpr const char* kFunctions = R"(
mgpu = Machine(GPU);
def block1d(Task task) {
    ip = task.ipoint;
    return mgpu[ip[0] / mgpu.size[1], ip[0] % mgpu.size[1]];
}
def cyclic1d(Task task) {
    ip = task.ipoint;
    return mgpu[ip[0] % mgpu.size[0], ip[0] / mgpu.size[0] % mgpu.size[1]];
}
def tiles2d(Task task) {
    mn = mgpu.decompose(0, task.ispace);
    m = mn.decompose(2, task.ispace / mn[:-1]);
    ip = task.ipoint;
    return m[ip[0] * m.size[0] / task.ispace[0], ip[1] * m.size[1] / task.ispace[1],
             ip[0] % m.size[2], ip[1] % m.size[3]];
}
def same_place(Task task) { return mgpu[*task.parent.processor(mgpu)]; }
def node_set(Task task) { return mgpu[task.ipoint[0] % 2, *]; }
IndexTaskMap stencil,increment tiles2d;
IndexTaskMap calc block1d;
IndexTaskMap dist cyclic1d;
IndexTaskMap GPU block1d;
SingleTaskMap task_4 same_place;
IndexTaskMap wide node_set;
)";

TEST(Mapper, LinearBlockAndCyclic) {
  Mapper mapper = testing::load_mapper(kFunctions, kShape);
  auto proc = [&](std::string_view task, std::int64_t i) {
    auto p = place(mapper, task, ProcKind::GPU, {i}, {8}).processors.at(0);
    return std::pair(p.node, p.index);
  };
  EXPECT_EQ(proc("calc", 0), std::pair(0, 0));
  EXPECT_EQ(proc("calc", 5), std::pair(1, 1));
  EXPECT_EQ(proc("dist", 5), std::pair(1, 2));
  EXPECT_EQ(proc("dist", 6), std::pair(0, 3));
  // IndexTaskMap GPU applies to tasks without a statement of their own.
  EXPECT_EQ(proc("anything", 7), std::pair(1, 3));
  EXPECT_FALSE(mapper.has_index_map("anything", ProcKind::CPU));
  EXPECT_TRUE(mapper.has_index_map("anything", ProcKind::GPU));
}

TEST(Mapper, TwoLevelDecomposeOnSixteenNodes) {
  Mapper mapper = testing::load_mapper(kFunctions, MachineShape::standard(16, 40, 4, 0));
  // 16 nodes over (64, 64): (4, 4); 4 GPUs over the (16, 16) tile per node: (2, 2).
  auto p = place(mapper, "stencil", ProcKind::GPU, {37, 10}, {64, 64}).processors.at(0);
  // node coordinates (37*4/64, 10*4/64) = (2, 0) -> node 2 + 0*4 = 2; GPU (37%2, 10%2) = (1, 0) ->
  // 1
  EXPECT_EQ(p.node, 2);
  EXPECT_EQ(p.index, 1);
  EXPECT_EQ(p.kind, ProcKind::GPU);
}

TEST(Mapper, EveryPointOfTheLaunchLandsOnAProcessorAndLoadIsBalanced) {
  Mapper mapper = testing::load_mapper(kFunctions, kShape);
  std::map<std::pair<int, int>, int> load;
  for (std::int64_t i = 0; i < 4; ++i)
    for (std::int64_t j = 0; j < 4; ++j) {
      auto p = place(mapper, "increment", ProcKind::GPU, {i, j}, {4, 4}).processors.at(0);
      ++load[{p.node, p.index}];
    }
  EXPECT_EQ(load.size(), 8u);
  for (const auto& [proc, count] : load) EXPECT_EQ(count, 2);
}

TEST(Mapper, SingleTaskOnItsParentsProcessor) {
  Mapper mapper = testing::load_mapper(kFunctions, kShape);
  auto result = mapper.map_single_task("task_4", ProcKind::GPU, ProcessorId{1, 2, ProcKind::GPU});
  ASSERT_TRUE(result.ok()) << render_all(result.errors());
  ASSERT_TRUE(result.value());
  EXPECT_EQ(result.value()->processors, (std::vector<ProcessorId>{{1, 2, ProcKind::GPU}}));
  EXPECT_FALSE(result.value()->is_set);
  EXPECT_FALSE(
      mapper.map_single_task("unlisted", ProcKind::GPU, ProcessorId{}).value().has_value());
}

TEST(Mapper, SetOfProcessorsOnOneNode) {
  Mapper mapper = testing::load_mapper(kFunctions, kShape);
  Placement p = place(mapper, "wide", ProcKind::GPU, {3}, {4});
  EXPECT_TRUE(p.is_set);
  ASSERT_EQ(p.processors.size(), 4u);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(p.processors[static_cast<std::size_t>(i)], (ProcessorId{1, i, ProcKind::GPU}));
}

TEST(Mapper, DynamicErrorsNameLocationTaskAndPoint) {
  Mapper mapper = testing::load_mapper(kFunctions, kShape);
  auto result = mapper.map_index_point("calc", ProcKind::GPU, IndexPoint{v({9}), v({10})});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(testing::brief(result.errors()),
            (std::vector<std::string>{
                "5:16: error: index 2 out of bound for dimension 0 of size 2; mapping task 'calc' "
                "point (9,) of launch domain (10,)"}));
}

TEST(Mapper, WrongProcessorKind) {
  Mapper mapper = testing::load_mapper(kFunctions, kShape);
  auto result = mapper.map_index_point("calc", ProcKind::CPU, IndexPoint{v({1}), v({4})});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "wrong processor kind: 'block1d' returned a GPU processor but the task is mapped to "
            "CPU; mapping task 'calc' point (1,) of launch domain (4,)");
}

TEST(Mapper, SplitThatDoesNotDivideAndDivisionByZero) {
  const char* policy = R"(
def bad_split(Task task) { return Machine(GPU).split(1, 3)[0, 0, 0]; }
def div0(Task task) { return Machine(GPU)[0, task.ipoint[0] / task.ipoint[1]]; }
def wrong_len(Task task) { p = task.ipoint + (1, 2, 3); return Machine(GPU)[0, 0]; }
def set_across(Task task) { return Machine(GPU)[*, 0]; }
def ipoint_of_single(Task task) { return Machine(GPU)[0, task.ipoint[0]]; }
IndexTaskMap a bad_split;
IndexTaskMap b div0;
IndexTaskMap c wrong_len;
IndexTaskMap d set_across;
SingleTaskMap e ipoint_of_single;
)";
  Mapper mapper = testing::load_mapper(policy, kShape);
  auto message = [&](std::string_view task) {
    auto r = mapper.map_index_point(task, ProcKind::GPU, IndexPoint{v({1, 0}), v({2, 2})});
    return r.ok() ? std::string("ok") : testing::brief(r.errors()).at(0);
  };
  EXPECT_EQ(message("a"),
            "2:53: error: split: size 4 of dimension 1 is not divisible by 3; mapping task 'a' "
            "point (1, 0) of launch domain (2, 2)");
  EXPECT_EQ(message("b"),
            "3:61: error: division by zero; mapping task 'b' point (1, 0) of launch domain (2, 2)");
  EXPECT_EQ(message("c"),
            "4:44: error: tuple length mismatch in '+': (1, 0) has 2 elements, (1, 2, 3) has 3; "
            "mapping task 'c' point (1, 0) of launch domain (2, 2)");
  EXPECT_EQ(
      message("d"),
      "5:5: error: mapping function 'set_across' returned processors on several nodes; a set of "
      "processors must be on one node; mapping task 'd' point (1, 0) of launch domain (2, 2)");
  auto single = mapper.map_single_task("e", ProcKind::GPU, ProcessorId{0, 0, ProcKind::GPU});
  ASSERT_FALSE(single.ok());
  EXPECT_EQ(single.error().message,
            "task 'e' is a single task; it has no ipoint; mapping task 'e'");
}

TEST(Mapper, PlacementsAreCachedAndStable) {
  int prints = 0;
  Mapper mapper = testing::load_mapper(
      "def f(Task t) { print(\"mapping {}\", t.ipoint); return Machine(GPU)[0, t.ipoint[0] % 4]; "
      "}\n"
      "IndexTaskMap t f;",
      kShape, [&](std::string_view) { ++prints; });
  for (int round = 0; round < 3; ++round)
    for (std::int64_t i = 0; i < 6; ++i)
      EXPECT_EQ(place(mapper, "t", ProcKind::GPU, {i}, {6}).processors.at(0).index, i % 4);
  EXPECT_EQ(prints, 6);  // evaluated once per point
  // A different launch domain is a different key.
  place(mapper, "t", ProcKind::GPU, {0}, {7});
  EXPECT_EQ(prints, 7);
}

TEST(Mapper, MapperOutlivesItsPolicy) {
  std::optional<Mapper> mapper;
  {
    auto policy = Policy::load("p.map", kFunctions);
    ASSERT_TRUE(policy.ok());
    auto created = Mapper::create(policy.value(), kShape);
    ASSERT_TRUE(created.ok());
    mapper.emplace(std::move(created.value()));
  }
  EXPECT_EQ(place(*mapper, "calc", ProcKind::GPU, {5}, {8}).processors.at(0),
            (ProcessorId{1, 1, ProcKind::GPU}));
}

}  // namespace
}  // namespace mapforge::dsl
