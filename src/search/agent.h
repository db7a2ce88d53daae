// What every agent sees and how the tuning loop talks to it (DESIGN.md §6). Agents see the app's
// metadata, the machine's description and feedback; never the simulator, the expert policy or
// the machine's hidden parameters.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dsl/dsl.h"
#include "guide/guide.h"

namespace mapforge::search {

/// One task as agents see it (what `mapforge apps APP` prints).
struct TaskInfo {
  std::string name;
  bool index = false;   // launched over an index space (else: single launches)
  int launch_dims = 0;  // dimensionality of its launch domain (0: one launch)
  std::vector<std::vector<std::int64_t>> launch_domains;  // the extents it is launched with
  bool has_parent = false;               // a single task launched from inside an index task
  std::vector<std::string> region_args;  // call-site names, by argument position
  std::vector<std::string> parameters;   // the task's own names for its arguments
  std::vector<dsl::ProcKind> variants;   // processor kinds it has variants for
};

struct AppInfo {
  std::string name;
  std::string description;
  std::vector<TaskInfo> tasks;  // in first-launch order
};

/// Everything an agent is given at the start.
struct Problem {
  AppInfo app;
  dsl::MachineShape machine;        // nodes, processors per node, visible memory kinds
  std::string app_description;      // AppInfo as JSON text (for prompts)
  std::string machine_description;  // the machine in words and numbers (for prompts)
  guide::Level feedback_level = guide::Level::Suggest;
  bool maximize = false;    // the metric is a throughput (else a time)
  std::string metric_unit;  // "s", "GFLOPS"
  std::uint64_t seed = 1;
  int iterations = 10;
  /// The policy to start from (iteration 0) instead of the empty one, for agents that improve a
  /// given mapper (`guided`, `llm`); "" for the runtime's defaults.
  std::string start_policy;
};

/// A policy the agent wants evaluated.
struct Proposal {
  std::string policy;             // a complete policy file
  nlohmann::json note = nullptr;  // what the agent says about it (journalled)
  /// Set when the agent could not produce a policy (e.g. the LLM endpoint failed): the loop
  /// records the iteration as failed with this text as its output and does not run anything.
  std::optional<std::string> error;
};

/// The result of one evaluation, as the agent may see it.
struct Observation {
  int iteration = 0;
  std::string policy;
  bool ok = false;
  std::optional<double> metric;  // in the app's unit
  double score = 0;              // higher is better: throughput, or 1/time; 0 on failure
  std::vector<guide::Record> feedback;
  std::string feedback_text;  // rendered at the run's feedback level
  bool duplicate = false;     // measured before, not re-run
  nlohmann::json note = nullptr;
};

class Agent {
 public:
  virtual ~Agent() = default;
  virtual std::string_view name() const = 0;
  /// Up to `count` policies to evaluate next, as one batch. Fewer (or none) when the agent has
  /// nothing more to offer (e.g. `exhaustive` has enumerated its space).
  virtual std::vector<Proposal> propose(int count) = 0;
  /// The results of the last batch, in proposal order.
  virtual void observe(const std::vector<Observation>& batch) = 0;
  /// Whether propose() is a pure function of the seed and the observations so far. Resuming a
  /// run replays the journal: deterministic agents propose again (and must propose the same);
  /// others are handed the recorded proposals through adopt() instead.
  virtual bool deterministic() const { return true; }
  virtual void adopt(const std::vector<Proposal>& recorded) { (void)recorded; }
};

}  // namespace mapforge::search
