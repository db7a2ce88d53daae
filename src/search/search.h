// The search module's public header (DESIGN.md §6): what agents see (agent.h), the search space
// of an app on a machine, policy editing, and the built-in agents.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "search/agent.h"
#include "search/policy_doc.h"
#include "search/space.h"
#include "search/statements.h"
#include "search/templates.h"

namespace mapforge::search {

/// The metadata agents receive about an app (what `mapforge apps APP` prints).
AppInfo describe_app(const app::App& app);
nlohmann::ordered_json to_json(const AppInfo& info);
/// The task and region-argument names of an app, for the policy checker.
dsl::AppNames app_names(const app::App& app);
/// "1 node, each with 4 CPU (sees SYSMEM ZCMEM), 4 GPU (sees FBMEM ZCMEM)".
std::string describe_shape(const dsl::MachineShape& shape);

/// A small deterministic generator (SplitMix64): the same seed gives the same draws with every
/// standard library, so runs and resumes repeat exactly.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  /// Uniform in [0, n) (n >= 1).
  std::int64_t below(std::int64_t n);
  double unit();  // [0, 1)

 private:
  std::uint64_t state_;
};

/// A uniformly random point of the space.
Point random_point(const Space& space, Rng& rng);

/// The built-in agents that need no network: "random", "exhaustive", "guided", "opentuner".
/// Returns null and sets `error` for an unknown name.
std::unique_ptr<Agent> make_agent(std::string_view name, const Problem& problem,
                                  std::string& error);
std::unique_ptr<Agent> make_random_agent(const Problem& problem);
std::unique_ptr<Agent> make_exhaustive_agent(const Problem& problem);
std::unique_ptr<Agent> make_guided_agent(const Problem& problem);
std::unique_ptr<Agent> make_opentuner_agent(const Problem& problem);

}  // namespace mapforge::search
