// The family of parameterised mapping functions the agents draw from (DESIGN.md §6): index-launch
// placements and same-as-parent for single tasks, written out as policy text for any processor
// kind and launch dimensionality.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dsl/dsl.h"

namespace mapforge::search {

enum class IndexTemplate {
  Block,        // points in row-major order, contiguous runs per processor (node-major)
  Cyclic,       // round-robin over nodes, then over the processors of a node
  BlockCyclic,  // runs of `block` points dealt round-robin over all processors
  NodeBlock,    // contiguous runs per node, cyclic over the node's processors
  Tiles,        // n-D: decompose the launch over nodes (blocks), then over processors (cyclic)
  TilesBlock,   // n-D: decompose over nodes and processors, both blocked
};
inline constexpr int kNumIndexTemplates = 6;

std::string_view to_string(IndexTemplate t);
std::vector<IndexTemplate> index_templates();

/// A mapping function ready to paste into a policy: the machine global it uses and its `def`.
struct MappingFunction {
  std::string name;        // e.g. "tiles_gpu_2d"
  std::string machine;     // the global it reads, e.g. "m_gpu"
  std::string assignment;  // "m_gpu = Machine(GPU);"
  std::string definition;  // "def tiles_gpu_2d(Task task) { ... }"
};

/// `block` is used by BlockCyclic only (>= 1).
MappingFunction index_function(IndexTemplate t, dsl::ProcKind kind, int dims, int block = 1);
/// A single task on the processor its parent runs on.
MappingFunction same_as_parent(dsl::ProcKind kind);

std::string machine_global(dsl::ProcKind kind);

}  // namespace mapforge::search
