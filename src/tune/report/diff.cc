// diff_lines: a line-based LCS diff (report.h).
#include <algorithm>
#include <cstdint>

#include "tune/report/report.h"

namespace mapforge::tune {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// Above this many table cells the middle part is diffed coarsely (all removed, then all added).
constexpr std::size_t kMaxCells = std::size_t{16} << 20;

}  // namespace

std::vector<DiffLine> diff_lines(std::string_view from, std::string_view to) {
  std::vector<std::string_view> a = split_lines(from), b = split_lines(to);
  std::vector<DiffLine> out;
  // The common prefix and suffix need no table.
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  for (std::size_t i = 0; i < prefix; ++i) out.push_back({DiffKind::Same, std::string(a[i])});

  const std::size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;
  auto A = [&](std::size_t i) { return a[prefix + i]; };
  auto B = [&](std::size_t j) { return b[prefix + j]; };
  if (n > 0 && m > 0 && n * m <= kMaxCells) {
    // lcs[i][j]: the LCS length of A[i..] and B[j..].
    const std::size_t width = m + 1;
    std::vector<std::uint32_t> lcs((n + 1) * width, 0);
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;)
        lcs[i * width + j] = A(i) == B(j)
                                 ? lcs[(i + 1) * width + j + 1] + 1
                                 : std::max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n && j < m) {
      if (A(i) == B(j)) {
        out.push_back({DiffKind::Same, std::string(A(i))});
        ++i, ++j;
      } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
        out.push_back({DiffKind::Removed, std::string(A(i))});
        ++i;
      } else {
        out.push_back({DiffKind::Added, std::string(B(j))});
        ++j;
      }
    }
    for (; i < n; ++i) out.push_back({DiffKind::Removed, std::string(A(i))});
    for (; j < m; ++j) out.push_back({DiffKind::Added, std::string(B(j))});
  } else {
    for (std::size_t i = 0; i < n; ++i) out.push_back({DiffKind::Removed, std::string(A(i))});
    for (std::size_t j = 0; j < m; ++j) out.push_back({DiffKind::Added, std::string(B(j))});
  }
  for (std::size_t k = b.size() - suffix; k < b.size(); ++k)
    out.push_back({DiffKind::Same, std::string(b[k])});
  return out;
}

}  // namespace mapforge::tune
