// What a run records for its report: per task and argument, the decision that was made and the
// costs it led to. Filled by the simulator, read by report.cc.
#pragma once

#include <string>
#include <vector>

#include "sim/timeline.h"

namespace mapforge::sim {

struct ArgRecord {
  std::string region;  // the argument's name
  std::string memory;  // memory kind chosen
  bool memory_from_policy = false;
  std::string layout;  // "SOA F_order"
  bool layout_from_policy = false;
  double bytes = 0;          // bytes the kernels touched through this argument
  double data_s = 0;         // their share of the data time
  double copy_in_bytes = 0;  // bytes copied into its instances before the tasks ran
};

struct TaskRecord {
  std::string task;
  std::string kind;
  bool kind_from_policy = false;
  bool place_from_policy = false;
  std::int64_t points = 0;
  double busy_s = 0, compute_s = 0, data_s = 0;
  std::vector<ArgRecord> args;
};

struct RunRecord {
  std::vector<TaskRecord> tasks;  // by app task index (tasks never launched have points == 0)
  std::vector<int> task_of_node;  // app task index of each TaskNode
  std::vector<char> timed_node;   // whether each TaskNode is in a timed phase
  double timed_start = 0, timed_end = 0, end = 0;
  std::int64_t instances_created = 0, instances_collected = 0;
};

}  // namespace mapforge::sim
