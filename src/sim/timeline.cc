#include "sim/timeline.h"

#include <algorithm>
#include <deque>
#include <map>
#include <queue>
#include <tuple>

namespace mapforge::sim {
namespace {

enum class Event : int { Complete = 0, Finish = 1, Ready = 2, Eligible = 3 };

struct Item {
  double time;
  int event;
  int task;
  bool operator>(const Item& o) const {
    return std::tie(time, event, task) > std::tie(o.time, o.event, o.task);
  }
};

}  // namespace

Timeline::Timeline(const Topology& topology)
    : topology_(topology),
      proc_free_(topology.procs().size(), 0),
      proc_busy_(topology.procs().size(), 0),
      proc_last_(topology.procs().size(), -1),
      resource_free_(static_cast<std::size_t>(topology.num_resources()), 0) {}

// Each copy goes stage by stage; a stage waits for its link to be free (copies on one link are
// served in order at its full bandwidth, which finishes the batch when fair sharing would).
double Timeline::transfer(const std::vector<CopyReq>& copies, double at) {
  double arrival = at;
  std::string missing;
  for (const auto& copy : copies) {
    double t = at;
    for (const auto& stage : topology_.route(copy.src, copy.dst, missing)) {
      auto& free = resource_free_[static_cast<std::size_t>(stage.resource)];
      double start = std::max(t, free);
      double busy = stage.latency + copy.bytes / stage.bandwidth;
      free = start + busy;
      t = free;
      auto& stats = channels_[static_cast<std::size_t>(stage.kind)];
      stats.bytes += copy.bytes;
      stats.busy_s += busy;
      ++stats.copies;
    }
    arrival = std::max(arrival, t);
  }
  return arrival;
}

double Timeline::run(std::vector<TaskNode>& tasks, std::size_t first, std::size_t last,
                     double fence, const std::vector<std::int64_t>& group_limits) {
  group_limits_ = group_limits;
  group_inflight_.resize(group_limits_.size(), 0);
  const std::size_t n = last - first;
  std::vector<int> pending(n, 0);
  std::vector<double> earliest(n, fence);
  std::vector<std::vector<int>> successors(n);
  std::priority_queue<Item, std::vector<Item>, std::greater<>> events;
  for (std::size_t i = 0; i < n; ++i) {
    TaskNode& task = tasks[first + i];
    earliest[i] = std::max(fence, task.issue);
    for (int d : task.deps) {
      if (static_cast<std::size_t>(d) < first) {
        if (tasks[static_cast<std::size_t>(d)].complete >= earliest[i]) {
          earliest[i] = tasks[static_cast<std::size_t>(d)].complete;
          task.gate = d;
        }
        continue;
      }
      ++pending[i];
      successors[static_cast<std::size_t>(d) - first].push_back(static_cast<int>(first + i));
    }
    if (pending[i] == 0)
      events.push(
          Item{earliest[i], static_cast<int>(Event::Eligible), static_cast<int>(first + i)});
  }
  // Ready tasks waiting for their processor, by (ready time, program order).
  std::map<int, std::priority_queue<std::pair<double, int>, std::vector<std::pair<double, int>>,
                                    std::greater<>>>
      queues;
  std::vector<std::deque<int>> group_waiting(group_limits_.size());
  double last_complete = fence;

  auto map_task = [&](int id, double t) {
    TaskNode& task = tasks[static_cast<std::size_t>(id)];
    if (task.limit_group >= 0) ++group_inflight_[static_cast<std::size_t>(task.limit_group)];
    task.mapped = t;
    task.ready = transfer(task.copies, t);
    events.push(Item{task.ready, static_cast<int>(Event::Ready), id});
  };
  auto start_next = [&](int proc, double t) {
    auto it = queues.find(proc);
    if (it == queues.end() || it->second.empty() || proc_free_[static_cast<std::size_t>(proc)] > t)
      return;
    int id = it->second.top().second;
    it->second.pop();
    TaskNode& task = tasks[static_cast<std::size_t>(id)];
    task.start = std::max(t, task.ready);
    task.end = task.start + task.duration;
    int previous = proc_last_[static_cast<std::size_t>(proc)];
    if (previous >= 0 && tasks[static_cast<std::size_t>(previous)].end >= task.ready &&
        tasks[static_cast<std::size_t>(previous)].end >
            (task.gate >= 0 ? tasks[static_cast<std::size_t>(task.gate)].complete : -1))
      task.gate = previous;
    proc_last_[static_cast<std::size_t>(proc)] = id;
    proc_free_[static_cast<std::size_t>(proc)] = task.end;
    proc_busy_[static_cast<std::size_t>(proc)] += task.duration;
    events.push(Item{task.end, static_cast<int>(Event::Finish), id});
  };

  while (!events.empty()) {
    Item item = events.top();
    events.pop();
    TaskNode& task = tasks[static_cast<std::size_t>(item.task)];
    switch (static_cast<Event>(item.event)) {
      case Event::Eligible: {
        auto group = task.limit_group;
        if (group >= 0 && group_inflight_[static_cast<std::size_t>(group)] >=
                              group_limits_[static_cast<std::size_t>(group)]) {
          group_waiting[static_cast<std::size_t>(group)].push_back(item.task);
          break;
        }
        map_task(item.task, item.time);
        break;
      }
      case Event::Ready: {
        // Of a set of processors, the one free earliest (ties to the first listed).
        int proc = task.procs.front();
        for (int candidate : task.procs)
          if (proc_free_[static_cast<std::size_t>(candidate)] <
              proc_free_[static_cast<std::size_t>(proc)])
            proc = candidate;
        task.proc = proc;
        queues[proc].push({task.ready, item.task});
        start_next(proc, item.time);
        break;
      }
      case Event::Finish: {
        start_next(task.proc, item.time);
        task.complete = transfer(task.folds, item.time);
        events.push(Item{task.complete, static_cast<int>(Event::Complete), item.task});
        break;
      }
      case Event::Complete: {
        last_complete = std::max(last_complete, item.time);
        if (task.limit_group >= 0) {
          auto group = static_cast<std::size_t>(task.limit_group);
          --group_inflight_[group];
          if (!group_waiting[group].empty()) {
            int next = group_waiting[group].front();
            group_waiting[group].pop_front();
            map_task(next, item.time);
          }
        }
        for (int s : successors[static_cast<std::size_t>(item.task) - first]) {
          auto local = static_cast<std::size_t>(s) - first;
          if (item.time >= earliest[local]) {
            earliest[local] = item.time;
            tasks[static_cast<std::size_t>(s)].gate = item.task;
          }
          if (--pending[local] == 0)
            events.push(Item{earliest[local], static_cast<int>(Event::Eligible), s});
        }
        break;
      }
    }
  }
  return last_complete;
}

}  // namespace mapforge::sim
