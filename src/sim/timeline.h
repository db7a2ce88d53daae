// The deterministic discrete-event engine (DESIGN.md §4.4): processors run one task at a time in
// ready order (ties in program order), copies queue on their links, InstanceLimit holds tasks
// back until an earlier instance of the task on the node has finished.
#pragma once

#include <array>
#include <vector>

#include "sim/data_state.h"
#include "sim/topology.h"

namespace mapforge::sim {

struct TaskNode {
  // Inputs.
  std::vector<int> procs;  // the processor, or a set of candidates on one node
  double duration = 0;
  double issue = 0;             // when the runtime has issued it (earliest mapping time)
  std::vector<int> deps;        // tasks that must complete first (sorted, unique)
  std::vector<CopyReq> copies;  // before it runs
  std::vector<CopyReq> folds;   // after it runs (reductions applied)
  int limit_group = -1;         // InstanceLimit group, or -1
  // Results.
  int proc = -1;
  double mapped = 0, ready = 0, start = 0, end = 0, complete = 0;
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
  const std::array<ChannelStats, machine::kNumChannelKinds>& channels() const { return channels_; }
  double proc_busy(int proc) const { return proc_busy_[static_cast<std::size_t>(proc)]; }

 private:
  double transfer(const std::vector<CopyReq>& copies, double at);

  const Topology& topology_;
  std::vector<std::int64_t> group_limits_;
  std::vector<std::int64_t> group_inflight_;
  std::vector<double> proc_free_;
  std::vector<double> proc_busy_;
  std::vector<int> proc_last_;  // the last task each processor ran
  std::vector<double> resource_free_;
  std::array<ChannelStats, machine::kNumChannelKinds> channels_{};
};

}  // namespace mapforge::sim
