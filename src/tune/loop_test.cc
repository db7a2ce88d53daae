#include <gtest/gtest.h>

#include "search/search.h"
#include "tune/tune.h"

namespace mapforge::tune {
namespace {

TEST(Metric, LastMatchWinsAndFirstGroupIsTheValue) {
  EXPECT_EQ(
      extract_metric("ELAPSED TIME = 2.5 s\nELAPSED TIME = 1.25 s\n", "ELAPSED TIME = ([0-9.]+) s"),
      1.25);
  EXPECT_EQ(extract_metric("nothing here", "T = ([0-9.]+)"), std::nullopt);
  EXPECT_EQ(extract_metric("x", "(unclosed"), std::nullopt);
}

TEST(Normalized, ExpertIsOneFailureIsZero) {
  EXPECT_EQ(normalized(2.0, 1.0, Objective::Minimize), 0.5);
  EXPECT_EQ(normalized(200.0, 100.0, Objective::Maximize), 2.0);
  EXPECT_EQ(normalized(std::nullopt, 1.0, Objective::Minimize), 0.0);
  EXPECT_EQ(normalized(1.0, std::nullopt, Objective::Minimize), std::nullopt);
}

}  // namespace
}  // namespace mapforge::tune

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

namespace mapforge::tune {
namespace {

/// A backend whose metric is the policy's length (shorter is faster), and that counts its runs.
class FakeBackend final : public Backend {
 public:
  RunResult run(const std::string& policy) const override {
    int now = ++in_flight_;
    int seen = max_in_flight_.load();
    while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
    }
    // Give parallel runs a chance to overlap (bounded; no assertion on time).
    for (int i = 0; i < 200 && max_in_flight_.load() < 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ++runs_;
    --in_flight_;
    RunResult r;
    r.exit_status = policy.find("fail") != std::string::npos ? 1 : 0;
    r.ok = *r.exit_status == 0;
    if (r.ok) r.metric = 1.0 + static_cast<double>(policy.size());
    r.output = r.ok ? "ELAPSED TIME = " + std::to_string(*r.metric) + " s\n" : "failed\n";
    return r;
  }
  Objective objective() const override { return Objective::Minimize; }
  std::string metric_unit() const override { return "s"; }
  mutable std::atomic<int> runs_{0}, in_flight_{0}, max_in_flight_{0};
};

/// Proposes a fixed script of policies (or errors), in batches.
class ScriptAgent final : public search::Agent {
 public:
  explicit ScriptAgent(std::vector<std::string> script) : script_(std::move(script)) {}
  std::string_view name() const override { return "script"; }
  std::vector<search::Proposal> propose(int count) override {
    std::vector<search::Proposal> out;
    for (int i = 0; i < count && next_ < script_.size(); ++i, ++next_) {
      search::Proposal p;
      if (script_[next_] == "ERROR")
        p.error = "the endpoint timed out";
      else
        p.policy = script_[next_];
      out.push_back(p);
    }
    return out;
  }
  void observe(const std::vector<search::Observation>& batch) override {
    for (const auto& o : batch) observed_.push_back(o);
  }
  std::vector<search::Observation> observed_;

 private:
  std::vector<std::string> script_;
  std::size_t next_ = 0;
};

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::path(::testing::TempDir()) / ("mapforge_loop_" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

std::vector<nlohmann::json> evals(const std::filesystem::path& dir) {
  std::vector<nlohmann::json> out;
  std::ifstream in(dir / "journal.jsonl");
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    if (j["type"] == "eval") out.push_back(j);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a["iteration"] < b["iteration"]; });
  return out;
}

TEST(Loop, DuplicatesAndAgentErrorsCountAsIterationsWithoutRunning) {
  FakeBackend backend;
  ScriptAgent agent({"Task * GPU;\n", "Task * GPU;\n", "ERROR", "fail;\n", "T;\n"});
  TuneSettings settings;
  settings.agent = "script";
  settings.iterations = 5;
  auto dir = fresh_dir("duplicates");
  TuneResult r = run_tune(settings, agent, backend, Reference{}, dir, false);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.evaluations, 5);
  EXPECT_EQ(backend.runs_.load(), 3);  // the duplicate and the agent's error ran nothing
  auto lines = evals(dir);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_TRUE(lines[1]["duplicate"].get<bool>());
  EXPECT_EQ(lines[1]["metric"], lines[0]["metric"]);
  EXPECT_FALSE(lines[2]["ok"].get<bool>());
  EXPECT_NE(lines[2]["output"].get<std::string>().find(
                "the agent produced no policy: the endpoint timed out"),
            std::string::npos);
  EXPECT_EQ(lines[2]["agent"]["error"], "the endpoint timed out");
  EXPECT_FALSE(lines[3]["ok"].get<bool>());
  // The best so far only improves, and best.map holds it.
  EXPECT_EQ(lines[4]["best_metric"], 4.0);  // "T;\n" is the shortest
  std::ifstream best(dir / "best.map");
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(best)), {}), "T;\n");
  // The agent saw every iteration, failures and duplicates included.
  ASSERT_EQ(agent.observed_.size(), 5u);
  EXPECT_TRUE(agent.observed_[1].duplicate);
  EXPECT_EQ(agent.observed_[3].score, 0.0);
  EXPECT_GT(agent.observed_[4].score, agent.observed_[0].score);
}

TEST(Loop, JobsRunABatchAtOnce) {
  FakeBackend backend;
  ScriptAgent agent({"a;\n", "bb;\n", "ccc;\n", "dddd;\n"});
  TuneSettings settings;
  settings.agent = "script";
  settings.iterations = 4;
  settings.jobs = 4;
  auto dir = fresh_dir("jobs");
  TuneResult r = run_tune(settings, agent, backend, Reference{}, dir, false);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(backend.runs_.load(), 4);
  EXPECT_GE(backend.max_in_flight_.load(), 2);
  auto lines = evals(dir);
  ASSERT_EQ(lines.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(lines[static_cast<std::size_t>(i)]["iteration"], i);
    EXPECT_EQ(lines[static_cast<std::size_t>(i)]["batch"], 0);
  }
  // Observations come back in proposal order whatever order the runs finished in.
  ASSERT_EQ(agent.observed_.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(agent.observed_[static_cast<std::size_t>(i)].iteration, i);
}

TEST(Loop, AnAgentWithNothingLeftEndsTheRunEarly) {
  FakeBackend backend;
  ScriptAgent agent({"a;\n", "b;\n"});
  TuneSettings settings;
  settings.agent = "script";
  settings.iterations = 10;
  auto dir = fresh_dir("early");
  TuneResult r = run_tune(settings, agent, backend, Reference{}, dir, false);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.evaluations, 2);
}

}  // namespace
}  // namespace mapforge::tune
