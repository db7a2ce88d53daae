// Parameter constructors, Configuration hashing and its JSON form.
#include <cassert>
#include <utility>

#include "search/opentuner/opentuner.h"
#include "search/opentuner/space.h"

namespace mapforge::search::opentuner {

Parameter Parameter::integer(std::string name, std::int64_t lo, std::int64_t hi) {
  return Parameter{std::move(name), ParameterKind::Integer, lo, hi};
}

Parameter Parameter::enumeration(std::string name, int choices) {
  return Parameter{std::move(name), ParameterKind::Enumeration, 0, choices - 1};
}

Parameter Parameter::boolean(std::string name) {
  return Parameter{std::move(name), ParameterKind::Boolean, 0, 1};
}

Parameter Parameter::permutation(std::string name, int size) {
  return Parameter{std::move(name), ParameterKind::Permutation, 0, size - 1};
}

std::string check_parameter(const Parameter& param) {
  std::string where = "parameter '" + param.name + "'";
  switch (param.kind) {
    case ParameterKind::Integer:
      if (param.lo > param.hi) {
        return where + ": empty range [" + std::to_string(param.lo) + ", " +
               std::to_string(param.hi) + "]";
      }
      return {};
    case ParameterKind::Enumeration:
      if (param.lo != 0 || param.hi < 0) return where + ": an enumeration needs a choice";
      return {};
    case ParameterKind::Boolean:
      if (param.lo != 0 || param.hi != 1) return where + ": a boolean ranges over [0, 1]";
      return {};
    case ParameterKind::Permutation:
      if (param.lo != 0 || param.hi < 0) return where + ": a permutation needs an item";
      return {};
  }
  return where + ": unknown kind";
}

namespace {

std::size_t mix(std::size_t seed, std::uint64_t value) {
  // splitmix64 finaliser folded into the running hash: cheap and well spread.
  value += 0x9e3779b97f4a7c15ULL + seed;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::size_t>(value ^ (value >> 31));
}

std::string expected_text(const Parameter& param) {
  switch (param.kind) {
    case ParameterKind::Integer:
      return "an integer in [" + std::to_string(param.lo) + ", " + std::to_string(param.hi) + "]";
    case ParameterKind::Enumeration:
      return "a choice in [0, " + std::to_string(param.hi) + "]";
    case ParameterKind::Boolean:
      return "0 or 1";
    case ParameterKind::Permutation:
      return "a permutation of 0.." + std::to_string(param.hi);
  }
  return "a value";
}

bool is_permutation_of(const nlohmann::json& json, int size, std::vector<int>& out) {
  if (!json.is_array() || json.size() != static_cast<std::size_t>(size)) return false;
  std::vector<bool> seen(static_cast<std::size_t>(size), false);
  out.clear();
  for (const nlohmann::json& item : json) {
    if (!item.is_number_integer()) return false;
    std::int64_t v = item.get<std::int64_t>();
    if (v < 0 || v >= size || seen[static_cast<std::size_t>(v)]) return false;
    seen[static_cast<std::size_t>(v)] = true;
    out.push_back(static_cast<int>(v));
  }
  return true;
}

}  // namespace

std::size_t Configuration::hash() const {
  std::size_t h = mix(0, values.size());
  for (const Value& value : values) {
    if (const auto* scalar = std::get_if<std::int64_t>(&value)) {
      h = mix(h, static_cast<std::uint64_t>(*scalar));
      continue;
    }
    const auto& items = std::get<std::vector<int>>(value);
    h = mix(h, 0xfeedULL + items.size());
    for (int item : items) h = mix(h, static_cast<std::uint64_t>(item));
  }
  return h;
}

nlohmann::json Configuration::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const Value& value : values) {
    if (const auto* scalar = std::get_if<std::int64_t>(&value)) {
      out.push_back(*scalar);
    } else {
      out.push_back(std::get<std::vector<int>>(value));
    }
  }
  return out;
}

std::optional<Configuration> Configuration::from_json(const nlohmann::json& json,
                                                      const std::vector<Parameter>& space,
                                                      std::string* error) {
  auto fail = [&](std::string message) -> std::optional<Configuration> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  if (!json.is_array() || json.size() != space.size()) {
    return fail("configuration: got " + json.dump() + ", expected an array of " +
                std::to_string(space.size()) + " values");
  }
  Configuration config;
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& param = space[i];
    const nlohmann::json& item = json[i];
    auto mismatch = [&] {
      return fail("value " + std::to_string(i) + " of parameter '" + param.name + "': got " +
                  item.dump() + ", expected " + expected_text(param));
    };
    if (param.kind == ParameterKind::Permutation) {
      std::vector<int> items;
      if (!is_permutation_of(item, param.size(), items)) return mismatch();
      config.values.emplace_back(std::move(items));
      continue;
    }
    if (!item.is_number_integer()) return mismatch();
    std::int64_t v = item.get<std::int64_t>();
    if (v < param.lo || v > param.hi) return mismatch();
    config.values.emplace_back(v);
  }
  return config;
}

}  // namespace mapforge::search::opentuner
