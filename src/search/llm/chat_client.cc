#include "search/llm/chat_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

namespace mapforge::search::llm {
namespace {

using nlohmann::json;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

/// The first `limit` bytes of a body on one printable line.
std::string excerpt(std::string_view body, std::size_t limit = 200) {
  std::string out;
  for (char c : body.substr(0, limit)) {
    auto byte = static_cast<unsigned char>(c);
    out.push_back(byte == '\n' || byte == '\r' || byte == '\t' ? ' ' : byte < 0x20 ? '?' : c);
  }
  if (body.size() > limit) out += "...";
  return out;
}

std::string seconds_text(double seconds) {
  char buffer[32];
  if (seconds == std::floor(seconds) && seconds < 1e9)
    std::snprintf(buffer, sizeof buffer, "%.0f", seconds);
  else
    std::snprintf(buffer, sizeof buffer, "%g", seconds);
  return buffer;
}

long to_ms(double seconds) {
  return static_cast<long>(std::max(1.0, std::min(seconds * 1000.0, 2147483647.0)));
}

/// The base URL without user info (which would be a secret) and without a trailing '/'.
std::string shown_endpoint(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::size_t scheme = base.find("://");
  std::size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
  std::size_t path = base.find('/', host_start);
  std::size_t at = base.rfind('@', path == std::string::npos ? base.size() : path);
  if (at != std::string::npos && at >= host_start) base.erase(host_start, at + 1 - host_start);
  return base;
}

struct Transfer {
  std::string body;
  std::size_t limit = 0;
  bool overflow = false;
  std::vector<std::pair<std::string, std::string>> headers;  // lowercase names
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  if (transfer->body.size() + bytes > transfer->limit) {
    transfer->body.append(data, transfer->limit - transfer->body.size());
    transfer->overflow = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  transfer->body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    transfer->headers.clear();  // a new response (after 100 Continue)
    return size * count;
  }
  std::size_t colon = line.find(':');
  if (colon != std::string_view::npos)
    transfer->headers.emplace_back(lowercase(trim(line.substr(0, colon))),
                                   std::string(trim(line.substr(colon + 1))));
  return size * count;
}

/// One HTTP exchange's outcome, before interpretation.
struct Attempt {
  bool transport_ok = false;
  std::string error;       // transport error text (no endpoint prefix)
  bool retryable = false;  // for transport errors
  long status = 0;
  Transfer transfer;
  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [key, value] : transfer.headers)
      if (key == name) return value;
    return std::nullopt;
  }
};

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

Attempt post(const ChatSettings& settings, const std::string& url, const std::string& body) {
  init_curl_once();
  Attempt attempt;
  attempt.transfer.limit = settings.max_reply_bytes;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    attempt.error = "could not start libcurl";
    return attempt;
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& line) {
    curl_slist* list = curl_slist_append(headers.get(), line.c_str());
    if (list) {
      (void)headers.release();
      headers.reset(list);
    }
  };
  add_header("Content-Type: application/json");
  add_header("Accept: application/json");
  add_header("Expect:");  // no 100-continue round trip
  if (!settings.api_key.empty()) add_header("Authorization: Bearer " + settings.api_key);

  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // the key goes to this endpoint only
  curl_easy_setopt(h, CURLOPT_PROXY, settings.proxy.c_str());
  curl_easy_setopt(h, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, to_ms(settings.connect_timeout_s));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, to_ms(settings.timeout_s));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &attempt.transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &attempt.transfer);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "mapforge-llm/1");

  CURLcode code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &attempt.status);
  if (code == CURLE_OK) {
    attempt.transport_ok = true;
    return attempt;
  }
  if (attempt.transfer.overflow) {
    attempt.error =
        "reply exceeds " + std::to_string(settings.max_reply_bytes) + " bytes; cut there";
    return attempt;
  }
  attempt.retryable = true;
  if (code == CURLE_OPERATION_TIMEDOUT) {
    curl_off_t connected = 0;
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
    attempt.error =
        connected == 0
            ? "could not connect within " +
                  seconds_text(std::min(settings.connect_timeout_s, settings.timeout_s)) + " s"
            : "timed out after " + seconds_text(settings.timeout_s) + " s";
    return attempt;
  }
  attempt.error = std::string(curl_easy_strerror(code));
  if (error_buffer[0] != '\0') attempt.error += ": " + std::string(trim(error_buffer));
  return attempt;
}

/// Interprets a 2xx body: choices[0].message.content, or why there is none.
ChatResult interpret(const std::string& body, int attempts, bool json_mode) {
  json reply;
  try {
    reply = json::parse(body);
  } catch (const json::parse_error& error) {
    return ChatResult::failure("reply is not JSON at byte " + std::to_string(error.byte) + ": " +
                               excerpt(body));
  }
  const json* content = nullptr;
  if (reply.is_object() && reply.contains("choices") && reply["choices"].is_array() &&
      !reply["choices"].empty()) {
    const json& choice = reply["choices"][0];
    if (choice.is_object() && choice.contains("message") && choice["message"].is_object() &&
        choice["message"].contains("content") && choice["message"]["content"].is_string())
      content = &choice["message"]["content"];
  }
  if (!content) {
    std::string why = "reply has no choices[0].message.content";
    if (reply.is_object() && reply.contains("error")) {
      const json& error = reply["error"];
      why += " (error: " +
             excerpt(error.is_object() && error.contains("message") && error["message"].is_string()
                         ? error["message"].get<std::string>()
                         : error.dump()) +
             ")";
    }
    return ChatResult::failure(why);
  }
  ChatReply out;
  out.content = content->get<std::string>();
  const json& choice = reply["choices"][0];
  if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
    out.finish_reason = choice["finish_reason"].get<std::string>();
  out.attempts = attempts;
  out.json_mode = json_mode;
  return ChatResult::success(std::move(out));
}

bool is_retryable_status(long status) { return status == 408 || status == 429 || status >= 500; }

void sleep_seconds(double seconds) {
  if (seconds <= 0) return;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

}  // namespace

std::string redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  constexpr std::string_view kMark = "[redacted]";
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kMark.size()))
    text.replace(at, secret.size(), kMark);
  return text;
}

std::optional<double> parse_retry_after(std::string_view value, std::int64_t now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return 1e9;
    return static_cast<double>(std::stol(std::string(value)));
  }
  std::string date(value);
  time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::max(0.0, static_cast<double>(static_cast<std::int64_t>(when) - now));
}

ChatClient::ChatClient(ChatSettings settings) : settings_(std::move(settings)) {
  std::string base = settings_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  url_ = base + "/chat/completions";
  shown_ = shown_endpoint(settings_.base_url);
}

std::string ChatClient::request_body(const std::vector<ChatMessage>& messages,
                                     std::optional<std::uint64_t> seed, bool json_mode) const {
  json body;
  body["model"] = settings_.model;
  json list = json::array();
  for (const auto& message : messages)
    list.push_back({{"role", message.role}, {"content", message.content}});
  body["messages"] = std::move(list);
  body["temperature"] = settings_.temperature;
  if (settings_.max_tokens > 0) body["max_tokens"] = settings_.max_tokens;
  if (seed) body["seed"] = *seed;
  if (json_mode) body["response_format"] = {{"type", "json_object"}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

ChatResult ChatClient::complete(const std::vector<ChatMessage>& messages,
                                std::optional<std::uint64_t> seed) {
  const std::string prefix = "llm endpoint " + shown_ + ": ";
  auto fail = [&](const std::string& why, int attempts) {
    std::string text = prefix + why;
    if (attempts > 1) text += " (after " + std::to_string(attempts) + " attempts)";
    return ChatResult::failure(redact(std::move(text), settings_.api_key));
  };
  if (settings_.base_url.empty()) return ChatResult::failure("llm endpoint: no base URL set");
  if (settings_.model.empty()) return fail("no model set", 1);

  int attempts = 0;
  int failures = 0;
  for (;;) {
    ++attempts;
    Attempt attempt = post(settings_, url_, request_body(messages, seed, json_mode_));
    std::string why;
    bool retry = false;
    std::optional<double> wait;
    if (!attempt.transport_ok) {
      why = attempt.error;
      retry = attempt.retryable;
    } else if (attempt.status >= 200 && attempt.status < 300) {
      ChatResult result = interpret(attempt.transfer.body, attempts, json_mode_);
      if (result) return result;
      return fail(result.error(), attempts);
    } else {
      const std::string& body = attempt.transfer.body;
      if (attempt.status == 400 && json_mode_ &&
          lowercase(body).find("response_format") != std::string::npos) {
        json_mode_ = false;  // the endpoint does not do JSON mode: ask again without it
        continue;
      }
      why = "HTTP " + std::to_string(attempt.status);
      if (!body.empty()) why += ": " + excerpt(body);
      retry = is_retryable_status(attempt.status);
      if (attempt.status == 429 || attempt.status == 503) {
        if (auto value = attempt.header("retry-after"))
          wait = parse_retry_after(*value, static_cast<std::int64_t>(std::time(nullptr)));
      }
    }
    ++failures;
    if (!retry || failures > settings_.retries) return fail(why, attempts);
    double backoff = settings_.backoff_s * std::pow(2.0, failures - 1);
    sleep_seconds(std::min(wait.value_or(backoff), settings_.max_retry_wait_s));
  }
}

}  // namespace mapforge::search::llm
