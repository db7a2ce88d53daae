#include "search/llm/sections.h"

#include <cstddef>

namespace mapforge::search::llm {
namespace {

struct SectionInfo {
  Section section;
  std::string_view name;
  std::string_view constraint;
};

constexpr std::array<SectionInfo, kNumSections> kSectionInfo = {{
    {Section::TaskPlacement, "task_placement",
     "`Task` statements (processor-kind priority list per task) and "
     "`ControlReplicate` statements; nothing else"},
    {Section::RegionMemory, "region_memory",
     "`Region` statements (memory-kind priority list per task, region argument and processor "
     "kind) and `CollectMemory` statements; nothing else"},
    {Section::Layout, "layout", "`Layout` statements (instance layout constraints); nothing else"},
    {Section::InstanceLimit, "instance_limit",
     "`InstanceLimit` statements (at most N mapped-but-unfinished instances of a task per "
     "node); nothing else"},
    {Section::IndexTaskMap, "index_task_map",
     "every global assignment (e.g. `mgpu = Machine(GPU);`) and every `def` function of the "
     "policy, then `IndexTaskMap` statements; functions used by `SingleTaskMap` are defined "
     "here too; a function must be defined before the statement that names it"},
    {Section::SingleTaskMap, "single_task_map",
     "`SingleTaskMap` statements naming functions defined in index_task_map; nothing else"},
}};

struct KeywordSection {
  std::string_view keyword;
  Section section;
};

constexpr std::array<KeywordSection, 8> kKeywordSections = {{
    {"Task", Section::TaskPlacement},
    {"ControlReplicate", Section::TaskPlacement},
    {"Region", Section::RegionMemory},
    {"CollectMemory", Section::RegionMemory},
    {"Layout", Section::Layout},
    {"InstanceLimit", Section::InstanceLimit},
    {"IndexTaskMap", Section::IndexTaskMap},
    {"SingleTaskMap", Section::SingleTaskMap},
}};

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

/// Reads a policy's text one lexical unit at a time, the way the language's lexer does for
/// comments and strings (both end at the end of a line at the latest).
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  std::size_t pos() const { return pos_; }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void advance() { ++pos_; }
  bool at_comment() const { return peek() == '#' || (peek() == '/' && peek(1) == '/'); }

  /// Moves past a comment; returns where it ends (the end of its line, newline excluded).
  std::size_t skip_comment() {
    std::size_t end = text_.find('\n', pos_);
    pos_ = end == std::string_view::npos ? text_.size() : end;
    return pos_;
  }
  void skip_string() {
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n') ++pos_;
      ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == '"') ++pos_;
  }
  std::string_view word() const {
    std::size_t end = pos_;
    while (end < text_.size() && is_ident_char(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }
  /// What follows the word at the cursor: an assignment when it is `=` but not `==`.
  bool word_is_assigned() const {
    std::size_t i = pos_ + word().size();
    while (i < text_.size() && is_blank(text_[i])) ++i;
    return i < text_.size() && text_[i] == '=' && (i + 1 >= text_.size() || text_[i + 1] != '=');
  }

  /// Moves past one statement starting at the cursor; returns its end (exclusive). A `def`
  /// ends at the brace closing its body (or at a `;` before any brace: broken syntax kept
  /// whole); anything else at the first `;` at brace depth 0. Unbalanced text runs to the end.
  std::size_t skip_statement(bool is_def) {
    int depth = 0;
    bool opened = false;
    std::size_t last_token_end = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (is_blank(c)) {
        ++pos_;
        continue;
      }
      if (at_comment()) {
        skip_comment();
        continue;
      }
      if (c == '"') {
        skip_string();
        last_token_end = pos_;
        continue;
      }
      ++pos_;
      last_token_end = pos_;
      if (c == '{') {
        ++depth;
        opened = true;
      } else if (c == '}') {
        if (depth > 0) --depth;
        if (is_def && opened && depth == 0) return pos_;
      } else if (c == ';' && depth == 0 && (!is_def || !opened)) {
        return pos_;
      }
    }
    return last_token_end;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  Section section = Section::IndexTaskMap;
  std::string keyword;
};

void classify(Scanner& scanner, Span& span) {
  std::string_view word = scanner.word();
  for (const auto& entry : kKeywordSections) {
    if (word == entry.keyword) {
      span.section = entry.section;
      span.keyword = std::string(word);
      return;
    }
  }
  span.section = Section::IndexTaskMap;
  if (word == "def" || word == "print")
    span.keyword = std::string(word);
  else if (!word.empty() && scanner.word_is_assigned())
    span.keyword = "=";
}

bool has_newline(std::string_view text, std::size_t from, std::size_t to) {
  return text.substr(from, to - from).find('\n') != std::string_view::npos;
}

std::string trim_right(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0 && is_blank(text[end - 1])) --end;
  return std::string(text.substr(0, end));
}

}  // namespace

std::string_view section_name(Section section) {
  return kSectionInfo[static_cast<int>(section)].name;
}

std::optional<Section> parse_section_name(std::string_view name) {
  for (const auto& info : kSectionInfo)
    if (info.name == name) return info.section;
  return std::nullopt;
}

std::string_view section_constraint(Section section) {
  return kSectionInfo[static_cast<int>(section)].constraint;
}

std::vector<PolicyItem> scan_items(std::string_view policy) {
  std::vector<Span> spans;
  std::optional<std::size_t> comments_begin;  // own-line comments waiting for their statement
  std::size_t comments_end = 0;
  Scanner scanner(policy);
  while (!scanner.at_end()) {
    if (is_blank(scanner.peek())) {
      scanner.advance();
      continue;
    }
    std::size_t start = scanner.pos();
    if (scanner.at_comment()) {
      std::size_t end = scanner.skip_comment();
      bool trailing =
          !spans.empty() && !comments_begin && !has_newline(policy, spans.back().end, start);
      if (trailing) {
        spans.back().end = end;
        continue;
      }
      if (!comments_begin) comments_begin = start;
      comments_end = end;
      continue;
    }
    Span span;
    classify(scanner, span);
    span.begin = comments_begin.value_or(start);
    comments_begin.reset();
    span.end = scanner.skip_statement(span.keyword == "def");
    spans.push_back(std::move(span));
  }
  if (comments_begin) {
    if (spans.empty()) {
      spans.push_back(Span{*comments_begin, comments_end, Section::TaskPlacement, "#"});
    } else {
      spans.back().end = comments_end;
    }
  }
  std::vector<PolicyItem> items;
  items.reserve(spans.size());
  for (const auto& span : spans)
    items.push_back(PolicyItem{span.section, span.keyword,
                               trim_right(policy.substr(span.begin, span.end - span.begin))});
  return items;
}

Sections split_sections(std::string_view policy) {
  Sections sections;
  for (const auto& item : scan_items(policy)) {
    std::string& text = sections[static_cast<int>(item.section)];
    bool set_apart =
        item.keyword == "def" || item.text.front() == '#' || item.text.starts_with("//");
    if (!text.empty() && (set_apart || text.ends_with("}\n"))) text += '\n';
    text += item.text;
    text += '\n';
  }
  return sections;
}

std::string join_sections(const Sections& sections) {
  std::string policy;
  for (const auto& text : sections) {
    std::string body = trim_right(text);
    std::size_t first = 0;
    while (first < body.size() && is_blank(body[first])) ++first;
    if (first == body.size()) continue;
    if (!policy.empty()) policy += '\n';
    policy.append(body, first);
    policy += '\n';
  }
  return policy;
}

}  // namespace mapforge::search::llm
