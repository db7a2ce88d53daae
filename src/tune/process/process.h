// Child processes for the `command` backend (DESIGN.md §8): runs a shell command line in its own
// process group with stdin from /dev/null, captures stdout and stderr together in order (one
// pipe for both) under a byte cap, enforces a timeout (SIGTERM to the group, SIGKILL after a
// grace period), and reports how it ended. Also the command-template expansion (`{mapping}`).
// POSIX only; no global state: several runs may go on at once from different threads (`-j`).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mapforge::tune {

struct ProcessOptions {
  /// Wall-clock limit in seconds; 0 (or less) means none.
  double timeout_s = 0;
  /// After SIGTERM to the group (timeout or cancel), how long before SIGKILL.
  double kill_grace_s = 2.0;
  /// After the shell itself has exited, how long to keep reading output that processes it left
  /// behind still write; then the rest of its process group is killed (SIGKILL) either way, so
  /// nothing of the command outlives run_shell.
  double linger_s = 1.0;
  /// Output cap: the first head_bytes and the last tail_bytes are kept; what lies between is
  /// replaced by one marker line saying how many bytes were dropped.
  std::size_t head_bytes = std::size_t{8} << 20;
  std::size_t tail_bytes = std::size_t{1} << 20;
  /// Working directory of the command; empty: the caller's.
  std::filesystem::path working_directory;
  /// Environment variables set (or replaced) for the command, over the caller's environment.
  std::map<std::string, std::string> environment;
  /// Variables of the caller's environment the command does not get (secrets such as API keys).
  std::vector<std::string> unset_environment;
  /// When set and it becomes true, the command is stopped like on a timeout (timed_out stays
  /// false, cancelled is true). Checked at least every 100 ms.
  const std::atomic<bool>* cancel = nullptr;
};

struct ProcessResult {
  /// False when the command could not be started at all (pipe, spawn failure): see `error`.
  bool started = false;
  std::string error;
  /// stdout and stderr interleaved as written, capped (see ProcessOptions).
  std::string output;
  /// Every byte the command wrote, and how many of them `output` lacks.
  std::uint64_t output_bytes = 0;
  std::uint64_t dropped_bytes = 0;
  /// Normally exactly one of these is set once the shell is reaped: its exit status, or the signal
  /// that killed it (e.g. 11 for `kill -SEGV $$`, 15 or 9 after a timeout).
  std::optional<int> exit_status;
  std::optional<int> signal;
  bool timed_out = false;
  bool cancelled = false;
  /// From the start to the shell's end (and the last output read), in seconds.
  double wall_s = 0;

  /// Exited with status 0, not timed out or cancelled.
  bool success() const {
    return started && !timed_out && !cancelled && exit_status && *exit_status == 0;
  }
};

/// Runs `/bin/sh -c command_line`. Never throws for the command's own failures (they are in the
/// result); blocks until the command and its process group are gone.
ProcessResult run_shell(const std::string& command_line, const ProcessOptions& options = {});

/// The marker line that replaces dropped output ("[mapforge: N bytes of output dropped here]").
std::string dropped_marker(std::uint64_t dropped_bytes);

/// `text` as one shell word (POSIX sh): unchanged when it consists only of safe characters
/// (letters, digits, `_@%+=:,./-`), otherwise in single quotes with `'` written as `'\''`;
/// `''` for the empty string.
std::string shell_quote(std::string_view text);

/// An unknown placeholder in a command template.
class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Replaces every `{name}` (name: letters, digits, `_`, not starting with a digit) by
/// values.at(name), quoted for the shell according to where it stands in the template: outside
/// quotes as shell_quote does, inside '...' or "..." so that it stays one literal string there.
/// `{{` gives `{` and `}}` gives `}`; any other brace (e.g. awk's `{print $1}`) is kept as it is.
/// Throws TemplateError for an unknown name, naming it and the known ones, e.g.
/// `unknown placeholder {mapfile} in the command template (known: {mapping}); write {{ for a
/// literal {`.
std::string expand_template(std::string_view tmpl,
                            const std::map<std::string, std::string>& values);

}  // namespace mapforge::tune
