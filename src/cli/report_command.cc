// `mapforge report DIR`: the HTML report of a tuning run (report.html and convergence.svg).
#include "cli/command.h"
#include "tune/report/report.h"

namespace mapforge::cli {
namespace {

class ReportCommand final : public Command {
 public:
  std::string_view name() const override { return "report"; }
  std::string_view summary() const override {
    return "write the HTML report of a tuning run (DIR/report.html, DIR/convergence.svg)";
  }
  void configure(CLI::App& app) override {
    app.add_option("dir", dir_, "the run directory of 'mapforge tune --out DIR'")->required();
  }
  int run(Io& io) override {
    tune::ReportResult result = tune::write_report(dir_);
    for (const auto& w : result.warnings) io.err << "mapforge: warning: " << w << "\n";
    if (!result.ok) {
      io.err << "mapforge: error: " << result.error << "\n";
      return kExitBadInput;
    }
    io.out << result.html_path << "\n" << result.svg_path << "\n";
    return kExitOk;
  }

 private:
  std::string dir_;
};

}  // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

}  // namespace mapforge::cli
