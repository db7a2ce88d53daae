// `mapforge check FILE...`: static checks, every diagnostic of every file.
#include <nlohmann/json.hpp>

#include "cli/command.h"

namespace mapforge::cli {
namespace {

nlohmann::json to_json(const dsl::Diagnostic& d) {
  return {{"file", d.loc.file},
          {"line", d.loc.line},
          {"col", d.loc.col},
          {"severity", d.severity == dsl::Severity::Error ? "error" : "warning"},
          {"message", d.message},
          {"hint", d.hint}};
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) names.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

class CheckCommand final : public Command {
 public:
  std::string_view name() const override { return "check"; }
  std::string_view summary() const override { return "check policy files for errors"; }
  void configure(CLI::App& app) override {
    app.add_option("files", files_, "policy files ('-' reads standard input)")->required();
    app.add_option("--tasks", tasks_, "the application's task names, comma-separated");
    app.add_option("--regions", regions_, "the application's region names, comma-separated");
    app.add_option("--names", names_file_,
                   "a JSON file {\"tasks\": [...], \"regions\": [...]} with the names");
    app.add_flag("--werror", werror_, "treat warnings as errors");
    app.add_flag("--json", json_, "print the diagnostics as a JSON array");
  }
  int run(Io& io) override;

 private:
  bool load_names(Io& io, dsl::CheckOptions& options);

  std::vector<std::string> files_;
  std::string tasks_, regions_, names_file_;
  bool werror_ = false;
  bool json_ = false;
};

bool CheckCommand::load_names(Io& io, dsl::CheckOptions& options) {
  dsl::AppNames& names = options.app;
  if (!tasks_.empty()) names.tasks = split_names(tasks_);
  if (!regions_.empty()) names.regions = split_names(regions_);
  if (!names_file_.empty()) {
    FileText file = read_text(names_file_, io.in, kNamesFile);
    if (!file.error.empty()) {
      io.err << "mapforge: error: " << file.error << "\n";
      return false;
    }
    auto json = nlohmann::json::parse(file.text, nullptr, false);
    auto bad = [&](const std::string& what) {
      io.err << names_file_ << ": error: " << what << "\n";
      return false;
    };
    if (json.is_discarded()) return bad("not valid JSON");
    if (!json.is_object()) return bad("expected a JSON object with \"tasks\" and \"regions\"");
    for (const char* key : {"tasks", "regions"}) {
      if (!json.contains(key)) continue;
      const auto& list = json[key];
      if (!list.is_array()) return bad(std::string("\"") + key + "\" must be an array of strings");
      auto& known = std::string(key) == "tasks" ? names.tasks : names.regions;
      if (!known) known.emplace();
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string())
          return bad(std::string("\"") + key + "\"[" + std::to_string(i) + "] must be a string");
        known->push_back(list[i].get<std::string>());
      }
    }
  }
  return true;
}

int CheckCommand::run(Io& io) {
  dsl::CheckOptions options;
  if (!load_names(io, options)) return kExitBadInput;
  bool failed = false;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& path : files_) {
    FileText file = read_text(path, io.in, kPolicyFile);
    if (!file.error.empty()) {
      io.err << "mapforge: error: " << file.error << "\n";
      failed = true;
      continue;
    }
    auto diagnostics = dsl::check(path == "-" ? "<stdin>" : path, file.text, options);
    for (const auto& d : diagnostics) {
      if (d.severity == dsl::Severity::Error || werror_) failed = true;
      if (json_)
        all.push_back(to_json(d));
      else
        io.err << d.render();
    }
  }
  if (json_) io.out << all.dump(2) << "\n";
  return failed ? kExitBadInput : kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace mapforge::cli
