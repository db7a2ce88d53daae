// run_shell, shell_quote and expand_template (process.h).
#include "tune/process/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

extern char** environ;

namespace mapforge::tune {
namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(const char* what, int error) {
  return std::string(what) + ": " + std::strerror(error);
}

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

/// Keeps the first `head_cap` bytes and the last `tail_cap` bytes of a stream.
class Capture {
 public:
  Capture(std::size_t head_cap, std::size_t tail_cap) : head_cap_(head_cap), tail_cap_(tail_cap) {}

  void add(const char* data, std::size_t size) {
    total_ += size;
    std::size_t to_head = std::min(size, head_cap_ - head_.size());
    head_.append(data, to_head);
    data += to_head;
    size -= to_head;
    if (size == 0 || tail_cap_ == 0) return;
    if (size >= tail_cap_) {
      tail_.assign(data + (size - tail_cap_), tail_cap_);
      return;
    }
    tail_.append(data, size);
    // Trimmed in bulk so that appending stays amortised O(1).
    if (tail_.size() > 2 * tail_cap_) tail_.erase(0, tail_.size() - tail_cap_);
  }

  std::uint64_t total() const { return total_; }

  /// The text, with the marker line where bytes were dropped; sets `dropped`.
  std::string finish(std::uint64_t& dropped) {
    if (tail_.size() > tail_cap_) tail_.erase(0, tail_.size() - tail_cap_);
    dropped = total_ - head_.size() - tail_.size();
    std::string out = std::move(head_);
    if (dropped > 0) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += dropped_marker(dropped);
      out += '\n';
    }
    out += tail_;
    return out;
  }

 private:
  std::size_t head_cap_, tail_cap_;
  std::string head_, tail_;
  std::uint64_t total_ = 0;
};

/// Whether `pid` (our child) has ended, without reaping it: while it is an unreaped zombie its
/// pid, and so its process-group id, cannot be reused, which makes kill(-pid) safe.
bool has_exited(pid_t pid) {
  siginfo_t info;
  for (;;) {
    std::memset(&info, 0, sizeof info);
    int rc = waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
    if (rc == 0) return info.si_pid != 0;
    if (errno == EINTR) continue;
    return true;  // ECHILD: someone else reaped it (SIGCHLD ignored); nothing left to wait for
  }
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  long fd = syscall(SYS_pidfd_open, pid, 0);  // pidfds are always close-on-exec
  return fd < 0 ? -1 : static_cast<int>(fd);
#else
  (void)pid;
  return -1;
#endif
}

/// The environment for the child: the caller's without `unset`, with `extra` set over it.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra,
                                           const std::vector<std::string>& unset) {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    std::string_view name = text.substr(0, text.find('='));
    if (extra.count(std::string(name)) != 0) continue;
    if (std::find(unset.begin(), unset.end(), name) != unset.end()) continue;
    out.emplace_back(text);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

struct SpawnResources {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  bool actions_ok = false, attr_ok = false;
  ~SpawnResources() {
    if (actions_ok) posix_spawn_file_actions_destroy(&actions);
    if (attr_ok) posix_spawnattr_destroy(&attr);
  }
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);  // not retried on EINTR: on Linux the fd is released either way
  fd = -1;
}

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

std::string dropped_marker(std::uint64_t dropped_bytes) {
  return "[mapforge: " + std::to_string(dropped_bytes) + " bytes of output dropped here]";
}

ProcessResult run_shell(const std::string& command_line, const ProcessOptions& options) {
  ProcessResult result;
  const Clock::time_point start = Clock::now();

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    result.error = errno_text("pipe2", errno);
    return result;
  }
  int read_fd = fds[0], write_fd = fds[1];

  pid_t pid = -1;
  {
    SpawnResources spawn;
    int rc = posix_spawn_file_actions_init(&spawn.actions);
    spawn.actions_ok = rc == 0;
    if (rc == 0) rc = posix_spawnattr_init(&spawn.attr);
    spawn.attr_ok = rc == 0 && spawn.actions_ok;
    if (rc == 0) rc = posix_spawn_file_actions_addopen(&spawn.actions, 0, "/dev/null", O_RDONLY, 0);
    // dup2 clears close-on-exec on the copies; the originals close at exec.
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&spawn.actions, write_fd, 1);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&spawn.actions, write_fd, 2);
    if (rc == 0 && !options.working_directory.empty())
      rc = posix_spawn_file_actions_addchdir_np(&spawn.actions, options.working_directory.c_str());
    if (rc == 0) {
      rc = posix_spawnattr_setflags(
          &spawn.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    if (rc == 0) rc = posix_spawnattr_setpgroup(&spawn.attr, 0);
    sigset_t mask, defaults;
    sigemptyset(&mask);
    sigfillset(&defaults);
    sigdelset(&defaults, SIGKILL);
    sigdelset(&defaults, SIGSTOP);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&spawn.attr, &mask);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&spawn.attr, &defaults);
    if (rc != 0) {
      result.error = errno_text("posix_spawn setup", rc);
      close_fd(read_fd);
      close_fd(write_fd);
      return result;
    }
    std::vector<std::string> env = child_environment(options.environment, options.unset_environment);
    std::vector<char*> envp;
    envp.reserve(env.size() + 1);
    for (std::string& entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::string sh = "/bin/sh", dash_c = "-c", command = command_line;
    char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};
    rc = posix_spawn(&pid, "/bin/sh", &spawn.actions, &spawn.attr, argv, envp.data());
    close_fd(write_fd);
    if (rc != 0) {
      result.error = errno_text("cannot start /bin/sh", rc);
      close_fd(read_fd);
      return result;
    }
  }
  result.started = true;

  Capture capture(options.head_bytes, options.tail_bytes);
  int pidfd = open_pidfd(pid);
  bool exited = false;
  bool stopping = false, killed = false;
  Clock::time_point kill_at{}, linger_until{}, final_until{};
  bool lingering = false, final_drain = false;
  const bool has_deadline = options.timeout_s > 0;
  const Clock::time_point deadline = has_deadline ? start + seconds(options.timeout_s) : start;
  std::vector<char> buffer(64 * 1024);

  auto kill_group = [&](int sig) { ::kill(-pid, sig); };  // ESRCH (group gone) is fine

  for (;;) {
    if (!exited) exited = has_exited(pid);
    if (exited && read_fd < 0) break;
    Clock::time_point now = Clock::now();

    if (!stopping) {
      if (has_deadline && now >= deadline) {
        result.timed_out = true;
      } else if (options.cancel != nullptr && options.cancel->load()) {
        result.cancelled = true;
      }
      if (result.timed_out || result.cancelled) {
        stopping = true;
        kill_group(SIGTERM);
        kill_at = now + seconds(std::max(0.0, options.kill_grace_s));
      }
    }
    if (stopping && !killed && !exited && now >= kill_at) {
      kill_group(SIGKILL);
      killed = true;
    }
    if (exited && read_fd >= 0) {
      // The shell is gone but something it started still holds the pipe.
      if (!lingering) {
        lingering = true;
        linger_until = now + seconds(std::max(0.0, options.linger_s));
      }
      if (!final_drain && now >= linger_until) {
        kill_group(SIGKILL);
        final_drain = true;
        final_until = now + std::chrono::milliseconds(200);
      }
      if (final_drain && now >= final_until) break;  // held by something outside the group
    }

    // How long to wait for the next event.
    Clock::time_point wake = now + std::chrono::hours(1);
    if (has_deadline && !stopping) wake = std::min(wake, deadline);
    if (stopping && !killed && !exited) wake = std::min(wake, kill_at);
    if (lingering && !final_drain) wake = std::min(wake, linger_until);
    if (final_drain) wake = std::min(wake, final_until);
    if (options.cancel != nullptr && !stopping)
      wake = std::min(wake, now + std::chrono::milliseconds(100));
    if (!exited && pidfd < 0) wake = std::min(wake, now + std::chrono::milliseconds(10));
    auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(wake - now).count();
    int timeout_ms = static_cast<int>(std::clamp<long long>(wait_ms, 0, 3600 * 1000));

    pollfd polled[2];
    nfds_t count = 0;
    int pipe_index = -1;
    if (read_fd >= 0) {
      pipe_index = static_cast<int>(count);
      polled[count++] = {read_fd, POLLIN, 0};
    }
    if (!exited && pidfd >= 0) polled[count++] = {pidfd, POLLIN, 0};
    int ready = ::poll(polled, count, timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      // Should not happen; avoid a busy loop, keep going by the clock.
      ::usleep(10000);
      continue;
    }
    if (pipe_index >= 0 && (polled[pipe_index].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      ssize_t n = ::read(read_fd, buffer.data(), buffer.size());
      if (n > 0) {
        capture.add(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close_fd(read_fd);
      }
    }
  }
  close_fd(read_fd);
  close_fd(pidfd);

  // Nothing of the command may outlive it. The shell is still an unreaped zombie here (or was
  // reaped by someone else), so its group id has not been reused.
  kill_group(SIGKILL);
  int status = 0;
  for (;;) {
    pid_t rc = ::waitpid(pid, &status, 0);
    if (rc == pid) {
      if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
      break;
    }
    if (rc < 0 && errno == EINTR) continue;
    break;  // ECHILD: reaped elsewhere; the status is unknown
  }
  result.output_bytes = capture.total();
  result.output = capture.finish(result.dropped_bytes);
  result.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

std::string shell_quote(std::string_view text) {
  if (text.empty()) return "''";
  bool safe = std::all_of(text.begin(), text.end(), [](char c) {
    return is_name_char(c) || std::strchr("@%+=:,./-", c) != nullptr;
  });
  if (safe) return std::string(text);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

std::string expand_template(std::string_view tmpl,
                            const std::map<std::string, std::string>& values) {
  enum class Quote { None, Single, Double } quote = Quote::None;
  std::string out;
  out.reserve(tmpl.size() + 64);
  std::size_t i = 0;
  while (i < tmpl.size()) {
    char c = tmpl[i];
    if (c == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '{') {
      out += '{';
      i += 2;
      continue;
    }
    if (c == '}' && i + 1 < tmpl.size() && tmpl[i + 1] == '}') {
      out += '}';
      i += 2;
      continue;
    }
    if (c == '{' && i + 1 < tmpl.size() && is_name_start(tmpl[i + 1])) {
      std::size_t end = i + 1;
      while (end < tmpl.size() && is_name_char(tmpl[end])) ++end;
      if (end < tmpl.size() && tmpl[end] == '}') {
        std::string name(tmpl.substr(i + 1, end - i - 1));
        auto it = values.find(name);
        if (it == values.end()) {
          std::string known;
          for (const auto& entry : values)
            known += (known.empty() ? "{" : ", {") + entry.first + "}";
          if (known.empty()) known = "none";
          throw TemplateError("unknown placeholder {" + name +
                              "} in the command template (known: " + known +
                              "); write {{ for a literal {");
        }
        const std::string& value = it->second;
        switch (quote) {
          case Quote::None:
            out += shell_quote(value);
            break;
          case Quote::Single:  // close the quote, an escaped quote, reopen
            for (char v : value) out += v == '\'' ? std::string("'\\''") : std::string(1, v);
            break;
          case Quote::Double:
            for (char v : value) {
              if (v == '$' || v == '`' || v == '"' || v == '\\') out += '\\';
              out += v;
            }
            break;
        }
        i = end + 1;
        continue;
      }
    }
    // Track the shell's quoting so a value is quoted for where it stands.
    out += c;
    ++i;
    if (quote == Quote::Single) {
      if (c == '\'') quote = Quote::None;
    } else if (c == '\\') {
      if (i < tmpl.size() && (tmpl[i] == '\'' || tmpl[i] == '"' || tmpl[i] == '\\' ||
                              tmpl[i] == '`' || tmpl[i] == '$')) {
        out += tmpl[i];
        ++i;
      }
    } else if (quote == Quote::Double) {
      if (c == '"') quote = Quote::None;
    } else if (c == '\'') {
      quote = Quote::Single;
    } else if (c == '"') {
      quote = Quote::Double;
    }
  }
  return out;
}

}  // namespace mapforge::tune
