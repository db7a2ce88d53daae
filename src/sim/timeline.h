// The deterministic discrete-event engine (DESIGN.md §4.4): processors run one task at a time in
// ready order (ties in program order), copies share their links (Links), InstanceLimit holds tasks
// back until an earlier instance of the task on the node has finished. Like Realm, each copy is
// issued as soon as its own source is ready (the task that made it valid has completed, or the
// copy that filled the source instance has arrived) and its task has been mapped, not when all
// of the task's dependences are done.
#pragma once

#include <array>
#include <unordered_map>
#include <vector>

#include "sim/data_state.h"
#include "sim/links.h"
#include "sim/topology.h"

namespace mapforge::sim {

struct TaskNode {
  // Inputs.
  std::vector<int> procs;  // the processor, or a set of candidates on one node
  double duration = 0;
  double issue = 0;             // when the runtime has issued it (earliest mapping time)
  std::vector<int> deps;        // tasks that must complete first (sorted, unique)
  std::vector<CopyReq> copies;  // before it runs, each gated on its own source
  std::vector<CopyReq> folds;   // after it runs (reductions applied)
  int limit_group = -1;         // InstanceLimit group, or -1: such a task maps (and starts its
                                // copies) only once its dependences are done and a slot is free
  // Results.
  int proc = -1;
  double mapped = 0;     // when its copies could first be issued
  double deps_done = 0;  // when its last dependence completed (or it was mapped, if later)
  double ready = 0, start = 0, end = 0, complete = 0;
  std::vector<double> arrivals;  // per copy, when it arrived
  int gate = -1;  // the task whose completion (or processor release) it waited for last
};

struct ChannelStats {
  double bytes = 0;
  double busy_s = 0;
  std::int64_t copies = 0;
};

class Timeline {
 public:
  explicit Timeline(const Topology& topology);
  /// Simulates tasks[first, last), none of which may start before `fence`; their dependences
  /// on earlier tasks are complete already. `group_limits` gives each InstanceLimit group's
  /// limit. Returns the time the last of them completes.
  double run(std::vector<TaskNode>& tasks, std::size_t first, std::size_t last, double fence,
             const std::vector<std::int64_t>& group_limits);
  /// Tasks of the last run() that never completed: InstanceLimit back-pressure deadlocked them
  /// (every slot held by a task that waits for one of them), and the first of them.
  std::size_t unfinished() const { return unfinished_; }
  int first_unfinished() const { return first_unfinished_; }
  const std::array<ChannelStats, machine::kNumChannelKinds>& channels() const { return channels_; }
  double proc_busy(int proc) const { return proc_busy_[static_cast<std::size_t>(proc)]; }

 private:
  /// The stages between two memories (computed once per pair).
  const std::vector<Stage>& route(int src, int dst);
  /// Counts a copy's bytes on the channels of its stages.
  void count_copy(const std::vector<Stage>& stages, double bytes);

  const Topology& topology_;
  std::vector<std::int64_t> group_limits_;
  std::vector<std::int64_t> group_inflight_;
  std::vector<double> proc_free_;
  std::vector<double> proc_busy_;
  std::vector<int> proc_last_;  // the last task each processor ran
  std::array<ChannelStats, machine::kNumChannelKinds> channels_{};
  std::unordered_map<std::int64_t, std::vector<Stage>> routes_;
  std::size_t unfinished_ = 0;
  int first_unfinished_ = -1;
};

}  // namespace mapforge::sim
