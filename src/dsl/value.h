// Run-time values of the language and the task context a mapping function sees.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dsl/dsl.h"
#include "dsl/machine_space.h"

namespace mapforge::dsl {

using Tuple = std::vector<std::int64_t>;

/// What `task` means inside a mapping function: the task being mapped, or its parent.
struct TaskContext {
  std::string_view name;
  bool is_index = false;  // an index-launch point (ipoint/ispace are meaningful)
  std::span<const std::int64_t> ipoint;
  std::span<const std::int64_t> ispace;
  const TaskContext* parent = nullptr;
  std::optional<ProcessorId> processor;  // known for parents, not for the task being mapped
};

/// One processor (`is_set == false`) or a set of processors named with '*'.
struct ProcSet {
  std::vector<ProcessorId> procs;
  bool is_set = false;
};

using Value = std::variant<std::monostate, std::int64_t, bool, Tuple, SpacePtr, const TaskContext*,
                           ProcSet, ProcKind, MemKind>;

/// "int", "tuple", "machine", ...
std::string_view value_type_name(const Value& value);
/// Canonical text: 7, True, (2, 1, 2), (4,), Machine(GPU, (2, 4)), GPU[node 0, 1], FBMEM.
std::string render(const Value& value);
EvalValue to_eval_value(const Value& value);

}  // namespace mapforge::dsl
