// `mapforge apps`: the built-in programs and, for one, the metadata agents receive: tasks,
// region arguments, launch domains.
#include <map>
#include <nlohmann/json.hpp>

#include "cli/loading.h"

namespace mapforge::cli {
namespace {

using nlohmann::ordered_json;

/// Tasks with their arguments and how they are launched, in first-launch order.
ordered_json describe(const app::App& a) {
  ordered_json tasks = ordered_json::array();
  std::map<int, std::size_t> seen;
  for (const auto& phase : a.phases) {
    for (const auto& launch : phase.launches) {
      auto [it, inserted] = seen.emplace(launch.task, tasks.size());
      const app::Task& task = a.tasks[static_cast<std::size_t>(launch.task)];
      if (inserted) {
        // Policies name a region argument by what the call site passes (DSL.md §2).
        ordered_json region_args = ordered_json::array();
        for (const auto& arg : launch.args)
          region_args.push_back(a.partitions[static_cast<std::size_t>(arg.partition)].name);
        ordered_json variants = ordered_json::array();
        for (const auto& v : task.variants) variants.push_back(app::to_string(v.kind));
        tasks.push_back(
            {{"task", task.name},
             {"kind", launch.domain.empty() || launch.parent_launch >= 0 ? "single" : "index"},
             {"launch_dims", launch.domain.size()},
             {"launch_domains", ordered_json::array()},
             {"region_args", region_args},
             {"parameters", task.arg_names},
             {"variants", variants}});
      }
      auto& domains = tasks[it->second]["launch_domains"];
      ordered_json domain = launch.domain;
      if (!launch.domain.empty() &&
          std::find(domains.begin(), domains.end(), domain) == domains.end())
        domains.push_back(domain);
    }
  }
  return {{"app", a.name}, {"description", a.description}, {"tasks", tasks}};
}

class AppsCommand final : public Command {
 public:
  std::string_view name() const override { return "apps"; }
  std::string_view summary() const override {
    return "list the built-in programs, or describe one (tasks, region arguments, launches)";
  }
  void configure(CLI::App& app) override {
    app.add_option("app", app_, "a built-in program or an app JSON file to describe");
    app.add_option("--size", sizes_, "a size parameter, name=value (repeatable)");
    app.add_option("--machine", machine_, "the machine the program is generated for")
        ->default_val("p100-node");
    app.add_option("--nodes", nodes_, "number of nodes")->check(CLI::Range(1, 1000000));
    app.add_flag("--json", json_, "print JSON");
  }
  int run(Io& io) override {
    if (app_.empty()) {
      ordered_json list = ordered_json::array();
      for (const auto& spec : app::builtin_apps()) {
        ordered_json parameters = ordered_json::object();
        for (const auto& [name, meaning] : spec.parameters) parameters[name] = meaning;
        list.push_back({{"app", spec.name}, {"summary", spec.summary}, {"sizes", parameters}});
        if (!json_) {
          io.out << spec.name << ": " << spec.summary << "\n";
          for (const auto& [name, meaning] : spec.parameters)
            io.out << "  --size " << name << "=N  " << meaning << "\n";
        }
      }
      if (json_) io.out << list.dump(2) << "\n";
      return kExitOk;
    }
    auto machine = load_machine_arg(machine_, nodes_, io);
    if (!machine) return kExitBadInput;
    auto application = load_app_arg(app_, sizes_, *machine, io);
    if (!application) return kExitBadInput;
    ordered_json info = describe(*application);
    info["machine"] = machine->name;
    info["nodes"] = machine->nodes;
    if (json_) {
      io.out << info.dump(2) << "\n";
      return kExitOk;
    }
    io.out << info["app"].get<std::string>() << " on " << machine->nodes << " x " << machine->name
           << ": " << info["description"].get<std::string>() << "\n";
    for (const auto& task : info["tasks"]) {
      io.out << "  " << task["task"].get<std::string>() << " (" << task["kind"].get<std::string>();
      for (const auto& domain : task["launch_domains"]) io.out << " " << domain.dump();
      io.out << "; variants";
      for (const auto& v : task["variants"]) io.out << " " << v.get<std::string>();
      io.out << "): ";
      bool first = true;
      for (const auto& arg : task["region_args"]) {
        io.out << (first ? "" : ", ") << arg.get<std::string>();
        first = false;
      }
      io.out << "\n";
    }
    return kExitOk;
  }

 private:
  std::string app_, machine_;
  std::vector<std::string> sizes_;
  int nodes_ = 0;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_apps_command() { return std::make_unique<AppsCommand>(); }

}  // namespace mapforge::cli
