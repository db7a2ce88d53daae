// libFuzzer target for the mapping language: any input, however malformed, must be checked,
// formatted, loaded and interpreted without a crash, a sanitizer report or a hang
// (DSL.md §5). Formatting must also be idempotent: format(format(x)) == format(x).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/dsl.h"

namespace {

using mapforge::dsl::IndexPoint;
using mapforge::dsl::kAllMemKinds;
using mapforge::dsl::kAllProcKinds;
using mapforge::dsl::MachineShape;
using mapforge::dsl::Mapper;
using mapforge::dsl::Policy;
using mapforge::dsl::ProcessorId;
using mapforge::dsl::ProcKind;
using mapforge::dsl::RegionArg;

constexpr std::string_view kFile = "fuzz.map";
constexpr std::array<std::string_view, 3> kTasks = {"t", "stencil", "task_4"};
constexpr std::array<RegionArg, 4> kArgs = {RegionArg{"r", -1}, RegionArg{"", 0},
                                            RegionArg{"rp_shared", 1}, RegionArg{"private", 2}};
constexpr std::array<std::int64_t, 2> kIspace = {8, 8};
constexpr std::array<std::array<std::int64_t, 2>, 3> kPoints = {{{0, 0}, {1, 3}, {7, 7}}};
constexpr std::array<ProcKind, 2> kGpuCpu = {ProcKind::GPU, ProcKind::CPU};

void check_format_idempotent(std::string_view text) {
  auto once = mapforge::dsl::format(std::string(kFile), text);
  if (!once.ok()) return;
  auto twice = mapforge::dsl::format(std::string(kFile), once.value());
  // Formatted text must still parse, and formatting it again must change nothing.
  if (!twice.ok() || twice.value() != once.value()) __builtin_trap();
}

void ask_everything(const Mapper& mapper) {
  const ProcessorId parent{0, 1, ProcKind::GPU};
  for (std::string_view task : kTasks) {
    (void)mapper.task_kinds(task);
    (void)mapper.select_kind(task, kAllProcKinds);
    (void)mapper.select_kind(task, kGpuCpu);
    (void)mapper.control_replicate(task);
    for (ProcKind kind : kAllProcKinds) {
      (void)mapper.instance_limit(task, kind);
      (void)mapper.has_index_map(task, kind);
      (void)mapper.has_single_map(task, kind);
      for (const RegionArg& arg : kArgs) {
        (void)mapper.region_memories(task, arg, kind);
        (void)mapper.select_memory(task, arg, kind);
      }
      for (const auto& point : kPoints) {
        (void)mapper.map_index_point(task, kind, IndexPoint{point, kIspace});
      }
      (void)mapper.map_single_task(task, kind, parent);
    }
    for (const RegionArg& arg : kArgs) {
      (void)mapper.collect_memory(task, arg);
      for (auto mem : kAllMemKinds) (void)mapper.layout(task, arg, mem);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  (void)mapforge::dsl::check(std::string(kFile), text);
  check_format_idempotent(text);

  auto policy = Policy::load(std::string(kFile), text);
  if (!policy.ok()) return 0;
  auto mapper = Mapper::create(policy.value(), MachineShape::standard(2, 4, 4, 1),
                               [](std::string_view) {});  // print(...) output is not wanted
  if (!mapper.ok()) return 0;
  ask_everything(mapper.value());
  return 0;
}
