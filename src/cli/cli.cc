#include "cli/cli.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/command.h"

namespace mapforge::cli {

namespace {
// Up to `limit` bytes of `in`, in chunks, so that /dev/zero or a huge file costs only the limit.
std::string read_at_most(std::istream& in, std::size_t limit) {
  std::string text;
  char chunk[1 << 16];
  while (text.size() < limit && in) {
    std::size_t want = std::min(sizeof chunk, limit - text.size());
    in.read(chunk, static_cast<std::streamsize>(want));
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  return text;
}
}  // namespace

FileText read_text(const std::string& path, std::istream& in, const FileKind& kind) {
  FileText result;
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      result.error = "cannot read '" + path + "': " + std::strerror(errno);
      return result;
    }
  }
  std::istream& source = path == "-" ? in : file;
  result.text = read_at_most(source, kind.max_bytes + 1);
  if (source.bad()) result.error = "cannot read '" + path + "': read error";
  if (result.text.size() > kind.max_bytes) {
    result.error = "'" + (path == "-" ? std::string("<stdin>") : path) + "' is larger than " +
                   std::to_string(kind.max_bytes) + " bytes, the limit for " +
                   std::string(kind.name);
    result.text.clear();
  }
  return result;
}

CLI::Validator int_range(std::int64_t lo, std::int64_t hi) {
  std::string range = std::to_string(lo) + " to " + std::to_string(hi);
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        std::int64_t value = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < lo ||
            value > hi)
          return "expected an integer from " + range + ", got '" + text + "'";
        return "";
      },
      "INT in " + range);
}

CLI::Validator number_range(double lo, double hi) {
  std::ostringstream range;
  range << lo << " to " << hi;
  return CLI::Validator(
      [lo, hi, range = range.str()](std::string& text) -> std::string {
        double value = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
            !std::isfinite(value) || value < lo || value > hi)
          return "expected a number from " + range + ", got '" + text + "'";
        return "";
      },
      "NUMBER in " + range.str());
}

std::optional<std::vector<std::int64_t>> parse_int_list(std::string_view text, std::string& error) {
  std::vector<std::int64_t> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size()) {
      error = "'" + std::string(text) + "' is not a comma-separated list of integers";
      return std::nullopt;
    }
    values.push_back(value);
    start = end + 1;
  }
  return values;
}

int run(int argc, const char* const* argv, Io io) {
  CLI::App app{"mapforge: find fast mappers for task-based parallel programs"};
  app.name("mapforge");
  app.require_subcommand(1);
  app.set_version_flag("--version", "mapforge 0.1.0");
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(make_check_command());
  commands.push_back(make_fmt_command());
  commands.push_back(make_query_command());
  commands.push_back(make_simulate_command());
  commands.push_back(make_tune_command());
  commands.push_back(make_report_command());
  commands.push_back(make_bench_command());
  commands.push_back(make_fidelity_command());
  commands.push_back(make_apps_command());
  commands.push_back(make_machines_command());
  commands.push_back(make_guide_command());
  std::vector<std::pair<CLI::App*, Command*>> subcommands;
  for (auto& command : commands) {
    CLI::App* sub =
        app.add_subcommand(std::string(command->name()), std::string(command->summary()));
    command->configure(*sub);
    subcommands.emplace_back(sub, command.get());
  }
  // Name an unknown command instead of CLI11's "a subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    std::string_view word = argv[1];
    bool known = false;
    std::string names;
    for (auto& command : commands) {
      known |= command->name() == word;
      names += (names.empty() ? "" : ", ") + std::string(command->name());
    }
    if (!known) {
      io.err << "mapforge: error: unknown command '" << word << "'; commands are " << names << "\n"
             << "run 'mapforge --help' for usage\n";
      return kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::ParseError& e) {
    io.err << "mapforge: error: " << e.what() << "\n";
    io.err << "run 'mapforge --help' for usage\n";
    return kExitBadInput;
  }
  for (auto& [sub, command] : subcommands)
    if (sub->parsed()) return command->run(io);
  return kExitBadInput;
}

}  // namespace mapforge::cli
