// `mapforge guide`: AutoGuide's feedback on a run's raw output (DESIGN.md §5).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "guide/guide.h"

namespace mapforge::cli {
namespace {

class GuideCommand final : public Command {
 public:
  std::string_view name() const override { return "guide"; }
  std::string_view summary() const override {
    return "explain a run's output and suggest what to change in the mapper";
  }
  void configure(CLI::App& app) override {
    app.add_option("file", file_,
                   "the run's output, stdout and stderr together ('-' or none: stdin)")
        ->default_val("-");
    app.add_option("--level", level_, "execution, explain or suggest")->default_val("suggest");
    app.add_option("--profile", profile_, "the run's JSON profile (mapforge simulate --profile)");
    app.add_option("--exit-status", exit_status_, "the run's exit status");
    app.add_option("--signal", signal_, "the signal that killed the run");
    app.add_flag("--timed-out", timed_out_, "the run was stopped at its time limit");
    app.add_flag("--json", json_, "print the records as a JSON array");
  }
  int run(Io& io) override;

 private:
  std::string file_ = "-", level_ = "suggest", profile_;
  std::optional<int> exit_status_, signal_;
  bool timed_out_ = false, json_ = false;
};

int GuideCommand::run(Io& io) {
  auto level = guide::parse_level(level_);
  if (!level) {
    io.err << "mapforge: error: unknown level '" << level_
           << "'; levels are execution, explain, suggest\n";
    return kExitBadInput;
  }
  guide::RunOutput output;
  output.exit_status = exit_status_;
  output.signal = signal_;
  output.timed_out = timed_out_;
  if (!profile_.empty()) {
    FileText profile = read_text(profile_, io.in, kProfileFile);
    if (!profile.error.empty()) {
      io.err << "mapforge: error: " << profile.error << "\n";
      return kExitBadInput;
    }
    if (!nlohmann::json::accept(profile.text)) {
      io.err << "mapforge: error: '" << profile_ << "' is not valid JSON\n";
      return kExitBadInput;
    }
    output.profile_json = std::move(profile.text);
  }
  std::vector<guide::Record> records;
  if (file_ == "-") {
    records = guide::analyze(io.in, output, *level);
  } else {
    // Read as a stream: outputs of hundreds of MB are fine.
    std::ifstream in(file_, std::ios::binary);
    if (!in) {
      io.err << "mapforge: error: cannot read '" << file_ << "': " << std::strerror(errno) << "\n";
      return kExitBadInput;
    }
    records = guide::analyze(in, output, *level);
  }
  io.out << (json_ ? guide::render_json(records, *level) : guide::render_text(records, *level));
  return kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_guide_command() { return std::make_unique<GuideCommand>(); }

}  // namespace mapforge::cli
