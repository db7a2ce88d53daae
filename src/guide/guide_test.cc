#include "guide/guide.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <istream>
#include <nlohmann/json.hpp>
#include <random>
#include <streambuf>

namespace mapforge::guide {
namespace {

constexpr std::string_view kOom =
    "[0 - 7f3c5a1fe840]    2.413077 {5}{default_mapper}: Default mapper failed allocation of "
    "size 1024 bytes for region  requirement 1 of task calc (UID 7) in memory 1e00000000000002 "
    "(FBMEM) for processor 1d00000000000002 (GPU). There is 12 bytes free in that memory.\n";

std::string oom_for(const std::string& task, int uid) {
  std::string line(kOom);
  line.replace(line.find("task calc (UID 7)"), 17, "task " + task + " (UID " + std::to_string(uid) + ")");
  return line;
}

TEST(Levels, NamesRoundTrip) {
  for (Level level : {Level::Execution, Level::Explain, Level::Suggest})
    EXPECT_EQ(parse_level(to_string(level)), level);
  EXPECT_EQ(parse_level("verbose"), std::nullopt);
  EXPECT_EQ(to_string(Category::NoMetric), "no_metric");
}

TEST(Render, TextShowsFactWhyAndTry) {
  auto records = analyze(kOom, RunOutput{}, Level::Suggest);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(render_text(records, Level::Suggest),
            "[execution error] " + std::string(kOom.substr(0, kOom.size() - 1)) +
                "\n"
                "  why: Task calc needs 1024 bytes for region requirement 1 in GPU framebuffer "
                "memory (FBMEM 1e00000000000002), which has 12 bytes free: the instances kept "
                "there, of this and earlier tasks, exceed its capacity.\n"
                "  try: Put that argument in zero-copy memory, or let its read-only instances be "
                "collected after use, or map fewer points of calc at once (one of these).\n"
                "    Region calc 1 GPU ZCMEM;\n"
                "    CollectMemory calc 1;\n"
                "    InstanceLimit calc 1;\n");
  EXPECT_EQ(render_text(analyze(kOom, RunOutput{}, Level::Execution), Level::Execution),
            "[execution error] " + std::string(kOom.substr(0, kOom.size() - 1)) + "\n");
}

// A run's escape sequences never reach the terminal: `guide` in text mode shows them as \xHH.
TEST(Render, TextShowsControlCharactersVisibly) {
  Record record;
  record.category = Category::ExecutionError;
  record.fact = "error \x1b[2J\x1b]0;owned\x07 here\r";
  record.fields["source"] = "line\x1b[31m red";
  EXPECT_EQ(render_text({record}, Level::Execution),
            "[execution error] error \\x1b[2J\\x1b]0;owned\\x07 here\\x0d\n"
            "  | line\\x1b[31m red\n");
}

TEST(Render, JsonIsTrimmedToTheLevel) {
  std::string text = std::string(kOom) + "ELAPSED TIME = 2.5 s\n";
  for (Level level : {Level::Execution, Level::Explain, Level::Suggest}) {
    auto json = nlohmann::json::parse(render_json(analyze(text, RunOutput{}, level), level));
    ASSERT_EQ(json.size(), 2u);
    EXPECT_EQ(json[0]["rule"], "legion.default_mapper.oom_fbmem");
    EXPECT_EQ(json[0]["fields"]["task"], "calc");
    EXPECT_EQ(json[0].contains("explanation"), level != Level::Execution);
    EXPECT_EQ(json[0].contains("statements"), level == Level::Suggest);
    EXPECT_FALSE(json[0].contains("metric"));
    EXPECT_EQ(json[1]["category"], "performance_metric");
    EXPECT_EQ(json[1]["metric"], 2.5);
    EXPECT_EQ(json[1]["metric_unit"], "s");
  }
}

TEST(Analyze, ErrorsComeBeforeMetrics) {
  auto records = analyze("THROUGHPUT = 3 cells/s\nSegmentation fault\nmap.map:1:2: error: x\n",
                         RunOutput{}, Level::Execution);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].category, Category::CompileError);
  EXPECT_EQ(records[1].category, Category::Crash);
  EXPECT_EQ(records[2].category, Category::PerformanceMetric);
}

TEST(Analyze, RepeatsOfOneErrorAreCounted) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += oom_for("calc", i);
  auto records = analyze(text, RunOutput{}, Level::Execution);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields.at("repeats"), "9");
}

TEST(Analyze, OneRuleKeepsAtMostThreeRecords) {
  std::string text;
  for (int i = 0; i < 7; ++i) text += oom_for("task" + std::to_string(i), i);
  auto records = analyze(text, RunOutput{}, Level::Execution);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields.at("task"), "task0");
  EXPECT_EQ(records[2].fields.at("task"), "task2");
  EXPECT_EQ(records[2].fields.at("repeats"), "4");
}

TEST(Analyze, RecordsAreCapped) {
  // Three records per rule, over more rules than the cap allows.
  const std::vector<std::string> formats = {
      "Failed to find any valid variants for task T on the current machine.",
      "LEGION ERROR: Failed to reserve a dynamic memory pool of 8 bytes for leaf task T (UID 1)",
      "Invalid mapper output. Mapper m selected variant 1 for task T (ID 2). However, this "
      "variant does not permit running on processors of kind GPU.",
      "[0 - 7f00] 1.0 {5}{runtime}: something about T",
      "LEGION ERROR: another thing about T (from file a.cc:1)",
      "p.map:1:1: error: unknown task 'T'",
      "p.map:1:1: error: unknown region 'T'",
      "p.map:1:1: error: unknown name 'T'",
      "p.map:1:1: error: mapping function 'T' is not defined",
      "p.map:1:1: error: T went wrong",
      "p.map:1:1: error: 'T' must take exactly one parameter of type Task",
      "T not found",
      "p.map:1:1: error: division by zero; mapping task 'T' point (0,) of launch domain (1,)",
      "p.map:1:1: error: evaluation takes too long; mapping task 'T' point (0,) of launch domain (1,)",
      "p.map:1:1: error: mapping function 'T' returned processors on several nodes; a set",
      "CUDA error T: out of memory",
      "mapforge: error: T",
      "Assertion `T' failed.",
      "Failed to find a memory of kind T connected to processor 1d00"};
  std::string text;
  for (const std::string& format : formats)
    for (int i = 0; i < 4; ++i) {
      std::string line = format;
      line.replace(line.find('T'), 1, "name" + std::to_string(i));
      text += line + "\n\n\n\n\n\n";
    }
  auto records = analyze(text, RunOutput{}, Level::Suggest);
  EXPECT_EQ(records.size(), 50u);
}

TEST(Analyze, FactsAreCapped) {
  std::string line = "LEGION ERROR: " + std::string(10000, 'x');
  auto records = analyze(line, RunOutput{}, Level::Suggest);
  ASSERT_FALSE(records.empty());
  EXPECT_LE(records[0].fact.size(), 400u);
}

TEST(Analyze, RunEndingsWithoutText) {
  RunOutput timed_out;
  timed_out.timed_out = true;
  auto records = analyze("", timed_out, Level::Suggest);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].category, Category::Timeout);

  RunOutput killed;
  killed.signal = 9;
  records = analyze("", killed, Level::Suggest);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fact, "the run was killed by signal 9 (SIGKILL)");

  RunOutput failed;
  failed.exit_status = 3;
  records = analyze("working\n", failed, Level::Explain);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].category, Category::Unknown);
  EXPECT_EQ(records[0].fact,
            "the run exited with status 3 and printed no error this guide recognises");
  EXPECT_NE(records[0].explanation.find("last line: working"), std::string::npos);

  records = analyze("all done\n", RunOutput{}, Level::Execution);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].category, Category::NoMetric);
}

TEST(Analyze, SignalAfterAnErrorIsNotedOnIt) {
  RunOutput aborted;
  aborted.signal = 6;
  auto records = analyze(kOom, aborted, Level::Execution);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields.at("signal"), "6");
}

TEST(Analyze, ProfileRecordsFollowTheMetric) {
  RunOutput run;
  run.profile_json = "{ not json";
  auto records = analyze("ELAPSED TIME = 1 s\n", run, Level::Suggest);
  ASSERT_GE(records.size(), 1u);
  EXPECT_EQ(records[0].category, Category::PerformanceMetric);
  for (std::size_t i = 1; i < records.size(); ++i)
    EXPECT_EQ(records[i].category, Category::Performance);
}

TEST(Analyze, GarbageNeverCrashes) {
  std::mt19937 random(42);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20; ++round) {
    std::string text(20000, '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    // Sprinkle keywords so that rules and their regexes run on garbage.
    for (std::string_view keyword : {"ELAPSED TIME = ", "{5}{", ": error: ", "LEGION ERROR: ",
                                     "failed allocation of size ", "; mapping task '", "hint: "})
      text.insert(static_cast<std::size_t>(byte(random)) * 50, keyword);
    for (Level level : {Level::Execution, Level::Explain, Level::Suggest}) {
      auto records = analyze(text, RunOutput{}, level);
      EXPECT_FALSE(records.empty());
      EXPECT_FALSE(render_text(records, level).empty());
      EXPECT_TRUE(nlohmann::json::accept(render_json(records, level)));
    }
  }
}

/// An input of `total` bytes made on the fly: log noise with an error every so often and no
/// line longer than ~200 bytes, or one line with no newline at all.
class GeneratedInput : public std::streambuf {
 public:
  GeneratedInput(std::size_t total, bool one_line) : left_(total), one_line_(one_line) {}

 protected:
  int_type underflow() override {
    if (left_ == 0) return traits_type::eof();
    chunk_.clear();
    while (chunk_.size() < 64 * 1024 && chunk_.size() < left_) {
      if (one_line_) {
        chunk_.append(4096, 'x');
        continue;
      }
      ++lines_;
      if (lines_ % 10007 == 0)
        chunk_ += oom_for("t" + std::to_string(lines_ % 5), static_cast<int>(lines_));
      else
        chunk_ += "[0 - 7f3c5a1fe840]    2.413077 {2}{runtime}: step " + std::to_string(lines_) +
                  " of the simulation; nothing to see here, keep going please\n";
    }
    if (chunk_.size() > left_) chunk_.resize(left_);
    left_ -= chunk_.size();
    setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
    return traits_type::to_int_type(chunk_[0]);
  }

 private:
  std::size_t left_;
  bool one_line_;
  std::size_t lines_ = 0;
  std::string chunk_;
};

TEST(Analyze, HugeStreamsInBoundedMemory) {
  GeneratedInput input(50u << 20, false);
  std::istream in(&input);
  auto records = analyze(in, RunOutput{}, Level::Suggest);
  ASSERT_EQ(records.size(), 3u);  // three tasks kept, the rest counted
  EXPECT_EQ(records[0].rule, "legion.default_mapper.oom_fbmem");
  EXPECT_EQ(records[2].fields.count("repeats"), 1u);
}

TEST(Analyze, OneHugeLineIsCut) {
  GeneratedInput input(20u << 20, true);
  std::istream in(&input);
  auto records = analyze(in, RunOutput{}, Level::Execution);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].category, Category::NoMetric);
  EXPECT_LE(records[0].fields.at("last_line").size(), 400u);
}

}  // namespace
}  // namespace mapforge::guide
