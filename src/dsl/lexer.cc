#include "dsl/lexer.h"

#include <array>
#include <cstdio>

namespace mapforge::dsl {
namespace {

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

struct Punct {
  std::string_view spelling;
  Tok kind;
};
// Two-character operators first so that "<=" is not read as "<" then "=".
constexpr std::array<Punct, 25> kPunct = {{
    {"==", Tok::EqEq},    {"!=", Tok::NotEq},   {"<=", Tok::Le},    {">=", Tok::Ge},
    {"&&", Tok::AndAnd},  {"||", Tok::OrOr},    {";", Tok::Semi},   {",", Tok::Comma},
    {"(", Tok::LParen},   {")", Tok::RParen},   {"{", Tok::LBrace}, {"}", Tok::RBrace},
    {"[", Tok::LBracket}, {"]", Tok::RBracket}, {".", Tok::Dot},    {":", Tok::Colon},
    {"?", Tok::Question}, {"+", Tok::Plus},     {"-", Tok::Minus},  {"*", Tok::Star},
    {"/", Tok::Slash},    {"%", Tok::Percent},  {"<", Tok::Lt},     {">", Tok::Gt},
    {"=", Tok::Assign},
}};

std::string byte_name(unsigned char c) {
  if (c >= 0x21 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", c);
  return std::string("byte ") + buffer;
}

}  // namespace

std::string_view describe(Tok kind) {
  switch (kind) {
    case Tok::End:
      return "end of file";
    case Tok::Ident:
      return "identifier";
    case Tok::Int:
      return "integer";
    case Tok::String:
      return "string";
    case Tok::Semi:
      return "';'";
    case Tok::Comma:
      return "','";
    case Tok::LParen:
      return "'('";
    case Tok::RParen:
      return "')'";
    case Tok::LBrace:
      return "'{'";
    case Tok::RBrace:
      return "'}'";
    case Tok::LBracket:
      return "'['";
    case Tok::RBracket:
      return "']'";
    case Tok::Dot:
      return "'.'";
    case Tok::Colon:
      return "':'";
    case Tok::Question:
      return "'?'";
    case Tok::Plus:
      return "'+'";
    case Tok::Minus:
      return "'-'";
    case Tok::Star:
      return "'*'";
    case Tok::Slash:
      return "'/'";
    case Tok::Percent:
      return "'%'";
    case Tok::EqEq:
      return "'=='";
    case Tok::NotEq:
      return "'!='";
    case Tok::Lt:
      return "'<'";
    case Tok::Gt:
      return "'>'";
    case Tok::Le:
      return "'<='";
    case Tok::Ge:
      return "'>='";
    case Tok::AndAnd:
      return "'&&'";
    case Tok::OrOr:
      return "'||'";
    case Tok::Assign:
      return "'='";
  }
  return "token";
}

Lexer::Lexer(const Source& source, std::vector<Diagnostic>& errors)
    : source_(source), text_(source.text()), errors_(errors) {}

void Lexer::error(std::size_t offset, std::string message, std::string hint) {
  if (errors_.size() >= kMaxDiagnostics) return;
  errors_.push_back(source_.diagnose(Severity::Error, static_cast<Offset>(offset),
                                     std::move(message), std::move(hint)));
}

Token Lexer::make(Tok kind, std::size_t start) const {
  return Token{kind, static_cast<Offset>(start), text_.substr(start, pos_ - start), 0};
}

void Lexer::skip_blanks_and_comments() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (is_blank(c)) {
      ++pos_;
      continue;
    }
    bool hash = c == '#';
    bool slashes = c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/';
    if (!hash && !slashes) return;
    std::size_t start = pos_;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    std::size_t line_start = text_.rfind('\n', start == 0 ? 0 : start - 1);
    line_start = (line_start == std::string_view::npos || start == 0) ? 0 : line_start + 1;
    bool own_line = true;
    for (std::size_t i = line_start; i < start; ++i)
      if (!is_blank(text_[i])) own_line = false;
    std::size_t trimmed = end;
    while (trimmed > start && is_blank(text_[trimmed - 1])) --trimmed;
    comments_.push_back(Comment{static_cast<Offset>(start),
                                std::string(text_.substr(start, trimmed - start)), own_line});
    pos_ = end;
  }
}

std::optional<Token> Lexer::lex_number() {
  std::size_t start = pos_;
  std::int64_t value = 0;
  bool overflow = false;
  while (pos_ < text_.size() && is_digit(text_[pos_])) {
    int digit = text_[pos_] - '0';
    if (value > (INT64_MAX - digit) / 10) overflow = true;
    if (!overflow) value = value * 10 + digit;
    ++pos_;
  }
  if (pos_ < text_.size() && is_ident_start(text_[pos_])) {
    while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
    error(start, "invalid number '" + std::string(text_.substr(start, pos_ - start)) + "'",
          "names start with a letter or '_'");
    return std::nullopt;
  }
  if (overflow) {
    error(start, "integer literal " + std::string(text_.substr(start, pos_ - start)) +
                     " does not fit in 64 bits");
    value = 0;
  }
  Token token = make(Tok::Int, start);
  token.value = value;
  return token;
}

Token Lexer::lex_string() {
  std::size_t start = pos_++;
  while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
    if (text_[pos_] == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n') ++pos_;
    ++pos_;
  }
  if (pos_ >= text_.size() || text_[pos_] != '"') {
    error(start, "unterminated string", "strings end with '\"' on the same line");
    return make(Tok::String, start);
  }
  ++pos_;
  return make(Tok::String, start);
}

Token Lexer::next() {
  for (;;) {
    if (auto token = lex_one()) return *token;
  }
}

std::optional<Token> Lexer::lex_one() {
  skip_blanks_and_comments();
  if (pos_ >= text_.size()) return Token{Tok::End, static_cast<Offset>(text_.size()), {}, 0};
  std::size_t start = pos_;
  char c = text_[pos_];
  if (is_ident_start(c)) {
    while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
    return make(Tok::Ident, start);
  }
  if (is_digit(c)) return lex_number();
  if (c == '"') return lex_string();
  for (const auto& punct : kPunct) {
    if (text_.substr(pos_, punct.spelling.size()) == punct.spelling) {
      pos_ += punct.spelling.size();
      return make(punct.kind, start);
    }
  }
  // Skip a run of bytes that cannot start a token, with one diagnostic for the run.
  while (pos_ < text_.size()) {
    char b = text_[pos_];
    if (is_blank(b) || is_ident_char(b) || b == '"' || b == '#') break;
    bool starts_punct = false;
    for (const auto& punct : kPunct)
      if (text_.substr(pos_, punct.spelling.size()) == punct.spelling) starts_punct = true;
    if (starts_punct) break;
    ++pos_;
  }
  std::string hint;
  if (c == '!') hint = "the language has no '!' operator; compare with '== False' or use '!='";
  if (c == '&' || c == '|') hint = "logical operators are '&&' and '||'";
  if (c == '\'') hint = "strings use double quotes";
  error(start, "unexpected " + byte_name(static_cast<unsigned char>(c)), hint);
  return std::nullopt;
}

std::string decode_string(std::string_view token_text) {
  std::string out;
  std::size_t end = token_text.size();
  if (end >= 2 && token_text.back() == '"') --end;
  for (std::size_t i = 1; i < end; ++i) {
    char c = token_text[i];
    if (c == '\\' && i + 1 < end) {
      char e = token_text[++i];
      out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace mapforge::dsl
