// Benchmarks of the mapping language: loading a large policy, and the Mapper queries a runtime
// asks on its hot path (placement of launch points, first time and cached; region, layout and
// kind lookups).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "dsl/dsl.h"

namespace {

using mapforge::dsl::IndexPoint;
using mapforge::dsl::MachineShape;
using mapforge::dsl::Mapper;
using mapforge::dsl::MemKind;
using mapforge::dsl::Policy;
using mapforge::dsl::ProcKind;
using mapforge::dsl::RegionArg;

constexpr int kNumTasks = 100;
constexpr int kNumFunctions = 20;

// One of the four expert-mapper function shapes of DSL.md §4, renamed to `name`.
std::string mapping_function(int index) {
  const std::string name = "map_" + std::to_string(index);
  switch (index % 4) {
    case 0:
      return "def " + name +
             "(Task task) {            # block over nodes, then GPUs\n"
             "    ip = task.ipoint;\n"
             "    return mgpu[ip[0] / mgpu.size[1] % mgpu.size[0], ip[0] % mgpu.size[1]];\n"
             "}\n";
    case 1:
      return "def " + name +
             "(Task task) {            # round-robin over nodes, then GPUs\n"
             "    ip = task.ipoint;\n"
             "    return mgpu[ip[0] % mgpu.size[0], ip[0] / mgpu.size[0] % mgpu.size[1]];\n"
             "}\n";
    case 2:
      return "def " + name +
             "(Task task) {            # 2-D: block over nodes, cyclic over GPUs\n"
             "    m = mgpu.decompose(0, task.ispace);\n"
             "    m = m.decompose(2, task.ispace / m[:-1]);\n"
             "    ip = task.ipoint;\n"
             "    return m[ip[0] * m.size[0] / task.ispace[0], ip[1] * m.size[1] / "
             "task.ispace[1],\n"
             "             ip[0] % m.size[2], ip[1] % m.size[3]];\n"
             "}\n";
    default:
      return "def " + name +
             "(Task task) {            # on the parent's processor\n"
             "    return mgpu[*task.parent.processor(mgpu)];\n"
             "}\n";
  }
}

// A realistic policy of about 1000 lines: statements of every kind for kNumTasks tasks and
// kNumFunctions mapping functions, in the style of the expert mappers of APPS.md.
std::string large_policy() {
  std::string text =
      "# generated benchmark policy\n"
      "Task * GPU,CPU;\n"
      "Region * * GPU FBMEM,ZCMEM;\n"
      "Region * * * SYSMEM;\n"
      "Layout * * * SOA C_order;\n"
      "mgpu = Machine(GPU);\n"
      "mcpu = Machine(CPU);\n\n";
  for (int f = 0; f < kNumFunctions; ++f) text += mapping_function(f) + "\n";
  std::string replicated;
  for (int t = 0; t < kNumTasks; ++t) {
    const std::string task = "task_" + std::to_string(t);
    const std::string function = "map_" + std::to_string(t % kNumFunctions);
    text += "Task " + task + (t % 3 == 0 ? " GPU,OMP,CPU;\n" : " GPU,CPU;\n");
    text += "Region " + task + " rp_private GPU FBMEM;\n";
    text += "Region " + task + " rp_shared GPU ZCMEM,FBMEM;\n";
    text += "Region " + task + " " + std::to_string(t % 4) + " CPU SYSMEM,SOCKMEM;\n";
    text += "Layout " + task + " * FBMEM SOA F_order Align==128;\n";
    text += "Layout " + task + " rp_shared ZCMEM AOS C_order Compact;\n";
    text += "InstanceLimit " + task + " GPU " + std::to_string(1 + t % 8) + ";\n";
    text += "CollectMemory " + task + " rp_ghost;\n";
    text += (t % kNumFunctions % 4 == 3 ? "SingleTaskMap " : "IndexTaskMap ") + task + " " +
            function + ";\n";
    if (t % 10 == 0) replicated += (replicated.empty() ? "" : ",") + task;
  }
  text += "ControlReplicate " + replicated + ";\n";
  return text;
}

std::int64_t count_lines(std::string_view text) {
  std::int64_t lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  return lines;
}

// The 2-D expert function of DSL.md §4 and lookups for one task and region.
constexpr std::string_view kStencilPolicy = R"(
Task * GPU,CPU;
Task check CPU;
Region stencil private GPU FBMEM,ZCMEM;
Region stencil * * SYSMEM;
Region * * GPU ZCMEM;
Layout stencil private FBMEM SOA F_order Align==128;
Layout * * * SOA C_order;
mgpu = Machine(GPU);
def tiles2d(Task task) {            # 2-D launch: block over nodes, cyclic over GPUs
    m = mgpu.decompose(0, task.ispace);
    m = m.decompose(2, task.ispace / m[:-1]);
    ip = task.ipoint;
    return m[ip[0] * m.size[0] / task.ispace[0], ip[1] * m.size[1] / task.ispace[1],
             ip[0] % m.size[2], ip[1] % m.size[3]];
}
IndexTaskMap stencil tiles2d;
)";

// kStencilPolicy bound to 16 nodes of 40 CPUs and 4 GPUs; nullopt (and the benchmark skipped)
// if it does not load or tiles2d does not place `stencil`.
std::optional<Mapper> stencil_mapper(benchmark::State& state) {
  auto policy = Policy::load("stencil.map", kStencilPolicy);
  if (!policy.ok()) {
    state.SkipWithError(mapforge::dsl::render_all(policy.errors()).c_str());
    return std::nullopt;
  }
  auto mapper = Mapper::create(policy.value(), MachineShape::standard(16, 40, 4, 0));
  if (!mapper.ok()) {
    state.SkipWithError(mapforge::dsl::render_all(mapper.errors()).c_str());
    return std::nullopt;
  }
  // Check that tiles2d places stencil, on a launch domain no benchmark uses.
  const std::array<std::int64_t, 2> point = {1, 2};
  const std::array<std::int64_t, 2> ispace = {8, 8};
  auto placement = mapper->map_index_point("stencil", ProcKind::GPU, IndexPoint{point, ispace});
  if (!placement.ok() || !placement.value()) {
    state.SkipWithError(placement.ok() ? "tiles2d does not place stencil"
                                       : mapforge::dsl::render_all(placement.errors()).c_str());
    return std::nullopt;
  }
  return std::move(mapper.value());
}

void BM_ParseCheck1000Lines(benchmark::State& state) {
  const std::string text = large_policy();
  {
    auto policy = Policy::load("large.map", text);
    if (!policy.ok()) {
      state.SkipWithError(mapforge::dsl::render_all(policy.errors()).c_str());
      return;
    }
  }
  for (auto _ : state) {
    auto policy = Policy::load("large.map", text);
    benchmark::DoNotOptimize(policy);
  }
  const auto lines = count_lines(text);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.counters["lines"] = static_cast<double>(lines);
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ParseCheck1000Lines);

// Each call maps a launch point never mapped before, so no cached placement applies.
void BM_TwoLevelDecomposeFirst(benchmark::State& state) {
  auto mapper = stencil_mapper(state);
  if (!mapper) return;
  constexpr std::int64_t kSide = 4096;
  const std::array<std::int64_t, 2> ispace = {kSide, kSide};
  std::int64_t next = 0;
  for (auto _ : state) {
    const std::array<std::int64_t, 2> point = {next / kSide % kSide, next % kSide};
    ++next;
    auto placement = mapper->map_index_point("stencil", ProcKind::GPU, IndexPoint{point, ispace});
    if (!placement.ok()) {
      state.SkipWithError(mapforge::dsl::render_all(placement.errors()).c_str());
      break;
    }
    benchmark::DoNotOptimize(placement);
  }
}
BENCHMARK(BM_TwoLevelDecomposeFirst);

// The same launch point again and again: the cached placement.
void BM_TwoLevelDecomposeCached(benchmark::State& state) {
  auto mapper = stencil_mapper(state);
  if (!mapper) return;
  const std::array<std::int64_t, 2> ispace = {64, 64};
  const std::array<std::int64_t, 2> point = {37, 21};
  const IndexPoint index_point{point, ispace};
  (void)mapper->map_index_point("stencil", ProcKind::GPU, index_point);  // fills the cache
  for (auto _ : state) {
    auto placement = mapper->map_index_point("stencil", ProcKind::GPU, index_point);
    benchmark::DoNotOptimize(placement);
  }
}
BENCHMARK(BM_TwoLevelDecomposeCached);

void BM_CachedRegionLookup(benchmark::State& state) {
  auto mapper = stencil_mapper(state);
  if (!mapper) return;
  const RegionArg arg{"private", 0};
  for (auto _ : state) {
    auto memories = mapper->region_memories("stencil", arg, ProcKind::GPU);
    auto memory = mapper->select_memory("stencil", arg, ProcKind::GPU);
    auto layout = mapper->layout("stencil", arg, memory.value_or(MemKind::FBMEM));
    benchmark::DoNotOptimize(memories);
    benchmark::DoNotOptimize(memory);
    benchmark::DoNotOptimize(layout);
  }
}
BENCHMARK(BM_CachedRegionLookup);

void BM_CachedKindLookup(benchmark::State& state) {
  auto mapper = stencil_mapper(state);
  if (!mapper) return;
  constexpr std::array<ProcKind, 2> kVariants = {ProcKind::CPU, ProcKind::GPU};
  for (auto _ : state) {
    auto kind = mapper->select_kind("stencil", kVariants);
    benchmark::DoNotOptimize(kind);
  }
}
BENCHMARK(BM_CachedKindLookup);

}  // namespace
