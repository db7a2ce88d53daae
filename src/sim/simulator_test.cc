#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "app/builder.h"
#include "sim/sim.h"

namespace mapforge::sim {
namespace {

using app::AppBuilder;
using app::KernelClass;
using app::Privilege;
using app::VariantKind;

machine::Machine p100(int nodes = 1) {
  auto m = machine::builtin_machine("p100-node", nodes);
  EXPECT_TRUE(m.ok());
  return m.value();
}

/// A stream over `pieces` pieces of `elements` doubles: `produce` writes them, `consume` reads
/// them (shifted by `shift` pieces, so data moves between processors), `steps` times.
app::App stream_app(std::int64_t pieces, std::int64_t elements, int steps, std::int64_t shift = 0,
                    bool soa_required = false) {
  AppBuilder b("stream", "test");
  std::vector<std::int64_t> blocks(static_cast<std::size_t>(pieces), elements);
  int region = b.add_region("data", {{"x", 8}, {"y", 8}}, blocks);
  std::vector<std::vector<std::int32_t>> piece_blocks;
  for (std::int32_t i = 0; i < pieces; ++i) piece_blocks.push_back({i});
  int part = b.add_partition("p_data", region, {pieces}, piece_blocks);
  app::Variant gpu{VariantKind::GPU, {}};
  if (soa_required)
    gpu.layouts.push_back(
        app::LayoutRequirement{true, std::nullopt, app::LayoutRequirement::Failure::Stride, 8});
  int produce =
      b.add_task("produce", KernelClass::Streaming, {gpu, {VariantKind::CPU, {}}}, {"p_data"});
  int consume =
      b.add_task("consume", KernelClass::Streaming, {gpu, {VariantKind::CPU, {}}}, {"p_data"});
  app::Phase& init = b.add_phase("init", 1, false);
  auto& l0 = b.add_index_launch(init, produce, {pieces}, 0);
  b.arg(l0, part, AppBuilder::identity(1), Privilege::WriteDiscard, b.fields(part, {"x"}));
  app::Phase& loop = b.add_phase("loop", steps, true);
  auto& l1 = b.add_index_launch(loop, produce, {pieces}, 1e6);
  b.arg(l1, part, AppBuilder::identity(1), Privilege::ReadWrite, b.fields(part, {"x"}));
  auto& l2 = b.add_index_launch(loop, consume, {pieces}, 1e6);
  b.arg(l2, part, AppBuilder::affine({{1}}, {shift}), Privilege::ReadOnly, b.fields(part, {"x"}));
  auto result = b.finish({app::Metric::Kind::ElapsedTime, 0, ""});
  EXPECT_TRUE(result.app) << (result.errors.empty() ? "" : result.errors[0]);
  return *result.app;
}

Result run(const app::App& a, const machine::Machine& m, const std::string& policy_text,
           bool profile = false) {
  if (policy_text.empty()) return simulate(a, m, nullptr, Options{profile});
  auto policy = dsl::Policy::load("p.map", policy_text);
  EXPECT_TRUE(policy.ok()) << dsl::render_all(policy.errors());
  auto mapper = dsl::Mapper::create(policy.value(), shape_of(m));
  EXPECT_TRUE(mapper.ok()) << dsl::render_all(mapper.errors());
  return simulate(a, m, &mapper.value(), Options{profile});
}

TEST(Simulator, DefaultMappingRunsAndReportsElapsedTime) {
  Result r = run(stream_app(8, 1 << 20, 5), p100(), "");
  ASSERT_TRUE(r.ok) << r.errors;
  EXPECT_GT(r.elapsed_s, 0);
  EXPECT_EQ(r.output.rfind("ELAPSED TIME = ", 0), 0u) << r.output;
  EXPECT_EQ(r.point_tasks, 8 + 5 * 16);
}

TEST(Simulator, DeterministicOutput) {
  auto a = stream_app(16, 1 << 18, 3, 1);
  Result r1 = run(a, p100(2), "", true);
  Result r2 = run(a, p100(2), "", true);
  ASSERT_TRUE(r1.ok) << r1.errors;
  EXPECT_EQ(r1.output, r2.output);
  EXPECT_EQ(r1.profile_json, r2.profile_json);
}

TEST(Simulator, ZeroCopyMemoryIsSlowerThanFramebufferForGpuKernels) {
  auto a = stream_app(4, 1 << 22, 5);
  Result fb = run(a, p100(), "Task * GPU;\nRegion * * GPU FBMEM;");
  Result zc = run(a, p100(), "Task * GPU;\nRegion * * GPU ZCMEM;");
  ASSERT_TRUE(fb.ok && zc.ok) << fb.errors << zc.errors;
  EXPECT_GT(zc.elapsed_s, 5 * fb.elapsed_s);
}

TEST(Simulator, GpusBeatCpusOnStreamingWork) {
  auto a = stream_app(4, 1 << 22, 5);
  Result gpu = run(a, p100(), "Task * GPU;");
  Result cpu = run(a, p100(), "Task * CPU;");
  ASSERT_TRUE(gpu.ok && cpu.ok) << gpu.errors << cpu.errors;
  EXPECT_GT(cpu.elapsed_s, gpu.elapsed_s);
}

TEST(Simulator, MovingDataBetweenGpusCostsCopies) {
  auto local = stream_app(4, 1 << 22, 3, 0);
  auto shifted = stream_app(4, 1 << 22, 3, 1);
  std::string policy =
      "Task * GPU;\nmgpu = Machine(GPU);\n"
      "def block(Task t) { return mgpu[0, t.ipoint[0] % mgpu.size[1]]; }\n"
      "IndexTaskMap produce,consume block;";
  Result a = run(local, p100(), policy, true);
  Result b = run(shifted, p100(), policy, true);
  ASSERT_TRUE(a.ok && b.ok) << a.errors << b.errors;
  EXPECT_GT(b.elapsed_s, a.elapsed_s);
  auto profile = nlohmann::json::parse(b.profile_json);
  bool fb_to_fb = false;
  for (const auto& c : profile["channels"])
    fb_to_fb |= c["channel"] == "FBToFB" && c["bytes"].get<double>() > 0;
  EXPECT_TRUE(fb_to_fb) << b.profile_json;
}

TEST(Simulator, OutOfMemoryNamesTaskArgumentMemoryAndSizes) {
  // 4 pieces of 2^28 elements x 2 fields x 8 bytes = 4 GiB each; 3 pieces on one 16 GB GPU.
  auto a = stream_app(4, 1 << 28, 1);
  std::string policy =
      "Task * GPU;\nRegion * * GPU FBMEM;\nmgpu = Machine(GPU);\n"
      "def one(Task t) { return mgpu[0, 0]; }\nIndexTaskMap produce one;";
  Result r = run(a, p100(), policy);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(
      r.errors.find("{5}{default_mapper}: Default mapper failed allocation of size 4294967296 "
                    "bytes for region  requirement 0 of task produce"),
      std::string::npos)
      << r.errors;
  EXPECT_NE(r.errors.find("(FBMEM) for processor"), std::string::npos) << r.errors;
  EXPECT_NE(r.errors.find("bytes free in that memory."), std::string::npos) << r.errors;
}

TEST(Simulator, MemoryNotVisibleFromTheProcessor) {
  Result r = run(stream_app(4, 1024, 1), p100(), "Task * GPU;\nRegion * * GPU SYSMEM;");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.errors.find("which is not visible from the target processors for task produce"),
            std::string::npos)
      << r.errors;
}

TEST(Simulator, VariantNotAllowedOnTheKind) {
  auto a = stream_app(4, 1024, 1);
  a.tasks[0].variants = {{VariantKind::CPU, {}}};
  Result r = run(a, p100(), "Task produce GPU;");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(
      r.errors.find("However, this variant does not permit running on processors of kind GPU."),
      std::string::npos)
      << r.errors;
}

TEST(Simulator, LayoutTheKernelCannotUseFailsTheRun) {
  auto a = stream_app(4, 1024, 1, 0, /*soa_required=*/true);
  Result r = run(a, p100(), "Task * GPU;\nLayout * * * AOS;");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.errors.find("Assertion failed: stride does not match expected value."),
            std::string::npos)
      << r.errors;
  Result ok = run(a, p100(), "Task * GPU;\nLayout * * * SOA;");
  EXPECT_TRUE(ok.ok) << ok.errors;
}

TEST(Simulator, MappingFunctionErrorsFailTheRun) {
  Result r =
      run(stream_app(8, 1024, 1), p100(),
          "Task * GPU;\nmgpu = Machine(GPU);\ndef bad(Task t) { return mgpu[0, t.ipoint[0]]; }\n"
          "IndexTaskMap produce bad;");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(
      r.errors.find("p.map:3:30: error: index 4 out of bound for dimension 1 of size 4; mapping "
                    "task 'produce' point (4,) of launch domain (8,)"),
      std::string::npos)
      << r.errors;
}

TEST(Simulator, InstanceLimitHoldsTasksBack) {
  auto a = stream_app(8, 1 << 20, 3);
  std::string base =
      "Task * GPU;\nmgpu = Machine(GPU);\ndef one(Task t) { return mgpu[0, t.ipoint[0] % 2]; }\n"
      "IndexTaskMap produce,consume one;\n";
  Result free_run = run(a, p100(), base);
  Result limited = run(a, p100(), base + "InstanceLimit consume 1;");
  ASSERT_TRUE(free_run.ok && limited.ok) << free_run.errors << limited.errors;
  EXPECT_GE(limited.elapsed_s, free_run.elapsed_s);
}

TEST(Simulator, ProfileNamesDecisionsAndCosts) {
  Result r = run(stream_app(4, 1 << 20, 2), p100(), "Task * GPU;\nRegion * * GPU ZCMEM;", true);
  ASSERT_TRUE(r.ok) << r.errors;
  auto profile = nlohmann::json::parse(r.profile_json);
  ASSERT_EQ(profile["tasks"].size(), 2u);
  const auto& task = profile["tasks"][0];
  EXPECT_EQ(task["task"], "produce");
  EXPECT_EQ(task["kind"], "GPU");
  EXPECT_EQ(task["kind_decided_by"], "policy");
  EXPECT_EQ(task["args"][0]["memory"], "ZCMEM");
  EXPECT_EQ(task["args"][0]["memory_decided_by"], "policy");
  EXPECT_EQ(task["args"][0]["layout_decided_by"], "default");
  EXPECT_TRUE(profile.contains("critical_path"));
  EXPECT_FALSE(profile["critical_path"]["by_task"].empty());
  EXPECT_FALSE(profile["memories"].empty());
  EXPECT_FALSE(profile["processors"].empty());
}

TEST(Simulator, ShapeOfAMachine) {
  auto shape = shape_of(p100());
  EXPECT_EQ(shape.nodes, 1);
  EXPECT_EQ(shape.count(dsl::ProcKind::GPU), 4);
  EXPECT_TRUE(shape.sees(dsl::ProcKind::GPU, dsl::MemKind::FBMEM));
  EXPECT_TRUE(shape.sees(dsl::ProcKind::GPU, dsl::MemKind::ZCMEM));
  EXPECT_FALSE(shape.sees(dsl::ProcKind::GPU, dsl::MemKind::SYSMEM));
  EXPECT_TRUE(shape.sees(dsl::ProcKind::CPU, dsl::MemKind::SYSMEM));
}

}  // namespace
}  // namespace mapforge::sim

namespace mapforge::sim {
namespace {

Result run_builtin(const std::string& app_name, const machine::Machine& m, bool expert) {
  app::MachineFacts facts{m.nodes, m.processors_per_node(machine::ProcKind::GPU),
                          m.processors_per_node(machine::ProcKind::CPU)};
  auto program = app::builtin_app(app_name, facts);
  EXPECT_TRUE(program.app) << app_name;
  if (!expert) return simulate(*program.app, m, nullptr);
  return run(*program.app, m, std::string(app::expert_policy(app_name)));
}

class BuiltinApps : public ::testing::TestWithParam<std::string> {};

TEST_P(BuiltinApps, ExpertMapperRunsOnOneAndSeveralNodes) {
  for (const auto& m : {p100(1), p100(2), machine::builtin_machine("lassen", 4).value()}) {
    Result r = run_builtin(GetParam(), m, true);
    ASSERT_TRUE(r.ok) << GetParam() << " on " << m.nodes << " x " << m.name << ":\n" << r.errors;
    EXPECT_TRUE(std::isfinite(r.elapsed_s) && r.elapsed_s > 0) << r.output;
    EXPECT_TRUE(std::isfinite(r.metric) && r.metric > 0) << r.output;
  }
}

TEST_P(BuiltinApps, DefaultMappingRunsOrFailsLikeTheRealProgram) {
  Result r = run_builtin(GetParam(), p100(2), false);
  bool distal = GetParam() != "circuit" && GetParam() != "stencil" && GetParam() != "pennant";
  if (!distal) {
    EXPECT_TRUE(r.ok) << r.errors;
    return;
  }
  // Legion's default layout is Fortran order; DISTAL's leaf GEMM needs C order.
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.errors.find("DGEMM parameter number 8 had an illegal value"), std::string::npos)
      << r.errors;
}

INSTANTIATE_TEST_SUITE_P(All, BuiltinApps,
                         ::testing::Values("circuit", "stencil", "pennant", "cannon", "summa",
                                           "pumma", "johnson", "solomonik", "cosma"));

}  // namespace
}  // namespace mapforge::sim

namespace mapforge::sim {
namespace {

/// A 1-D halo exchange: piece i owns an interior block and an edge block of `edge` doubles;
/// `increment` rewrites its own piece, `stencil` reads its piece and the edge of piece i + 1
/// (the last piece has no right neighbour and reads its own edge).
app::App halo_app(std::int64_t pieces, std::int64_t interior, std::int64_t edge, int steps) {
  AppBuilder b("halo", "test");
  std::vector<std::int64_t> blocks;
  for (std::int64_t i = 0; i < pieces; ++i) {
    blocks.push_back(interior);
    blocks.push_back(edge);
  }
  int region = b.add_region("grid", {{"v", 8}}, blocks);
  std::vector<std::vector<std::int32_t>> own, ghost;
  for (std::int32_t i = 0; i < pieces; ++i) {
    own.push_back({2 * i, 2 * i + 1});
    ghost.push_back({i + 1 < pieces ? 2 * (i + 1) + 1 : 2 * i + 1});
  }
  int mine = b.add_partition("private", region, {pieces}, own);
  int halo = b.add_partition("ghost", region, {pieces}, ghost, false);
  app::Variant gpu{VariantKind::GPU, {}};
  int inc = b.add_task("increment", KernelClass::Streaming, {gpu}, {"private"});
  int st = b.add_task("stencil", KernelClass::Streaming, {gpu}, {"private", "ghost"});
  app::Phase& init = b.add_phase("init", 1, false);
  b.arg(b.add_index_launch(init, inc, {pieces}, 0), mine, AppBuilder::identity(1),
        Privilege::WriteDiscard, b.fields(mine, {"v"}));
  app::Phase& loop = b.add_phase("loop", steps, true);
  auto& s = b.add_index_launch(loop, st, {pieces}, 1e6);
  b.arg(s, mine, AppBuilder::identity(1), Privilege::ReadOnly, b.fields(mine, {"v"}));
  b.arg(s, halo, AppBuilder::identity(1), Privilege::ReadOnly, b.fields(halo, {"v"}));
  b.arg(b.add_index_launch(loop, inc, {pieces}, 1e6), mine, AppBuilder::identity(1),
        Privilege::ReadWrite, b.fields(mine, {"v"}));
  auto result = b.finish({app::Metric::Kind::ElapsedTime, 0, ""});
  EXPECT_TRUE(result.app) << (result.errors.empty() ? "" : result.errors[0]);
  return *result.app;
}

double channel_bytes(const Result& r, const std::string& channel) {
  auto profile = nlohmann::json::parse(r.profile_json);
  for (const auto& c : profile["channels"])
    if (c["channel"] == channel) return c["bytes"].get<double>();
  return 0;
}

constexpr const char* kOnePiecePerGpu =
    "Task * GPU;\nmgpu = Machine(GPU);\n"
    "def block(Task t) { return mgpu[t.ipoint[0] * mgpu.size[0] / t.ispace[0], t.ipoint[0] % "
    "mgpu.size[1]]; }\n"
    "IndexTaskMap increment,stencil block;\n";

TEST(Simulator, HaloExchangeCopiesExactlyTheEdges) {
  const std::int64_t pieces = 4, edge = 1000;
  const int steps = 7;
  Result r = run(halo_app(pieces, 100000, edge, steps), p100(), kOnePiecePerGpu, true);
  ASSERT_TRUE(r.ok) << r.errors;
  // Every step, pieces 0..2 fetch their right neighbour's edge (8 bytes a value) from its GPU.
  EXPECT_DOUBLE_EQ(channel_bytes(r, "FBToFB"),
                   static_cast<double>(steps * (pieces - 1) * edge * 8));
  EXPECT_DOUBLE_EQ(channel_bytes(r, "PageableToFB"), 0);
  // On two nodes, the edge between pieces 1 and 2 crosses the network instead.
  Result two = run(halo_app(pieces, 100000, edge, steps), p100(2), kOnePiecePerGpu, true);
  ASSERT_TRUE(two.ok) << two.errors;
  EXPECT_DOUBLE_EQ(channel_bytes(two, "Network"), static_cast<double>(steps * 1 * edge * 8));
  EXPECT_DOUBLE_EQ(channel_bytes(two, "FBToFB"), static_cast<double>(steps * 2 * edge * 8));
}

/// `reader` reads one 2 GiB tile of `tiles` per point, all on GPU 0.
app::App tiles_app(std::int64_t tiles, std::int64_t tile_elements) {
  AppBuilder b("tiles", "test");
  int region =
      b.add_region("A", {{"vals", 8}},
                   std::vector<std::int64_t>(static_cast<std::size_t>(tiles), tile_elements));
  std::vector<std::vector<std::int32_t>> pieces;
  for (std::int32_t i = 0; i < tiles; ++i) pieces.push_back({i});
  int part = b.add_partition("tiles", region, {tiles}, pieces);
  int fill = b.add_task("fill", KernelClass::Streaming, {{VariantKind::CPU, {}}}, {"tiles"});
  int reader = b.add_task("reader", KernelClass::Streaming, {{VariantKind::GPU, {}}}, {"tiles"});
  app::Phase& init = b.add_phase("init", 1, false);
  b.arg(b.add_index_launch(init, fill, {tiles}, 0), part, AppBuilder::identity(1),
        Privilege::WriteDiscard, b.fields(part, {"vals"}));
  app::Phase& loop = b.add_phase("loop", 1, true);
  b.arg(b.add_index_launch(loop, reader, {tiles}, 1e6), part, AppBuilder::identity(1),
        Privilege::ReadOnly, b.fields(part, {"vals"}));
  auto result = b.finish({app::Metric::Kind::ElapsedTime, 0, ""});
  EXPECT_TRUE(result.app) << (result.errors.empty() ? "" : result.errors[0]);
  return *result.app;
}

TEST(Simulator, OutOfMemoryExactlyWhenCapacityIsExceeded) {
  machine::Machine m = p100();
  const double capacity = m.memory(machine::MemKind::FBMEM)->capacity_bytes.value;
  const std::int64_t tile = 1 << 28;  // 2 GiB of doubles
  const auto fit = static_cast<std::int64_t>(capacity / static_cast<double>(tile * 8));
  std::string policy =
      "Task reader GPU;\nTask fill CPU;\nRegion reader * GPU FBMEM;\n"
      "def gpu0(Task t) { return Machine(GPU)[0, 0]; }\nIndexTaskMap reader gpu0;\n";
  Result fits = run(tiles_app(fit, tile), m, policy);
  EXPECT_TRUE(fits.ok) << fits.errors;
  Result over = run(tiles_app(fit + 1, tile), m, policy);
  ASSERT_FALSE(over.ok);
  EXPECT_NE(
      over.errors.find(
          "failed allocation of size 2147483648 bytes for region  requirement 0 of task reader"),
      std::string::npos)
      << over.errors;
  // The copies are read-only and valid in system memory: with CollectMemory and InstanceLimit
  // the tasks take turns and each reuses the space of the one before.
  Result limited = run(tiles_app(fit + 1, tile), m,
                       policy + "InstanceLimit reader 2;\nCollectMemory reader *;\n");
  EXPECT_TRUE(limited.ok) << limited.errors;
  // Either alone is not enough: without the limit all tiles are mapped at once.
  Result collect_only = run(tiles_app(fit + 1, tile), m, policy + "CollectMemory reader *;\n");
  EXPECT_FALSE(collect_only.ok);
}

TEST(Simulator, MoreGpuThroughputNeverSlowsARun) {
  for (const char* name : {"circuit", "stencil", "cannon"}) {
    machine::Machine slow = p100();
    machine::Machine fast = p100();
    for (auto& p : fast.processors)
      if (p.kind == machine::ProcKind::GPU)
        for (auto& t : p.throughput_flops) t.value *= 2;
    Result a = run_builtin(name, slow, true);
    Result b = run_builtin(name, fast, true);
    ASSERT_TRUE(a.ok && b.ok) << a.errors << b.errors;
    EXPECT_LE(b.elapsed_s, a.elapsed_s) << name;
  }
}

TEST(Simulator, NoMemoryOfTheKindOnTheMachine) {
  machine::Machine m = p100();
  std::erase_if(m.memories,
                [](const machine::MemorySpec& s) { return s.kind == machine::MemKind::RDMEM; });
  std::erase_if(m.affinities,
                [](const machine::Affinity& a) { return a.mem == machine::MemKind::RDMEM; });
  Result r = run(stream_app(4, 1024, 1), m, "Task * CPU;\nRegion * * CPU RDMEM;");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(
      r.errors.find(
          "Default mapper error: Failed to find a memory of kind RDMEM connected to processor"),
      std::string::npos)
      << r.errors;
}

TEST(Simulator, MatmulExpertsBeatTheDefaultOnFourLassenNodes) {
  machine::Machine lassen4 = machine::builtin_machine("lassen", 4).value();
  for (const char* name : {"cannon", "summa", "pumma"}) {
    Result expert = run_builtin(name, lassen4, true);
    Result plain = run_builtin(name, lassen4, false);
    ASSERT_TRUE(expert.ok) << expert.errors;
    EXPECT_GT(expert.metric, plain.ok ? plain.metric : 0.0) << name;
  }
}

}  // namespace
}  // namespace mapforge::sim

namespace mapforge::sim {
namespace {

TEST_P(BuiltinApps, ExpertMapperIsCanonicalAndNamesOnlyRealTasksAndRegions) {
  std::string text(app::expert_policy(GetParam()));
  ASSERT_FALSE(text.empty());
  auto formatted = dsl::format("expert.map", text);
  ASSERT_TRUE(formatted.ok());
  EXPECT_EQ(formatted.value(), text) << GetParam();
  auto program = app::builtin_app(GetParam(), app::MachineFacts{2, 4, 8});
  ASSERT_TRUE(program.app);
  dsl::CheckOptions options;
  options.app.tasks.emplace();
  options.app.regions.emplace();
  for (const auto& task : program.app->tasks) options.app.tasks->push_back(task.name);
  for (const auto& partition : program.app->partitions)
    options.app.regions->push_back(partition.name);
  EXPECT_EQ(dsl::render_all(dsl::check("expert.map", text, options)), "") << GetParam();
}

}  // namespace
}  // namespace mapforge::sim

namespace mapforge::sim {
namespace {

TEST(Simulator, NoValidVariantOnThisMachine) {
  // The policy lists only IO processors, which p100-node does not have.
  Result r = run(stream_app(4, 1024, 1), p100(), "Task produce IO;");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(
      r.errors.find("Failed to find any valid variants for task produce on the current machine."),
      std::string::npos)
      << r.errors;
}

}  // namespace
}  // namespace mapforge::sim

namespace mapforge::sim {
namespace {

/// One task reading `elements` floats of one region with the given access pattern, no flops.
app::App access_app(app::Access access) {
  AppBuilder b("access", "test");
  int region = b.add_region("data", {{"v", 4}}, {1 << 22});
  int part = b.add_partition("p_data", region, {1}, {{0}});
  int produce = b.add_task("produce", KernelClass::Streaming, {{VariantKind::GPU, {}}}, {"p"});
  int use = b.add_task("use", KernelClass::Irregular, {{VariantKind::GPU, {}}}, {"p"});
  app::Phase& init = b.add_phase("init", 1, false);
  auto& l0 = b.add_index_launch(init, produce, {1}, 0);
  b.arg(l0, part, AppBuilder::identity(1), Privilege::WriteDiscard, b.fields(part, {"v"}));
  app::Phase& loop = b.add_phase("loop", 1, true);
  auto& l1 = b.add_index_launch(loop, use, {1}, 0);
  b.arg(l1, part, AppBuilder::identity(1),
        access == app::Access::Atomic ? Privilege::ReadWrite : Privilege::ReadOnly,
        b.fields(part, {"v"}), 1.0, app::ReduceOp::None, access);
  auto result = b.finish({app::Metric::Kind::ElapsedTime, 0, ""});
  EXPECT_TRUE(result.app) << (result.errors.empty() ? "" : result.errors[0]);
  return *result.app;
}

double use_data_s(const Result& r) {
  auto j = nlohmann::json::parse(r.profile_json);
  for (const auto& t : j["tasks"])
    if (t["task"] == "use") return t["data_s"].get<double>();
  return -1;
}

TEST(Simulator, GathersAndAtomicsRunAtTheProfilesFractionOfStreaming) {
  machine::Machine m = p100();
  const auto* fb = m.affinity(machine::ProcKind::GPU, machine::MemKind::FBMEM);
  const auto* zc = m.affinity(machine::ProcKind::GPU, machine::MemKind::ZCMEM);
  ASSERT_TRUE(fb && zc);
  const double bytes = 4.0 * (1 << 22);
  for (const char* mem : {"FBMEM", "ZCMEM"}) {
    const auto* a = std::string(mem) == "FBMEM" ? fb : zc;
    std::string policy = std::string("Task * GPU;\nRegion * * GPU ") + mem + ";";
    Result stream = run(access_app(app::Access::Stream), m, policy, true);
    Result gather = run(access_app(app::Access::Gather), m, policy, true);
    Result atomic = run(access_app(app::Access::Atomic), m, policy, true);
    ASSERT_TRUE(stream.ok && gather.ok && atomic.ok) << stream.errors << gather.errors;
    double lat = a->latency_s.value, bw = a->bandwidth_Bps.value;
    EXPECT_NEAR(use_data_s(stream), bytes / bw + lat, 1e-9) << mem;
    EXPECT_NEAR(use_data_s(gather), bytes / (bw * a->gather_fraction.value) + lat, 1e-9) << mem;
    EXPECT_NEAR(use_data_s(atomic), bytes / (bw * a->atomic_fraction.value) + lat, 1e-9) << mem;
  }
  // A gather-heavy kernel is slower from ZCMEM than from FBMEM by the ratio of the gather rates.
  Result from_fb =
      run(access_app(app::Access::Gather), m, "Task * GPU;\nRegion * * GPU FBMEM;", true);
  Result from_zc =
      run(access_app(app::Access::Gather), m, "Task * GPU;\nRegion * * GPU ZCMEM;", true);
  double ratio = (fb->bandwidth_Bps.value * fb->gather_fraction.value) /
                 (zc->bandwidth_Bps.value * zc->gather_fraction.value);
  EXPECT_NEAR(use_data_s(from_zc) / use_data_s(from_fb), ratio, 0.01 * ratio);
}

/// `produce` writes block 0 on GPU 2; then `first` (on GPU 0) and `second` (on GPU 1), each a
/// 0.1 s kernel, read it.
app::App two_readers_app() {
  AppBuilder b("readers", "test");
  int region = b.add_region("data", {{"v", 8}}, {1 << 16});
  int part = b.add_partition("p_data", region, {1}, {{0}});
  std::vector<app::Variant> gpu = {{VariantKind::GPU, {}}};
  int produce = b.add_task("produce", KernelClass::Streaming, gpu, {"p"});
  int first = b.add_task("first", KernelClass::Dense, gpu, {"p"});
  int second = b.add_task("second", KernelClass::Dense, gpu, {"p"});
  app::Phase& loop = b.add_phase("loop", 1, true);
  auto& l0 = b.add_index_launch(loop, produce, {1}, 0);
  b.arg(l0, part, AppBuilder::identity(1), Privilege::WriteDiscard, b.fields(part, {"v"}));
  const double flops = 0.1 * 4.2e12;  // 0.1 s at the P100's dense throughput
  auto& l1 = b.add_index_launch(loop, first, {1}, flops);
  b.arg(l1, part, AppBuilder::identity(1), Privilege::ReadOnly, b.fields(part, {"v"}));
  auto& l2 = b.add_index_launch(loop, second, {1}, flops);
  b.arg(l2, part, AppBuilder::identity(1), Privilege::ReadOnly, b.fields(part, {"v"}));
  auto result = b.finish({app::Metric::Kind::ElapsedTime, 0, ""});
  EXPECT_TRUE(result.app) << (result.errors.empty() ? "" : result.errors[0]);
  return *result.app;
}

// The FBMEM circuit stall: a reader's copy filled GPU 0's framebuffer, and a later reader on
// another GPU took its data from there, waiting for the first reader to *complete*. In Legion
// readers do not wait for each other; a copy from a filled instance waits only for the copy
// that filled it.
TEST(Simulator, ReadersOfOneCopyDoNotWaitForEachOther) {
  const std::string policy =
      "Task * GPU;\nRegion * * GPU FBMEM;\nm = Machine(GPU);\n"
      "def g0(Task t) { return m[0, 0]; }\ndef g1(Task t) { return m[0, 1]; }\n"
      "def g2(Task t) { return m[0, 2]; }\n"
      "IndexTaskMap produce g2;\nIndexTaskMap first g0;\nIndexTaskMap second g1;";
  Result r = run(two_readers_app(), p100(), policy, true);
  ASSERT_TRUE(r.ok) << r.errors;
  EXPECT_GT(r.elapsed_s, 0.1);
  EXPECT_LT(r.elapsed_s, 0.101);  // the two readers overlap (serialised: 0.2 s)
}

// Copies go as soon as their own source is ready: a chain through a reader's filled copy
// waits for that copy's arrival only. On two nodes the second reader on node 0 takes the data
// from the first reader's framebuffer (one PCIe hop, cheaper than the network).
TEST(Simulator, CopyFromAFilledInstanceWaitsOnlyForTheFill) {
  const std::string policy =
      "Task * GPU;\nRegion * * GPU FBMEM;\nm = Machine(GPU);\n"
      "def g0(Task t) { return m[0, 0]; }\ndef g1(Task t) { return m[0, 1]; }\n"
      "def far(Task t) { return m[1, 0]; }\n"
      "IndexTaskMap produce far;\nIndexTaskMap first g0;\nIndexTaskMap second g1;";
  Result r = run(two_readers_app(), p100(2), policy, true);
  ASSERT_TRUE(r.ok) << r.errors;
  EXPECT_GT(r.elapsed_s, 0.1);
  EXPECT_LT(r.elapsed_s, 0.101);
}

TEST(Simulator, CircuitFramebufferVariantDoesNotStall) {
  auto loaded = app::builtin_app("circuit", app::MachineFacts{1, 4, 4});
  ASSERT_TRUE(loaded.app);
  machine::Machine m = p100();
  std::string expert(app::expert_policy("circuit"));
  std::string fb = expert;
  for (auto at = fb.find("ZCMEM"); at != std::string::npos; at = fb.find("ZCMEM"))
    fb.replace(at, 5, "FBMEM");
  Result zc_run = run(*loaded.app, m, expert, true);
  Result fb_run = run(*loaded.app, m, fb, true);
  ASSERT_TRUE(zc_run.ok && fb_run.ok) << zc_run.errors << fb_run.errors;
  // Both are bound by calculate_new_currents (compute); the framebuffer variant's few copies
  // between GPUs overlap it instead of stalling each iteration by a whole task.
  EXPECT_LT(fb_run.elapsed_s, 1.02 * zc_run.elapsed_s);
  EXPECT_GT(fb_run.elapsed_s, 0.98 * zc_run.elapsed_s);
}

}  // namespace
}  // namespace mapforge::sim

namespace mapforge::sim {
namespace {

// Back-pressure that starves itself: a task holds one of the node's InstanceLimit slots while it
// waits for data that only a task still waiting for a slot will bring. Legion would hang; the run
// fails with the assertion the published mapper printed, naming how many tasks never ran.
TEST(Simulator, InstanceLimitDeadlockFailsTheRunInsteadOfEndingEarly) {
  auto m = machine::builtin_machine("lassen", 4).value();
  app::MachineFacts facts{4, 4, m.processors_per_node(machine::ProcKind::CPU)};
  auto program = app::builtin_app("circuit", facts);
  ASSERT_TRUE(program.app);
  // The expert's placement (a linear block of pieces per GPU) with one calculate_new_currents
  // instance per node: each holder waits for ghost data a waiting point would bring.
  Result r =
      run(*program.app, m,
          std::string(app::expert_policy("circuit")) + "InstanceLimit calculate_new_currents 1;\n");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.errors.find("Assertion 'event.exists()' failed: InstanceLimit back-pressure "
                          "deadlocked the run: "),
            std::string::npos)
      << r.errors;
  EXPECT_NE(r.errors.find("point tasks never ran (the first is calculate_new_currents"),
            std::string::npos);
  // A limit that leaves room runs to the end.
  EXPECT_TRUE(run(*program.app, m, "InstanceLimit distribute_charge 1;\n").ok);
}

}  // namespace
}  // namespace mapforge::sim

namespace mapforge::sim {
namespace {

// A GEMM streams its operands once per tile of the other dimension (app's gemm_passes): from
// the framebuffer that hides behind the arithmetic; from zero-copy memory it crosses the bus.
TEST(Simulator, GemmOperandsInZeroCopyMemoryCostTheirReReads) {
  auto m = machine::builtin_machine("p100-node").value();
  auto program = app::builtin_app("cannon", app::MachineFacts{1, 4, 20});
  ASSERT_TRUE(program.app);
  const std::string expert(app::expert_policy("cannon"));
  Result fb = run(*program.app, m, expert);
  Result zc = run(*program.app, m, "Region task_4 A GPU ZCMEM;\n" + expert);
  ASSERT_TRUE(fb.ok && zc.ok) << fb.errors << zc.errors;
  // Each step reads its A tile (10000 x 10000 doubles, 78 re-reads) over PCIe
  // (about 12 GB/s): about 5 s against 0.29 s of arithmetic per leaf.
  EXPECT_GT(zc.elapsed_s, 3 * fb.elapsed_s);
}

}  // namespace
}  // namespace mapforge::sim
