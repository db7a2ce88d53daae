// The parser: tokens to statements, with every syntax error located and recovery at statement
// boundaries so that one mistake does not hide the next.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "dsl/ast.h"
#include "dsl/lexer.h"

namespace mapforge::dsl {

struct ParsedFile {
  std::vector<Stmt> statements;
  std::vector<Comment> comments;
  std::vector<Diagnostic> errors;        // lexical and syntax errors, in order
  std::set<std::string> unparsed_names;  // names defined by statements that failed to parse
};

ParsedFile parse(const Source& source);

/// Parses one expression (for `--eval`); syntax errors in `errors`.
ExprPtr parse_expression(const Source& source, std::vector<Diagnostic>& errors);

/// Statement and language keywords, which cannot name variables or functions.
bool is_keyword(std::string_view word);

}  // namespace mapforge::dsl
