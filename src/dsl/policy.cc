// Loading and checking policy files: the entry points of the public API that work on text.
#include <algorithm>

#include "dsl/checker.h"
#include "dsl/parser.h"
#include "dsl/program.h"

namespace mapforge::dsl {
namespace {

/// Parses and checks into a program; every diagnostic (errors and warnings) goes to `out`.
std::shared_ptr<Program> build(std::string file, std::string_view text, const CheckOptions& options,
                               std::vector<Diagnostic>& out) {
  if (text.size() > kMaxSourceBytes) {
    out.push_back(too_large_diagnostic(file, text.size()));
    return nullptr;
  }
  auto program = std::make_shared<Program>(Source(std::move(file), std::string(text)));
  ParsedFile parsed = parse(program->source);
  out = std::move(parsed.errors);
  program->statements = std::move(parsed.statements);
  program->comments = std::move(parsed.comments);
  // After syntax errors the statements that parsed are still checked, so that every error in
  // the file is reported at once.
  if (out.size() < kMaxDiagnostics) check_program(*program, options, out, parsed.unparsed_names);
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    auto key = [](const Diagnostic& d) {
      return std::pair(d.loc.line == 0 ? UINT32_MAX : d.loc.line, d.loc.col);
    };
    return key(a) < key(b);
  });
  return program;
}

}  // namespace

std::vector<Diagnostic> check(std::string file, std::string_view text,
                              const CheckOptions& options) {
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
