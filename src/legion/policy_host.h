// The process-wide side of the plugin: the loaded policy bound to this machine, shared by the
// mapper instances of all local processors (Legion makes one per processor), with a lock, the
// InstanceLimit counters, the sharding-functor slots and the decision trace.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dsl/dsl.h"
#include "legion/legion_mapping.h"
#include "legion/machine_model.h"
#include "legion/options.h"

namespace mapforge::legion {

/// Prints "mapforge: <message>" to stderr and ends the process with status 1. Used for a
/// policy that fails to load and for a decision the policy cannot make; the mapper has no way
/// to carry on that would still follow the policy.
[[noreturn]] void fatal(const std::string& message);

class PolicyHost {
 public:
  /// Reads the options, loads and checks the policy, binds it to the machine and evaluates its
  /// globals; any failure ends the process with the policy's diagnostics. Once per process.
  static PolicyHost& start(const Options& options, const Machine& machine, int local_node);
  /// The host started in this process, or nullptr before start().
  static PolicyHost* get();

  const MachineModel& machine() const { return machine_; }
  bool has_policy() const { return mapper_ != nullptr; }
  int local_node() const { return local_node_; }

  // The policy's answers (empty / nullopt / false where it is silent). Thread-safe.
  std::vector<dsl::ProcKind> task_kinds(const std::string& task);
  std::vector<dsl::MemKind> region_memories(const std::string& task, const std::string& region,
                                            int index, dsl::ProcKind kind);
  std::optional<std::vector<dsl::LayoutConstraint>> layout(const std::string& task,
                                                           const std::string& region, int index,
                                                           dsl::MemKind memory);
  std::optional<std::int64_t> instance_limit(const std::string& task, dsl::ProcKind kind);
  bool collect_memory(const std::string& task, const std::string& region, int index);
  std::optional<bool> control_replicate(const std::string& task);
  bool has_index_map(const std::string& task, dsl::ProcKind kind);
  bool has_single_map(const std::string& task, dsl::ProcKind kind);
  bool task_steal(const std::string& task, dsl::ProcKind kind);
  bool steals_on(dsl::ProcKind kind);

  /// Where a launch point runs; on a failing mapping function the process ends with the task,
  /// the point and the policy location. nullopt when no IndexTaskMap applies.
  std::optional<dsl::Placement> place_index(const std::string& task, dsl::ProcKind kind,
                                            const std::vector<std::int64_t>& point,
                                            const std::vector<std::int64_t>& extents,
                                            std::optional<dsl::ProcessorId> parent);
  /// Where a single task runs; as place_index, for SingleTaskMap.
  std::optional<dsl::Placement> place_single(const std::string& task, dsl::ProcKind kind,
                                             dsl::ProcessorId parent);

  // InstanceLimit back-pressure, counted per node (this process) and task name.
  /// Admits one more instance of the task unless `limit` are mapped and unfinished.
  bool admit(const std::string& task, std::int64_t limit, std::uint64_t unique_id);
  /// A task admitted by admit() finished; returns whether it was counted.
  bool finish(std::uint64_t unique_id);
  /// Counts finish() calls, so that a deferral can tell whether one came in meanwhile.
  std::uint64_t finish_generation();
  /// Registers an event to trigger at the next finish(), unless one happened since
  /// `generation` (then returns false and the caller triggers the event itself).
  bool wait_for_finish(Legion::Mapping::MapperEvent event, std::uint64_t generation);
  std::vector<Legion::Mapping::MapperEvent> take_waiters();

  // Sharding functors: a pool registered at start-up, one slot bound per (task, kind) the
  // first time the task is sharded. nullopt when the pool is used up.
  void set_sharding_base(Legion::ShardingID base, std::size_t slots);
  std::optional<Legion::ShardingID> sharding_functor(const std::string& task, dsl::ProcKind kind);
  std::optional<std::pair<std::string, dsl::ProcKind>> sharding_slot(std::size_t slot);

  /// Appends one line to the decision trace (when -mapping:trace was given).
  void trace(const std::string& line);
  bool tracing() const { return trace_ != nullptr; }

 private:
  PolicyHost(const Options& options, const Machine& machine, int local_node);

  std::mutex mutex_;
  Options options_;
  MachineModel machine_;
  int local_node_ = 0;
  std::optional<dsl::Policy> policy_;
  std::unique_ptr<dsl::Mapper> mapper_;
  std::FILE* trace_ = nullptr;

  std::map<std::string, std::int64_t> running_;        // task -> admitted and unfinished
  std::map<std::uint64_t, std::string> admitted_;      // unique id -> task
  std::vector<Legion::Mapping::MapperEvent> waiters_;  // select_tasks_to_map deferrals
  std::uint64_t finished_ = 0;

  Legion::ShardingID sharding_base_ = 0;
  std::vector<std::pair<std::string, dsl::ProcKind>> sharding_slots_;
  std::size_t sharding_capacity_ = 0;
};

}  // namespace mapforge::legion
