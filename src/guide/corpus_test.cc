// Runs every case of testdata/corpus through analyze() at all three levels and checks it against
// NAME.expect.json: the records in order, each with its category and rule, and where given its
// key fields, statement kind and statements. The "run" object gives how the run ended.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "guide/guide.h"

namespace mapforge::guide {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path corpus_dir() { return fs::path(MAPFORGE_GUIDE_TESTDATA) / "corpus"; }

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(corpus_dir()))
    if (entry.path().extension() == ".txt") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

RunOutput run_of(const json& expect) {
  RunOutput run;
  if (!expect.contains("run")) return run;
  const json& r = expect["run"];
  if (r.contains("exit_status")) run.exit_status = r["exit_status"].get<int>();
  if (r.contains("signal")) run.signal = r["signal"].get<int>();
  if (r.contains("timed_out")) run.timed_out = r["timed_out"].get<bool>();
  return run;
}

class Corpus : public testing::TestWithParam<std::string> {};

TEST_P(Corpus, MatchesItsExpectation) {
  fs::path text_path = corpus_dir() / (GetParam() + ".txt");
  fs::path expect_path = corpus_dir() / (GetParam() + ".expect.json");
  ASSERT_TRUE(fs::exists(expect_path)) << expect_path;
  json expect = json::parse(read_file(expect_path));
  RunOutput run = run_of(expect);
  std::ifstream text(text_path, std::ios::binary);
  std::vector<Record> records = analyze(text, run, Level::Suggest);
  const json& wanted = expect["records"];
  ASSERT_EQ(records.size(), wanted.size()) << render_text(records, Level::Suggest);
  for (std::size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE("record " + std::to_string(i) + "\n" + render_text({records[i]}, Level::Suggest));
    const Record& got = records[i];
    const json& want = wanted[i];
    EXPECT_EQ(to_string(got.category), want["category"].get<std::string>());
    EXPECT_EQ(got.rule, want["rule"].get<std::string>());
    EXPECT_FALSE(got.fact.empty());
    EXPECT_FALSE(got.explanation.empty());
    EXPECT_FALSE(got.suggestion.empty());
    if (want.contains("fields"))
      for (const auto& [name, value] : want["fields"].items()) {
        auto field = got.fields.find(name);
        ASSERT_NE(field, got.fields.end()) << name;
        EXPECT_EQ(field->second, value.get<std::string>()) << name;
      }
    if (want.contains("statement_kind")) {
      EXPECT_EQ(got.statement_kind, want["statement_kind"].get<std::string>());
    }
    if (want.contains("statements")) {
      EXPECT_EQ(got.statements, want["statements"].get<std::vector<std::string>>());
    }
    if (want.contains("metric")) {
      EXPECT_DOUBLE_EQ(got.metric, want["metric"].get<double>());
    }
    // Placeholders never leak into suggested statements.
    static const std::regex kPlaceholder(R"(\{[a-z_|=]+\})");
    for (const std::string& statement : got.statements)
      EXPECT_FALSE(std::regex_search(statement, kPlaceholder)) << statement;
  }
}

TEST_P(Corpus, LevelsAddOnlyWhatTheyOwn) {
  fs::path text_path = corpus_dir() / (GetParam() + ".txt");
  json expect = json::parse(read_file(corpus_dir() / (GetParam() + ".expect.json")));
  RunOutput run = run_of(expect);
  std::string text = read_file(text_path);
  auto execution = analyze(text, run, Level::Execution);
  auto explain = analyze(text, run, Level::Explain);
  auto suggest = analyze(text, run, Level::Suggest);
  ASSERT_EQ(execution.size(), suggest.size());
  ASSERT_EQ(explain.size(), suggest.size());
  for (std::size_t i = 0; i < suggest.size(); ++i) {
    EXPECT_EQ(execution[i].rule, suggest[i].rule);
    EXPECT_EQ(execution[i].fact, suggest[i].fact);
    EXPECT_EQ(execution[i].fields, suggest[i].fields);
    EXPECT_TRUE(execution[i].explanation.empty());
    EXPECT_TRUE(execution[i].suggestion.empty());
    EXPECT_TRUE(execution[i].statements.empty());
    EXPECT_EQ(explain[i].explanation, suggest[i].explanation);
    EXPECT_TRUE(explain[i].suggestion.empty());
    EXPECT_TRUE(explain[i].statement_kind.empty());
    EXPECT_TRUE(explain[i].statements.empty());
  }
  // The stream and string entry points agree, and output is deterministic.
  std::ifstream stream(text_path, std::ios::binary);
  EXPECT_EQ(render_json(analyze(stream, run, Level::Suggest), Level::Suggest),
            render_json(suggest, Level::Suggest));
  EXPECT_EQ(render_text(analyze(text, run, Level::Suggest), Level::Suggest),
            render_text(suggest, Level::Suggest));
}

INSTANTIATE_TEST_SUITE_P(All, Corpus, testing::ValuesIn(case_names()),
                         [](const testing::TestParamInfo<std::string>& param) { return param.param; });

TEST(CorpusSize, HasEveryKindOfCase) { EXPECT_GE(case_names().size(), 50u); }

}  // namespace
}  // namespace mapforge::guide
