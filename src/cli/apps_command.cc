// `mapforge apps`: the built-in programs and, for one, the metadata agents receive: tasks,
// region arguments, launch domains.
#include <map>
#include <nlohmann/json.hpp>

#include "cli/loading.h"
#include "search/search.h"

namespace mapforge::cli {
namespace {

using nlohmann::ordered_json;

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
    app.add_option("--nodes", nodes_, "number of nodes")->check(int_range(1, kMaxNodes));
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
    ordered_json info = search::to_json(search::describe_app(*application));
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
