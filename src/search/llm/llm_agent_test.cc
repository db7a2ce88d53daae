#include "search/llm/llm_agent.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "search/llm/dsl_primer.h"
#include "search/llm/sections.h"
#include "search/llm/test_http_server.h"

namespace mapforge::search::llm {
namespace {

using nlohmann::json;
using testing::chat_reply;
using testing::HttpRequest;
using testing::ScriptedReply;
using testing::TestHttpServer;

constexpr const char* kKey = "sk-agent-test-KEY-42";

search::Problem sample_problem() {
  search::Problem problem;
  problem.app.name = "toy";
  problem.app.description = "a toy app";
  search::TaskInfo calc;
  calc.name = "calc";
  calc.index = true;
  calc.launch_dims = 1;
  calc.launch_domains = {{8}};
  calc.region_args = {"rp_private", "rp_ghost"};
  calc.variants = {dsl::ProcKind::CPU, dsl::ProcKind::GPU};
  search::TaskInfo leaf;
  leaf.name = "leaf";
  leaf.has_parent = true;
  leaf.region_args = {"rp_private"};
  leaf.variants = {dsl::ProcKind::CPU};
  problem.app.tasks = {calc, leaf};
  problem.machine = dsl::MachineShape::standard(1, 4, 2, 0);
  problem.app_description = R"({"name": "toy", "tasks": ["calc", "leaf"], "marker": "APP-DESC"})";
  problem.machine_description = "MACHINE-DESC: 1 node, 4 CPUs, 2 GPUs";
  problem.metric_unit = "s";
  problem.seed = 7;
  return problem;
}

LlmSettings settings_for(const TestHttpServer& server, Variant variant = Variant::OptoPrime) {
  LlmSettings settings;
  settings.chat.base_url = server.base_url();
  settings.chat.model = "test-model";
  settings.chat.api_key = kKey;
  settings.chat.timeout_s = 5;
  settings.chat.retries = 0;
  settings.chat.backoff_s = 0.01;
  settings.variant = variant;
  return settings;
}

Observation ran(const Proposal& proposal, int iteration, double seconds, std::string feedback) {
  Observation observation;
  observation.iteration = iteration;
  observation.policy = proposal.policy;
  observation.ok = true;
  observation.metric = seconds;
  observation.score = 1 / seconds;
  observation.feedback_text = std::move(feedback);
  return observation;
}

Observation failed(const Proposal& proposal, int iteration, std::string feedback) {
  Observation observation;
  observation.iteration = iteration;
  observation.policy = proposal.policy;
  observation.feedback_text = std::move(feedback);
  return observation;
}

std::string suggestion(json values, std::string reasoning = "because") {
  return json{{"reasoning", reasoning}, {"answer", ""}, {"suggestion", values}}.dump();
}

std::string user_message(const HttpRequest& request) {
  return json::parse(request.body)["messages"][1]["content"].get<std::string>();
}
std::string system_message(const HttpRequest& request) {
  return json::parse(request.body)["messages"][0]["content"].get<std::string>();
}

void expect_no_key(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers)
    if (name != "Authorization") {
      EXPECT_EQ(value.find(kKey), std::string::npos);
    }
  EXPECT_EQ(request.body.find(kKey), std::string::npos);
}

TEST(LlmAgent, OptoPrimeLoopEndToEnd) {
  ScriptedReply server_error;
  server_error.status = 500;
  server_error.body = "overloaded";
  TestHttpServer server({
      chat_reply(suggestion(
          {{"task_placement", "Task * GPU,CPU;"}, {"region_memory", "Region * * GPU FBMEM;"}},
          "move the loop to GPUs")),
      chat_reply(suggestion({{"layout", "Layout * * * SOA C_order"}})),  // missing ';'
      chat_reply("I would rather not answer in JSON."),
      chat_reply("TERMINATE"),
      server_error,
  });
  auto agent = make_llm_agent(sample_problem(), settings_for(server));
  EXPECT_EQ(agent->name(), "llm");
  EXPECT_FALSE(agent->deterministic());

  // Iteration 0: the empty policy, without a call.
  auto batch = agent->propose(1);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].policy, "");
  EXPECT_FALSE(batch[0].error);
  EXPECT_NE(batch[0].note.dump().find("default heuristics"), std::string::npos);
  EXPECT_TRUE(server.requests().empty());
  agent->observe({ran(batch[0], 0, 2.0, "FEEDBACK-ZERO: move tasks to GPUs")});

  // Iteration 1: a good suggestion of two sections.
  batch = agent->propose(1);
  ASSERT_EQ(batch.size(), 1u);
  ASSERT_FALSE(batch[0].error) << *batch[0].error;
  EXPECT_EQ(batch[0].policy, "Task * GPU,CPU;\n\nRegion * * GPU FBMEM;\n");
  EXPECT_EQ(batch[0].note["reasoning"], "move the loop to GPUs");
  EXPECT_EQ(batch[0].note["sections_changed"],
            json::parse(R"(["region_memory","task_placement"])"));
  EXPECT_NE(batch[0].note["raw_reply"].get<std::string>().find("Region * * GPU FBMEM;"),
            std::string::npos);
  EXPECT_FALSE(batch[0].note.contains("check"));
  {
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    expect_no_key(requests[0]);
    std::string user = user_message(requests[0]);
    std::string system = system_message(requests[0]);
    for (const char* part : {"#Instruction", "`toy`", "lower is better", "#Code", "#Documentation",
                             "#Variables", "(code) task_placement=", "(code) single_task_map=",
                             "#Constraints", "(json) app=", "APP-DESC", "MACHINE-DESC", "#Feedback",
                             "FEEDBACK-ZERO", "metric 2 s", "the empty policy", "Your response:"})
      EXPECT_NE(user.find(part), std::string::npos) << part;
    EXPECT_NE(user.find(std::string(dsl_primer()).substr(0, 200)), std::string::npos);
    EXPECT_NE(system.find("TERMINATE"), std::string::npos);
    json body = json::parse(requests[0].body);
    EXPECT_EQ(body["model"], "test-model");
    EXPECT_EQ(body["seed"], 7);
    EXPECT_EQ(body["response_format"]["type"], "json_object");
  }
  const std::string best = batch[0].policy;
  agent->observe({ran(batch[0], 1, 1.0, "FEEDBACK-ONE")});

  // Iteration 2: a policy that does not parse is still proposed, with the checker's words.
  batch = agent->propose(1);
  ASSERT_FALSE(batch[0].error);
  EXPECT_NE(batch[0].policy.find("Layout * * * SOA C_order\n"), std::string::npos);
  EXPECT_TRUE(batch[0].policy.starts_with(best.substr(0, 15)));
  ASSERT_TRUE(batch[0].note.contains("check"));
  EXPECT_TRUE(batch[0].note["check_errors"].get<bool>());
  EXPECT_NE(batch[0].note["check"].get<std::string>().find("error"), std::string::npos);
  {
    std::string user = user_message(server.requests().back());
    EXPECT_NE(user.find("FEEDBACK-ONE"), std::string::npos);
    EXPECT_NE(user.find("Best so far: 1 s (iteration 1)"), std::string::npos);
    EXPECT_EQ(user.find("FEEDBACK-ZERO"), std::string::npos);  // no memory by default
  }
  agent->observe({failed(batch[0], 2, "COMPILE-ERROR-FEEDBACK")});

  // Iteration 3: a reply without JSON is an error that counts; the prompt carried the failure.
  batch = agent->propose(1);
  ASSERT_TRUE(batch[0].error);
  EXPECT_EQ(*batch[0].error, "reply has no JSON object with a \"suggestion\" and no TERMINATE");
  EXPECT_EQ(batch[0].note["raw_reply"], "I would rather not answer in JSON.");
  {
    std::string user = user_message(server.requests().back());
    EXPECT_NE(user.find("COMPILE-ERROR-FEEDBACK"), std::string::npos);
    EXPECT_NE(user.find("The mapping-language checker reported:"), std::string::npos);
    EXPECT_NE(user.find("(code) policy_of_iteration_2="), std::string::npos);
    // #Variables hold the best policy, not the failed one.
    std::size_t variables = user.find("\n#Variables\n");
    std::size_t constraints = user.find("\n#Constraints\n");
    std::string shown = user.substr(variables, constraints - variables);
    EXPECT_NE(shown.find("Task * GPU,CPU;"), std::string::npos);
    EXPECT_EQ(shown.find("Layout * * * SOA C_order"), std::string::npos);
  }
  agent->observe({});  // the loop ran nothing

  // Iteration 4: TERMINATE proposes the best policy again.
  batch = agent->propose(1);
  ASSERT_FALSE(batch[0].error);
  EXPECT_EQ(batch[0].policy, best);
  EXPECT_TRUE(batch[0].note["terminated"].get<bool>());
  EXPECT_NE(user_message(server.requests().back()).find("produced no policy"), std::string::npos);
  EXPECT_NE(user_message(server.requests().back()).find("reply has no JSON object"),
            std::string::npos);
  Observation again = ran(batch[0], 4, 1.0, "");
  again.duplicate = true;
  agent->observe({again});

  // Iteration 5: the endpoint fails; the error is the proposal's, and the next prompt's.
  batch = agent->propose(1);
  ASSERT_TRUE(batch[0].error);
  EXPECT_EQ(*batch[0].error, "llm endpoint " + server.base_url() + ": HTTP 500: overloaded");
  EXPECT_NE(user_message(server.requests().back()).find("You replied TERMINATE"),
            std::string::npos);
  agent->observe({failed(batch[0], 5, *batch[0].error)});

  // Iteration 6: the script is exhausted (HTTP 500 again), and the prompt names the failure.
  batch = agent->propose(1);
  ASSERT_TRUE(batch[0].error);
  EXPECT_NE(user_message(server.requests().back()).find("HTTP 500: overloaded"), std::string::npos);

  auto requests = server.requests();
  EXPECT_EQ(requests.size(), 6u);
  for (const auto& request : requests) {
    EXPECT_EQ(request.target, "/v1/chat/completions");
    EXPECT_EQ(request.header("Authorization"), std::string("Bearer ") + kKey);
    expect_no_key(request);
  }
  // Each call has its own seed.
  EXPECT_EQ(json::parse(requests[1].body)["seed"], 8);
}

TEST(LlmAgent, OproShowsTheWholeHistory) {
  TestHttpServer server(
      {chat_reply(R"({"suggestion": {"task_placement": "Task * GPU;"}})"),
       chat_reply(R"({"suggestion": {"layout": "Layout * * * AOS;"}})"),
       chat_reply(R"({"suggestion": {"instance_limit": "InstanceLimit calc 2;"}})")});
  auto agent = make_llm_agent(sample_problem(), settings_for(server, Variant::Opro));
  EXPECT_EQ(agent->name(), "llm-opro");
  auto batch = agent->propose(1);
  agent->observe({ran(batch[0], 0, 3.0, "HISTORY-ZERO")});
  batch = agent->propose(1);
  EXPECT_EQ(batch[0].policy, "Task * GPU;\n");
  agent->observe({ran(batch[0], 1, 2.0, "HISTORY-ONE")});
  batch = agent->propose(1);
  EXPECT_EQ(batch[0].policy, "Task * GPU;\n\nLayout * * * AOS;\n");
  agent->observe({failed(batch[0], 2, "HISTORY-TWO")});
  batch = agent->propose(1);
  EXPECT_EQ(batch[0].policy, "Task * GPU;\n\nInstanceLimit calc 2;\n");

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  std::string user = user_message(requests[2]);
  std::size_t zero = user.find("HISTORY-ZERO");
  std::size_t one = user.find("HISTORY-ONE");
  std::size_t two = user.find("HISTORY-TWO");
  ASSERT_NE(zero, std::string::npos);
  ASSERT_NE(one, std::string::npos);
  ASSERT_NE(two, std::string::npos);
  EXPECT_LT(zero, one);
  EXPECT_LT(one, two);
  EXPECT_NE(user.find("\"layout\": \"Layout * * * AOS;\\n\""), std::string::npos);
  EXPECT_TRUE(user.ends_with("Your response:\n"));
  std::string system = system_message(requests[2]);
  EXPECT_NE(system.find("\"suggestion\""), std::string::npos);
  EXPECT_EQ(system.find("\"reasoning\""), std::string::npos);
  EXPECT_NE(system.find("MACHINE-DESC"), std::string::npos);
  EXPECT_NE(system.find("APP-DESC"), std::string::npos);
}

TEST(LlmAgent, OptoPrimeMemoryShowsPastPairs) {
  TestHttpServer server({chat_reply(R"({"suggestion": {"task_placement": "Task * GPU;"}})"),
                         chat_reply(R"({"suggestion": {"task_placement": "Task * CPU;"}})")});
  LlmSettings settings = settings_for(server);
  settings.memory_size = 5;
  auto agent = make_llm_agent(sample_problem(), settings);
  auto batch = agent->propose(1);
  agent->observe({ran(batch[0], 0, 3.0, "PAST-ZERO")});
  batch = agent->propose(1);
  EXPECT_EQ(user_message(server.requests().back()).find("in the past"), std::string::npos);
  agent->observe({ran(batch[0], 1, 2.0, "PAST-ONE")});
  batch = agent->propose(1);
  std::string user = user_message(server.requests().back());
  std::size_t memory = user.find("feedback you received for them in the past");
  ASSERT_NE(memory, std::string::npos);
  EXPECT_NE(user.find("PAST-ZERO", memory), std::string::npos);
  EXPECT_NE(user.find("PAST-ONE"), std::string::npos);
}

TEST(LlmAgent, AdoptLeavesTheSameStateAsProposing) {
  auto handler = [](const HttpRequest&, int index) {
    return chat_reply(
        suggestion({{"layout", "Layout * * * SOA F_order; # " + std::to_string(index)}}));
  };
  TestHttpServer first(handler);
  auto original = make_llm_agent(sample_problem(), settings_for(first));
  std::vector<Proposal> recorded;
  std::vector<std::vector<Observation>> observed;
  for (int i = 0; i < 3; ++i) {
    auto batch = original->propose(1);
    recorded.insert(recorded.end(), batch.begin(), batch.end());
    observed.push_back({ran(batch[0], i, 3.0 - i, "ADOPT-" + std::to_string(i))});
    original->observe(observed.back());
  }
  (void)original->propose(1);

  TestHttpServer second(handler);
  auto resumed = make_llm_agent(sample_problem(), settings_for(second));
  for (int i = 0; i < 3; ++i) {
    resumed->adopt({recorded[static_cast<std::size_t>(i)]});
    resumed->observe(observed[static_cast<std::size_t>(i)]);
  }
  (void)resumed->propose(1);
  ASSERT_EQ(first.requests().size(), 3u);
  ASSERT_EQ(second.requests().size(), 1u);
  EXPECT_EQ(second.requests()[0].body, first.requests()[2].body);
}

TEST(LlmAgent, ABatchStartsWithTheDefaultsAndThenAsks) {
  TestHttpServer server([](const HttpRequest&, int index) {
    return chat_reply(
        suggestion({{"instance_limit", "InstanceLimit calc " + std::to_string(index + 1) + ";"}}));
  });
  LlmSettings settings = settings_for(server);
  settings.chat.temperature = 0.7;
  auto agent = make_llm_agent(sample_problem(), settings);
  auto batch = agent->propose(3);
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0].policy, "");
  EXPECT_EQ(batch[1].policy, "InstanceLimit calc 1;\n");
  EXPECT_EQ(batch[2].policy, "InstanceLimit calc 2;\n");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(json::parse(requests[0].body)["temperature"], 0.7);
  EXPECT_NE(json::parse(requests[0].body)["seed"], json::parse(requests[1].body)["seed"]);
  EXPECT_NE(user_message(requests[0]).find("Nothing has run yet."), std::string::npos);
}

TEST(LlmAgent, TheKeyIsRedactedFromNotes) {
  TestHttpServer server({chat_reply(std::string(R"({"reasoning": "your key is )") + kKey +
                                    R"(", "suggestion": {"task_placement": "Task * GPU;"}})")});
  auto agent = make_llm_agent(sample_problem(), settings_for(server));
  (void)agent->propose(1);
  agent->observe({});
  auto batch = agent->propose(1);
  EXPECT_EQ(batch[0].note.dump().find(kKey), std::string::npos);
  EXPECT_NE(batch[0].note["reasoning"].get<std::string>().find("[redacted]"), std::string::npos);
}

TEST(LlmAgent, UnknownVariablesAreReported) {
  TestHttpServer server({chat_reply(R"({"suggestion": {"policy": "Task * GPU;"}})")});
  auto agent = make_llm_agent(sample_problem(), settings_for(server));
  (void)agent->propose(1);
  agent->observe({});
  auto batch = agent->propose(1);
  ASSERT_TRUE(batch[0].error);
  EXPECT_EQ(*batch[0].error,
            "reply suggests none of the variables task_placement, region_memory, layout, "
            "instance_limit, index_task_map, single_task_map (it named [\"policy\"])");
}

TEST(LlmAgent, ToleratesVariableNamesWithDecoration) {
  TestHttpServer server({chat_reply(
      R"({"suggestion": {"(code) Task_Placement": "Task * GPU;", "#Variables.layout": "Layout * * * SOA;"}})")});
  auto agent = make_llm_agent(sample_problem(), settings_for(server));
  (void)agent->propose(1);
  agent->observe({});
  auto batch = agent->propose(1);
  ASSERT_FALSE(batch[0].error);
  EXPECT_EQ(batch[0].policy, "Task * GPU;\n\nLayout * * * SOA;\n");
}

TEST(LlmAgent, UnknownTaskNamesAreCheckedAgainstTheApp) {
  TestHttpServer server({chat_reply(R"({"suggestion": {"task_placement": "Task nosuch GPU;"}})")});
  auto agent = make_llm_agent(sample_problem(), settings_for(server));
  (void)agent->propose(1);
  agent->observe({});
  auto batch = agent->propose(1);
  ASSERT_TRUE(batch[0].note.contains("check"));
  EXPECT_NE(batch[0].note["check"].get<std::string>().find("nosuch"), std::string::npos);
  EXPECT_FALSE(batch[0].note["check_errors"].get<bool>());  // a warning
}

TEST(LlmSettings, VariantsEnvironmentAndProblems) {
  EXPECT_EQ(parse_variant("optoprime"), Variant::OptoPrime);
  EXPECT_EQ(parse_variant("opro"), Variant::Opro);
  EXPECT_FALSE(parse_variant("gpt"));
  EXPECT_EQ(to_string(Variant::Opro), "opro");

  ::setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1", 1);
  ::setenv("OPENAI_MODEL", "env-model", 1);
  ::setenv("OPENAI_API_KEY", "env-key", 1);
  LlmSettings settings;
  settings.chat.model = "flag-model";
  apply_environment(settings);
  ::unsetenv("OPENAI_BASE_URL");
  ::unsetenv("OPENAI_MODEL");
  ::unsetenv("OPENAI_API_KEY");
  EXPECT_EQ(settings.chat.base_url, "http://127.0.0.1:1/v1");
  EXPECT_EQ(settings.chat.model, "flag-model");
  EXPECT_EQ(settings.chat.api_key, "env-key");
  EXPECT_FALSE(settings_problem(settings));

  LlmSettings empty;
  apply_environment(empty);
  EXPECT_EQ(empty.chat.base_url, kDefaultBaseUrl);
  EXPECT_EQ(settings_problem(empty), "llm agent: no model: pass --llm-model or set OPENAI_MODEL");
  empty.chat.model = "m";
  empty.chat.base_url = "ftp://example.invalid";
  EXPECT_EQ(settings_problem(empty),
            "llm agent: endpoint ftp://example.invalid is not an http:// or https:// URL");
}

}  // namespace
}  // namespace mapforge::search::llm
