// Names of processor and memory kinds, and the standard machine shape.
#include <algorithm>

#include "dsl/dsl.h"

namespace mapforge::dsl {
namespace {

constexpr std::array<std::string_view, kNumProcKinds> kProcNames = {"CPU", "GPU", "OMP",
                                                                    "IO",  "PY",  "PROC"};
constexpr std::array<std::string_view, kNumMemKinds> kMemNames = {"SYSMEM", "FBMEM",   "ZCMEM",
                                                                  "RDMEM",  "SOCKMEM", "VIRTUAL"};

}  // namespace

std::string_view to_string(ProcKind kind) { return kProcNames[static_cast<int>(kind)]; }
std::string_view to_string(MemKind kind) { return kMemNames[static_cast<int>(kind)]; }

std::optional<ProcKind> parse_proc_kind(std::string_view word) {
  for (ProcKind kind : kAllProcKinds)
    if (to_string(kind) == word) return kind;
  return std::nullopt;
}

std::optional<MemKind> parse_mem_kind(std::string_view word) {
  for (MemKind kind : kAllMemKinds)
    if (to_string(kind) == word) return kind;
  return std::nullopt;
}

MachineShape MachineShape::standard(int nodes, int cpus, int gpus, int omps,
                                    std::vector<MemKind> memories) {
  MachineShape shape;
  shape.nodes = nodes;
  shape.procs_per_node[static_cast<int>(ProcKind::CPU)] = cpus;
  shape.procs_per_node[static_cast<int>(ProcKind::GPU)] = gpus;
  shape.procs_per_node[static_cast<int>(ProcKind::OMP)] = omps;
  auto exists = [&](MemKind mem) {
    return std::find(memories.begin(), memories.end(), mem) != memories.end();
  };
  // Affinities as Legion reports them: host processors reach the host memories, a GPU its own
  // framebuffer and the pinned zero-copy memory.
  const std::vector<MemKind> host = {MemKind::SYSMEM, MemKind::SOCKMEM, MemKind::ZCMEM,
                                     MemKind::RDMEM};
  const std::vector<MemKind> device = {MemKind::FBMEM, MemKind::ZCMEM};
  for (ProcKind kind : kAllProcKinds) {
    const auto& candidates = kind == ProcKind::GPU ? device : host;
    for (MemKind mem : candidates)
      if (exists(mem)) shape.visible_memories[static_cast<int>(kind)].push_back(mem);
  }
  return shape;
}

bool MachineShape::sees(ProcKind proc, MemKind mem) const {
  const auto& mems = visible_memories[static_cast<int>(proc)];
  return std::find(mems.begin(), mems.end(), mem) != mems.end();
}

std::string LayoutConstraint::word() const {
  switch (kind) {
    case Kind::SOA:
      return "SOA";
    case Kind::AOS:
      return "AOS";
    case Kind::C_order:
      return "C_order";
    case Kind::F_order:
      return "F_order";
    case Kind::Compact:
      return "Compact";
    case Kind::Exact:
      return "Exact";
    case Kind::NoAlign:
      return "No_Align";
    case Kind::Align:
      break;
  }
  static constexpr std::array<std::string_view, 6> kOps = {"==", "!=", "<", "<=", ">", ">="};
  return "Align" + std::string(kOps[static_cast<int>(cmp)]) + std::to_string(bytes);
}

}  // namespace mapforge::dsl
