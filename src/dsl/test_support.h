// Helpers shared by the dsl tests: compact views of diagnostics and a mapper on a small machine.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dsl/dsl.h"

namespace mapforge::dsl::testing {

/// "line:col: error: message" for each diagnostic, in order.
inline std::vector<std::string> brief(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics)
    out.push_back(std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) +
                  (d.severity == Severity::Error ? ": error: " : ": warning: ") + d.message);
  return out;
}

inline std::vector<std::string> check_brief(std::string_view text,
                                            const CheckOptions& options = {}) {
  return brief(check("p.map", text, options));
}

/// A policy bound to `shape`; fails the test if the policy does not load.
inline Mapper load_mapper(std::string_view text, const MachineShape& shape, PrintSink print = {}) {
  auto policy = Policy::load("p.map", text);
  if (!policy.ok()) {
    ADD_FAILURE() << render_all(policy.errors());
    std::abort();
  }
  auto mapper = Mapper::create(policy.value(), shape, std::move(print));
  if (!mapper.ok()) {
    ADD_FAILURE() << render_all(mapper.errors());
    std::abort();
  }
  return std::move(mapper.value());
}

}  // namespace mapforge::dsl::testing
