// Fields computed from matched fields (a rule lists them under "derive"), and template expansion.
// Private to the guide module.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mapforge::guide {

using Fields = std::map<std::string, std::string>;

/// Whether `name` is a known derivation (derive.cc lists them with what each computes).
bool is_derivation(std::string_view name);
/// Adds the derived fields it can compute; leaves `fields` as it was where it cannot.
void derive(std::string_view name, Fields& fields);

/// Expands `{name}` placeholders; `{a|b|=text}` takes the first field present, `=text` being a
/// literal. nullopt when a placeholder cannot be filled.
std::optional<std::string> expand(std::string_view text, const Fields& fields);
/// As expand, but an unfilled placeholder reads `<a>` (for explanations and suggestions).
std::string expand_lenient(std::string_view text, const Fields& fields);

}  // namespace mapforge::guide
