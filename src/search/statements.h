// Splitting policy text into its top-level statements, and the key that says which decision a
// statement makes (two statements with the same key: the later one wins, DSL.md §2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mapforge::search {

/// One top-level item of a policy: a statement ending in `;`, or a whole `def` with its body.
/// Comments directly above an item travel with it.
struct StatementText {
  std::string text;  // as written, trimmed, comments included
  std::string key;   // e.g. "Region * rp_ghost GPU", "def f", "= mgpu"; "" when unrecognised
};

/// Splits policy text at depth-0 `;` and at the closing brace of each `def`, respecting `#` and
/// `//` comments and strings. Text after the last item (a trailing comment) is dropped.
std::vector<StatementText> split_statements(std::string_view text);

/// The decision a statement makes: the keyword and its targets (not its values), with
/// whitespace normalised; `def NAME` for functions, `= NAME` for assignments.
std::string statement_key(std::string_view statement);

}  // namespace mapforge::search
