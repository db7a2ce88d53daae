// The Legion machine as the mapping language sees it: processors and memories named by kind,
// node and index, and the memory of a kind a processor reaches with the highest bandwidth.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dsl/dsl.h"
#include "legion.h"

namespace mapforge::legion {

using Legion::Machine;
using Legion::Memory;
using Legion::Processor;

std::optional<dsl::ProcKind> to_dsl(Processor::Kind kind);
std::optional<Processor::Kind> to_legion(dsl::ProcKind kind);
std::optional<dsl::MemKind> to_dsl(Memory::Kind kind);
/// VIRTUAL has no Realm memory kind: nullopt.
std::optional<Memory::Kind> to_legion(dsl::MemKind kind);

/// A snapshot of the machine taken at start-up. Within a node, processors of one kind are
/// numbered in the order of their Realm ids, so `Machine(CPU)[n, i]` is the i-th CPU of node n
/// on every node and in every process.
class MachineModel {
 public:
  explicit MachineModel(const Machine& machine);

  /// Nodes, processors of each kind per node (the smallest count over the nodes, so that the
  /// language's machine is rectangular) and the memory kinds each processor kind reaches.
  const dsl::MachineShape& shape() const { return shape_; }

  std::optional<dsl::ProcessorId> id_of(Processor proc) const;
  /// The processor at a machine point; NO_PROC when the point is outside this machine.
  Processor processor(const dsl::ProcessorId& id) const;
  const std::vector<Processor>& processors(int node, dsl::ProcKind kind) const;

  /// The memory of `kind` with affinity to `proc` and the highest bandwidth; NO_MEMORY if none.
  Memory best_memory(Processor proc, dsl::MemKind kind) const;
  /// The memory with affinity to `proc` and the highest bandwidth, of any kind.
  Memory best_memory(Processor proc) const;

  /// "CPU 2 of node 0 (1d00000000000004)", for messages.
  std::string describe(Processor proc) const;
  static std::string describe(Memory memory);

 private:
  struct Reach {
    std::array<Memory, dsl::kNumMemKinds> best_of_kind{};
    Memory best_any = Memory::NO_MEMORY;
  };
  dsl::MachineShape shape_;
  // by node, then by kind
  std::vector<std::array<std::vector<Processor>, dsl::kNumProcKinds>> procs_;
  std::map<Processor, dsl::ProcessorId> ids_;
  std::map<Processor, Reach> reach_;
};

}  // namespace mapforge::legion
