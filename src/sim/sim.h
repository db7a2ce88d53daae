// The simulated machine (DESIGN.md §4): runs an application model on a machine model under a
// mapping policy, the way Legion would on the real machine, and reports like a real run. The
// only place that knows costs. Other modules include only this header.
#pragma once

#include <string>
#include <vector>

#include "app/app.h"
#include "dsl/dsl.h"
#include "machine/machine.h"

namespace mapforge::sim {

struct Options {
  bool profile = false;  // build the JSON profile (DESIGN.md §4.5)
};

struct Result {
  bool ok = false;           // false: the run failed the way a real run would
  std::string output;        // what the program prints on stdout (its result lines)
  std::string errors;        // runtime-style error lines, on failure
  std::string warnings;      // what the simulation leaves out of this policy (stderr lines)
  double elapsed_s = 0;      // simulated time of the timed phases
  double metric = 0;         // the app's figure of merit: seconds, or GFLOPS for throughput apps
  std::string profile_json;  // when Options::profile
  std::int64_t point_tasks = 0;
};

/// The language's view of a machine: processor counts and which memory kinds each sees.
dsl::MachineShape shape_of(const machine::Machine& machine);

/// Runs `app` on `machine`. `mapper` is the policy bound to shape_of(machine), or null for the
/// runtime's default mapping everywhere. Deterministic: the same inputs give the same Result.
Result simulate(const app::App& app, const machine::Machine& machine, const dsl::Mapper* mapper,
                const Options& options = {});

}  // namespace mapforge::sim
