#include "tune/report/journal_reader.h"

#include <gtest/gtest.h>

#include "tune/report/test_util.h"

namespace mapforge::tune {
namespace {

using namespace testing;
using nlohmann::json;

TEST(JournalReader, ReadsEveryKey) {
  json h = header("maximize", "GFLOPS");
  h["backend"] = "command";
  h["command"] = "run {mapping}";
  h["metric_regex"] = "([0-9.]+) GFLOPS";
  h["timeout_s"] = 60;
  h["expert_metric"] = 100.5;
  h["default_metric"] = 40;
  h["expert_policy"] = "Task * GPU;\n";
  h["llm_url"] = "http://localhost:8000/v1";
  h["llm_model"] = "m";
  h["future_key"] = {{"nested", true}};
  h["seed"] = 18446744073709551615ull;
  json e = eval(0, 120.0);
  e["normalized"] = 1.19;
  e["best_metric"] = 120.0;
  e["signal"] = nullptr;
  e["feedback"] = json::array({{{"category", "performance_metric"}}});
  e["agent"] = {{"edit", "Region * r GPU FBMEM;"}, {"state", {1, 2}}};
  e["duplicate"] = true;
  e["another_future_key"] = 3;
  JournalResult r = parse_journal(lines({h, e}), "j.jsonl");
  ASSERT_TRUE(r.ok) << r.error;
  const RunHeader& rh = r.journal.header;
  EXPECT_EQ(rh.version, 1);
  EXPECT_EQ(rh.app, "circuit");
  EXPECT_EQ(rh.machine, "lassen");
  EXPECT_EQ(rh.nodes, 2);
  EXPECT_EQ(rh.sizes, std::vector<std::string>{"pieces=16"});
  EXPECT_EQ(rh.agent, "guided");
  EXPECT_EQ(rh.iterations, 6);
  EXPECT_EQ(rh.seed, 18446744073709551615ull);
  EXPECT_EQ(rh.jobs, 1);
  EXPECT_EQ(rh.feedback, "suggest");
  EXPECT_EQ(rh.backend, "command");
  EXPECT_EQ(rh.command, "run {mapping}");
  EXPECT_EQ(rh.metric_regex, "([0-9.]+) GFLOPS");
  EXPECT_EQ(rh.timeout_s, 60.0);
  EXPECT_EQ(rh.objective, Objective::Maximize);
  EXPECT_EQ(rh.metric_unit, "GFLOPS");
  EXPECT_EQ(rh.expert_metric, 100.5);
  EXPECT_EQ(rh.default_metric, 40.0);
  EXPECT_EQ(rh.expert_policy, "Task * GPU;\n");
  EXPECT_EQ(rh.started, "2025-01-01T00:00:00Z");
  EXPECT_EQ(rh.llm_url, "http://localhost:8000/v1");
  EXPECT_EQ(rh.llm_model, "m");
  EXPECT_NE(rh.json.find("future_key"), std::string::npos);

  ASSERT_EQ(r.journal.evals.size(), 1u);
  const EvalRecord& ev = r.journal.evals[0];
  EXPECT_EQ(ev.line, 2u);
  EXPECT_EQ(ev.iteration, 0);
  EXPECT_EQ(ev.batch, 0);
  EXPECT_EQ(ev.policy, "Task * GPU;\n");
  EXPECT_TRUE(ev.ok);
  EXPECT_EQ(ev.metric, 120.0);
  EXPECT_EQ(ev.normalized, 1.19);
  EXPECT_EQ(ev.best_metric, 120.0);
  EXPECT_EQ(ev.output, "ELAPSED TIME = 1 s\n");
  EXPECT_EQ(ev.exit_status, 0);
  EXPECT_FALSE(ev.signal.has_value());
  EXPECT_FALSE(ev.timed_out);
  EXPECT_EQ(ev.feedback_text, "[performance metric] ELAPSED TIME\n");
  EXPECT_EQ(json::parse(ev.feedback_json)[0]["category"], "performance_metric");
  EXPECT_EQ(json::parse(ev.agent_json)["edit"], "Region * r GPU FBMEM;");
  EXPECT_TRUE(ev.duplicate);
  EXPECT_EQ(ev.started, "2025-01-01T00:00:01Z");
  EXPECT_EQ(ev.finished, "2025-01-01T00:00:02Z");
  EXPECT_EQ(ev.duration_s, 1.0);
  EXPECT_NE(ev.json.find("another_future_key"), std::string::npos);
  EXPECT_TRUE(r.journal.warnings.empty());
  EXPECT_FALSE(r.journal.last_line_unterminated);
}

TEST(JournalReader, MinimalLinesUseDefaults) {
  JournalResult r = parse_journal(
      "{\"type\":\"run\"}\n{\"type\":\"eval\",\"iteration\":0,\"ok\":false,\"metric\":null}\n",
      "j");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.journal.header.objective, Objective::Minimize);
  EXPECT_FALSE(r.journal.header.expert_metric.has_value());
  ASSERT_EQ(r.journal.evals.size(), 1u);
  EXPECT_FALSE(r.journal.evals[0].metric.has_value());
  EXPECT_EQ(r.journal.evals[0].agent_json, "");
}

TEST(JournalReader, TruncatedLastLineIsSkippedWithAWarning) {
  std::string good = lines({header(), eval(0, 2.0), eval(1, 1.5)});
  std::string text = good + eval(2, 1.0).dump().substr(0, 40);
  JournalResult r = parse_journal(text, "run/journal.jsonl");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.journal.evals.size(), 2u);
  ASSERT_EQ(r.journal.warnings.size(), 1u);
  EXPECT_EQ(r.journal.warnings[0].rfind("run/journal.jsonl:4: the last line is incomplete", 0), 0u)
      << r.journal.warnings[0];
  EXPECT_EQ(r.journal.valid_bytes, good.size());
  EXPECT_FALSE(r.journal.last_line_unterminated);
}

TEST(JournalReader, CompleteLastLineWithoutNewlineIsAccepted) {
  std::string text = lines({header()}) + eval(0, 2.0).dump();
  JournalResult r = parse_journal(text, "j");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.journal.evals.size(), 1u);
  EXPECT_TRUE(r.journal.last_line_unterminated);
  EXPECT_EQ(r.journal.valid_bytes, text.size());
}

TEST(JournalReader, MalformedLineNamesFileLineAndProblem) {
  std::string text = lines({header(), eval(0, 2.0)}) +
                     "{\"type\": \"eval\", \"iteration\": 1,,}\n" + lines({eval(2, 1.0)});
  JournalResult r = parse_journal(text, "run/journal.jsonl");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("run/journal.jsonl:3: not valid JSON: parse error at column 33", 0), 0u)
      << r.error;
}

TEST(JournalReader, TypeErrorsNameTheKey) {
  json e = eval(0, 1.0);
  e["ok"] = "yes";
  JournalResult r = parse_journal(lines({header(), e}), "j.jsonl");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error, "j.jsonl:2: key \"ok\" must be true or false, not a string");

  json h = header();
  h["iterations"] = "ten";
  r = parse_journal(lines({h}), "j.jsonl");
  EXPECT_EQ(r.error, "j.jsonl:1: key \"iterations\" must be an integer, not a string");

  h = header();
  h["objective"] = "fastest";
  r = parse_journal(lines({h}), "j.jsonl");
  EXPECT_EQ(r.error,
            "j.jsonl:1: \"objective\" is \"fastest\", expected \"minimize\" or \"maximize\"");
}

TEST(JournalReader, RequiredEvalKeys) {
  json e = eval(0, 1.0);
  e.erase("iteration");
  JournalResult r = parse_journal(lines({header(), e}), "j");
  EXPECT_EQ(r.error, "j:2: an eval line needs \"iteration\"");
  e = eval(0, 1.0);
  e.erase("ok");
  r = parse_journal(lines({header(), e}), "j");
  EXPECT_EQ(r.error, "j:2: an eval line needs \"ok\"");
}

TEST(JournalReader, HeaderMustBeARun) {
  JournalResult r = parse_journal(lines({eval(0, 1.0)}), "j.jsonl");
  EXPECT_EQ(
      r.error,
      "j.jsonl:1: the first line is not a run header (\"type\" is \"eval\", expected \"run\")");
  r = parse_journal("[1, 2]\n", "j.jsonl");
  EXPECT_EQ(r.error, "j.jsonl:1: expected a JSON object, found an array");
  r = parse_journal("", "j.jsonl");
  EXPECT_EQ(r.error, "j.jsonl: empty; the first line must be the run header");
  r = parse_journal("{\"type\": \"ru", "j.jsonl");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("j.jsonl:1: not valid JSON", 0), 0u) << r.error;
  json h = header();
  h["version"] = 2;
  r = parse_journal(lines({h}), "j.jsonl");
  EXPECT_EQ(r.error, "j.jsonl:1: journal version 2 is newer than this mapforge reads (1)");
  r = parse_journal(lines({header(), header()}), "j.jsonl");
  EXPECT_EQ(r.error, "j.jsonl:2: a second run header");
}

TEST(JournalReader, BlankLinesAndUnknownTypes) {
  std::string text = lines({header()}) + "\n" + lines({{{"type", "note"}, {"text", "hi"}}}) +
                     lines({eval(0, 1.0)});
  JournalResult r = parse_journal(text, "j");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.journal.evals.size(), 1u);
  EXPECT_EQ(r.journal.evals[0].line, 4u);
  ASSERT_EQ(r.journal.warnings.size(), 1u);
  EXPECT_EQ(r.journal.warnings[0], "j:3: a line of unknown type \"note\"; skipped");
}

TEST(JournalReader, FileErrors) {
  TempDir dir;
  JournalResult r = read_journal(dir.path() / "journal.jsonl");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("journal.jsonl: no such file"), std::string::npos) << r.error;
  r = read_journal(dir.path());
  EXPECT_NE(r.error.find("is a directory"), std::string::npos) << r.error;
  write_file(dir.path() / "journal.jsonl", lines({header(), eval(0, 1.0)}));
  r = read_journal(dir.path() / "journal.jsonl");
  EXPECT_TRUE(r.ok) << r.error;
}

}  // namespace
}  // namespace mapforge::tune
