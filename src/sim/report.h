// What a run prints (the app's own result lines) and its JSON profile (DESIGN.md §4.5).
#pragma once

#include <string>
#include <vector>

#include "sim/run_record.h"
#include "sim/sim.h"

namespace mapforge::sim {

/// The program's result lines; sets `metric` (seconds, or GFLOPS for throughput apps).
std::string result_lines(const app::App& app, const machine::Machine& machine, double elapsed_s,
                         double& metric);

std::string profile_json(const app::App& app, const Topology& topology,
                         const std::vector<TaskNode>& nodes, const Timeline& timeline,
                         const DataState& data, const RunRecord& record, const Result& result);

}  // namespace mapforge::sim
