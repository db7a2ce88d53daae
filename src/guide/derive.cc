#include "guide/derive.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace mapforge::guide {
namespace {

const std::string* find_field(const Fields& fields, std::string_view name) {
  auto it = fields.find(std::string(name));
  return it == fields.end() || it->second.empty() ? nullptr : &it->second;
}

std::optional<std::size_t> to_index(const std::string* text) {
  std::size_t value = 0;
  if (!text) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
  return value;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_simple(std::string_view expression) {
  return std::all_of(expression.begin(), expression.end(),
                     [](char c) { return is_identifier_char(c) || c == '.'; });
}

/// `m[a, b + 1]` with the caret on `[` and dimension 1 -> `m[a, (b + 1) % m.size[1]]`.
void wrap_index(Fields& fields) {
  const std::string* source = find_field(fields, "source");
  auto col = to_index(find_field(fields, "col"));
  auto dimension = to_index(find_field(fields, "dimension"));
  if (!source || !col || !dimension || *col == 0) return;
  const std::string& line = *source;
  std::size_t open = line.find('[', *col - 1);
  if (open == std::string::npos || open == 0) return;
  std::size_t name_end = open, name_begin = open;
  while (name_begin > 0 && is_identifier_char(line[name_begin - 1])) --name_begin;
  if (name_begin == name_end) return;
  std::string machine = line.substr(name_begin, name_end - name_begin);
  // The top-level items between the brackets.
  std::vector<std::pair<std::size_t, std::size_t>> items;
  int depth = 0;
  std::size_t start = open + 1, close = std::string::npos;
  for (std::size_t i = open + 1; i < line.size() && close == std::string::npos; ++i) {
    char c = line[i];
    if (c == '[' || c == '(') ++depth;
    if ((c == ']' || c == ')') && depth > 0) {
      --depth;
      continue;
    }
    if (depth == 0 && (c == ',' || c == ']')) {
      items.emplace_back(start, i);
      start = i + 1;
      if (c == ']') close = i;
    }
  }
  if (close == std::string::npos || *dimension >= items.size()) return;
  std::size_t begin = items[*dimension].first, end = items[*dimension].second;
  std::string_view item = trim(std::string_view(line).substr(begin, end - begin));
  if (item.empty() || item == "*") return;
  std::size_t item_begin = line.find(item.front(), begin);
  std::size_t item_end = item_begin + item.size();
  std::string wrapped = is_simple(item) ? std::string(item) : "(" + std::string(item) + ")";
  wrapped += " % " + machine + ".size[" + std::to_string(*dimension) + "]";
  std::string fixed = line.substr(0, item_begin) + wrapped + line.substr(item_end);
  fields["fixed_source"] = std::string(trim(fixed));
  fields["machine"] = machine;
}

/// `def f(Task task):` -> `def f(Task task) {`.
void brace_body(Fields& fields) {
  const std::string* source = find_field(fields, "source");
  if (!source) return;
  std::string_view line = trim(*source);
  std::size_t colon = line.rfind(':');
  if (colon == std::string_view::npos || line.substr(0, 4) != "def ") return;
  fields["fixed_source"] = std::string(trim(line.substr(0, colon))) + " {";
}

/// A machine's name says its kind: `mgpu` -> GPU.
void machine_kind(Fields& fields) {
  const std::string* name = find_field(fields, "name");
  if (!name) return;
  std::string lower = *name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  for (std::string_view kind : {"gpu", "omp", "cpu"}) {
    if (lower.find(kind) == std::string::npos) continue;
    std::string upper(kind);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    fields["kind"] = upper;
    return;
  }
}

/// The processor kinds to try instead of `proc_kind`, fastest first.
void other_kinds(Fields& fields) {
  const std::string* kind = find_field(fields, "proc_kind");
  if (!kind) return;
  std::string others;
  for (std::string_view candidate : {"GPU", "OMP", "CPU"})
    if (candidate != *kind) others += (others.empty() ? "" : ",") + std::string(candidate);
  fields["other_kinds"] = others;
}

struct Derivation {
  std::string_view name;
  void (*apply)(Fields&);
};
constexpr Derivation kDerivations[] = {{"wrap_index", wrap_index},
                                       {"brace_body", brace_body},
                                       {"machine_kind", machine_kind},
                                       {"other_kinds", other_kinds}};

std::optional<std::string> resolve(std::string_view placeholder, const Fields& fields) {
  while (true) {
    std::size_t bar = placeholder.find('|');
    std::string_view choice = placeholder.substr(0, bar);
    if (!choice.empty() && choice.front() == '=') return std::string(choice.substr(1));
    if (const std::string* value = find_field(fields, choice)) return *value;
    if (bar == std::string_view::npos) return std::nullopt;
    placeholder.remove_prefix(bar + 1);
  }
}

template <typename OnMissing>
std::optional<std::string> expand_with(std::string_view text, const Fields& fields,
                                       OnMissing on_missing) {
  std::string out;
  while (!text.empty()) {
    std::size_t open = text.find('{');
    std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out += text;
      break;
    }
    out += text.substr(0, open);
    std::string_view placeholder = text.substr(open + 1, close - open - 1);
    auto value = resolve(placeholder, fields);
    if (!value) value = on_missing(placeholder);
    if (!value) return std::nullopt;
    out += *value;
    text.remove_prefix(close + 1);
  }
  return out;
}

}  // namespace

bool is_derivation(std::string_view name) {
  return std::any_of(std::begin(kDerivations), std::end(kDerivations),
                     [&](const Derivation& d) { return d.name == name; });
}

void derive(std::string_view name, Fields& fields) {
  for (const Derivation& d : kDerivations)
    if (d.name == name) d.apply(fields);
}

std::optional<std::string> expand(std::string_view text, const Fields& fields) {
  return expand_with(text, fields, [](std::string_view) { return std::optional<std::string>(); });
}

std::string expand_lenient(std::string_view text, const Fields& fields) {
  return *expand_with(text, fields, [](std::string_view placeholder) {
    return std::optional<std::string>("<" + std::string(placeholder.substr(0, placeholder.find('|'))) + ">");
  });
}

}  // namespace mapforge::guide
