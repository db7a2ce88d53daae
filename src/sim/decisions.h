// Mapping decisions for the simulator: the policy's answers through dsl::Mapper, and the
// runtime's defaults (DESIGN.md §4.1) where the policy is silent. Each answer says whether the
// policy or the default made it, so that costs can be traced back to decisions.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/app.h"
#include "dsl/dsl.h"
#include "sim/topology.h"

namespace mapforge::sim {

struct KindChoice {
  std::optional<machine::ProcKind> kind;
  bool from_policy = false;
  std::string error;  // runtime-style message when no kind can run the task
};

struct Placement {
  std::vector<int> procs;  // one processor, or a set on one node
  bool from_policy = false;
  std::string error;
};

struct MemoryChoice {
  int mem = -1;
  bool from_policy = false;
  std::string error;
};

struct LayoutChoice {
  bool soa = true;       // field dimension last
  bool c_order = false;  // Legion's default is Fortran order
  bool from_policy = false;
};

class Decisions {
 public:
  Decisions(const app::App& app, const Topology& topology, const dsl::Mapper* mapper);

  const KindChoice& kind(int task);
  Placement place_index(int task, machine::ProcKind kind, std::span<const std::int64_t> point,
                        std::span<const std::int64_t> domain, std::optional<int> parent);
  /// A point of a nested index launch (app::Launch::parent_block): `point` within `block`, the
  /// launch its parent point (on processor `parent`) issued.
  Placement place_nested(int task, machine::ProcKind kind, std::span<const std::int64_t> point,
                         std::span<const std::int64_t> block, int parent);
  /// A single task (or a leaf launched by an index point); `top_level` when the top-level task
  /// launched it, else `parent` is the launching point's processor.
  Placement place_single(int task, machine::ProcKind kind, int parent, bool top_level);
  /// `region` is the argument's name at the call site (the partition or region passed), which
  /// is what policies name (DSL.md §2); `arg` its position.
  MemoryChoice memory(int task, std::string_view region, int arg, int proc);
  LayoutChoice layout(int task, std::string_view region, int arg, machine::MemKind mem);
  std::optional<std::int64_t> instance_limit(int task, machine::ProcKind kind) const;
  bool collect(int task, std::string_view region, int arg) const;
  /// Whether the top-level task is control-replicated: when the policy names `main` (or `*`),
  /// or when it has no ControlReplicate statement (Legion's default mapper replicates).
  bool replicated() const;

 private:
  Placement default_index(machine::ProcKind kind, std::span<const std::int64_t> point,
                          std::span<const std::int64_t> domain);
  /// The default placement of every point of a domain (Fortran-linearised): processor ids.
  const std::vector<int>& default_slices(machine::ProcKind kind,
                                         std::span<const std::int64_t> domain);
  Placement from_dsl(const dsl::Result<std::optional<dsl::Placement>>& result, int task,
                     bool index);

  const app::App& app_;
  const Topology& topology_;
  const dsl::Mapper* mapper_;
  std::vector<std::optional<KindChoice>> kinds_;
  // Slices per (domain, kind): processor ids for top-level launches, and local processor
  // indices for nested ones.
  std::map<std::vector<std::int64_t>, std::vector<int>> slice_cache_;
  std::map<std::vector<std::int64_t>, std::vector<int>> local_slice_cache_;
  // The default mapper's round-robin counters for single tasks, per processor kind: one for
  // the top-level task's mapper, one per parent processor's mapper.
  std::array<int, machine::kNumProcKinds> next_global_{};
  std::array<std::vector<int>, machine::kNumProcKinds> next_local_{};
};

/// Kind conversions between the modules' enums (they share spellings).
dsl::ProcKind to_dsl(machine::ProcKind kind);
machine::ProcKind to_machine(dsl::ProcKind kind);
machine::ProcKind to_machine(app::VariantKind kind);
std::optional<app::VariantKind> to_variant(machine::ProcKind kind);
machine::KernelClass to_machine(app::KernelClass kernel);
dsl::MemKind to_dsl(machine::MemKind kind);
machine::MemKind to_machine(dsl::MemKind kind);

}  // namespace mapforge::sim
