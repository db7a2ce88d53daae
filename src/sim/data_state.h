// The runtime's view of data: dependences between point tasks (per block and field), which
// memories hold valid copies, and the physical instances with real capacity accounting.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/app.h"
#include "sim/topology.h"

namespace mapforge::sim {

/// A copy the runtime issues: `bytes` from `src` to `dst`, which may start once task
/// `after` (the one that made the source valid; -1: nothing) has completed, or, when
/// `after_copy` >= 0, once copy `after_copy` of task `after` (the copy that filled the source
/// instance for an earlier reader) has arrived.
struct CopyReq {
  int src = -1;
  int dst = -1;
  double bytes = 0;
  int after = -1;
  int arg = 0;
  int after_copy = -1;
};

/// Why an instance could not be made: the bytes asked for and free in that memory.
struct AllocationFailure {
  double requested = 0;
  double free = 0;
};

class DataState {
 public:
  DataState(const app::App& app, const Topology& topology);

  /// Records task `id`'s access and appends the tasks it must wait for (conflicting earlier
  /// accesses: one of the two writes, unless both reduce with the same operator).
  void depend(int id, int region, std::span<const std::int32_t> blocks, std::span<const int> fields,
              app::Privilege privilege, app::ReduceOp op, std::vector<int>& deps);

  /// The copies that make (blocks, fields) valid in `mem` before task `id` reads them; none for
  /// a write that discards or a reduction (which starts from an empty reduction instance). A
  /// read-only copy makes `mem` a valid source at once, for later readers, gated on that copy's
  /// arrival; a reader that finds its data filled there by another task's copy gets a wait
  /// (a copy with src == dst and no bytes) on that copy. An `untracked` read (CollectMemory:
  /// Legion's untracked_valid_regions) leaves no valid copy behind for later readers.
  void copies_in(int id, int region, std::span<const std::int32_t> blocks,
                 std::span<const int> fields, int mem, app::Privilege privilege, int arg,
                 bool untracked, std::vector<CopyReq>& out, std::string& missing_channel);
  /// Updates valid copies after task `id` ran with this access; returns the fold copies a
  /// reduction needs (its contributions applied where the data is valid).
  void after_access(int id, int region, std::span<const std::int32_t> blocks,
                    std::span<const int> fields, int mem, app::Privilege privilege, int arg,
                    bool untracked, std::vector<CopyReq>& folds);

  /// Finds a compatible instance in `mem` or makes one (reclaiming collectable instances
  /// first). `window` pins the instances of the tasks that are mapped and unfinished together:
  /// a launch, or under InstanceLimit N the N points of a task a node holds at once. Windows
  /// only grow.
  std::optional<AllocationFailure> acquire(int mem, int region,
                                           std::span<const std::int32_t> blocks,
                                           std::span<const int> fields, bool soa, bool c_order,
                                           std::int64_t window, bool collect_after);
  double high_water(int mem) const { return high_water_[static_cast<std::size_t>(mem)]; }
  double used(int mem) const { return used_[static_cast<std::size_t>(mem)]; }
  std::int64_t instances_created() const { return instances_created_; }
  std::int64_t instances_collected() const { return instances_collected_; }
  /// Elements of the blocks, and bytes of those blocks for the fields.
  double bytes(int region, std::span<const std::int32_t> blocks, std::span<const int> fields) const;

 private:
  struct Valid {
    int mem;
    int since;      // the task whose completion made this copy valid, or whose copy filled it
    int copy = -1;  // >= 0: valid once copy `copy` of task `since` has arrived
  };
  struct Access {
    int writer = -1;
    std::vector<int> readers;
    std::vector<int> reducers;
    app::ReduceOp op = app::ReduceOp::None;
  };
  struct Instance {
    int mem = 0;
    int region = 0;
    std::vector<std::int32_t> blocks;  // sorted
    std::vector<int> fields;           // sorted
    bool soa = true;
    bool c_order = false;
    double bytes = 0;
    std::int64_t last_window = 0;
    bool collect_after = false;  // CollectMemory: reclaimable once its task ended
    bool live = true;
  };

  std::size_t slot(int region, std::int32_t block, int field) const {
    return static_cast<std::size_t>(block) * fields_of_[static_cast<std::size_t>(region)] +
           static_cast<std::size_t>(field);
  }
  double copy_estimate(int src, int dst, double bytes) const;
  bool valid_in(int region, std::size_t s, int mem) const;
  void drop_validity(const Instance& instance);
  std::vector<std::uint16_t>& coverage(int mem, int region);
  bool holds_only_copy(const Instance& instance) const;

  const app::App& app_;
  const Topology& topology_;
  std::vector<std::size_t> fields_of_;
  std::vector<std::vector<std::vector<Valid>>> valid_;  // [region][block * F + field]
  std::vector<std::vector<Access>> access_;             // [region][block * F + field]
  std::vector<Instance> instances_;
  std::vector<std::vector<int>> by_memory_;  // live instance ids per memory
  std::unordered_map<std::int64_t, std::vector<std::uint16_t>> coverage_;  // (mem, region)
  std::vector<double> used_, high_water_;
  std::int64_t instances_created_ = 0;
  std::int64_t instances_collected_ = 0;
};

}  // namespace mapforge::sim
