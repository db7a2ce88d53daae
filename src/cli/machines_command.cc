// `mapforge machines`: the built-in machine profiles, or one of them as JSON.
#include "cli/loading.h"

namespace mapforge::cli {
namespace {

class MachinesCommand final : public Command {
 public:
  std::string_view name() const override { return "machines"; }
  std::string_view summary() const override {
    return "list the built-in machine profiles, or print one (or a machine file) as JSON";
  }
  void configure(CLI::App& app) override {
    app.add_option("machine", machine_, "a built-in machine or a machine JSON file to print");
    app.add_option("--nodes", nodes_, "number of nodes")->check(int_range(1, kMaxNodes));
  }
  int run(Io& io) override {
    if (machine_.empty()) {
      for (const auto& name : machine::builtin_names()) {
        auto m = machine::builtin_machine(name);
        if (!m.ok()) continue;
        io.out << name << ": " << m->description << "\n";
      }
      return kExitOk;
    }
    auto m = load_machine_arg(machine_, nodes_, io);
    if (!m) return kExitBadInput;
    io.out << machine::to_json(*m);
    return kExitOk;
  }

 private:
  std::string machine_;
  int nodes_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_machines_command() { return std::make_unique<MachinesCommand>(); }

}  // namespace mapforge::cli
