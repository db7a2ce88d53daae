// The static checker: binds names, infers value types and reports every static error of
// DSL.md §5 (and warnings for unknown tasks and regions when the application is known).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "dsl/program.h"

namespace mapforge::dsl {

/// Checks `program` (already parsed) in place, binding names; appends diagnostics. Names in
/// `unparsed` belong to statements that failed to parse: their uses are not reported undefined.
void check_program(Program& program, const CheckOptions& options,
                   std::vector<Diagnostic>& diagnostics,
                   const std::set<std::string>& unparsed = {});

/// Binds the names of a stand-alone expression (for `--eval`) against a checked program's
/// globals and functions; returns the number of local slots it needs.
std::int32_t check_expression(const Program& program, Expr& expr,
                              std::vector<Diagnostic>& diagnostics, const Source& source);

}  // namespace mapforge::dsl
