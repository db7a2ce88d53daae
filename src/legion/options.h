// The `-mapping` command-line options the plugin reads from the application's arguments.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mapforge::legion {

struct Options {
  std::optional<std::string> policy_file;  // -mapping FILE
  std::optional<std::string> trace_file;   // -mapping:trace FILE ('%' becomes the node number)
  bool quiet = false;                      // -mapping:quiet
  bool check_only = false;                 // -mapping:check
};

/// Parses the `-mapping` options out of a full command line (other arguments are the
/// application's and Legion's, and are ignored). Fails with a message naming the bad option.
struct ParsedOptions {
  Options options;
  std::string error;  // empty on success
};
ParsedOptions parse_options(const std::vector<std::string>& args);

/// The option summary printed with an option error and in the README.
extern const char* const kOptionsHelp;

}  // namespace mapforge::legion
