#include <gtest/gtest.h>

#include "machine/machine.h"

namespace mapforge::machine {
namespace {

Machine p100() {
  LoadResult result = builtin_machine("p100-node");
  EXPECT_TRUE(result.ok());
  return result.value();
}

TEST(MachineTest, LookupsFindEntriesByKind) {
  const Machine m = p100();
  ASSERT_NE(m.processor(ProcKind::GPU), nullptr);
  EXPECT_EQ(m.processor(ProcKind::GPU)->kind, ProcKind::GPU);
  EXPECT_EQ(m.processor(ProcKind::IO), nullptr);
  EXPECT_EQ(m.processors_per_node(ProcKind::IO), 0);
  ASSERT_NE(m.memory(MemKind::SOCKMEM), nullptr);
  EXPECT_EQ(m.memory(MemKind::VIRTUAL), nullptr);
  ASSERT_NE(m.affinity(ProcKind::GPU, MemKind::FBMEM), nullptr);
  EXPECT_EQ(m.affinity(ProcKind::GPU, MemKind::FBMEM)->mem, MemKind::FBMEM);
  EXPECT_EQ(m.affinity(ProcKind::GPU, MemKind::SYSMEM), nullptr);
  EXPECT_EQ(m.affinity(ProcKind::CPU, MemKind::FBMEM), nullptr);
  ASSERT_NE(m.channel(ChannelKind::FBToFB), nullptr);
  EXPECT_EQ(m.channel(ChannelKind::FBToFB)->kind, ChannelKind::FBToFB);
}

TEST(MachineTest, TotalsScaleWithNodes) {
  Machine m = p100();
  m.nodes = 3;
  EXPECT_EQ(m.total_processors(ProcKind::GPU), 12);
  EXPECT_EQ(m.total_processors(ProcKind::PY), 0);
  EXPECT_EQ(m.total_memories(MemKind::FBMEM), 12);
  EXPECT_EQ(m.total_memories(MemKind::SOCKMEM), 6);
  EXPECT_EQ(m.total_memories(MemKind::SYSMEM), 3);
}

TEST(MachineTest, ThroughputIsIndexedByKernelClass) {
  const Machine m = p100();
  const ProcessorSpec& gpu = *m.processor(ProcKind::GPU);
  EXPECT_EQ(gpu.throughput(KernelClass::Dense).value, 4.2e12);
  EXPECT_EQ(gpu.throughput(KernelClass::Streaming).value, 4.7e12);
  EXPECT_EQ(gpu.throughput(KernelClass::Irregular).value, 4.7e11);
}

TEST(MachineTest, AosPenaltyInterpolatesTrafficRatio) {
  ProcessorSpec spec;
  spec.aos_weight.value = 1.0;
  EXPECT_DOUBLE_EQ(spec.aos_penalty(1, 4), 4.0);  // pure traffic ratio F/k
  EXPECT_DOUBLE_EQ(spec.aos_penalty(2, 4), 2.0);
  EXPECT_DOUBLE_EQ(spec.aos_penalty(4, 4), 1.0);   // reading every field costs nothing extra
  spec.aos_weight.value = 0.75;                    // the H100 fit
  EXPECT_DOUBLE_EQ(spec.aos_penalty(1, 8), 6.25);  // measured 6.31
  EXPECT_DOUBLE_EQ(spec.aos_penalty(1, 2), 1.75);  // measured 1.73
  spec.aos_weight.value = 0.0;
  EXPECT_DOUBLE_EQ(spec.aos_penalty(1, 8), 1.0);
}

TEST(MachineTest, LoadErrorRendering) {
  EXPECT_EQ((LoadError{"a.json", "/nodes", 0, 0, "bad"}).render(), "a.json: /nodes: bad");
  EXPECT_EQ((LoadError{"a.json", "", 3, 7, "bad"}).render(), "a.json:3:7: bad");
  EXPECT_EQ((LoadError{"a.json", "", 0, 0, "bad"}).render(), "a.json: bad");
  EXPECT_EQ(render_all({{"a", "/x", 0, 0, "one"}, {"a", "", 0, 0, "two"}}), "a: /x: one\na: two\n");
}

}  // namespace
}  // namespace mapforge::machine
