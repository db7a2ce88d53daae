// Locating offsets, rendering diagnostics (file:line:col, source line, caret, hint) and
// suggesting the closest name.
#include <algorithm>
#include <cctype>
#include <limits>

#include "dsl/source.h"

namespace mapforge::dsl {
namespace {

// Long lines (a 4 MB one-line file) are shown as a window around the column.
constexpr std::size_t kSnippetBefore = 60;
constexpr std::size_t kSnippetWidth = 140;

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if (!is_continuation(static_cast<unsigned char>(text[i + k]))) return 0;
  return n;
}

}  // namespace

Source::Source(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(static_cast<Offset>(i + 1));
}

std::uint32_t Source::line_of(Offset offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<std::uint32_t>(it - line_starts_.begin());
}

Location Source::location(Offset offset) const {
  std::uint32_t line = line_of(offset);
  return Location{name_, line, offset - line_starts_[line - 1] + 1};
}

Diagnostic Source::diagnose(Severity severity, Offset offset, std::string message,
                            std::string hint) const {
  offset = std::min<Offset>(offset, static_cast<Offset>(text_.size()));
  Diagnostic d;
  d.severity = severity;
  d.loc = location(offset);
  d.message = std::move(message);
  d.hint = std::move(hint);
  std::size_t start = line_starts_[d.loc.line - 1];
  std::size_t end = text_.find('\n', start);
  if (end == std::string::npos) end = text_.size();
  std::size_t column = offset - start;
  std::string prefix, suffix;
  if (end - start > kSnippetWidth) {
    std::size_t from = column > kSnippetBefore ? column - kSnippetBefore : 0;
    std::size_t to = std::min(end - start, from + kSnippetWidth);
    while (from > 0 && is_continuation(static_cast<unsigned char>(text_[start + from]))) --from;
    if (from > 0) prefix = "...";
    if (to < end - start) suffix = "...";
    column -= from;
    start += from;
    end = start + (to - (from));
    end = std::min(end, text_.size());
  }
  // Control bytes and invalid UTF-8 show as one `?` per byte; the caret counts characters.
  std::string_view line(text_.data() + start, end - start);
  std::string shown;
  std::size_t caret = 0;
  for (std::size_t i = 0; i < line.size();) {
    std::size_t n = utf8_length(line, i);
    const auto c = static_cast<unsigned char>(line[i]);
    bool keep = n > 1 || (n == 1 && (c == '\t' || (c >= 0x20 && c != 0x7F)));
    if (i < column) ++caret;
    if (keep) {
      shown.append(line.substr(i, n));
      i += n;
    } else {
      shown.push_back('?');
      ++i;
    }
  }
  d.snippet = prefix + shown + suffix;
  d.caret = prefix.size() + caret;
  return d;
}

Diagnostic file_diagnostic(const std::string& file, std::string message) {
  Diagnostic d;
  d.loc = Location{file, 0, 0};
  d.message = std::move(message);
  return d;
}

Diagnostic too_large_diagnostic(const std::string& file, std::size_t size) {
  return file_diagnostic(file, "file is too large (" + std::to_string(size) +
                                   " bytes; policy files are limited to " +
                                   std::to_string(kMaxSourceBytes) + " bytes)");
}

std::string Diagnostic::render() const {
  std::string out = loc.file;
  if (loc.line > 0) out += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
  out += severity == Severity::Error ? ": error: " : ": warning: ";
  out += message;
  out += '\n';
  if (loc.line > 0) {
    out += snippet;
    out += '\n';
    // Reproduce tabs so the caret lines up with the character above it.
    std::size_t shown = 0;
    for (std::size_t i = 0; i < snippet.size() && shown < caret;) {
      std::size_t n = utf8_length(snippet, i);
      out += snippet[i] == '\t' ? '\t' : ' ';
      i += n == 0 ? 1 : n;
      ++shown;
    }
    out += "^\n";
  }
  if (!hint.empty()) out += "hint: " + hint + "\n";
  return out;
}

std::string render_all(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += d.render();
  return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
  std::vector<std::vector<std::size_t>> d;
  for (const auto& candidate : candidates) {
    if (candidate.size() > word.size() + 3 || word.size() > candidate.size() + 3) continue;
    // Edit distance with adjacent transpositions ("Taks" is one edit from "Task").
    d.assign(word.size() + 1, std::vector<std::size_t>(candidate.size() + 1, 0));
    for (std::size_t i = 0; i <= word.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= candidate.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      for (std::size_t j = 1; j <= candidate.size(); ++j) {
        std::size_t cost = lower(word[i - 1]) == lower(candidate[j - 1]) ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && lower(word[i - 1]) == lower(candidate[j - 2]) &&
            lower(word[i - 2]) == lower(candidate[j - 1]))
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    std::size_t distance = d[word.size()][candidate.size()];
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  // Suggest only plausible typos: at most a third of the word changed (at least one edit).
  if (best_distance == 0 || best_distance > std::max<std::size_t>(1, word.size() / 3)) return {};
  return best;
}

}  // namespace mapforge::dsl
