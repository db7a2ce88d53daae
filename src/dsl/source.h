// A named source text with offset-to-location translation and diagnostic construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/dsl.h"

namespace mapforge::dsl {

using Offset = std::uint32_t;

/// After this many diagnostics in one file the rest are dropped and checking stops.
inline constexpr std::size_t kMaxDiagnostics = 50;

class Source {
 public:
  Source(std::string name, std::string text);
  const std::string& name() const { return name_; }
  std::string_view text() const { return text_; }
  std::uint32_t line_of(Offset offset) const;
  Location location(Offset offset) const;
  Diagnostic diagnose(Severity severity, Offset offset, std::string message,
                      std::string hint = {}) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<Offset> line_starts_;
};

/// A diagnostic for a whole file (no line), e.g. one that is too large to read.
Diagnostic file_diagnostic(const std::string& file, std::string message);

/// The diagnostic for a file over kMaxSourceBytes.
Diagnostic too_large_diagnostic(const std::string& file, std::size_t size);

/// The closest candidate to `word` by edit distance, when it is close enough to suggest.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace mapforge::dsl
