#include "search/llm/chat_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "search/llm/test_http_server.h"

namespace mapforge::search::llm {
namespace {

using nlohmann::json;
using testing::chat_reply;
using testing::HttpRequest;
using testing::ScriptedReply;
using testing::TestHttpServer;
using namespace std::chrono_literals;

constexpr const char* kKey = "sk-test-0123456789-SECRET";

ChatSettings settings_for(const TestHttpServer& server) {
  ChatSettings settings;
  settings.base_url = server.base_url();
  settings.model = "test-model";
  settings.api_key = kKey;
  settings.timeout_s = 5;
  settings.connect_timeout_s = 2;
  settings.retries = 0;
  settings.backoff_s = 0.01;
  settings.max_retry_wait_s = 2;
  return settings;
}

const std::vector<ChatMessage> kMessages = {{"system", "be brief"}, {"user", "hello"}};

std::string prefix(const TestHttpServer& server) {
  return "llm endpoint " + server.base_url() + ": ";
}

ScriptedReply reply(int status, std::string body,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  ScriptedReply out;
  out.status = status;
  out.body = std::move(body);
  out.headers = std::move(headers);
  return out;
}

/// The key is in the Authorization header and nowhere else.
void expect_key_only_in_authorization(const HttpRequest& request) {
  EXPECT_EQ(request.header("Authorization"), std::string("Bearer ") + kKey);
  for (const auto& [name, value] : request.headers)
    if (name != "Authorization") {
      EXPECT_EQ(value.find(kKey), std::string::npos) << name;
    }
  EXPECT_EQ(request.body.find(kKey), std::string::npos);
  EXPECT_EQ(request.target.find(kKey), std::string::npos);
}

TEST(ChatClient, SendsAWellFormedRequestAndReturnsTheContent) {
  TestHttpServer server({chat_reply("{\"suggestion\": {}}")});
  ChatSettings settings = settings_for(server);
  settings.temperature = 0.5;
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages, 42);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result.reply().content, "{\"suggestion\": {}}");
  EXPECT_EQ(result.reply().finish_reason, "stop");
  EXPECT_EQ(result.reply().attempts, 1);
  EXPECT_TRUE(result.reply().json_mode);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/chat/completions");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
  expect_key_only_in_authorization(requests[0]);
  json body = json::parse(requests[0].body);
  EXPECT_EQ(body["model"], "test-model");
  EXPECT_EQ(
      body["messages"],
      json::parse(R"([{"role":"system","content":"be brief"},{"role":"user","content":"hello"}])"));
  EXPECT_EQ(body["response_format"], json::parse(R"({"type":"json_object"})"));
  EXPECT_EQ(body["seed"], 42);
  EXPECT_EQ(body["temperature"], 0.5);
  EXPECT_EQ(body["max_tokens"], 4096);
}

TEST(ChatClient, ToleratesATrailingSlashAndSendsNoKeyWhenThereIsNone) {
  TestHttpServer server({chat_reply("ok")});
  ChatSettings settings = settings_for(server);
  settings.base_url += "/";
  settings.api_key.clear();
  ChatClient client(settings);
  EXPECT_EQ(client.endpoint(), server.base_url());
  ASSERT_TRUE(client.complete(kMessages));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/v1/chat/completions");
  EXPECT_FALSE(requests[0].header("Authorization"));
}

TEST(ChatClient, IgnoresProxiesFromTheEnvironment) {
  TestHttpServer server({chat_reply("direct")});
  ::setenv("http_proxy", "http://127.0.0.1:9", 1);
  ::setenv("HTTP_PROXY", "http://127.0.0.1:9", 1);
  ::setenv("ALL_PROXY", "http://127.0.0.1:9", 1);
  ChatClient client(settings_for(server));
  ChatResult result = client.complete(kMessages);
  ::unsetenv("http_proxy");
  ::unsetenv("HTTP_PROXY");
  ::unsetenv("ALL_PROXY");
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result.reply().content, "direct");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(ChatClient, ReplyThatIsNotJson) {
  TestHttpServer server({reply(200, "<html>oops</html>")});
  ChatClient client(settings_for(server));
  ChatResult result = client.complete(kMessages);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), prefix(server) + "reply is not JSON at byte 1: <html>oops</html>");
}

TEST(ChatClient, JsonWithoutChoices) {
  TestHttpServer server({reply(200, R"({"object": "chat.completion"})"),
                         reply(200, R"({"error": {"message": "model overloaded"}})"),
                         reply(200, R"({"choices": [{"message": {"content": null}}]})")});
  ChatClient client(settings_for(server));
  ChatResult first = client.complete(kMessages);
  EXPECT_EQ(first.error(), prefix(server) + "reply has no choices[0].message.content");
  ChatResult second = client.complete(kMessages);
  EXPECT_EQ(second.error(), prefix(server) +
                                "reply has no choices[0].message.content (error: model "
                                "overloaded)");
  ChatResult third = client.complete(kMessages);
  EXPECT_EQ(third.error(), prefix(server) + "reply has no choices[0].message.content");
}

TEST(ChatClient, RetriesAfterServerErrors) {
  TestHttpServer server({reply(500, "upstream failed"), reply(502, ""), chat_reply("third time")});
  ChatSettings settings = settings_for(server);
  settings.retries = 2;
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result.reply().content, "third time");
  EXPECT_EQ(result.reply().attempts, 3);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(ChatClient, GivesUpAfterTheRetries) {
  std::string long_body(300, 'x');
  TestHttpServer server({reply(500, "boom\nline two"), reply(503, long_body)});
  ChatSettings settings = settings_for(server);
  settings.retries = 1;
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(),
            prefix(server) + "HTTP 503: " + std::string(200, 'x') + "... (after 2 attempts)");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(ChatClient, ClientErrorsAreNotRetried) {
  TestHttpServer server({reply(401, R"({"error": "invalid key"})"), chat_reply("never")});
  ChatSettings settings = settings_for(server);
  settings.retries = 3;
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages);
  EXPECT_EQ(result.error(), prefix(server) + R"(HTTP 401: {"error": "invalid key"})");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(ChatClient, HonoursRetryAfterOn429) {
  TestHttpServer server({reply(429, "slow down", {{"Retry-After", "1"}}), chat_reply("after")});
  ChatSettings settings = settings_for(server);
  settings.retries = 1;
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result.reply().content, "after");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(ChatClient, CapsRetryAfterByTheMaximumWait) {
  TestHttpServer server({reply(429, "", {{"Retry-After", "3600"}}),
                         reply(429, "", {{"Retry-After", "Wed, 21 Oct 2099 07:28:00 GMT"}}),
                         chat_reply("soon")});
  ChatSettings settings = settings_for(server);
  settings.retries = 2;
  settings.max_retry_wait_s = 0.05;
  ChatClient client(settings);
  auto start = std::chrono::steady_clock::now();
  ChatResult result = client.complete(kMessages);
  ASSERT_TRUE(result) << result.error();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);  // not an hour
}

TEST(ChatClient, TooManyRequestsReportedWhenRetriesRunOut) {
  TestHttpServer server({reply(429, "rate limited", {{"Retry-After", "0"}})});
  ChatClient client(settings_for(server));
  EXPECT_EQ(client.complete(kMessages).error(), prefix(server) + "HTTP 429: rate limited");
}

TEST(ChatClient, ParsesRetryAfter) {
  EXPECT_EQ(parse_retry_after("1", 0), 1.0);
  EXPECT_EQ(parse_retry_after(" 120 ", 0), 120.0);
  // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480 seconds after the epoch.
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412450), 30.0);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490), 0.0);
  EXPECT_FALSE(parse_retry_after("soon", 0));
  EXPECT_FALSE(parse_retry_after("", 0));
}

TEST(ChatClient, FallsBackWhenResponseFormatIsRejected) {
  TestHttpServer server(
      {reply(400, R"({"error": {"message": "Invalid parameter: 'response_format' of type "
                  "'json_object' is not supported with this model."}})"),
       chat_reply("plain"), chat_reply("plain again")});
  ChatClient client(settings_for(server));
  ChatResult result = client.complete(kMessages);
  ASSERT_TRUE(result) << result.error();
  EXPECT_FALSE(result.reply().json_mode);
  EXPECT_FALSE(client.json_mode());
  ASSERT_TRUE(client.complete(kMessages));  // remembered: asks without it straight away
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(json::parse(requests[0].body).contains("response_format"));
  EXPECT_FALSE(json::parse(requests[1].body).contains("response_format"));
  EXPECT_FALSE(json::parse(requests[2].body).contains("response_format"));
}

TEST(ChatClient, OtherBadRequestsAreErrors) {
  TestHttpServer server({reply(400, "context length exceeded")});
  ChatClient client(settings_for(server));
  EXPECT_EQ(client.complete(kMessages).error(),
            prefix(server) + "HTTP 400: context length exceeded");
  EXPECT_TRUE(client.json_mode());
}

TEST(ChatClient, SlowReplyTimesOut) {
  ScriptedReply slow = chat_reply("too late");
  slow.delay = 5s;
  TestHttpServer server({slow});
  ChatSettings settings = settings_for(server);
  settings.timeout_s = 0.5;
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages);
  EXPECT_EQ(result.error(), prefix(server) + "timed out after 0.5 s");
}

TEST(ChatClient, SlowReplyRetriedThenAnswered) {
  ScriptedReply slow = chat_reply("too late");
  slow.delay = 5s;
  TestHttpServer server({slow, chat_reply("in time")});
  ChatSettings settings = settings_for(server);
  settings.timeout_s = 0.5;
  settings.retries = 1;
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result.reply().content, "in time");
}

TEST(ChatClient, EndlessReplyIsCut) {
  ScriptedReply endless;
  endless.endless = true;
  TestHttpServer server({endless});
  ChatSettings settings = settings_for(server);
  settings.max_reply_bytes = 64 * 1024;
  settings.retries = 2;  // not retried: the same reply would come again
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages);
  EXPECT_EQ(result.error(), prefix(server) + "reply exceeds 65536 bytes; cut there");
  EXPECT_EQ(server.requests().size(), 1u);
  server.stop();
  EXPECT_LT(server.endless_bytes_sent(), 300u << 20);
}

TEST(ChatClient, EndlessReplyStoppedByTheTimeoutWhenTheCapIsHigh) {
  ScriptedReply endless;
  endless.endless = true;
  TestHttpServer server({endless});
  ChatSettings settings = settings_for(server);
  settings.timeout_s = 0.3;
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages);
  ASSERT_FALSE(result);
  // Either limit may be reached first on a fast machine; both are reported clearly.
  EXPECT_TRUE(result.error() == prefix(server) + "timed out after 0.3 s" ||
              result.error() == prefix(server) + "reply exceeds 4194304 bytes; cut there")
      << result.error();
}

TEST(ChatClient, DoesNotFollowRedirects) {
  TestHttpServer elsewhere({chat_reply("stolen")});
  TestHttpServer server(
      {reply(307, "", {{"Location", elsewhere.base_url() + "/chat/completions"}})});
  ChatClient client(settings_for(server));
  ChatResult result = client.complete(kMessages);
  EXPECT_EQ(result.error(), prefix(server) + "HTTP 307");
  EXPECT_TRUE(elsewhere.requests().empty());
}

TEST(ChatClient, ConnectionRefused) {
  std::string base;
  {
    TestHttpServer gone(std::vector<ScriptedReply>{});
    base = gone.base_url();
  }
  ChatSettings settings;
  settings.base_url = base;
  settings.model = "m";
  settings.api_key = kKey;
  settings.retries = 1;
  settings.backoff_s = 0.01;
  ChatClient client(settings);
  ChatResult result = client.complete(kMessages);
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().starts_with("llm endpoint " + base + ": ")) << result.error();
  EXPECT_TRUE(result.error().ends_with(" (after 2 attempts)")) << result.error();
  EXPECT_EQ(result.error().find(kKey), std::string::npos);
}

TEST(ChatClient, TheKeyNeverAppearsInErrors) {
  TestHttpServer server({reply(500, std::string("bad key ") + kKey)});
  ChatClient client(settings_for(server));
  ChatResult result = client.complete(kMessages);
  EXPECT_EQ(result.error(), prefix(server) + "HTTP 500: bad key [redacted]");
}

TEST(ChatClient, MissingSettings) {
  ChatSettings settings;
  EXPECT_EQ(ChatClient(settings).complete(kMessages).error(), "llm endpoint: no base URL set");
  settings.base_url = "http://127.0.0.1:9/v1";
  EXPECT_EQ(ChatClient(settings).complete(kMessages).error(),
            "llm endpoint http://127.0.0.1:9/v1: no model set");
}

TEST(ChatClient, EndpointHidesUserInfo) {
  ChatSettings settings;
  settings.base_url = "https://user:secret@example.invalid/v1/";
  EXPECT_EQ(ChatClient(settings).endpoint(), "https://example.invalid/v1");
}

TEST(ChatClient, Redact) {
  EXPECT_EQ(redact("a KEY b KEYKEY", "KEY"), "a [redacted] b [redacted][redacted]");
  EXPECT_EQ(redact("unchanged", ""), "unchanged");
}

}  // namespace
}  // namespace mapforge::search::llm
