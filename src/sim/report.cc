#include "sim/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

namespace mapforge::sim {
namespace {

using nlohmann::ordered_json;

std::string format(const char* pattern, double value) {
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

/// Rounds to 9 significant digits so the JSON is stable across platforms' last-bit noise.
double clean(double value) {
  if (value == 0 || !std::isfinite(value)) return 0;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return std::strtod(buffer, nullptr);
}

}  // namespace

std::string result_lines(const app::App& app, const machine::Machine& machine, double elapsed_s,
                         double& metric) {
  std::string out;
  if (app.metric.kind == app::Metric::Kind::Throughput) {
    double gflops = elapsed_s > 0 ? app.metric.work / elapsed_s / 1e9 : 0;
    metric = gflops;
    out += format("Achieved throughput = %.0f GFLOPS\n", gflops);
    out += format("Achieved throughput per node = %.0f GFLOPS\n", gflops / machine.nodes);
    out += format("ELAPSED TIME = %7.3f s\n", elapsed_s);
    return out;
  }
  metric = elapsed_s;
  out += format("ELAPSED TIME = %7.3f s\n", elapsed_s);
  if (!app.metric.work_unit.empty() && elapsed_s > 0)
    out +=
        format("THROUGHPUT = %.4g ", app.metric.work / elapsed_s) + app.metric.work_unit + "/s\n";
  return out;
}

std::string profile_json(const app::App& app, const Topology& topology,
                         const std::vector<TaskNode>& nodes, const Timeline& timeline,
                         const DataState& data, const RunRecord& record, const Result& result) {
  ordered_json out;
  out["app"] = app.name;
  out["machine"] = topology.machine().name;
  out["nodes"] = topology.machine().nodes;
  out["elapsed_s"] = clean(result.elapsed_s);
  out["total_s"] = clean(record.end);
  out["point_tasks"] = nodes.size();

  // Per task: the decision that placed it and what it cost.
  ordered_json tasks = ordered_json::array();
  for (const auto& task : record.tasks) {
    if (task.points == 0) continue;
    ordered_json t;
    t["task"] = task.task;
    t["kind"] = task.kind;
    t["kind_decided_by"] = task.kind_from_policy ? "policy" : "default";
    t["placement_decided_by"] = task.place_from_policy ? "policy" : "default";
    t["points"] = task.points;
    t["busy_s"] = clean(task.busy_s);
    t["compute_s"] = clean(task.compute_s);
    t["data_s"] = clean(task.data_s);
    ordered_json args = ordered_json::array();
    for (const auto& arg : task.args) {
      if (arg.memory.empty()) continue;
      args.push_back({{"region", arg.region},
                      {"memory", arg.memory},
                      {"memory_decided_by", arg.memory_from_policy ? "policy" : "default"},
                      {"layout", arg.layout},
                      {"layout_decided_by", arg.layout_from_policy ? "policy" : "default"},
                      {"bytes", clean(arg.bytes)},
                      {"data_s", clean(arg.data_s)},
                      {"bandwidth_Bps", arg.data_s > 0 ? clean(arg.bytes / arg.data_s) : 0},
                      {"copied_in_bytes", clean(arg.copy_in_bytes)}});
    }
    t["args"] = std::move(args);
    tasks.push_back(std::move(t));
  }
  out["tasks"] = std::move(tasks);

  ordered_json channels = ordered_json::array();
  for (machine::ChannelKind kind : machine::kAllChannelKinds) {
    const ChannelStats& stats = timeline.channels()[static_cast<std::size_t>(kind)];
    if (stats.copies == 0) continue;
    channels.push_back({{"channel", machine::to_string(kind)},
                        {"bytes", clean(stats.bytes)},
                        {"copies", stats.copies},
                        {"busy_s", clean(stats.busy_s)}});
  }
  out["channels"] = std::move(channels);

  ordered_json memories = ordered_json::array();
  for (std::size_t m = 0; m < topology.mems().size(); ++m) {
    double high = data.high_water(static_cast<int>(m));
    if (high <= 0) continue;
    const Mem& mem = topology.mems()[m];
    memories.push_back({{"memory", topology.describe_mem(static_cast<int>(m))},
                        {"kind", machine::to_string(mem.kind)},
                        {"capacity_bytes", clean(mem.capacity)},
                        {"high_water_bytes", clean(high)},
                        {"high_water_share", clean(high / mem.capacity)}});
  }
  out["memories"] = std::move(memories);
  out["instances"] = {{"created", record.instances_created},
                      {"collected", record.instances_collected}};

  ordered_json processors = ordered_json::array();
  for (std::size_t p = 0; p < topology.procs().size(); ++p) {
    double busy = timeline.proc_busy(static_cast<int>(p));
    if (busy <= 0) continue;
    processors.push_back({{"processor", topology.describe_proc(static_cast<int>(p))},
                          {"busy_s", clean(busy)},
                          {"utilisation", record.end > 0 ? clean(busy / record.end) : 0}});
  }
  out["processors"] = std::move(processors);

  // The critical path: from the last task to complete, back through what each waited for.
  ordered_json path;
  if (!nodes.empty()) {
    // From the last task of the timed phases to complete (the whole run if none is timed).
    bool any_timed =
        std::find(record.timed_node.begin(), record.timed_node.end(), 1) != record.timed_node.end();
    std::size_t last = 0;
    bool found = false;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (any_timed && !record.timed_node[i]) continue;
      if (!found || nodes[i].complete > nodes[last].complete) last = i;
      found = true;
    }
    std::map<std::string, std::pair<double, double>> by_task;  // run, copy wait
    std::int64_t length = 0;
    for (int i = static_cast<int>(last); i >= 0 && length < static_cast<std::int64_t>(nodes.size());
         i = nodes[static_cast<std::size_t>(i)].gate, ++length) {
      const TaskNode& node = nodes[static_cast<std::size_t>(i)];
      auto& entry = by_task[app.tasks[static_cast<std::size_t>(
                                          record.task_of_node[static_cast<std::size_t>(i)])]
                                .name];
      entry.first += node.end - node.start;
      entry.second += node.ready - std::max(node.mapped, node.deps_done);
    }
    std::vector<std::pair<std::string, std::pair<double, double>>> sorted(by_task.begin(),
                                                                          by_task.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.second.first + a.second.second > b.second.first + b.second.second;
    });
    ordered_json list = ordered_json::array();
    double total = nodes[last].complete;
    for (const auto& [name, times] : sorted)
      list.push_back({{"task", name},
                      {"run_s", clean(times.first)},
                      {"copy_wait_s", clean(times.second)},
                      {"share", total > 0 ? clean((times.first + times.second) / total) : 0}});
    path["length_s"] = clean(total);
    path["tasks_on_path"] = length;
    path["by_task"] = std::move(list);
  }
  out["critical_path"] = std::move(path);
  return out.dump(2) + "\n";
}

}  // namespace mapforge::sim
