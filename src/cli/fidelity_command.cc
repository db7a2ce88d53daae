// `mapforge fidelity`: the simulator against published real measurements.
#include "cli/command.h"
#include "fidelity/fidelity.h"

namespace mapforge::cli {
namespace {

class FidelityCommand final : public Command {
 public:
  std::string_view name() const override { return "fidelity"; }
  std::string_view summary() const override {
    return "compare the simulator with published real measurements";
  }
  void configure(CLI::App& app) override {
    app.add_option("--csv", csv_,
                   "a table of real measurements in the mapper-comparison or stencil-sweep "
                   "format (repeatable; default: the published Lassen tables)");
    app.add_option("--machine", machine_, "the built-in machine profile the rows ran on")
        ->default_val("lassen");
    app.add_option("--apps", apps_, "only these programs (comma-separated)")->delimiter(',');
    app.add_option("--max-nodes", max_nodes_, "summarise rows at this many nodes or fewer")
        ->default_val(16)
        ->check(int_range(1, 1 << 20));
    app.add_flag("--json", json_, "print the report as JSON");
  }
  int run(Io& io) override;

 private:
  std::vector<std::string> csv_, apps_;
  std::string machine_;
  int max_nodes_ = 16;
  bool json_ = false;
};

int FidelityCommand::run(Io& io) {
  fidelity::Tables tables;
  if (csv_.empty()) {
    tables = fidelity::builtin_tables();
  } else {
    for (const std::string& path : csv_) {
      FileText read = read_text(path, io.in, kTableFile);
      if (!read.error.empty()) {
        io.err << "mapforge: error: " << read.error << "\n";
        return kExitBadInput;
      }
      fidelity::ReadResult table = fidelity::read_table(read.text, path == "-" ? "<stdin>" : path);
      if (!table.errors.empty()) {
        for (const std::string& e : table.errors) io.err << "mapforge: error: " << e << "\n";
        return kExitBadInput;
      }
      tables.append(table.tables);
    }
  }
  fidelity::Options options;
  options.machine = machine_;
  options.max_nodes = max_nodes_;
  options.apps = apps_;
  fidelity::RunResult result = fidelity::run(tables, options);
  if (!result.errors.empty()) {
    for (const std::string& e : result.errors) io.err << "mapforge: error: " << e << "\n";
    return kExitBadInput;
  }
  io.out << (json_ ? fidelity::render_json(result.report) : fidelity::render_text(result.report));
  return kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_fidelity_command() { return std::make_unique<FidelityCommand>(); }

}  // namespace mapforge::cli
