#include "legion/options.h"

namespace mapforge::legion {

const char* const kOptionsHelp =
    "  -mapping FILE          the policy (.map) to map with; without it the plugin maps like\n"
    "                         Legion's default mapper\n"
    "  -mapping:trace FILE    write every mapping decision to FILE ('%' becomes the node)\n"
    "  -mapping:check         load and check the policy, print its diagnostics, and exit\n"
    "  -mapping:quiet         do not print the policy's warnings\n";

ParsedOptions parse_options(const std::vector<std::string>& args) {
  ParsedOptions parsed;
  auto fail = [&](std::string message) {
    parsed.error = std::move(message) + "\nmapforge options:\n" + kOptionsHelp;
    return parsed;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("-mapping", 0) != 0) continue;
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size() || args[i + 1].empty()) return std::nullopt;
      return args[++i];
    };
    if (arg == "-mapping") {
      parsed.options.policy_file = value();
      if (!parsed.options.policy_file) return fail("-mapping needs a policy file");
    } else if (arg == "-mapping:trace") {
      parsed.options.trace_file = value();
      if (!parsed.options.trace_file) return fail("-mapping:trace needs a file name");
    } else if (arg == "-mapping:check") {
      parsed.options.check_only = true;
    } else if (arg == "-mapping:quiet") {
      parsed.options.quiet = true;
    } else {
      return fail("unknown option '" + arg + "'");
    }
  }
  if (parsed.options.check_only && !parsed.options.policy_file)
    return fail("-mapping:check needs -mapping FILE");
  return parsed;
}

}  // namespace mapforge::legion
