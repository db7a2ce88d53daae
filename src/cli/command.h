// What every subcommand provides, and helpers they share (private to the cli module).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.h"
#include "dsl/dsl.h"

namespace mapforge::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitBadInput = 2;

/// The most nodes any option accepts (`--nodes`, `--machine nodes=N`).
inline constexpr int kMaxNodes = 1'000'000;

/// An option's check that says what it wants: "expected an integer from 1 to 1000000, got 'abc'".
CLI::Validator int_range(std::int64_t lo, std::int64_t hi);
/// The same for a real number; NaN and infinities are refused.
CLI::Validator number_range(double lo, double hi);

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  /// Declares the subcommand's options on `app`.
  virtual void configure(CLI::App& app) = 0;
  /// Runs after a successful parse; returns the exit status.
  virtual int run(Io& io) = 0;
};

std::unique_ptr<Command> make_check_command();
std::unique_ptr<Command> make_fmt_command();
std::unique_ptr<Command> make_query_command();
std::unique_ptr<Command> make_simulate_command();
std::unique_ptr<Command> make_apps_command();
std::unique_ptr<Command> make_machines_command();
std::unique_ptr<Command> make_guide_command();
std::unique_ptr<Command> make_tune_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_bench_command();
std::unique_ptr<Command> make_fidelity_command();

/// A file's contents ('-' reads standard input), or a message saying why it could not be read.
struct FileText {
  std::string text;
  std::string error;
};
/// What a file is, for read_text's limits and messages.
struct FileKind {
  std::string_view name;  // "policy files"
  std::size_t max_bytes;
};
inline constexpr FileKind kPolicyFile{"policy files", 4u << 20};  // = dsl::kMaxSourceBytes
inline constexpr FileKind kNamesFile{"names files", 4u << 20};
inline constexpr FileKind kMachineFile{"machine files", 1u << 20};  // = machine's limit
inline constexpr FileKind kAppFile{"app files", 64u << 20};         // = the app loader's limit
inline constexpr FileKind kProfileFile{"profiles", 64u << 20};
inline constexpr FileKind kTableFile{"fidelity tables", 16u << 20};
/// Reads at most kind.max_bytes + 1 bytes: a larger input is refused without reading the rest
/// ("'big.map' is larger than 4194304 bytes, the limit for policy files").
FileText read_text(const std::string& path, std::istream& in, const FileKind& kind);

/// "3,1" -> {3, 1}; nullopt with `error` set when malformed.
std::optional<std::vector<std::int64_t>> parse_int_list(std::string_view text, std::string& error);

/// Parses `--machine nodes=2,cpu=8,gpu=4,omp=0[,mem=SYSMEM+FBMEM+ZCMEM]`.
std::optional<dsl::MachineShape> parse_machine(std::string_view spec, std::string& error);

}  // namespace mapforge::cli
