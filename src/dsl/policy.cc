// Loading and checking policy files: the entry points of the public API that work on text.
#include "dsl/checker.h"
#include "dsl/parser.h"
#include "dsl/program.h"

namespace mapforge::dsl {
namespace {

/// Parses and checks into a program; every diagnostic (errors and warnings) goes to `out`.
std::shared_ptr<Program> build(std::string file, std::string_view text,
                               const CheckOptions& options, std::vector<Diagnostic>& out) {
  if (text.size() > kMaxSourceBytes) {
    out.push_back(too_large_diagnostic(file, text.size()));
    return nullptr;
  }
  auto program = std::make_shared<Program>(Source(std::move(file), std::string(text)));
  ParsedFile parsed = parse(program->source);
  out = std::move(parsed.errors);
  program->statements = std::move(parsed.statements);
  program->comments = std::move(parsed.comments);
  // Names are only checked in a file that parsed, so one syntax error does not cascade.
  if (!has_errors(out)) check_program(*program, options, out);
  return program;
}

}  // namespace

std::vector<Diagnostic> check(std::string file, std::string_view text, const CheckOptions& options) {
  std::vector<Diagnostic> diagnostics;
  build(std::move(file), text, options, diagnostics);
  return diagnostics;
}

Result<Policy> Policy::load(std::string file, std::string_view text, const CheckOptions& options) {
  std::vector<Diagnostic> diagnostics;
  auto program = build(std::move(file), text, options, diagnostics);
  if (!program || has_errors(diagnostics)) {
    std::vector<Diagnostic> errors;
    for (auto& d : diagnostics)
      if (d.severity == Severity::Error) errors.push_back(std::move(d));
    return errors;
  }
  Policy policy;
  policy.program_ = std::move(program);
  policy.warnings_ = std::move(diagnostics);
  return policy;
}

}  // namespace mapforge::dsl
