// The lexer: policy text to tokens, pulled on demand so that a large file never becomes a large
// token array. Comments are kept aside for the formatter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/source.h"

namespace mapforge::dsl {

enum class Tok : std::uint8_t {
  End,
  Ident,
  Int,
  String,
  Semi,
  Comma,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Dot,
  Colon,
  Question,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  EqEq,
  NotEq,
  Lt,
  Gt,
  Le,
  Ge,
  AndAnd,
  OrOr,
  Assign,
};

/// How a token kind is spelled in messages ("';'", "identifier", "end of file").
std::string_view describe(Tok kind);

struct Token {
  Tok kind = Tok::End;
  Offset offset = 0;
  std::string_view text;   // the source bytes of the token
  std::int64_t value = 0;  // Int
};

struct Comment {
  Offset offset = 0;
  std::string text;       // from '#' or '//' to the end of the line, trailing blanks removed
  bool own_line = false;  // nothing but blanks before it on its line
};

class Lexer {
 public:
  /// Lexical errors go to `errors`; the lexer skips the offending bytes and goes on.
  Lexer(const Source& source, std::vector<Diagnostic>& errors);
  Token next();
  const std::vector<Comment>& comments() const { return comments_; }
  std::vector<Comment> take_comments() { return std::move(comments_); }

 private:
  void skip_blanks_and_comments();
  std::optional<Token> lex_one();  // nullopt: skipped bad input, try again
  std::optional<Token> lex_number();
  Token lex_string();
  Token make(Tok kind, std::size_t start) const;
  void error(std::size_t offset, std::string message, std::string hint = {});

  const Source& source_;
  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<Diagnostic>& errors_;
  std::vector<Comment> comments_;
};

/// Decodes the escapes of a string token (\" \\ \n \t) into its value.
std::string decode_string(std::string_view token_text);

}  // namespace mapforge::dsl
