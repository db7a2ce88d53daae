// `mapforge tune`, `report` and `bench` end to end: in-process for the loop, and as real child
// processes for kill-and-resume and the command backend.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/cli_test_support.h"
#include "search/llm/test_http_server.h"
#include "tune/process/process.h"
#include "tune/tune.h"

namespace mapforge::cli::testing {
namespace {

using Json = nlohmann::json;

std::vector<Json> journal(const std::filesystem::path& dir) {
  std::vector<Json> lines;
  std::ifstream in(dir / "journal.jsonl");
  for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
  return lines;
}

std::string quoted(const std::string& s) { return tune::shell_quote(s); }

class TuneCli : public CliFixture {};

TEST_F(TuneCli, GuidedRepairsTheDefaultAndMatchesTheExpert) {
  auto out = (dir_ / "run").string();
  auto o = Mapforge({"tune", "--app", "cannon", "--machine", "p100-node", "--out", out, "-q"});
  ASSERT_EQ(o.status, 0) << o.err;
  auto lines = journal(out);
  ASSERT_EQ(lines.size(), 11u);  // the header and ten evaluations
  EXPECT_EQ(lines[0]["type"], "run");
  EXPECT_EQ(lines[0]["agent"], "guided");
  EXPECT_EQ(lines[0]["objective"], "maximize");
  EXPECT_TRUE(lines[0]["expert_metric"].is_number());
  // The runtime's default layout breaks cannon's GEMM; AutoGuide's repair is applied next.
  EXPECT_EQ(lines[1]["policy"], "");
  EXPECT_FALSE(lines[1]["ok"].get<bool>());
  EXPECT_NE(lines[1]["output"].get<std::string>().find("DGEMM parameter number 8"),
            std::string::npos);
  // The repaired default runs (its leaves are not on their parent's GPU yet: below the expert).
  EXPECT_TRUE(lines[2]["ok"].get<bool>()) << lines[2]["policy"];
  EXPECT_GT(lines[2]["normalized"].get<double>(), 0.5);
  EXPECT_NE(o.out.find("the expert's throughput"), std::string::npos) << o.out;
  double best_normalized = 0;
  for (auto& l : lines)
    if (l["type"] == "eval" && l["normalized"].is_number())
      best_normalized = std::max(best_normalized, l["normalized"].get<double>());
  EXPECT_GE(best_normalized, 1.0);
  std::ifstream best(std::filesystem::path(out) / "best.map");
  std::string best_text((std::istreambuf_iterator<char>(best)), {});
  EXPECT_NE(best_text.find("C_order"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / "best.profile.json"));
  // The report of the run.
  auto r = Mapforge({"report", out});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / "report.html"));
}

TEST_F(TuneCli, SameSeedSameJournal) {
  // The policies and metrics in iteration order (with -j, lines are written as runs finish).
  auto run = [&](const std::string& name, const std::string& agent, const std::string& jobs) {
    auto out = (dir_ / name).string();
    auto o = Mapforge({"tune", "--app", "cannon", "--agent", agent, "--iterations", "6", "--seed",
                       "4", "-j", jobs, "--out", out, "-q"});
    EXPECT_LE(o.status, 1) << o.err;
    std::map<int, std::string> by_iteration;
    for (auto& l : journal(out))
      if (l["type"] == "eval")
        by_iteration[l["iteration"].get<int>()] =
            l["policy"].get<std::string>() + "|" + l["metric"].dump();
    return by_iteration;
  };
  for (const char* agent : {"guided", "random", "opentuner"}) {
    auto one = run(std::string(agent) + "1", agent, "1");
    EXPECT_EQ(one.size(), 6u);
    EXPECT_TRUE(one == run(std::string(agent) + "1b", agent, "1")) << agent;
    auto three = run(std::string(agent) + "3", agent, "3");
    EXPECT_EQ(three.size(), 6u);
    EXPECT_TRUE(three == run(std::string(agent) + "3b", agent, "3")) << agent;
  }
}

TEST_F(TuneCli, BadInputsSayWhatIsWrong) {
  auto out = (dir_ / "run").string();
  auto o = Mapforge({"tune", "--app", "stencil", "--agent", "annealing", "--out", out});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("unknown agent 'annealing'"), std::string::npos) << o.err;
  o = Mapforge({"tune", "--app", "nosuch", "--out", out});
  EXPECT_EQ(o.status, 2);
  o = Mapforge({"tune", "--app", "stencil", "--feedback", "loud", "--out", out});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--feedback: expected execution, explain or suggest, got 'loud'"),
            std::string::npos);
  o = Mapforge(
      {"tune", "--backend", "command", "--command", "true", "--metric", "x", "--out", out});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--command must contain {mapping}"), std::string::npos) << o.err;
  o = Mapforge({"tune", "--backend", "command", "--command", "cat {mapping}", "--metric", "(",
                "--out", out});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--metric: not a valid regular expression"), std::string::npos) << o.err;
  o = Mapforge({"tune", "--backend", "command", "--command", "cat {mapping}", "--metric",
                "T=([0-9]+)", "--unset-env", "A=B", "--out", out});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--unset-env: 'A=B' is not an environment variable name"), std::string::npos)
      << o.err;
  o = Mapforge({"tune", "--backend", "command", "--command", "cat {mapping}", "--metric",
                "T=[0-9]+", "--out", out});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--metric: 'T=[0-9]+' has no capture group; put one around the number"),
            std::string::npos)
      << o.err;
  unsetenv("OPENAI_MODEL");
  o = Mapforge({"tune", "--app", "stencil", "--agent", "llm", "--llm-url", "http://127.0.0.1:9",
                "--out", out});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: --agent: llm agent: no model: pass --llm-model or set "
            "OPENAI_MODEL\n");
  o = Mapforge({"tune", "--resume", "--agent", "random", "--out", (dir_ / "none").string()});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--resume continues a run with the settings in its journal; drop --agent"),
            std::string::npos)
      << o.err;
  o = Mapforge({"tune", "--resume", "--out", (dir_ / "none").string()});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("journal.jsonl"), std::string::npos) << o.err;
  // A finished run is not overwritten.
  ASSERT_EQ(Mapforge({"tune", "--app", "stencil", "-n", "1", "--out", out, "-q"}).status, 0);
  o = Mapforge({"tune", "--app", "stencil", "-n", "1", "--out", out, "-q"});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("already exists: continue that run with --resume"), std::string::npos);
  o = Mapforge({"report", (dir_ / "none").string()});
  EXPECT_EQ(o.status, 2);
}

TEST_F(TuneCli, ResumeAfterAKilledProcessContinuesExactly) {
  const std::string binary = MAPFORGE_BINARY;
  auto args = std::string(
      " tune --app circuit --machine lassen --nodes 4 --agent random "
      "--iterations 40 --seed 9 -q --out ");
  auto killed = dir_ / "killed";
  auto whole = dir_ / "whole";
  // The uninterrupted run.
  auto ref = tune::run_shell(quoted(binary) + args + quoted(whole.string()));
  ASSERT_TRUE(ref.success()) << ref.output;
  // The same run, killed (SIGKILL: no chance to clean up) once a few evaluations are journalled.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::string line = "exec " + quoted(binary) + args + quoted(killed.string());
    execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::size_t seen = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(killed / "journal.jsonl");
    seen = 0;
    for (std::string line; std::getline(in, line);) ++seen;
    if (seen >= 5) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  // sh -c exec'd mapforge directly or waits for it: make sure no writer is left.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_GE(seen, 5u);
  auto partial = journal(killed);
  ASSERT_LT(partial.size(), 41u) << "the run finished before it was killed";
  auto resumed =
      tune::run_shell(quoted(binary) + " tune --resume -q --out " + quoted(killed.string()));
  ASSERT_TRUE(resumed.success()) << resumed.output;
  auto a = journal(whole), b = journal(killed);
  ASSERT_EQ(a.size(), 41u);
  ASSERT_EQ(b.size(), 41u);
  for (std::size_t i = 1; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["iteration"], b[i]["iteration"]);
    EXPECT_EQ(a[i]["policy"], b[i]["policy"]) << "iteration " << i - 1;
    EXPECT_EQ(a[i]["metric"], b[i]["metric"]) << "iteration " << i - 1;
  }
}

TEST_F(TuneCli, CommandBackendRunsARealProgram) {
  const std::string binary = MAPFORGE_BINARY;
  auto out = (dir_ / "cmd").string();
  // The real program here is the simulator's own command line: a policy file goes in, the
  // program's lines come out, and the metric is read from them.
  auto o = Mapforge(
      {"tune", "--backend", "command", "--command",
       quoted(binary) + " simulate --app cannon --machine p100-node --mapper {mapping}", "--metric",
       "Achieved throughput = ([0-9.]+) GFLOPS", "--maximize", "--unit", "GFLOPS", "--app",
       "cannon", "--iterations", "4", "--timeout", "60", "--out", out, "-q"});
  ASSERT_EQ(o.status, 0) << o.err << o.out;
  auto lines = journal(out);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["backend"], "command");
  EXPECT_FALSE(lines[1]["ok"].get<bool>());
  EXPECT_EQ(lines[1]["exit_status"], 1);
  bool any_ok = false;
  for (std::size_t i = 2; i < lines.size(); ++i) any_ok = any_ok || lines[i]["ok"].get<bool>();
  EXPECT_TRUE(any_ok) << "the DGEMM failure was not repaired through the command backend";
}

// The API key (and any variable named with --unset-env) never reaches the command's children,
// and a secret the command prints anyway (read from a file here) is redacted before the output is
// journalled, fed back or put in a prompt.
TEST_F(TuneCli, CommandBackendKeepsSecretsFromChildrenAndTheJournal) {
  const char* key = "sk-test-secret-0123456789";
  const char* token = "hpc-token-abcdef";
  setenv("OPENAI_API_KEY", key, 1);
  setenv("MY_SITE_TOKEN", token, 1);
  auto leak = dir_ / "leak.txt";
  std::ofstream(leak) << key << " " << token << "\n";
  auto out = (dir_ / "secrets").string();
  auto o = Mapforge({"tune", "--backend", "command", "--command",
                     "env; cat " + leak.string() + "; echo T=1 {mapping}", "--metric", "T=([0-9]+)",
                     "--unset-env", "MY_SITE_TOKEN", "--agent", "random", "--iterations", "2",
                     "--out", out, "-q"});
  unsetenv("OPENAI_API_KEY");
  unsetenv("MY_SITE_TOKEN");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.find(key), std::string::npos);
  EXPECT_EQ(o.err.find(key), std::string::npos);
  std::ifstream in(std::filesystem::path(out) / "journal.jsonl");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(key), std::string::npos);
  EXPECT_EQ(text.find(token), std::string::npos);
  // env printed neither variable: the child did not have them.
  EXPECT_EQ(text.find("OPENAI_API_KEY="), std::string::npos);
  EXPECT_EQ(text.find("MY_SITE_TOKEN="), std::string::npos);
  // What the file held is marked, not dropped silently.
  EXPECT_NE(text.find("[redacted OPENAI_API_KEY] [redacted MY_SITE_TOKEN]"), std::string::npos);
  auto lines = journal(out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["unset_env"], nlohmann::json::array({"MY_SITE_TOKEN"}));
  EXPECT_TRUE(lines[1]["ok"].get<bool>()) << lines[1]["output"];
}

TEST(RedactSecrets, ReplacesEveryOccurrenceOfLongEnoughValues) {
  EXPECT_EQ(tune::redact_secrets("a sk-1234 b sk-1234", {{"K", "sk-1234"}}),
            "a [redacted K] b [redacted K]");
  EXPECT_EQ(tune::redact_secrets("x=abc", {{"K", "abc"}}), "x=abc");  // too short to tell apart
  EXPECT_EQ(tune::redact_secrets("keyKEYkey", {{"K", "key"}, {"L", "KEYk"}}), "key[redacted L]ey");
}

TEST_F(TuneCli, CommandBackendReportsHangsAndCrashes) {
  auto out = (dir_ / "hang").string();
  auto o = Mapforge({"tune", "--backend", "command", "--command", "sleep 30; cat {mapping}",
                     "--metric", "T=([0-9]+)", "--timeout", "0.5", "--agent", "random",
                     "--iterations", "1", "--out", out, "-q"});
  EXPECT_EQ(o.status, 1) << o.err;  // no policy ran successfully
  auto lines = journal(out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[1]["timed_out"].get<bool>());
  EXPECT_EQ(lines[1]["feedback"][0]["category"], "timeout");
  out = (dir_ / "crash").string();
  o = Mapforge({"tune", "--backend", "command", "--command", "test -f {mapping} && kill -SEGV $$",
                "--metric", "T=([0-9]+)", "--agent", "random", "--iterations", "1", "--out", out,
                "-q"});
  EXPECT_EQ(o.status, 1);
  lines = journal(out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["signal"], 11);
  EXPECT_EQ(lines[1]["feedback"][0]["category"], "crash");
}

// When no policy beats the runtime's defaults, best.map says so in a comment instead of being
// an empty file; it still loads as the empty policy, and the report takes it for the best one.
TEST_F(TuneCli, EmptyBestPolicyIsWrittenAsAComment) {
  auto out = (dir_ / "defaults").string();
  auto o =
      Mapforge({"tune", "--backend", "command", "--command", "cat {mapping}; echo T=5", "--metric",
                "T=([0-9]+)", "--agent", "random", "--iterations", "1", "--out", out, "-q"});
  ASSERT_EQ(o.status, 0) << o.err;
  std::ifstream in(std::filesystem::path(out) / "best.map");
  std::string best((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(best,
            "# The runtime's defaults were best: no statement of any policy tried beat them.\n");
  o = Mapforge({"check", (std::filesystem::path(out) / "best.map").string()});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
  o = Mapforge({"report", out});
  EXPECT_EQ(o.status, 0) << o.err;
  std::ifstream page(std::filesystem::path(out) / "report.html");
  std::string html((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<html"), std::string::npos);
  EXPECT_EQ(html.find("best.map differs"), std::string::npos);
}

// A time of zero or less is no measurement: the run is failed in the journal and the summary.
TEST_F(TuneCli, NonPositiveTimeIsAFailedRun) {
  auto out = (dir_ / "zero").string();
  auto o =
      Mapforge({"tune", "--backend", "command", "--command", "cat {mapping}; echo T=0", "--metric",
                "T=([0-9]+)", "--agent", "random", "--iterations", "1", "--out", out, "-q"});
  EXPECT_EQ(o.status, 1) << o.err;  // no policy ran successfully
  auto lines = journal(out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_FALSE(lines[1]["ok"].get<bool>());
  EXPECT_NE(lines[1]["output"].get<std::string>().find("is not a positive time"),
            std::string::npos);
}

TEST_F(TuneCli, BenchWritesTheTable) {
  auto out = (dir_ / "bench").string();
  auto o = Mapforge({"bench", "--apps", "stencil,cannon", "--seeds", "2", "--iterations", "3",
                     "--long-iterations", "6", "--out", out, "-q"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("| program | default | random@3 | opentuner@3 | opentuner@6 | guided@3 |"),
            std::string::npos)
      << o.out;
  auto table = Json::parse(std::ifstream(std::filesystem::path(out) / "bench.json"));
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0]["app"], "stencil");
  EXPECT_EQ(table[1]["default"], 0.0);  // cannon's default mapping fails
  EXPECT_EQ(table[1]["agents"]["guided@3"]["per_seed"].size(), 2u);
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / "bench.html"));
  // A second bench resumes the finished runs and gives the same table.
  auto again = Mapforge({"bench", "--apps", "stencil,cannon", "--seeds", "2", "--iterations", "3",
                         "--long-iterations", "6", "--out", out, "-q"});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(again.out, o.out);
}

}  // namespace
}  // namespace mapforge::cli::testing

namespace mapforge::cli::testing {
namespace {

using search::llm::testing::chat_reply;
using search::llm::testing::ScriptedReply;
using search::llm::testing::TestHttpServer;

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

TEST_F(TuneCli, LlmAgentTunesThroughAnEndpointAndNeverStoresTheKey) {
  // A real HTTP server on loopback plays the endpoint: a good suggestion, a reply that is not
  // JSON, a rate limit with Retry-After and then a suggestion whose policy does not parse.
  ScriptedReply limited;
  limited.status = 429;
  limited.headers = {{"Retry-After", "1"}};
  limited.body = R"({"error": {"message": "slow down"}})";
  TestHttpServer server({chat_reply(R"({"reasoning": "BLAS wants C order",
                                        "suggestion": {"layout": "Layout * * * SOA C_order;"}})"),
                         chat_reply("I would rather not answer in JSON."), limited,
                         chat_reply(R"({"suggestion": {"layout": "Layout * * * SOA C_order"}})")});
  const char* key = "sk-test-secret-0123456789";
  setenv("OPENAI_API_KEY", key, 1);
  auto out = dir_ / "llm";
  auto o =
      Mapforge({"tune", "--app", "cannon", "--agent", "llm", "--llm-url", server.base_url(),
                "--llm-model", "test-model", "--iterations", "4", "--out", out.string(), "-q"});
  unsetenv("OPENAI_API_KEY");
  ASSERT_EQ(o.status, 0) << o.err;
  auto lines = journal(out);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["llm_model"], "test-model");
  EXPECT_EQ(lines[1]["policy"], "");         // iteration 0: the runtime's defaults
  EXPECT_FALSE(lines[1]["ok"].get<bool>());  // DGEMM parameter 8
  EXPECT_TRUE(lines[2]["ok"].get<bool>()) << lines[2]["output"];
  EXPECT_NE(lines[2]["policy"].get<std::string>().find("SOA C_order"), std::string::npos);
  // A reply that says nothing usable still counts as an iteration, as a failed one.
  EXPECT_FALSE(lines[3]["ok"].get<bool>());
  // After the rate limit, a policy that does not parse: run, and its errors fed back.
  EXPECT_FALSE(lines[4]["ok"].get<bool>());
  EXPECT_EQ(lines[4]["exit_status"], 2);
  auto requests = server.requests();
  ASSERT_GE(requests.size(), 4u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.header("Authorization").value_or(""), std::string("Bearer ") + key);
    EXPECT_EQ(r.body.find(key), std::string::npos);
  }
  // The next prompt carried the previous feedback (the DGEMM error of iteration 0).
  EXPECT_NE(requests[0].body.find("DGEMM"), std::string::npos);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out)) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(read_all(entry.path()).find(key), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace mapforge::cli::testing

namespace mapforge::cli::testing {
namespace {

TEST_F(TuneCli, ResumeRefusesAJournalThatNoLongerMatchesTheAgent) {
  auto out = dir_ / "edited";
  ASSERT_EQ(Mapforge({"tune", "--app", "stencil", "-n", "3", "--out", out.string(), "-q"}).status,
            0);
  // Someone edits the policy of iteration 1 and truncates the last line half-way.
  auto lines = journal(out);
  lines[2]["policy"] = "Task * CPU;\n";
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i)
    text += i + 1 < lines.size() ? lines[i].dump() + "\n" : lines[i].dump().substr(0, 40);
  std::ofstream(out / "journal.jsonl", std::ios::binary | std::ios::trunc) << text;
  auto o = Mapforge({"tune", "--resume", "--out", out.string(), "-q"});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("cannot resume exactly: iteration 1 of the journal ran a different policy"),
            std::string::npos)
      << o.err;
}

}  // namespace
}  // namespace mapforge::cli::testing
