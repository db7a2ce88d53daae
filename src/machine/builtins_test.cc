// The built-in profiles load and have the documented shape (README.md, APPS.md "Machines").
#include <gtest/gtest.h>

#include "machine/machine.h"

namespace mapforge::machine {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

Machine builtin(std::string_view name, int nodes = 0) {
  LoadResult result = builtin_machine(name, nodes);
  EXPECT_TRUE(result.ok()) << render_all(result.ok() ? std::vector<LoadError>{} : result.errors());
  return result.ok() ? result.value() : Machine{};
}

std::vector<const Sourced*> all_numbers(const Machine& m) {
  std::vector<const Sourced*> numbers;
  for (const ProcessorSpec& p : m.processors) {
    numbers.push_back(&p.launch_overhead_s);
    for (const Sourced& t : p.throughput_flops) numbers.push_back(&t);
    numbers.push_back(&p.aos_weight);
    numbers.push_back(&p.strided_factor);
  }
  for (const MemorySpec& s : m.memories) numbers.push_back(&s.capacity_bytes);
  for (const Affinity& a : m.affinities) {
    numbers.push_back(&a.bandwidth_Bps);
    numbers.push_back(&a.latency_s);
  }
  for (const Channel& c : m.channels) {
    numbers.push_back(&c.bandwidth_Bps);
    numbers.push_back(&c.latency_s);
  }
  return numbers;
}

TEST(BuiltinsTest, Names) {
  EXPECT_EQ(builtin_names(), (std::vector<std::string>{"p100-node", "lassen", "h100-node"}));
}

TEST(BuiltinsTest, EveryProfileLoadsWithOneNodeByDefault) {
  for (const std::string& name : builtin_names()) {
    const Machine m = builtin(name);
    EXPECT_EQ(m.name, name);
    EXPECT_EQ(m.nodes, 1);
    EXPECT_FALSE(m.description.empty());
    EXPECT_NE(m.channel(ChannelKind::Network), nullptr) << name << " needs Network for nodes > 1";
  }
}

TEST(BuiltinsTest, P100Node) {
  const Machine m = builtin("p100-node");
  EXPECT_EQ(m.processors_per_node(ProcKind::GPU), 4);
  EXPECT_EQ(m.processors_per_node(ProcKind::CPU), 4);
  EXPECT_EQ(m.processors_per_node(ProcKind::OMP), 2);
  EXPECT_EQ(m.memories_per_node(MemKind::FBMEM), 4);
  EXPECT_EQ(m.memories_per_node(MemKind::SOCKMEM), 2);
  EXPECT_EQ(m.memory(MemKind::FBMEM)->capacity_bytes.value, 15 * kGiB);
  EXPECT_EQ(m.affinity(ProcKind::GPU, MemKind::ZCMEM)->bandwidth_Bps.value, 12e9);
  // No NVLink: GPU to GPU is no faster than PCIe host copies.
  EXPECT_LE(m.channel(ChannelKind::FBToFB)->bandwidth_Bps.value,
            m.channel(ChannelKind::HostToFB)->bandwidth_Bps.value);
}

TEST(BuiltinsTest, Lassen) {
  const Machine m = builtin("lassen");
  EXPECT_EQ(m.processors_per_node(ProcKind::GPU), 4);
  EXPECT_EQ(m.processors_per_node(ProcKind::OMP), 2);
  EXPECT_EQ(m.channel(ChannelKind::Network)->bandwidth_Bps.value, 12e9);
  EXPECT_EQ(m.channel(ChannelKind::FBToFB)->bandwidth_Bps.value, 60e9);
}

TEST(BuiltinsTest, LassenWithSixteenNodes) {
  const Machine m = builtin("lassen", 16);
  EXPECT_EQ(m.nodes, 16);
  EXPECT_EQ(m.total_processors(ProcKind::GPU), 64);
  EXPECT_EQ(m.total_processors(ProcKind::OMP), 32);
  EXPECT_EQ(m.total_memories(MemKind::FBMEM), 64);
  EXPECT_EQ(m.total_memories(MemKind::SYSMEM), 16);
  Machine one = builtin("lassen");
  one.nodes = 16;
  EXPECT_EQ(m, one);  // only the node count changes
}

TEST(BuiltinsTest, SingleNodeProfilesAcceptANodeOverride) {
  const Machine m = builtin("h100-node", 4);
  EXPECT_EQ(m.total_processors(ProcKind::GPU), 4);
  EXPECT_EQ(builtin("p100-node", 2).total_memories(MemKind::FBMEM), 8);
}

TEST(BuiltinsTest, H100NodeComesFromCalibration) {
  const Machine m = builtin("h100-node");
  EXPECT_EQ(m.processors_per_node(ProcKind::GPU), 1);
  EXPECT_EQ(m.memories_per_node(MemKind::FBMEM), 1);
  EXPECT_LT(m.memory(MemKind::FBMEM)->capacity_bytes.value, 85017493504.0);
  EXPECT_EQ(m.affinity(ProcKind::GPU, MemKind::FBMEM)->bandwidth_Bps.value, 2.8e12);
  EXPECT_EQ(m.channel(ChannelKind::HostToFB)->bandwidth_Bps.value, 55e9);
  EXPECT_EQ(m.processor(ProcKind::GPU)->launch_overhead_s.value, 3.4e-6);
  EXPECT_EQ(m.processor(ProcKind::GPU)->throughput(KernelClass::Dense).value, 65e12);
  EXPECT_EQ(m.channel(ChannelKind::FBToFB), nullptr);  // one GPU per node
  EXPECT_NE(m.affinity(ProcKind::GPU, MemKind::FBMEM)
                ->bandwidth_Bps.source.find("calib/h100-node/gpu.jsonl: kernel_read fb_read"),
            std::string::npos);
}

TEST(BuiltinsTest, EveryNumberSaysWhereItComesFrom) {
  for (const std::string& name : builtin_names()) {
    const Machine m = builtin(name);
    for (const Sourced* number : all_numbers(m)) {
      EXPECT_GE(number->source.size(), 10u) << name << ": " << number->value;
    }
  }
}

TEST(BuiltinsTest, GpusPreferTheirFramebuffer) {
  for (const std::string& name : builtin_names()) {
    const Machine m = builtin(name);
    EXPECT_GT(m.affinity(ProcKind::GPU, MemKind::FBMEM)->bandwidth_Bps.value,
              m.affinity(ProcKind::GPU, MemKind::ZCMEM)->bandwidth_Bps.value)
        << name;
  }
}

TEST(BuiltinsTest, Errors) {
  LoadResult unknown = builtin_machine("p200-node");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(render_all(unknown.errors()),
            "builtin:p200-node: unknown built-in machine; built-ins are p100-node, lassen, "
            "h100-node\n");
  LoadResult negative = builtin_machine("lassen", -1);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(render_all(negative.errors()),
            "builtin:lassen: /nodes: expected a whole number from 0 (the profile's default) to "
            "1000000, got -1\n");
  EXPECT_FALSE(builtin_machine("lassen", kMaxNodes + 1).ok());
  EXPECT_TRUE(builtin_machine("lassen", kMaxNodes).ok());
}

}  // namespace
}  // namespace mapforge::machine
