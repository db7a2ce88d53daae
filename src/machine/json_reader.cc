// Typed field reads with located error messages.
#include "machine/json_reader.h"

#include <cmath>

namespace mapforge::machine::detail {
namespace {

constexpr std::size_t kMaxDescribed = 40;

std::string escape_pointer_token(std::string_view key) {
  std::string token;
  for (char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

bool is_whole(double value) { return std::floor(value) == value; }

/// A JSON integer (not a float, however whole) within [min, max]; min may be negative.
bool is_whole_in(const Json& value, int min, int max) {
  if (value.is_number_unsigned()) {
    const std::uint64_t number = value.get<std::uint64_t>();
    return number <= static_cast<std::uint64_t>(max) && static_cast<std::int64_t>(number) >= min;
  }
  if (!value.is_number_integer()) return false;
  const std::int64_t number = value.get<std::int64_t>();
  return number >= min && number <= max;
}

std::string range_text(const NumberRange& range) {
  if (range.min == 0 && range.min_exclusive) return "a positive number";
  if (range.min == 0) return "a non-negative number";
  return "a number of at least " + describe(Json(range.min));
}

}  // namespace

std::string describe(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() <= kMaxDescribed) return text;
  return text.substr(0, kMaxDescribed - 3) + "...";
}

std::string child(const std::string& path, std::string_view key) {
  return path + "/" + escape_pointer_token(key);
}

std::string child(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

std::string join(const std::vector<std::string_view>& words) {
  std::string text;
  for (std::string_view word : words) {
    if (!text.empty()) text += ", ";
    text += word;
  }
  return text;
}

std::string join(std::initializer_list<std::string_view> words) {
  return join(std::vector<std::string_view>(words));
}

void Reader::error(std::string path, std::string message) {
  if (errors_.size() >= kMaxLoadErrors) return;
  errors_.push_back(LoadError{file_, std::move(path), 0, 0, std::move(message)});
}

bool Reader::check_object(const Json& value, const std::string& path,
                          const std::vector<std::string_view>& fields) {
  if (!value.is_object()) {
    error(path, "expected an object, got " + describe(value));
    return false;
  }
  for (const auto& [key, member] : value.items()) {
    bool known = false;
    for (std::string_view field : fields) known = known || field == key;
    if (!known) error(child(path, key), "unknown field; fields are " + join(fields));
  }
  return true;
}

const Json* Reader::require(const Json& object, std::string_view key, const std::string& path) {
  auto it = object.find(std::string(key));
  if (it == object.end()) {
    error(child(path, key), "missing required field");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> Reader::read_string(const Json& object, std::string_view key,
                                               const std::string& path, bool non_empty) {
  const Json* value = require(object, key, path);
  if (!value) return std::nullopt;
  if (!value->is_string() || (non_empty && value->get_ref<const std::string&>().empty())) {
    error(child(path, key),
          std::string(non_empty ? "expected a non-empty string" : "expected a string") + ", got " +
              describe(*value));
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<int> Reader::read_int(const Json& object, std::string_view key,
                                    const std::string& path, int min, int max) {
  const Json* value = require(object, key, path);
  if (!value) return std::nullopt;
  const bool in_range = is_whole_in(*value, min, max);
  if (!in_range) {
    error(child(path, key), "expected a whole number from " + std::to_string(min) + " to " +
                                std::to_string(max) + ", got " + describe(*value));
    return std::nullopt;
  }
  return static_cast<int>(value->get<std::int64_t>());
}

std::optional<Sourced> Reader::read_sourced(const Json& object, std::string_view key,
                                            const std::string& path, const NumberRange& range) {
  const Json* member = require(object, key, path);
  if (!member) return std::nullopt;
  const std::string here = child(path, key);
  if (!check_object(*member, here, {"value", "source"})) return std::nullopt;
  const Json* value = require(*member, "value", here);
  std::optional<std::string> source = read_string(*member, "source", here, true);
  if (!value) return std::nullopt;
  const std::string value_path = child(here, "value");
  if (!value->is_number()) {
    error(value_path, "expected a number, got " + describe(*value));
    return std::nullopt;
  }
  const double number = value->get<double>();
  const bool below = range.min_exclusive ? !(number > range.min) : !(number >= range.min);
  if (below) {
    error(value_path, "expected " + range_text(range) + ", got " + describe(*value));
    return std::nullopt;
  }
  if (!(number <= range.max)) {
    error(value_path,
          "expected at most " + std::string(range.max_text) + ", got " + describe(*value));
    return std::nullopt;
  }
  if (range.whole && !is_whole(number)) {
    error(value_path, "expected a whole number, got " + describe(*value));
    return std::nullopt;
  }
  if (!source) return std::nullopt;
  return Sourced{number, std::move(*source)};
}

const Json* Reader::read_array(const Json& object, std::string_view key, const std::string& path) {
  const Json* value = require(object, key, path);
  if (!value) return nullptr;
  if (!value->is_array() || value->empty()) {
    error(child(path, key), "expected a non-empty array, got " + describe(*value));
    return nullptr;
  }
  return value;
}

}  // namespace mapforge::machine::detail
