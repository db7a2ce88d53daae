// A client for OpenAI-compatible chat-completions endpoints (POST {base}/chat/completions) over
// libcurl. The API key travels only as the bearer token of requests to the configured endpoint:
// redirects are not followed, no proxy is used unless one is configured, and the key appears in
// no error text, log or file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mapforge::search::llm {

struct ChatSettings {
  std::string base_url;  // e.g. "https://api.openai.com/v1"; a trailing '/' is fine
  std::string model;     // e.g. "gpt-4o"
  std::string api_key;   // sent as "Authorization: Bearer KEY" only; empty: no header
  double temperature = 0;
  int max_tokens = 4096;
  double connect_timeout_s = 10;
  double timeout_s = 120;                  // whole request, reply included
  std::size_t max_reply_bytes = 4u << 20;  // a longer reply is cut and reported
  int retries = 3;               // extra attempts after 5xx, 429, 408 and transport errors
  double backoff_s = 1;          // first wait between attempts; doubles each time
  double max_retry_wait_s = 60;  // cap on any wait (Retry-After included)
  std::string proxy;             // empty: no proxy, whatever the environment says
};

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

struct ChatReply {
  std::string content;        // choices[0].message.content
  std::string finish_reason;  // "stop", "length", ... ("" when absent)
  int attempts = 1;           // HTTP requests it took
  bool json_mode = true;      // whether response_format json_object was sent
};

/// A reply, or an error that says what went wrong and where, e.g.
/// "llm endpoint http://127.0.0.1:8080/v1: HTTP 500: upstream failed (after 4 attempts)".
class [[nodiscard]] ChatResult {
 public:
  static ChatResult success(ChatReply reply) { return ChatResult(std::move(reply), {}); }
  static ChatResult failure(std::string error) { return ChatResult({}, std::move(error)); }
  bool ok() const { return reply_.has_value(); }
  explicit operator bool() const { return ok(); }
  const ChatReply& reply() const { return *reply_; }
  const std::string& error() const { return error_; }

 private:
  ChatResult(std::optional<ChatReply> reply, std::string error)
      : reply_(std::move(reply)), error_(std::move(error)) {}
  std::optional<ChatReply> reply_;
  std::string error_;
};

/// One endpoint, used from one thread at a time. Remembers when the endpoint rejected
/// `response_format` and stops sending it.
class ChatClient {
 public:
  explicit ChatClient(ChatSettings settings);

  /// Sends the messages and returns choices[0].message.content. Asks for a JSON object reply
  /// (response_format) until the endpoint rejects that with HTTP 400 naming response_format,
  /// then asks without it (that retry is free). `seed` is passed for endpoints that honour it.
  ChatResult complete(const std::vector<ChatMessage>& messages,
                      std::optional<std::uint64_t> seed = {});

  /// The endpoint as shown in errors: the base URL without a trailing '/' or user info.
  const std::string& endpoint() const { return shown_; }
  bool json_mode() const { return json_mode_; }
  const ChatSettings& settings() const { return settings_; }

  /// The request body complete() sends (for tests and journals; holds no key).
  std::string request_body(const std::vector<ChatMessage>& messages,
                           std::optional<std::uint64_t> seed, bool json_mode) const;

 private:
  ChatSettings settings_;
  std::string url_;    // {base}/chat/completions
  std::string shown_;  // for messages
  bool json_mode_ = true;
};

/// `text` with every occurrence of `secret` replaced by "[redacted]" (nothing when secret is
/// empty). Applied to everything derived from a reply before it is shown or stored.
std::string redact(std::string text, std::string_view secret);

/// Seconds to wait from a Retry-After value: delta-seconds or an HTTP-date (relative to `now`,
/// seconds since the epoch). nullopt when it is neither.
std::optional<double> parse_retry_after(std::string_view value, std::int64_t now);

}  // namespace mapforge::search::llm
