// Test helpers: temporary run directories and journal lines.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace mapforge::tune::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "mapforge-report-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline nlohmann::json header(const std::string& objective = "minimize",
                             const std::string& unit = "s") {
  return {{"type", "run"},
          {"version", 1},
          {"app", "circuit"},
          {"machine", "lassen"},
          {"nodes", 2},
          {"sizes", {"pieces=16"}},
          {"agent", "guided"},
          {"iterations", 6},
          {"seed", 7},
          {"jobs", 1},
          {"feedback", "suggest"},
          {"backend", "sim"},
          {"objective", objective},
          {"metric_unit", unit},
          {"expert_metric", nullptr},
          {"default_metric", nullptr},
          {"expert_policy", ""},
          {"started", "2025-01-01T00:00:00Z"}};
}

inline nlohmann::json eval(int iteration, std::optional<double> metric,
                           const std::string& policy = "Task * GPU;\n") {
  nlohmann::json line = {{"type", "eval"},
                         {"iteration", iteration},
                         {"batch", iteration},
                         {"policy", policy},
                         {"ok", metric.has_value()},
                         {"metric", nullptr},
                         {"normalized", nullptr},
                         {"best_metric", nullptr},
                         {"output", metric ? "ELAPSED TIME = 1 s\n" : "error: boom\n"},
                         {"exit_status", metric ? 0 : 1},
                         {"signal", nullptr},
                         {"timed_out", false},
                         {"feedback_text", "[performance metric] ELAPSED TIME\n"},
                         {"feedback", nlohmann::json::array()},
                         {"agent", {{"edit", "start"}}},
                         {"duplicate", false},
                         {"started", "2025-01-01T00:00:01Z"},
                         {"finished", "2025-01-01T00:00:02Z"},
                         {"duration_s", 1.0}};
  if (metric) line["metric"] = *metric;
  return line;
}

inline std::string lines(const std::vector<nlohmann::json>& objects) {
  std::string out;
  for (const auto& object : objects) out += object.dump() + "\n";
  return out;
}

}  // namespace mapforge::tune::testing
