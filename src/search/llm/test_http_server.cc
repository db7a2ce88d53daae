#include "search/llm/test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace mapforge::search::llm::testing {
namespace {

constexpr std::size_t kMaxRequestBytes = 32u << 20;
constexpr std::size_t kMaxEndlessBytes = 256u << 20;

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

std::string_view reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

/// Sends everything unless the peer goes away or the server stops.
bool send_all(int fd, std::string_view data, const std::atomic<bool>& stopping) {
  while (!data.empty()) {
    if (stopping.load()) return false;
    ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

}  // namespace

std::optional<std::string> HttpRequest::header(std::string_view name) const {
  std::string wanted = lowercase(name);
  for (const auto& [key, value] : headers)
    if (lowercase(key) == wanted) return value;
  return std::nullopt;
}

ScriptedReply chat_reply(std::string_view content) {
  nlohmann::json body = {{"id", "chatcmpl-test"},
                         {"object", "chat.completion"},
                         {"choices",
                          {{{"index", 0},
                            {"message", {{"role", "assistant"}, {"content", std::string(content)}}},
                            {"finish_reason", "stop"}}}}};
  ScriptedReply reply;
  reply.headers = {{"Content-Type", "application/json"}};
  reply.body = body.dump();
  return reply;
}

TestHttpServer::TestHttpServer(std::vector<ScriptedReply> script, std::chrono::seconds lifetime) {
  auto queue = std::make_shared<std::deque<ScriptedReply>>(script.begin(), script.end());
  handler_ = [queue](const HttpRequest&, int) {
    if (queue->empty()) {
      ScriptedReply exhausted;
      exhausted.status = 500;
      exhausted.body = "script exhausted";
      return exhausted;
    }
    ScriptedReply next = std::move(queue->front());
    queue->pop_front();
    return next;
  };
  start(lifetime);
}

TestHttpServer::TestHttpServer(Handler handler, std::chrono::seconds lifetime)
    : handler_(std::move(handler)) {
  start(lifetime);
}

TestHttpServer::~TestHttpServer() { stop(); }

void TestHttpServer::start(std::chrono::seconds lifetime) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) throw std::runtime_error("test server: socket() failed");
  int one = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 16) != 0) {
    ::close(listener_);
    throw std::runtime_error("test server: cannot listen on 127.0.0.1");
  }
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  deadline_ = std::chrono::steady_clock::now() + lifetime;
  thread_ = std::thread([this] { serve(); });
}

void TestHttpServer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (listener_ >= 0) ::close(listener_);
  listener_ = -1;
}

std::string TestHttpServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

std::vector<HttpRequest> TestHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool TestHttpServer::wait_or_stop(int connection, std::chrono::milliseconds delay) {
  auto until = std::min(std::chrono::steady_clock::now() + delay, deadline_);
  while (std::chrono::steady_clock::now() < until) {
    {
      std::unique_lock lock(mutex_);
      if (stop_signal_.wait_for(lock, std::chrono::milliseconds(10),
                                [this] { return stopping_.load(); }))
        return false;
    }
    // A client that gave up has closed its end: stop waiting for it.
    pollfd readable{connection, POLLIN, 0};
    char byte = 0;
    if (::poll(&readable, 1, 0) > 0 && ::recv(connection, &byte, 1, MSG_PEEK) <= 0) return false;
  }
  return !stopping_.load() && std::chrono::steady_clock::now() < deadline_;
}

void TestHttpServer::serve() {
  while (!stopping_.load() && std::chrono::steady_clock::now() < deadline_) {
    pollfd waiting{listener_, POLLIN, 0};
    if (::poll(&waiting, 1, 20) <= 0) continue;
    int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    timeval send_timeout{0, 100 * 1000};
    ::setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
    handle(connection);
    ::shutdown(connection, SHUT_RDWR);
    ::close(connection);
  }
}

void TestHttpServer::handle(int connection) {
  // Read the head, then the body by Content-Length, with short polls so that stop() and the
  // lifetime are honoured.
  std::string data;
  std::size_t head_end = std::string::npos;
  std::size_t content_length = 0;
  HttpRequest request;
  char buffer[16384];
  for (;;) {
    if (head_end != std::string::npos && data.size() >= head_end + 4 + content_length) break;
    if (stopping_.load() || std::chrono::steady_clock::now() >= deadline_) return;
    if (data.size() > kMaxRequestBytes) return;
    pollfd readable{connection, POLLIN, 0};
    if (::poll(&readable, 1, 20) <= 0) continue;
    ssize_t got = ::recv(connection, buffer, sizeof buffer, 0);
    if (got <= 0) return;
    data.append(buffer, static_cast<std::size_t>(got));
    if (head_end != std::string::npos) continue;
    head_end = data.find("\r\n\r\n");
    if (head_end == std::string::npos) continue;
    std::string_view head(data.data(), head_end);
    std::size_t line_end = head.find("\r\n");
    std::string_view first = head.substr(0, line_end);
    std::size_t space1 = first.find(' ');
    std::size_t space2 = first.find(' ', space1 + 1);
    request.method = std::string(first.substr(0, space1));
    request.target = std::string(first.substr(space1 + 1, space2 - space1 - 1));
    std::size_t at = line_end == std::string_view::npos ? head.size() : line_end + 2;
    while (at < head.size()) {
      std::size_t end = head.find("\r\n", at);
      if (end == std::string_view::npos) end = head.size();
      std::string_view line = head.substr(at, end - at);
      std::size_t colon = line.find(':');
      if (colon != std::string_view::npos)
        request.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                     std::string(trim(line.substr(colon + 1))));
      at = end + 2;
    }
    if (auto length = request.header("Content-Length"))
      content_length = static_cast<std::size_t>(std::stoull(*length));
    if (auto expect = request.header("Expect"); expect && lowercase(*expect) == "100-continue")
      send_all(connection, "HTTP/1.1 100 Continue\r\n\r\n", stopping_);
  }
  request.body = data.substr(head_end + 4, content_length);
  int index = 0;
  {
    std::lock_guard lock(mutex_);
    index = static_cast<int>(requests_.size());
    requests_.push_back(request);
  }
  ScriptedReply reply = handler_(request, index);
  if (reply.delay.count() > 0 && !wait_or_stop(connection, reply.delay)) return;

  std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                     std::string(reason(reply.status)) + "\r\nConnection: close\r\n";
  for (const auto& [name, value] : reply.headers) head += name + ": " + value + "\r\n";
  if (!reply.endless) {
    head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n";
    send_all(connection, head + reply.body, stopping_);
    return;
  }
  head += "\r\n";
  if (!send_all(connection, head + "{\"choices\": [{\"message\": {\"content\": \"", stopping_))
    return;
  const std::string chunk(16384, 'a');
  while (endless_sent_.load() < kMaxEndlessBytes && std::chrono::steady_clock::now() < deadline_) {
    if (!send_all(connection, chunk, stopping_)) return;
    endless_sent_ += chunk.size();
  }
}

}  // namespace mapforge::search::llm::testing
