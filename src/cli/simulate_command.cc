// `mapforge simulate`: run a program on the simulated machine under a policy.
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/loading.h"
#include "sim/sim.h"

namespace mapforge::cli {
namespace {

class SimulateCommand final : public Command {
 public:
  std::string_view name() const override { return "simulate"; }
  std::string_view summary() const override {
    return "run a program on the simulated machine under a mapping policy";
  }
  void configure(CLI::App& app) override {
    app.add_option("--app", app_, "a built-in program (see 'mapforge apps') or an app JSON file")
        ->required();
    app.add_option("--size", sizes_,
                   "a size parameter of a built-in program, name=value (repeatable)");
    app.add_option("--machine", machine_,
                   "a built-in machine (see 'mapforge machines') or a machine JSON file")
        ->default_val("p100-node");
    app.add_option("--nodes", nodes_, "number of nodes (overrides the machine's)")
        ->check(int_range(1, kMaxNodes));
    auto* mapper = app.add_option("--mapper", mapper_,
                                  "the policy file (default: the runtime's default mapping)");
    auto* expert = app.add_flag("--expert", expert_, "use the program's expert mapper");
    auto* plain =
        app.add_flag("--default", default_, "use the runtime's default mapping (the default)");
    mapper->excludes(expert)->excludes(plain);
    expert->excludes(plain);
    app.add_option("--profile", profile_, "write the run's JSON profile to this file");
    app.add_flag("--json", json_, "print the result as one JSON object");
  }
  int run(Io& io) override;

 private:
  std::string app_, machine_, mapper_, profile_;
  std::vector<std::string> sizes_;
  int nodes_ = 0;
  bool expert_ = false, default_ = false, json_ = false;
};

int SimulateCommand::run(Io& io) {
  auto machine = load_machine_arg(machine_, nodes_, io);
  if (!machine) return kExitBadInput;
  auto application = load_app_arg(app_, sizes_, *machine, io);
  if (!application) return kExitBadInput;
  std::optional<dsl::Policy> policy;
  if (expert_ || !mapper_.empty()) {
    std::string text, file;
    if (expert_) {
      text = std::string(app::expert_policy(application->name));
      file = application->name + "/expert.map";
      if (text.empty()) {
        io.err << "mapforge: error: app '" << application->name << "' has no expert mapper\n";
        return kExitBadInput;
      }
    } else {
      FileText read = read_text(mapper_, io.in, kPolicyFile);
      if (!read.error.empty()) {
        io.err << "mapforge: error: " << read.error << "\n";
        return kExitBadInput;
      }
      text = std::move(read.text);
      file = mapper_ == "-" ? "<stdin>" : mapper_;
    }
    dsl::CheckOptions options;
    options.app = app_names(*application);
    auto loaded = dsl::Policy::load(file, text, options);
    if (!loaded.ok()) {
      io.err << dsl::render_all(loaded.errors());
      return kExitBadInput;
    }
    io.err << dsl::render_all(loaded->warnings());
    policy = std::move(loaded.value());
  }
  std::optional<dsl::Mapper> mapper;
  if (policy) {
    std::string printed;
    auto created =
        dsl::Mapper::create(*policy, sim::shape_of(*machine),
                            [&](std::string_view line) { printed += std::string(line) + "\n"; });
    io.err << printed;
    if (!created.ok()) {
      // A policy that fails while setting up fails the run, as it would under Legion.
      io.err << dsl::render_all(created.errors());
      return kExitFailed;
    }
    mapper.emplace(std::move(created.value()));
  }
  sim::Options options;
  options.profile = !profile_.empty();
  sim::Result result = sim::simulate(*application, *machine, mapper ? &*mapper : nullptr, options);
  io.err << result.warnings;
  if (!profile_.empty() && result.ok) {
    std::ofstream out(profile_, std::ios::binary | std::ios::trunc);
    out << result.profile_json;
    if (!out) {
      io.err << "mapforge: error: cannot write '" << profile_ << "'\n";
      return kExitBadInput;
    }
  }
  if (json_) {
    nlohmann::ordered_json out = {{"ok", result.ok},
                                  {"app", application->name},
                                  {"machine", machine->name},
                                  {"nodes", machine->nodes},
                                  {"elapsed_s", result.elapsed_s},
                                  {"metric", result.metric},
                                  {"point_tasks", result.point_tasks},
                                  {"output", result.output},
                                  {"errors", result.errors}};
    io.out << out.dump(2) << "\n";
  } else {
    io.out << result.output;
    io.err << result.errors;
  }
  return result.ok ? kExitOk : kExitFailed;
}

}  // namespace

std::unique_ptr<Command> make_simulate_command() { return std::make_unique<SimulateCommand>(); }

}  // namespace mapforge::cli
