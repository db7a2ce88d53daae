#include "legion/machine_model.h"

#include <algorithm>
#include <cstdio>

namespace mapforge::legion {

std::optional<dsl::ProcKind> to_dsl(Processor::Kind kind) {
  switch (kind) {
    case Processor::LOC_PROC:
      return dsl::ProcKind::CPU;
    case Processor::TOC_PROC:
      return dsl::ProcKind::GPU;
    case Processor::OMP_PROC:
      return dsl::ProcKind::OMP;
    case Processor::IO_PROC:
      return dsl::ProcKind::IO;
    case Processor::PY_PROC:
      return dsl::ProcKind::PY;
    case Processor::PROC_SET:
      return dsl::ProcKind::PROC;
    default:
      return std::nullopt;  // utility processors and groups are not mapping targets
  }
}

std::optional<Processor::Kind> to_legion(dsl::ProcKind kind) {
  switch (kind) {
    case dsl::ProcKind::CPU:
      return Processor::LOC_PROC;
    case dsl::ProcKind::GPU:
      return Processor::TOC_PROC;
    case dsl::ProcKind::OMP:
      return Processor::OMP_PROC;
    case dsl::ProcKind::IO:
      return Processor::IO_PROC;
    case dsl::ProcKind::PY:
      return Processor::PY_PROC;
    case dsl::ProcKind::PROC:
      return Processor::PROC_SET;
  }
  return std::nullopt;
}

std::optional<dsl::MemKind> to_dsl(Memory::Kind kind) {
  switch (kind) {
    case Memory::SYSTEM_MEM:
      return dsl::MemKind::SYSMEM;
    case Memory::GPU_FB_MEM:
      return dsl::MemKind::FBMEM;
    case Memory::Z_COPY_MEM:
      return dsl::MemKind::ZCMEM;
    case Memory::REGDMA_MEM:
      return dsl::MemKind::RDMEM;
    case Memory::SOCKET_MEM:
      return dsl::MemKind::SOCKMEM;
    default:
      return std::nullopt;  // disk, file, HDF5, global and managed memories have no DSL name
  }
}

std::optional<Memory::Kind> to_legion(dsl::MemKind kind) {
  switch (kind) {
    case dsl::MemKind::SYSMEM:
      return Memory::SYSTEM_MEM;
    case dsl::MemKind::FBMEM:
      return Memory::GPU_FB_MEM;
    case dsl::MemKind::ZCMEM:
      return Memory::Z_COPY_MEM;
    case dsl::MemKind::RDMEM:
      return Memory::REGDMA_MEM;
    case dsl::MemKind::SOCKMEM:
      return Memory::SOCKET_MEM;
    case dsl::MemKind::VIRTUAL:
      return std::nullopt;
  }
  return std::nullopt;
}

MachineModel::MachineModel(const Machine& machine) {
  const int nodes = std::max<int>(1, static_cast<int>(machine.get_address_space_count()));
  procs_.resize(static_cast<std::size_t>(nodes));
  Machine::ProcessorQuery all_procs(machine);
  std::vector<Processor> sorted(all_procs.begin(), all_procs.end());
  std::sort(sorted.begin(), sorted.end());
  for (Processor proc : sorted) {
    auto kind = to_dsl(proc.kind());
    auto node = static_cast<std::size_t>(proc.address_space());
    if (!kind || node >= procs_.size()) continue;
    auto& list = procs_[node][static_cast<std::size_t>(*kind)];
    ids_[proc] = dsl::ProcessorId{static_cast<int>(node), static_cast<int>(list.size()), *kind};
    list.push_back(proc);
  }

  shape_.nodes = nodes;
  for (dsl::ProcKind kind : dsl::kAllProcKinds) {
    auto k = static_cast<std::size_t>(kind);
    std::size_t fewest = procs_[0][k].size();
    for (const auto& node : procs_) fewest = std::min(fewest, node[k].size());
    shape_.procs_per_node[k] = static_cast<int>(fewest);
  }

  std::vector<Machine::ProcessorMemoryAffinity> affinities;
  for (Processor proc : sorted) {
    auto kind = to_dsl(proc.kind());
    if (!kind) continue;
    Reach reach;
    unsigned best_any = 0;
    std::array<unsigned, dsl::kNumMemKinds> best_of_kind{};
    affinities.clear();
    machine.get_proc_mem_affinity(affinities, proc, Memory::NO_MEMORY, false /*local only*/);
    for (const auto& affinity : affinities) {
      if (affinity.m.capacity() == 0) continue;
      if (!reach.best_any.exists() || affinity.bandwidth > best_any) {
        reach.best_any = affinity.m;
        best_any = affinity.bandwidth;
      }
      auto mem_kind = to_dsl(affinity.m.kind());
      if (!mem_kind) continue;
      auto m = static_cast<std::size_t>(*mem_kind);
      if (!reach.best_of_kind[m].exists() || affinity.bandwidth > best_of_kind[m]) {
        reach.best_of_kind[m] = affinity.m;
        best_of_kind[m] = affinity.bandwidth;
      }
      auto& visible = shape_.visible_memories[static_cast<std::size_t>(*kind)];
      if (std::find(visible.begin(), visible.end(), *mem_kind) == visible.end())
        visible.push_back(*mem_kind);
    }
    reach_[proc] = reach;
  }
  for (auto& visible : shape_.visible_memories) std::sort(visible.begin(), visible.end());
}

std::optional<dsl::ProcessorId> MachineModel::id_of(Processor proc) const {
  auto it = ids_.find(proc);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

Processor MachineModel::processor(const dsl::ProcessorId& id) const {
  if (id.node < 0 || static_cast<std::size_t>(id.node) >= procs_.size() || id.index < 0)
    return Processor::NO_PROC;
  const auto& list = procs_[static_cast<std::size_t>(id.node)][static_cast<std::size_t>(id.kind)];
  if (static_cast<std::size_t>(id.index) >= list.size()) return Processor::NO_PROC;
  return list[static_cast<std::size_t>(id.index)];
}

const std::vector<Processor>& MachineModel::processors(int node, dsl::ProcKind kind) const {
  static const std::vector<Processor> none;
  if (node < 0 || static_cast<std::size_t>(node) >= procs_.size()) return none;
  return procs_[static_cast<std::size_t>(node)][static_cast<std::size_t>(kind)];
}

Memory MachineModel::best_memory(Processor proc, dsl::MemKind kind) const {
  auto it = reach_.find(proc);
  if (it == reach_.end()) return Memory::NO_MEMORY;
  return it->second.best_of_kind[static_cast<std::size_t>(kind)];
}

Memory MachineModel::best_memory(Processor proc) const {
  auto it = reach_.find(proc);
  return it == reach_.end() ? Memory::NO_MEMORY : it->second.best_any;
}

std::string MachineModel::describe(Processor proc) const {
  char hex[32];
  std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(proc.id));
  auto id = id_of(proc);
  if (!id) return std::string("processor ") + hex;
  return std::string(dsl::to_string(id->kind)) + " " + std::to_string(id->index) + " of node " +
         std::to_string(id->node) + " (" + hex + ")";
}

std::string MachineModel::describe(Memory memory) {
  char hex[32];
  std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(memory.id));
  auto kind = to_dsl(memory.kind());
  return std::string(kind ? dsl::to_string(*kind) : "memory") + " (" + hex + ")";
}

}  // namespace mapforge::legion
