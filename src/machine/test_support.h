// Test helpers shared by the machine module's tests: edit a valid machine file and collect the
// rendered errors of loading it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "machine/machine.h"

namespace mapforge::machine::testing {

/// A built-in profile's canonical JSON text.
inline std::string builtin_text(const std::string& name) {
  LoadResult result = builtin_machine(name);
  EXPECT_TRUE(result.ok()) << render_all(result.ok() ? std::vector<LoadError>{} : result.errors());
  return result.ok() ? to_json(result.value()) : std::string();
}

/// p100-node (it has every processor, memory and channel kind) with `edit` applied.
inline std::string edited(const std::function<void(nlohmann::ordered_json&)>& edit,
                          const std::string& base = "p100-node") {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(builtin_text(base));
  edit(j);
  return j.dump(2);
}

/// The rendered errors of loading `text` as "my.json" (empty when it loads).
inline std::vector<std::string> errors_of(const std::string& text) {
  LoadResult result = load_machine(text, "my.json");
  std::vector<std::string> rendered;
  if (result.ok()) return rendered;
  for (const LoadError& error : result.errors()) rendered.push_back(error.render());
  return rendered;
}

/// A source-carrying number as the schema writes it.
inline nlohmann::ordered_json sourced(double value, const std::string& source = "test") {
  return {{"value", value}, {"source", source}};
}

}  // namespace mapforge::machine::testing
