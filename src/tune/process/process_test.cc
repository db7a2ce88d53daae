#include "tune/process/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace mapforge::tune {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mapforge-process-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Gone, or a zombie waiting for a parent that is not us (a container's init may not reap).
bool process_gone(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

int open_fd_count() {
  int count = 0;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (::readdir(dir) != nullptr) ++count;
    ::closedir(dir);
  }
  return count;
}

TEST(RunShell, InterleavesStdoutAndStderrInOrder) {
  ProcessResult r = run_shell("echo one; echo two >&2; echo three; printf four >&2");
  ASSERT_TRUE(r.started) << r.error;
  EXPECT_EQ(r.output, "one\ntwo\nthree\nfour");
  ASSERT_TRUE(r.exit_status.has_value());
  EXPECT_EQ(*r.exit_status, 0);
  EXPECT_FALSE(r.signal.has_value());
  EXPECT_FALSE(r.timed_out);
  EXPECT_TRUE(r.success());
  EXPECT_EQ(r.output_bytes, r.output.size());
  EXPECT_EQ(r.dropped_bytes, 0u);
  EXPECT_GE(r.wall_s, 0.0);
  EXPECT_LT(r.wall_s, 30.0);
}

TEST(RunShell, ReportsExitCodes) {
  for (int code : {0, 1, 2, 42, 255}) {
    ProcessResult r = run_shell("exit " + std::to_string(code));
    ASSERT_TRUE(r.exit_status.has_value());
    EXPECT_EQ(*r.exit_status, code);
    EXPECT_EQ(r.success(), code == 0);
  }
  ProcessResult missing = run_shell("/nonexistent/program --flag");
  ASSERT_TRUE(missing.exit_status.has_value());
  EXPECT_EQ(*missing.exit_status, 127);
  EXPECT_NE(missing.output.find("nonexistent"), std::string::npos) << missing.output;
}

TEST(RunShell, StdinIsDevNull) {
  ProcessResult r = run_shell("cat; echo done");
  EXPECT_EQ(r.output, "done\n");
}

TEST(RunShell, UnsetEnvironmentKeepsVariablesFromTheChild) {
  setenv("MAPFORGE_TEST_SECRET", "hidden", 1);
  ProcessOptions options;
  options.unset_environment = {"MAPFORGE_TEST_SECRET"};
  EXPECT_EQ(run_shell("echo ${MAPFORGE_TEST_SECRET-unset}", options).output, "unset\n");
  EXPECT_EQ(run_shell("echo ${MAPFORGE_TEST_SECRET-unset}").output, "hidden\n");
  unsetenv("MAPFORGE_TEST_SECRET");
}

TEST(RunShell, ReportsACrash) {
  ProcessResult r = run_shell("echo before; kill -SEGV $$");
  EXPECT_EQ(r.output, "before\n");
  EXPECT_FALSE(r.exit_status.has_value());
  ASSERT_TRUE(r.signal.has_value());
  EXPECT_EQ(*r.signal, SIGSEGV);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.success());
}

TEST(RunShell, TimeoutKillsTheWholeGroup) {
  TempDir dir;
  fs::path pids = dir.path() / "pids";
  ProcessOptions options;
  options.timeout_s = 1.5;  // generous: the shell must have started both children by then
  options.kill_grace_s = 0.5;
  // Two background children and a foreground one, all holding the output pipe.
  std::string command = "sleep 60 & echo $! > '" + pids.string() + "'; sleep 60 & echo $! >> '" +
                        pids.string() + "'; echo started; sleep 60; echo never";
  ProcessResult r = run_shell(command, options);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.success());
  EXPECT_EQ(r.output, "started\n");
  EXPECT_TRUE(r.signal.has_value() || r.exit_status.has_value());
  EXPECT_LT(r.wall_s, 20.0);
  std::istringstream lines(read_file(pids));
  std::vector<pid_t> children;
  for (pid_t pid; lines >> pid;) children.push_back(pid);
  ASSERT_EQ(children.size(), 2u);
  // SIGKILL is asynchronous: allow the kernel a moment to finish them.
  for (pid_t pid : children) {
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
      gone = process_gone(pid);
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(gone) << "child " << pid << " survived the timeout";
  }
}

TEST(RunShell, TimeoutEscalatesToSigkillWhenTermIsIgnored) {
  ProcessOptions options;
  options.timeout_s = 1.0;  // generous: the trap must be set before SIGTERM comes
  options.kill_grace_s = 0.3;
  ProcessResult r = run_shell("trap '' TERM; echo ignoring; while :; do sleep 1; done", options);
  EXPECT_TRUE(r.timed_out);
  ASSERT_TRUE(r.signal.has_value());
  EXPECT_EQ(*r.signal, SIGKILL);
  EXPECT_EQ(r.output, "ignoring\n");
  EXPECT_LT(r.wall_s, 20.0);
}

TEST(RunShell, LeftoverBackgroundProcessesAreKilled) {
  TempDir dir;
  fs::path pid_file = dir.path() / "pid";
  ProcessOptions options;
  options.linger_s = 0.2;
  // Exits at once, leaving a child that still holds the pipe.
  ProcessResult r =
      run_shell("sleep 60 & echo $! > '" + pid_file.string() + "'; echo bye", options);
  ASSERT_TRUE(r.exit_status.has_value());
  EXPECT_EQ(*r.exit_status, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.output, "bye\n");
  EXPECT_LT(r.wall_s, 20.0);
  pid_t pid = std::atoi(read_file(pid_file).c_str());
  ASSERT_GT(pid, 0);
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = process_gone(pid);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone);
}

TEST(RunShell, CancelStopsTheCommand) {
  std::atomic<bool> cancel{false};
  ProcessOptions options;
  options.cancel = &cancel;
  options.kill_grace_s = 0.5;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    cancel = true;
  });
  ProcessResult r = run_shell("echo waiting; sleep 60", options);
  canceller.join();
  EXPECT_TRUE(r.cancelled);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.success());
  EXPECT_EQ(r.output, "waiting\n");
}

TEST(RunShell, CapsHugeOutputKeepingHeadAndTail) {
  ProcessOptions options;
  options.head_bytes = 1000;
  options.tail_bytes = 500;
  // 200000 numbered lines (about 1.3 MB), then a last line that matters.
  ProcessResult r = run_shell("seq 1 200000; echo THE-END", options);
  ASSERT_TRUE(r.success());
  EXPECT_GT(r.output_bytes, 1000000u);
  EXPECT_EQ(r.dropped_bytes, r.output_bytes - 1500);
  EXPECT_EQ(r.output.rfind("1\n2\n3\n", 0), 0u);
  EXPECT_NE(r.output.find(dropped_marker(r.dropped_bytes)), std::string::npos);
  EXPECT_EQ(r.output.substr(r.output.size() - 15), "200000\nTHE-END\n");
  EXPECT_LT(r.output.size(), 1000u + 500u + 100u);
}

TEST(RunShell, DefaultCapIsEightPlusOneMebibytes) {
  ProcessResult r = run_shell("head -c 12000000 /dev/zero | tr '\\0' x; echo; echo last line");
  ASSERT_TRUE(r.success());
  EXPECT_EQ(r.output_bytes, 12000000u + 1 + 10);
  EXPECT_EQ(r.dropped_bytes, r.output_bytes - (9u << 20));
  EXPECT_EQ(r.output.substr(r.output.size() - 10), "last line\n");
  EXPECT_NE(r.output.find("bytes of output dropped here]\n"), std::string::npos);
}

TEST(RunShell, WorkingDirectoryAndEnvironment) {
  TempDir dir;
  ProcessOptions options;
  options.working_directory = dir.path();
  options.environment["MAPFORGE_TEST_VALUE"] = "a b";
  ProcessResult r = run_shell("pwd; echo \"$MAPFORGE_TEST_VALUE\"", options);
  EXPECT_EQ(r.output, fs::canonical(dir.path()).string() + "\na b\n");
}

TEST(RunShell, LeaksNoDescriptorsIntoTheChild) {
  // The child (the shell itself) has 0, 1, 2 and at most what this process holds without
  // close-on-exec (a test harness may pass some down); never the pipe's read end or a pidfd.
  std::set<int> inheritable;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] == '.') continue;
      int fd = std::atoi(entry->d_name);
      int flags = ::fcntl(fd, F_GETFD);
      if (flags >= 0 && (flags & FD_CLOEXEC) == 0) inheritable.insert(fd);
    }
    ::closedir(dir);
  }
  // `; true` keeps the shell from exec-ing ls, which lists the waiting shell's descriptors.
  ProcessResult r = run_shell("ls /proc/$$/fd; true");
  ASSERT_TRUE(r.success()) << r.output;
  std::istringstream lines(r.output);
  int count = 0;
  for (int fd; lines >> fd; ++count) {
    if (fd <= 2) continue;
    EXPECT_TRUE(inheritable.count(fd)) << "fd " << fd << " leaked into the child";
  }
  EXPECT_GE(count, 3) << r.output;
}

TEST(RunShell, LeavesNoDescriptorsOrZombiesBehind) {
  int before = open_fd_count();
  for (int i = 0; i < 20; ++i) run_shell("echo hi");
  EXPECT_EQ(open_fd_count(), before);
  // No child of ours is left to reap.
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(RunShell, ConcurrentRunsKeepTheirOwnOutput) {
  constexpr int kThreads = 8;
  std::vector<ProcessResult> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &results] {
      std::string command = "for i in 1 2 3 4 5; do echo run" + std::to_string(t) +
                            " $i; echo err" + std::to_string(t) + " >&2; done; exit " +
                            std::to_string(t);
      results[t] = run_shell(command);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    std::string expected;
    for (int i = 1; i <= 5; ++i)
      expected +=
          "run" + std::to_string(t) + " " + std::to_string(i) + "\nerr" + std::to_string(t) + "\n";
    EXPECT_EQ(results[t].output, expected);
    ASSERT_TRUE(results[t].exit_status.has_value());
    EXPECT_EQ(*results[t].exit_status, t);
  }
}

TEST(ShellQuote, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(shell_quote("/tmp/run/policy.map"), "/tmp/run/policy.map");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$HOME;rm"), "'$HOME;rm'");
}

TEST(ShellQuote, RoundTripsThroughTheShell) {
  for (std::string text :
       {"plain", "with space", "it's \"quoted\"", "$(echo no) `no` \\ ;|&*?", "new\nline", "-n"}) {
    ProcessResult r = run_shell("printf '%s' " + shell_quote(text));
    EXPECT_EQ(r.output, text);
  }
}

TEST(ExpandTemplate, ReplacesAndQuotesPlaceholders) {
  std::map<std::string, std::string> values{{"mapping", "/runs/a b/it's.map"}, {"n", "4"}};
  EXPECT_EQ(expand_template("app -mapping {mapping} -n {n}", values),
            "app -mapping '/runs/a b/it'\\''s.map' -n 4");
  EXPECT_EQ(expand_template("echo {{mapping}} {{ }}", values), "echo {mapping} { }");
  EXPECT_EQ(expand_template("awk '{print $1}' x", values), "awk '{print $1}' x");
  EXPECT_EQ(expand_template("", values), "");
  EXPECT_EQ(expand_template("{mapping", values), "{mapping");
}

TEST(ExpandTemplate, PathsWithSpacesAndQuotesReachTheProgramIntact) {
  TempDir dir;
  fs::path odd = dir.path() / "my \"odd\" dir's $x";
  fs::create_directories(odd);
  fs::path policy = odd / "policy.map";
  std::ofstream(policy) << "Task * GPU;\n";
  std::map<std::string, std::string> values{{"mapping", policy.string()}};
  for (std::string tmpl : {"cat {mapping}", "cat '{mapping}'", "cat \"{mapping}\"",
                           "sh -c 'cat \"$1\"' sh {mapping}", "x=\"{mapping}\"; cat \"$x\""}) {
    std::string command = expand_template(tmpl, values);
    ProcessResult r = run_shell(command);
    EXPECT_EQ(r.output, "Task * GPU;\n") << tmpl << " -> " << command;
  }
}

TEST(ExpandTemplate, UnknownPlaceholderNamesIt) {
  std::map<std::string, std::string> values{{"mapping", "/p.map"}};
  try {
    expand_template("run {mapfile}", values);
    FAIL() << "no error";
  } catch (const TemplateError& error) {
    EXPECT_EQ(std::string(error.what()),
              "unknown placeholder {mapfile} in the command template (known: {mapping}); write "
              "{{ for a literal {");
  }
  EXPECT_THROW(expand_template("echo ${HOME}", values), TemplateError);
  EXPECT_EQ(expand_template("echo ${{HOME}}", values), "echo ${HOME}");
}

}  // namespace
}  // namespace mapforge::tune
