#include "sim/timeline.h"

#include <algorithm>
#include <deque>
#include <map>
#include <queue>
#include <tuple>

namespace mapforge::sim {
namespace {

// At one time: flows ending, completions and arrivals first (they release what waits on them),
// then processor releases, ready tasks, mappings and copy starts. A Flow event's `task` is the
// link and its `copy` the link's version.
enum class Event : int {
  Flow = 0,
  Complete = 1,
  Arrive = 2,
  Finish = 3,
  Ready = 4,
  Eligible = 5,
  Copy = 6
};

struct Item {
  double time;
  int event;
  int task;
  int copy = -1;
  bool operator>(const Item& o) const {
    return std::tie(time, event, task, copy) > std::tie(o.time, o.event, o.task, o.copy);
  }
};

}  // namespace

Timeline::Timeline(const Topology& topology)
    : topology_(topology),
      proc_free_(topology.procs().size(), 0),
      proc_busy_(topology.procs().size(), 0),
      proc_last_(topology.procs().size(), -1) {}

// A copy's bytes move as a flow over every stage of its route at once (Links); it arrives when
// its bytes and the per-copy times of its stages are through its limiting link.
void Timeline::count_copy(const std::vector<Stage>& stages, double bytes) {
  for (const Stage& stage : stages) {
    if (stage.far_end) continue;  // one channel, counted on its first end
    auto& stats = channels_[static_cast<std::size_t>(stage.kind)];
    stats.bytes += bytes;
    stats.busy_s += stage.latency + bytes / stage.bandwidth;
    ++stats.copies;
  }
}

const std::vector<Stage>& Timeline::route(int src, int dst) {
  const std::int64_t key =
      std::int64_t{src} * static_cast<std::int64_t>(topology_.mems().size()) + dst;
  auto found = routes_.find(key);
  if (found != routes_.end()) return found->second;
  std::string missing;
  return routes_.emplace(key, topology_.route(src, dst, missing)).first->second;
}

double Timeline::run(std::vector<TaskNode>& tasks, std::size_t first, std::size_t last,
                     double fence, const std::vector<std::int64_t>& group_limits) {
  group_limits_ = group_limits;
  // Earlier segments ended at their fence with every task complete: no slot is held.
  group_inflight_.assign(group_limits_.size(), 0);
  unfinished_ = 0;
  first_unfinished_ = -1;
  const std::size_t n = last - first;
  auto at = [&](int id) -> TaskNode& { return tasks[static_cast<std::size_t>(id)]; };
  auto local = [&](int id) { return static_cast<std::size_t>(id) - first; };
  std::vector<int> pending(n, 0);      // dependences in this segment not yet complete
  std::vector<int> copies_left(n, 0);  // copies not yet arrived
  std::vector<char> mapped(n, 0), readied(n, 0), completed(n, 0);
  std::vector<std::vector<double>> gate_time(n);  // per copy: when its source is ready, or -1
  std::vector<std::vector<int>> successors(n);
  // Copies waiting for a task of this segment to complete, or for one of its copies to arrive.
  std::vector<std::vector<std::pair<int, int>>> on_complete(n);
  std::map<std::pair<int, int>, std::vector<std::pair<int, int>>> on_arrive;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> events;
  Links links(topology_.num_resources());
  std::vector<Links::Update> updates;
  std::vector<int> done;
  struct FlowOwner {
    int task = -1;
    int copy = -1;  // the copy, or -1 for one of the task's folds
  };
  std::vector<FlowOwner> owners;
  std::vector<int> folds_left(n, 0);
  // Starts a copy (or fold) of a task at `t`; calls `arrived` at once when it moves nothing.
  auto start_copy = [&](int id, const CopyReq& copy, int c, double t) -> bool {
    const std::vector<Stage>& stages = route(copy.src, copy.dst);
    if (stages.empty()) return false;
    count_copy(stages, copy.bytes);
    updates.clear();
    const int flow = links.start(t, copy.bytes, stages, updates);
    if (static_cast<std::size_t>(flow) >= owners.size()) owners.resize(flow + 1);
    owners[static_cast<std::size_t>(flow)] = FlowOwner{id, c};
    for (const auto& u : updates)
      events.push(Item{u.time, static_cast<int>(Event::Flow), u.link, u.version});
    return true;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const int id = static_cast<int>(first + i);
    TaskNode& task = tasks[first + i];
    task.deps_done = std::max(fence, task.issue);
    task.arrivals.assign(task.copies.size(), 0);
    copies_left[i] = static_cast<int>(task.copies.size());
    gate_time[i].assign(task.copies.size(), -1);
    for (int d : task.deps) {
      if (static_cast<std::size_t>(d) < first) {
        if (at(d).complete >= task.deps_done) {
          task.deps_done = at(d).complete;
          task.gate = d;
        }
        continue;
      }
      ++pending[i];
      successors[local(d)].push_back(id);
    }
    for (std::size_t c = 0; c < task.copies.size(); ++c) {
      const CopyReq& copy = task.copies[c];
      auto pair = std::pair(id, static_cast<int>(c));
      if (copy.after < 0) {
        gate_time[i][c] = fence;
      } else if (static_cast<std::size_t>(copy.after) < first) {
        const TaskNode& source = at(copy.after);
        double ready = copy.after_copy >= 0 &&
                               static_cast<std::size_t>(copy.after_copy) < source.arrivals.size()
                           ? source.arrivals[static_cast<std::size_t>(copy.after_copy)]
                           : source.complete;
        gate_time[i][c] = std::max(fence, ready);
      } else if (copy.after_copy >= 0) {
        on_arrive[{copy.after, copy.after_copy}].push_back(pair);
      } else {
        on_complete[local(copy.after)].push_back(pair);
      }
    }
    // A task under InstanceLimit maps once its dependences are done and a slot is free; any
    // other is mapped as soon as it is issued.
    if (task.limit_group < 0 || pending[i] == 0)
      events.push(Item{task.limit_group < 0 ? std::max(fence, task.issue) : task.deps_done,
                       static_cast<int>(Event::Eligible), id});
  }
  // Ready tasks waiting for their processor, by (ready time, program order).
  std::map<int, std::priority_queue<std::pair<double, int>, std::vector<std::pair<double, int>>,
                                    std::greater<>>>
      queues;
  std::vector<std::deque<int>> group_waiting(group_limits_.size());
  double last_complete = fence;

  auto check_ready = [&](int id) {
    auto i = local(id);
    if (!mapped[i] || pending[i] > 0 || copies_left[i] > 0 || readied[i]) return;
    readied[i] = 1;
    TaskNode& task = at(id);
    task.deps_done = std::max(task.deps_done, task.mapped);
    task.ready = task.deps_done;
    for (double arrival : task.arrivals) task.ready = std::max(task.ready, arrival);
    events.push(Item{task.ready, static_cast<int>(Event::Ready), id});
  };
  auto release_copy = [&](int id, int c, double time) {
    auto i = local(id);
    gate_time[i][static_cast<std::size_t>(c)] = time;
    if (mapped[i])
      events.push(Item{std::max(time, at(id).mapped), static_cast<int>(Event::Copy), id, c});
  };
  auto map_task = [&](int id, double t) {
    TaskNode& task = at(id);
    auto i = local(id);
    if (task.limit_group >= 0) ++group_inflight_[static_cast<std::size_t>(task.limit_group)];
    task.mapped = t;
    mapped[i] = 1;
    for (std::size_t c = 0; c < task.copies.size(); ++c)
      if (gate_time[i][c] >= 0)
        events.push(Item{std::max(t, gate_time[i][c]), static_cast<int>(Event::Copy), id,
                         static_cast<int>(c)});
    check_ready(id);
  };
  auto start_next = [&](int proc, double t) {
    auto it = queues.find(proc);
    if (it == queues.end() || it->second.empty() || proc_free_[static_cast<std::size_t>(proc)] > t)
      return;
    int id = it->second.top().second;
    it->second.pop();
    TaskNode& task = at(id);
    task.start = std::max(t, task.ready);
    task.end = task.start + task.duration;
    int previous = proc_last_[static_cast<std::size_t>(proc)];
    if (previous >= 0 && at(previous).end >= task.ready &&
        at(previous).end > (task.gate >= 0 ? at(task.gate).complete : -1))
      task.gate = previous;
    proc_last_[static_cast<std::size_t>(proc)] = id;
    proc_free_[static_cast<std::size_t>(proc)] = task.end;
    proc_busy_[static_cast<std::size_t>(proc)] += task.duration;
    events.push(Item{task.end, static_cast<int>(Event::Finish), id});
  };

  auto fold_arrived = [&](int id, double t) {
    TaskNode& task = at(id);
    task.complete = std::max(task.complete, t);
    if (--folds_left[local(id)] == 0)
      events.push(Item{task.complete, static_cast<int>(Event::Complete), id});
  };

  while (!events.empty()) {
    Item item = events.top();
    events.pop();
    if (static_cast<Event>(item.event) == Event::Flow) {
      updates.clear();
      done.clear();
      links.finish(item.task, item.copy, item.time, done, updates);
      for (const auto& u : updates)
        events.push(Item{u.time, static_cast<int>(Event::Flow), u.link, u.version});
      for (int flow : done) {
        const FlowOwner owner = owners[static_cast<std::size_t>(flow)];
        if (owner.copy >= 0)
          events.push(Item{item.time, static_cast<int>(Event::Arrive), owner.task, owner.copy});
        else
          fold_arrived(owner.task, item.time);
      }
      continue;
    }
    TaskNode& task = at(item.task);
    switch (static_cast<Event>(item.event)) {
      case Event::Flow:
        break;  // handled above
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
      case Event::Copy: {
        if (!start_copy(item.task, task.copies[static_cast<std::size_t>(item.copy)], item.copy,
                        item.time))
          events.push(Item{item.time, static_cast<int>(Event::Arrive), item.task, item.copy});
        break;
      }
      case Event::Arrive: {
        task.arrivals[static_cast<std::size_t>(item.copy)] = item.time;
        --copies_left[local(item.task)];
        auto waiting = on_arrive.find({item.task, item.copy});
        if (waiting != on_arrive.end())
          for (auto [id, c] : waiting->second) release_copy(id, c, item.time);
        check_ready(item.task);
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
        // Reductions are applied where the data is valid (fold copies) before it completes.
        task.complete = item.time;
        folds_left[local(item.task)] = static_cast<int>(task.folds.size()) + 1;
        for (const CopyReq& fold : task.folds)
          if (!start_copy(item.task, fold, -1, item.time)) fold_arrived(item.task, item.time);
        fold_arrived(item.task, item.time);
        break;
      }
      case Event::Complete: {
        last_complete = std::max(last_complete, item.time);
        completed[local(item.task)] = 1;
        if (task.limit_group >= 0) {
          auto group = static_cast<std::size_t>(task.limit_group);
          --group_inflight_[group];
          if (!group_waiting[group].empty()) {
            int next = group_waiting[group].front();
            group_waiting[group].pop_front();
            map_task(next, item.time);
          }
        }
        for (auto [id, c] : on_complete[local(item.task)]) release_copy(id, c, item.time);
        for (int s : successors[local(item.task)]) {
          auto i = local(s);
          TaskNode& successor = at(s);
          if (item.time >= successor.deps_done) {
            successor.deps_done = item.time;
            successor.gate = item.task;
          }
          if (--pending[i] == 0) {
            if (successor.limit_group >= 0)
              events.push(Item{successor.deps_done, static_cast<int>(Event::Eligible), s});
            else
              check_ready(s);
          }
        }
        break;
      }
    }
  }
  for (std::size_t i = 0; i < completed.size(); ++i) {
    if (completed[i]) continue;
    if (unfinished_++ == 0) first_unfinished_ = static_cast<int>(first + i);
  }
  return last_complete;
}

}  // namespace mapforge::sim
