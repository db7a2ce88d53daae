// The search space of an app on a machine (DESIGN.md §6), encoded as parameters so that
// `random`, `opentuner` and `exhaustive` can move through it: every point renders to a complete
// policy file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "search/agent.h"
#include "search/templates.h"

namespace mapforge::search {

struct Param {
  enum class Kind { Choice, Integer };
  std::string name;
  Kind kind = Kind::Choice;
  std::vector<std::string> labels;  // Choice: what each value means (value = index)
  std::int64_t lo = 0, hi = 0;      // Integer: inclusive bounds
  std::int64_t count() const {
    return kind == Kind::Choice ? std::int64_t(labels.size()) : hi - lo + 1;
  }
};

using Point = std::vector<std::int64_t>;

class Space {
 public:
  enum class Granularity {
    Full,     // per task a kind, per (task, argument) a memory, layout and collection choice,
              // per index task a mapping function, per task an instance limit
    Reduced,  // per task a kind, per region name a memory, one layout, per launch
              // dimensionality one mapping function
    Small,    // the runtime's kinds; per region name FBMEM or ZCMEM for GPU tasks; one layout
              // (default, SOA C, SOA F); per launch dimensionality default, block, cyclic or
              // tiles; same-as-parent or not: small enough to enumerate (`exhaustive`)
  };
  static Space build(const Problem& problem, Granularity granularity);

  const std::vector<Param>& params() const { return params_; }
  /// The point whose every choice is "leave it to the runtime" (renders to the empty policy).
  Point origin() const;
  /// Number of distinct points (a double: it overflows integers quickly).
  double size() const;
  /// The policy of a point (values out of range are clamped).
  std::string render(const Point& point) const;

 private:
  enum class Role { Kind, Memory, Layout, Collect, Limit, IndexMap, Block, SingleMap };
  struct Slot {
    Role role;
    int task = -1;  // index into the problem's tasks; -1 for wildcards
    int arg = -1;
    std::string region = {};  // Reduced memory: the region name
    dsl::ProcKind kind = dsl::ProcKind::CPU;
    int dims = 0;  // Reduced index maps: the launch dimensionality they serve
  };
  void add(Param param, Slot slot);

  Problem problem_;
  Granularity granularity_ = Granularity::Full;
  std::vector<Param> params_;
  std::vector<Slot> slots_;
  std::vector<std::vector<dsl::ProcKind>> kind_options_;  // per task
};

/// Processor kinds a task can run on on this machine, best first (GPU, OMP, CPU, others).
std::vector<dsl::ProcKind> runnable_kinds(const TaskInfo& task, const dsl::MachineShape& machine);

inline const std::vector<std::string>& layout_choices() {
  static const std::vector<std::string> choices = {"", "SOA C_order", "SOA F_order", "AOS C_order",
                                                   "AOS F_order"};
  return choices;
}

}  // namespace mapforge::search
