#include "dsl/lexer.h"

#include <gtest/gtest.h>

#include <deque>

#include "dsl/test_support.h"

namespace mapforge::dsl {
namespace {

struct Lexed {
  std::vector<Token> tokens;
  std::vector<Comment> comments;
  std::vector<std::string> errors;
};

Lexed lex(const std::string& text) {
  static std::deque<Source> sources;  // tokens view the source text; deque keeps them in place
  sources.emplace_back("l.map", text);
  std::vector<Diagnostic> errors;
  Lexer lexer(sources.back(), errors);
  Lexed out;
  for (Token t = lexer.next(); t.kind != Tok::End; t = lexer.next()) out.tokens.push_back(t);
  out.comments = lexer.comments();
  out.errors = testing::brief(errors);
  return out;
}

std::vector<Tok> kinds(const Lexed& lexed) {
  std::vector<Tok> out;
  for (const auto& t : lexed.tokens) out.push_back(t.kind);
  return out;
}

TEST(Lexer, PunctuationLongestFirst) {
  auto lexed = lex("a<=b>=c==d!=e&&f||g<h>i=j;,(){}[].:?+-*/%");
  EXPECT_EQ(kinds(lexed),
            (std::vector<Tok>{
                Tok::Ident,  Tok::Le,       Tok::Ident,    Tok::Ge,     Tok::Ident,  Tok::EqEq,
                Tok::Ident,  Tok::NotEq,    Tok::Ident,    Tok::AndAnd, Tok::Ident,  Tok::OrOr,
                Tok::Ident,  Tok::Lt,       Tok::Ident,    Tok::Gt,     Tok::Ident,  Tok::Assign,
                Tok::Ident,  Tok::Semi,     Tok::Comma,    Tok::LParen, Tok::RParen, Tok::LBrace,
                Tok::RBrace, Tok::LBracket, Tok::RBracket, Tok::Dot,    Tok::Colon,  Tok::Question,
                Tok::Plus,   Tok::Minus,    Tok::Star,     Tok::Slash,  Tok::Percent}));
  EXPECT_TRUE(lexed.errors.empty());
}

TEST(Lexer, IdentifiersIntegersAndOffsets) {
  auto lexed = lex("  _x9 42\n C_order");
  ASSERT_EQ(lexed.tokens.size(), 3u);
  EXPECT_EQ(lexed.tokens[0].text, "_x9");
  EXPECT_EQ(lexed.tokens[0].offset, 2u);
  EXPECT_EQ(lexed.tokens[1].value, 42);
  EXPECT_EQ(lexed.tokens[2].text, "C_order");
  EXPECT_EQ(lexed.tokens[2].offset, 10u);
}

TEST(Lexer, BothCommentStylesAreKept) {
  auto lexed = lex("# first\nTask * GPU; // trailing   \n  # indented\n");
  ASSERT_EQ(lexed.comments.size(), 3u);
  EXPECT_EQ(lexed.comments[0].text, "# first");
  EXPECT_TRUE(lexed.comments[0].own_line);
  EXPECT_EQ(lexed.comments[1].text, "// trailing");
  EXPECT_FALSE(lexed.comments[1].own_line);
  EXPECT_TRUE(lexed.comments[2].own_line);
  EXPECT_EQ(kinds(lexed), (std::vector<Tok>{Tok::Ident, Tok::Star, Tok::Ident, Tok::Semi}));
}

TEST(Lexer, SingleSlashIsDivision) {
  EXPECT_EQ(kinds(lex("a / b")), (std::vector<Tok>{Tok::Ident, Tok::Slash, Tok::Ident}));
}

TEST(Lexer, IntegerOverflowIsAnError) {
  auto lexed = lex("x = 99999999999999999999;");
  ASSERT_EQ(lexed.errors.size(), 1u);
  EXPECT_EQ(lexed.errors[0],
            "1:5: error: integer literal 99999999999999999999 does not fit in 64 bits");
  EXPECT_EQ(lex("9223372036854775807").tokens[0].value, INT64_MAX);
}

TEST(Lexer, InvalidNumber) {
  auto lexed = lex("x = 12ab;");
  ASSERT_EQ(lexed.errors.size(), 1u);
  EXPECT_EQ(lexed.errors[0], "1:5: error: invalid number '12ab'");
  EXPECT_EQ(kinds(lexed), (std::vector<Tok>{Tok::Ident, Tok::Assign, Tok::Semi}));
}

TEST(Lexer, Strings) {
  auto lexed = lex(R"(print("a \"{}\" b\n");)");
  ASSERT_EQ(lexed.tokens.size(), 5u);
  EXPECT_EQ(lexed.tokens[2].kind, Tok::String);
  EXPECT_EQ(decode_string(lexed.tokens[2].text), "a \"{}\" b\n");
  auto bad = lex("print(\"abc\n);");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0], "1:7: error: unterminated string");
}

TEST(Lexer, UnexpectedBytesAreOneErrorPerRun) {
  auto lexed = lex("Task @@@ GPU;\nx = !y;\n");
  ASSERT_EQ(lexed.errors.size(), 2u);
  EXPECT_EQ(lexed.errors[0], "1:6: error: unexpected '@'");
  EXPECT_EQ(lexed.errors[1], "2:5: error: unexpected '!'");
  auto bytes = lex(std::string("a \x01\xff b"));
  ASSERT_EQ(bytes.errors.size(), 1u);
  EXPECT_EQ(bytes.errors[0], "1:3: error: unexpected byte 0x01");
}

TEST(Lexer, HintsForOtherLanguagesOperators) {
  std::vector<Diagnostic> errors;
  Source source("l.map", "x = a & b;");
  Lexer lexer(source, errors);
  while (lexer.next().kind != Tok::End) {
  }
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].hint, "logical operators are '&&' and '||'");
}

}  // namespace
}  // namespace mapforge::dsl
