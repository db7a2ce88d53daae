#include "search/llm/optoprime.h"

#include <gtest/gtest.h>

#include <string>

#include "dsl/dsl.h"
#include "search/llm/dsl_primer.h"

namespace mapforge::search::llm {
namespace {

ProblemInstance sample_problem() {
  ProblemInstance problem;
  problem.instruction = "Make it fast.";
  problem.code = "policy = join(a, b)";
  problem.documentation = "join: joins";
  problem.variables = {{"code", "a", "Task * GPU;\n", "Task statements"},
                       {"code", "b", "", "Region statements"}};
  problem.inputs = {{"text", "machine", "1 node", ""}};
  problem.outputs = {{"text", "result", "ran; metric 2 s", ""}};
  problem.feedback = "FEEDBACK";
  return problem;
}

TEST(OptoPrime, ProblemInstanceHasEverySectionInOrder) {
  std::string text = sample_problem().render();
  std::size_t at = 0;
  for (const char* title :
       {"#Instruction\nMake it fast.", "#Code\npolicy = join(a, b)", "#Documentation\njoin: joins",
        "#Variables\n(code) a=\nTask * GPU;\n", "(code) b=\n",
        "#Constraints\n(code) a: Task statements\n", "(code) b: Region statements",
        "#Inputs\n(text) machine=1 node", "#Others\n\n", "#Outputs\n(text) result=ran; metric 2 s",
        "#Feedback\nFEEDBACK"}) {
    std::size_t found = text.find(title, at);
    ASSERT_NE(found, std::string::npos) << title << "\n---\n" << text;
    at = found;
  }
  EXPECT_TRUE(text.ends_with("#Feedback\nFEEDBACK\n"));
}

TEST(OptoPrime, PromptExplainsTheFormatAndEndsWithYourResponse) {
  Prompt prompt = optoprime_prompt(sample_problem(), {});
  for (const char* part :
       {"#Instruction", "#Code", "#Documentation", "#Variables", "#Constraints", "#Inputs",
        "#Others", "#Outputs", "#Feedback", "(type) name=value", "(code)", "\"reasoning\"",
        "\"answer\"", "\"suggestion\"", "TERMINATE", "JSON"})
    EXPECT_NE(prompt.system.find(part), std::string::npos) << part;
  EXPECT_TRUE(prompt.user.starts_with("Now you see the problem instance:\n\n"));
  EXPECT_TRUE(prompt.user.ends_with("================================\n\nYour response:\n"));
  EXPECT_EQ(prompt.user.find("in the past"), std::string::npos);

  MemoryEntry past{{{"a", "Task * CPU;\n"}}, "it failed"};
  Prompt with_memory = optoprime_prompt(sample_problem(), {past});
  std::size_t memory = with_memory.user.find("feedback you received for them in the past");
  ASSERT_NE(memory, std::string::npos);
  EXPECT_NE(with_memory.user.find("\"a\": \"Task * CPU;\\n\"", memory), std::string::npos);
  EXPECT_NE(with_memory.user.find("\"feedback\": \"it failed\"", memory), std::string::npos);
  EXPECT_TRUE(with_memory.user.ends_with("Your response:\n"));
}

TEST(OptoPrime, OproShowsAllHistoryAndAsksOnlyForASuggestion) {
  std::vector<MemoryEntry> history = {{{{"a", "one"}}, "first feedback"},
                                      {{{"a", "two"}}, "second feedback"},
                                      {{}, "third feedback"}};
  Prompt prompt = opro_prompt("CONTEXT", "Come up with new values.", history);
  EXPECT_NE(prompt.system.find("\"suggestion\""), std::string::npos);
  EXPECT_EQ(prompt.system.find("\"reasoning\""), std::string::npos);
  EXPECT_NE(prompt.system.find("CONTEXT"), std::string::npos);
  for (const char* part :
       {"first feedback", "second feedback", "third feedback", "\"one\"", "\"two\""})
    EXPECT_NE(prompt.user.find(part), std::string::npos) << part;
  EXPECT_TRUE(prompt.user.ends_with("Come up with new values.\n\nYour response:\n"));
}

TEST(OptoPrime, ParsesPlainJson) {
  auto reply = parse_reply(
      R"({"reasoning": "why", "answer": "", "suggestion": {"a": "Task * GPU;", "b": "  \n"}})");
  EXPECT_EQ(reply.parsed_by, "json");
  EXPECT_EQ(reply.reasoning, "why");
  ASSERT_EQ(reply.suggestion.size(), 1u);  // the blank value is dropped
  EXPECT_EQ(reply.suggestion["a"], "Task * GPU;");
  EXPECT_FALSE(reply.terminate);
}

TEST(OptoPrime, ParsesTheOutermostBracesOfFencedReplies) {
  auto reply = parse_reply(
      "Here you go:\n```json\n{\"reasoning\": \"r\", \"suggestion\": {\"a\": \"def f(Task t) "
      "{ return 1; }\"}}\n```\nGood luck, no TERMINATE here.");
  EXPECT_EQ(reply.parsed_by, "braces");
  EXPECT_EQ(reply.suggestion["a"], "def f(Task t) { return 1; }");
  EXPECT_FALSE(reply.terminate);
}

TEST(OptoPrime, FallsBackToSuggestionPairsByPattern) {
  // Raw newlines inside strings make this invalid JSON, as models often write it.
  auto reply = parse_reply(
      "{\"reasoning\": \"move \"things\"\",\n \"suggestion\": {\n  \"a\": \"Task * GPU;\nTask x "
      "CPU;\",\n  \"b\": \"def f(Task t) {\n  return m[0, 0]; // \\\"q\\\" \\u00e9\n}\"\n}}");
  EXPECT_EQ(reply.parsed_by, "pattern");
  EXPECT_EQ(reply.suggestion["a"], "Task * GPU;\nTask x CPU;");
  EXPECT_EQ(reply.suggestion["b"], "def f(Task t) {\n  return m[0, 0]; // \"q\" \xc3\xa9\n}");
}

TEST(OptoPrime, ArraysOfLinesAreJoined) {
  auto reply = parse_reply(R"({"suggestion": {"a": ["Task * GPU;", "Task b CPU;"]}})");
  EXPECT_EQ(reply.suggestion["a"], "Task * GPU;\nTask b CPU;\n");
}

TEST(OptoPrime, Terminate) {
  EXPECT_TRUE(parse_reply("TERMINATE").terminate);
  EXPECT_TRUE(
      parse_reply(R"({"reasoning": "fine", "answer": "TERMINATE", "suggestion": {}})").terminate);
  EXPECT_FALSE(parse_reply(R"({"reasoning": "no TERMINATE", "suggestion": {"a": "x"}})").terminate);
}

TEST(OptoPrime, NothingUsable) {
  auto reply = parse_reply("I think you should use GPUs.");
  EXPECT_EQ(reply.parsed_by, "");
  EXPECT_TRUE(reply.suggestion.empty());
  EXPECT_FALSE(reply.terminate);
  auto no_suggestion = parse_reply(R"({"reasoning": "r", "answer": "a"})");
  EXPECT_EQ(no_suggestion.parsed_by, "json");
  EXPECT_TRUE(no_suggestion.suggestion.empty());
}

TEST(Primer, ExamplesCheckWithoutErrors) {
  std::string_view primer = dsl_primer();
  EXPECT_TRUE(primer.starts_with("# The mapping language in brief"));
  std::vector<std::string_view> blocks;
  for (std::size_t at = primer.find("```\n"); at != std::string_view::npos;) {
    std::size_t end = primer.find("```\n", at + 4);
    ASSERT_NE(end, std::string_view::npos);
    blocks.push_back(primer.substr(at + 4, end - at - 4));
    at = primer.find("```\n", end + 4);
  }
  ASSERT_EQ(blocks.size(), 2u);
  // The statements of the first example name the functions the second defines.
  std::string program = std::string(blocks[1]) + std::string(blocks[0]);
  auto diagnostics = dsl::check("primer.map", program);
  EXPECT_TRUE(diagnostics.empty()) << dsl::render_all(diagnostics);
}

}  // namespace
}  // namespace mapforge::search::llm
