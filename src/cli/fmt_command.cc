// `mapforge fmt [--check | --write] FILE...`: the canonical layout.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/command.h"

namespace mapforge::cli {
namespace {

/// Replaces a file's contents atomically: a crash leaves the old file or the new one.
bool write_atomically(const std::string& path, const std::string& text, std::string& error) {
  std::string temporary = path + ".mapforge-fmt.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      error = "cannot write '" + temporary + "'";
      std::remove(temporary.c_str());
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    error = "cannot replace '" + path + "': " + ec.message();
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

class FmtCommand final : public Command {
 public:
  std::string_view name() const override { return "fmt"; }
  std::string_view summary() const override {
    return "print policy files in canonical layout (or check, or rewrite them)";
  }
  void configure(CLI::App& app) override {
    app.add_option("files", files_, "policy files ('-' reads standard input)")->required();
    auto* check =
        app.add_flag("--check", check_, "print the files that are not formatted; exit 1 if any");
    app.add_flag("-w,--write", write_, "rewrite the files in place")->excludes(check);
  }
  int run(Io& io) override {
    int status = kExitOk;
    for (const auto& path : files_) {
      FileText file = read_text(path, io.in, kPolicyFile);
      if (!file.error.empty()) {
        io.err << "mapforge: error: " << file.error << "\n";
        status = kExitBadInput;
        continue;
      }
      auto formatted = dsl::format(path == "-" ? "<stdin>" : path, file.text);
      if (!formatted.ok()) {
        io.err << dsl::render_all(formatted.errors());
        status = kExitBadInput;
        continue;
      }
      if (check_) {
        if (formatted.value() != file.text) {
          io.out << path << "\n";
          if (status == kExitOk) status = kExitFailed;
        }
        continue;
      }
      if (write_ && path != "-") {
        std::string error;
        if (formatted.value() != file.text && !write_atomically(path, formatted.value(), error)) {
          io.err << "mapforge: error: " << error << "\n";
          status = kExitBadInput;
        }
        continue;
      }
      io.out << formatted.value();
    }
    return status;
  }

 private:
  std::vector<std::string> files_;
  bool check_ = false;
  bool write_ = false;
};

}  // namespace

std::unique_ptr<Command> make_fmt_command() { return std::make_unique<FmtCommand>(); }

}  // namespace mapforge::cli
