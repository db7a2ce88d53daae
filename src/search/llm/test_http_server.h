// Test support: a real HTTP/1.1 server on 127.0.0.1 (ephemeral port, its own thread) that plays
// a chat-completions endpoint from a script, one scripted reply per request, and records every
// request. It is bounded: it stops by itself after its lifetime, never sends more than a cap,
// and its destructor returns promptly.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace mapforge::search::llm::testing {

struct HttpRequest {
  std::string method;
  std::string target;                                        // e.g. "/v1/chat/completions"
  std::vector<std::pair<std::string, std::string>> headers;  // as sent
  std::string body;
  /// The value of the first header of that name (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
};

struct ScriptedReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // before anything is sent
  bool endless = false;  // 200 with no length, then bytes until the client stops (or a cap)
};

/// A 200 reply whose choices[0].message.content is `content`.
ScriptedReply chat_reply(std::string_view content);

class TestHttpServer {
 public:
  using Handler = std::function<ScriptedReply(const HttpRequest&, int index)>;

  /// Replies from the script in order; past its end, HTTP 500 "script exhausted".
  explicit TestHttpServer(std::vector<ScriptedReply> script,
                          std::chrono::seconds lifetime = std::chrono::seconds(30));
  /// Replies computed from each request (index counts requests from 0).
  explicit TestHttpServer(Handler handler,
                          std::chrono::seconds lifetime = std::chrono::seconds(30));
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:PORT/v1"
  std::string base_url() const;
  std::vector<HttpRequest> requests() const;
  /// Bytes sent by endless replies so far.
  std::size_t endless_bytes_sent() const { return endless_sent_.load(); }
  void stop();

 private:
  void start(std::chrono::seconds lifetime);
  void serve();
  void handle(int connection);
  bool wait_or_stop(int connection, std::chrono::milliseconds delay);

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> endless_sent_{0};
  mutable std::mutex mutex_;
  std::condition_variable stop_signal_;
  std::vector<HttpRequest> requests_;
  std::thread thread_;
};

}  // namespace mapforge::search::llm::testing
