// A checked program: the statements with every name bound, plus the tables the evaluator needs.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "dsl/ast.h"
#include "dsl/lexer.h"
#include "dsl/source.h"

namespace mapforge::dsl {

struct Program {
  explicit Program(Source src) : source(std::move(src)) {}
  Source source;
  std::vector<Stmt> statements;
  std::vector<Comment> comments;
  std::vector<std::string> global_names;  // by global slot
  std::int32_t top_level_locals = 0;      // generator variables outside functions
  std::vector<const DefStmt*> functions;  // by function index
  std::unordered_map<std::string, std::int32_t> function_index;
};

}  // namespace mapforge::dsl
