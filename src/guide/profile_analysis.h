// Profile analysis for AutoGuide (DESIGN.md §5): reads the simulator's JSON profile (the format in
// src/sim/README.md) and names the dominant costs with numbers, relates each to the mapping
// decision that caused it and, at the suggest level, proposes the edit as concrete DSL statements.
#pragma once

#include <string_view>
#include <vector>

#include "guide/guide.h"

namespace mapforge::guide {

/// Category::Performance records, most important first (at most 8), trimmed to `level`:
/// execution gives fact and fields, explain adds the explanation, suggest adds suggestion,
/// statement_kind and statements. Never throws: malformed input gives one honest record,
/// a valid profile with nothing notable gives none. Deterministic.
std::vector<Record> analyze_profile(std::string_view profile_json, Level level);

}  // namespace mapforge::guide
