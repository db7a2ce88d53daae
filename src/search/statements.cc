#include "search/statements.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace mapforge::search {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

/// The statement without its comments, whitespace runs collapsed, no space around commas.
std::string code_only(std::string_view s) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < s.size())
        out += s[++i];
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    if (c == '#' || (c == '/' && i + 1 < s.size() && s[i + 1] == '/')) {
      while (i < s.size() && s[i] != '\n') ++i;
      out += ' ';
      continue;
    }
    out += is_space(c) ? ' ' : c;
  }
  std::string collapsed;
  for (char c : out) {
    if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ' || collapsed.back() == ','))
      continue;
    if (c == ',' && !collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
    collapsed += c;
  }
  return trim(collapsed);
}

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::vector<StatementText> split_statements(std::string_view text) {
  std::vector<StatementText> items;
  std::size_t start = 0;
  int depth = 0;
  bool in_string = false;
  bool saw_brace = false;  // a def: the item ends at the brace that closes its body
  auto emit = [&](std::size_t end) {
    std::string item = trim(text.substr(start, end - start));
    start = end;
    saw_brace = false;
    if (item.empty()) return;
    items.push_back({item, statement_key(item)});
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"' || c == '\n')
        in_string = false;
      continue;
    }
    if (c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/')) {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
      saw_brace = true;
    } else if (c == '}') {
      if (depth > 0) --depth;
      if (depth == 0 && saw_brace) emit(i + 1);
    } else if (c == ';' && depth == 0) {
      emit(i + 1);
    }
  }
  // Whatever follows the last item is kept only if it holds code (an unterminated statement).
  std::string rest = code_only(text.substr(start));
  if (!rest.empty()) emit(text.size());
  return items;
}

std::string statement_key(std::string_view statement) {
  std::string code = code_only(statement);
  if (!code.empty() && code.back() == ';') code.pop_back();
  std::istringstream words(code);
  std::vector<std::string> w;
  for (std::string word; words >> word;) w.push_back(word);
  if (w.empty()) return "";
  auto head = [&](std::size_t n) {
    std::string key;
    for (std::size_t i = 0; i < n && i < w.size(); ++i) key += (i ? " " : "") + w[i];
    return key;
  };
  const std::string& k = w[0];
  if (k == "Task" || k == "IndexTaskMap" || k == "SingleTaskMap") return head(2);
  if (k == "Region" || k == "Layout") return head(4);
  if (k == "CollectMemory") return head(3);
  if (k == "InstanceLimit") return head(w.size() >= 4 ? 3 : 2);
  if (k == "ControlReplicate") return "ControlReplicate";
  if (k == "def") {
    std::string name;
    for (char c : std::string_view(code).substr(std::min<std::size_t>(4, code.size()))) {
      if (!is_ident_char(c)) break;
      name += c;
    }
    return "def " + name;
  }
  // An assignment: NAME = ...
  std::size_t n = 0;
  while (n < code.size() && is_ident_char(code[n])) ++n;
  std::size_t eq = code.find_first_not_of(' ', n);
  if (n > 0 && eq != std::string::npos && code[eq] == '=' &&
      (eq + 1 >= code.size() || code[eq + 1] != '='))
    return "= " + code.substr(0, n);
  return "";
}

}  // namespace mapforge::search
