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

/// Replaces the first whole-word occurrence of `word` in `line`; "" when absent.
std::string replace_word(std::string_view line, std::string_view word, std::string_view with) {
  for (std::size_t at = line.find(word); at != std::string_view::npos; at = line.find(word, at + 1)) {
    bool starts = at == 0 || !is_identifier_char(line[at - 1]);
    std::size_t end = at + word.size();
    bool ends = end == line.size() || !is_identifier_char(line[end]);
    if (starts && ends)
      return std::string(line.substr(0, at)) + std::string(with) + std::string(line.substr(end));
  }
  return "";
}

/// `InstanceLimit t 0;` -> `InstanceLimit t 1;` (the limit is the last number).
void instance_limit_one(Fields& fields) {
  const std::string* source = find_field(fields, "source");
  const std::string* limit = find_field(fields, "limit");
  if (!source || !limit) return;
  std::string_view line = trim(*source);
  std::size_t at = line.rfind(*limit);
  if (at == std::string_view::npos) return;
  fields["fixed_source"] = std::string(line.substr(0, at)) + "1" +
                           std::string(line.substr(at + limit->size()));
}

/// `Layout * * * SOA AOS;` -> keep_first `Layout * * * SOA;`, keep_second `Layout * * * AOS;`.
void drop_conflict(Fields& fields) {
  const std::string* source = find_field(fields, "source");
  const std::string* first = find_field(fields, "first");
  const std::string* second = find_field(fields, "second");
  if (!source || !first || !second) return;
  std::string_view line = trim(*source);
  auto without = [&](const std::string& word) {
    std::string text = replace_word(line, word, "");
    for (std::size_t at = text.find("  "); at != std::string::npos; at = text.find("  "))
      text.erase(at, 1);
    for (std::size_t at = text.find(" ;"); at != std::string::npos; at = text.find(" ;"))
      text.erase(at, 1);
    return text;
  };
  std::string keep_first = without(*second), keep_second = without(*first);
  if (!keep_first.empty()) fields["keep_first"] = keep_first;
  if (!keep_second.empty()) fields["keep_second"] = keep_second;
}

/// The source line with `bad` replaced by the hint's `did_you_mean`.
void replace_bad(Fields& fields) {
  const std::string* source = find_field(fields, "source");
  const std::string* bad = find_field(fields, "bad");
  const std::string* good = find_field(fields, "did_you_mean");
  if (!source || !bad || !good) return;
  std::string fixed = replace_word(trim(*source), *bad, *good);
  if (!fixed.empty()) fields["fixed_source"] = fixed;
}

struct Derivation {
  std::string_view name;
  void (*apply)(Fields&);
};
constexpr Derivation kDerivations[] = {{"wrap_index", wrap_index},
                                       {"brace_body", brace_body},
                                       {"machine_kind", machine_kind},
                                       {"other_kinds", other_kinds},
                                       {"instance_limit_one", instance_limit_one},
                                       {"drop_conflict", drop_conflict},
                                       {"replace_bad", replace_bad}};

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
    // Braces around text with spaces are the mapping language's own (a function body).
    if (placeholder.substr(0, placeholder.find('|')).find_first_of(" \t\n") !=
        std::string_view::npos) {
      out += '{';
      text.remove_prefix(open + 1);
      continue;
    }
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
