// The app metadata agents receive (REFERENCE.md §1): tasks, their region arguments by call-site
// name, index or single launches and their domains, and the processor kinds with variants.
#include <algorithm>
#include <map>

#include "search/search.h"

namespace mapforge::search {
namespace {

dsl::ProcKind to_dsl(app::VariantKind kind) {
  switch (kind) {
    case app::VariantKind::GPU:
      return dsl::ProcKind::GPU;
    case app::VariantKind::OMP:
      return dsl::ProcKind::OMP;
    case app::VariantKind::CPU:
      break;
  }
  return dsl::ProcKind::CPU;
}

}  // namespace

AppInfo describe_app(const app::App& a) {
  AppInfo info;
  info.name = a.name;
  info.description = a.description;
  std::map<int, std::size_t> seen;
  for (const auto& phase : a.phases) {
    for (const auto& launch : phase.launches) {
      auto [it, inserted] = seen.emplace(launch.task, info.tasks.size());
      const app::Task& task = a.tasks[static_cast<std::size_t>(launch.task)];
      if (inserted) {
        TaskInfo t;
        t.name = task.name;
        // A nested launch (parent_block) is an index launch its parent issues; other launches
        // with a parent are single tasks, one per parent point (SingleTaskMap candidates).
        t.has_parent = launch.parent_launch >= 0 && launch.parent_block.empty();
        t.index = !launch.domain.empty() && !t.has_parent;
        t.launch_dims = static_cast<int>(launch.domain.size());
        t.parameters = task.arg_names;
        // Policies name a region argument by what the call site passes (DSL.md §2).
        for (const auto& arg : launch.args)
          t.region_args.push_back(a.partitions[static_cast<std::size_t>(arg.partition)].name);
        for (const auto& v : task.variants) t.variants.push_back(to_dsl(v.kind));
        info.tasks.push_back(std::move(t));
      }
      TaskInfo& t = info.tasks[it->second];
      // The domain a function sees: a nested launch's own block, else the launch domain.
      const std::vector<std::int64_t>& domain =
          launch.parent_block.empty() ? launch.domain : launch.parent_block;
      if (!domain.empty() && std::find(t.launch_domains.begin(), t.launch_domains.end(), domain) ==
                                 t.launch_domains.end())
        t.launch_domains.push_back(domain);
    }
  }
  return info;
}

nlohmann::ordered_json to_json(const AppInfo& info) {
  nlohmann::ordered_json tasks = nlohmann::ordered_json::array();
  for (const auto& t : info.tasks) {
    nlohmann::ordered_json variants = nlohmann::ordered_json::array();
    for (auto kind : t.variants) variants.push_back(dsl::to_string(kind));
    tasks.push_back({{"task", t.name},
                     {"kind", t.index ? "index" : "single"},
                     {"launch_dims", t.launch_dims},
                     {"launch_domains", t.launch_domains},
                     {"region_args", t.region_args},
                     {"parameters", t.parameters},
                     {"variants", variants}});
  }
  return {{"app", info.name}, {"description", info.description}, {"tasks", tasks}};
}

dsl::AppNames app_names(const app::App& app) {
  dsl::AppNames names;
  names.tasks.emplace();
  names.regions.emplace();
  for (const auto& task : app.tasks) {
    names.tasks->push_back(task.name);
    for (const auto& arg : task.arg_names) names.regions->push_back(arg);
  }
  for (const auto& partition : app.partitions) names.regions->push_back(partition.name);
  for (const auto& region : app.regions) names.regions->push_back(region.name);
  return names;
}

std::string describe_shape(const dsl::MachineShape& shape) {
  std::string out = std::to_string(shape.nodes) + (shape.nodes == 1 ? " node" : " nodes");
  std::string procs;
  for (int k = 0; k < dsl::kNumProcKinds; ++k) {
    auto kind = static_cast<dsl::ProcKind>(k);
    int n = shape.count(kind);
    if (n <= 0) continue;
    procs +=
        (procs.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(dsl::to_string(kind));
    std::string mems;
    for (auto m : shape.visible_memories[static_cast<std::size_t>(k)])
      mems += (mems.empty() ? "" : " ") + std::string(dsl::to_string(m));
    if (!mems.empty()) procs += " (sees " + mems + ")";
  }
  return out + ", each with " + procs;
}

}  // namespace mapforge::search
