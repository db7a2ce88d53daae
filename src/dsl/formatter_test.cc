// Tests of the formatter: golden files, idempotence, program and comment preservation over every
// policy we have, located syntax errors, and minimal parenthesisation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/dsl.h"
#include "dsl/parser.h"

namespace mapforge::dsl {
namespace {

namespace fs = std::filesystem;

const fs::path kTestData = MAPFORGE_TESTDATA;
// testdata is src/dsl/testdata: the repository root is three levels up.
const fs::path kRepoRoot = kTestData.parent_path().parent_path().parent_path();

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string fmt(const std::string& text, const std::string& name = "t.map") {
  auto result = format(name, text);
  if (!result.ok()) {
    ADD_FAILURE() << "format failed:\n" << render_all(result.errors());
    return {};
  }
  return result.value();
}

struct Parsed {
  Source source;
  ParsedFile file;
};

std::unique_ptr<Parsed> parse_text(const std::string& text) {
  auto parsed = std::make_unique<Parsed>(Parsed{Source("t.map", text), {}});
  parsed->file = parse(parsed->source);
  return parsed;
}

std::vector<std::string> comment_texts(const std::string& text) {
  auto parsed = parse_text(text);
  std::vector<std::string> out;
  for (const auto& c : parsed->file.comments) out.push_back(c.text);
  return out;
}

// ------------------------------------------------------------------------------------------
// Golden files

std::vector<std::string> golden_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kTestData / "fmt"))
    if (entry.path().extension() == ".map") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(FormatterGolden, AtLeastFourPairsExist) {
  auto names = golden_names();
  EXPECT_GE(names.size(), 4u);
  for (const auto& name : names)
    EXPECT_TRUE(fs::exists(kTestData / "fmt" / (name + ".golden"))) << name;
  EXPECT_NE(std::find(names.begin(), names.end(), "dsl_example"), names.end());
}

TEST(FormatterGolden, MatchesExpectedOutput) {
  for (const auto& name : golden_names()) {
    SCOPED_TRACE(name);
    std::string input = read_file(kTestData / "fmt" / (name + ".map"));
    std::string golden = read_file(kTestData / "fmt" / (name + ".golden"));
    EXPECT_EQ(fmt(input, name + ".map"), golden);
  }
}

TEST(FormatterGolden, GoldenIsAFixedPoint) {
  for (const auto& name : golden_names()) {
    SCOPED_TRACE(name);
    std::string golden = read_file(kTestData / "fmt" / (name + ".golden"));
    EXPECT_EQ(fmt(golden), golden);
  }
}

TEST(FormatterGolden, DslExampleIsTheSpecExampleVerbatim) {
  // The §4 code block of DSL.md, minus its fence lines, must be the golden input.
  fs::path spec = kRepoRoot.parent_path() / "shared" / "docs" / "DSL.md";
  if (!fs::exists(spec)) spec = kRepoRoot / "docs" / "DSL.md";
  if (!fs::exists(spec)) GTEST_SKIP() << "DSL.md not found";
  std::string doc = read_file(spec);
  std::size_t section = doc.find("## 4. Mapping functions");
  ASSERT_NE(section, std::string::npos);
  std::size_t open = doc.find("```\n", section);
  ASSERT_NE(open, std::string::npos);
  std::size_t close = doc.find("```\n", open + 4);
  ASSERT_NE(close, std::string::npos);
  EXPECT_EQ(doc.substr(open + 4, close - open - 4),
            read_file(kTestData / "fmt" / "dsl_example.map"));
}

// ------------------------------------------------------------------------------------------
// Properties over every policy we have

std::vector<fs::path> all_policies() {
  std::vector<fs::path> out;
  for (const auto& name : golden_names()) {
    out.push_back(kTestData / "fmt" / (name + ".map"));
    out.push_back(kTestData / "fmt" / (name + ".golden"));
  }
  for (const fs::path& dir : {kRepoRoot / "examples", kRepoRoot / "fuzz" / "corpus" / "dsl"}) {
    if (!fs::exists(dir)) continue;
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".map") found.push_back(entry.path());
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

// "... at line 12 ..." -> "... at line N ...".
std::string without_line_numbers(const std::string& message) {
  std::string out;
  for (std::size_t i = 0; i < message.size();) {
    if (message.compare(i, 5, "line ") == 0 && i + 5 < message.size() &&
        std::isdigit(static_cast<unsigned char>(message[i + 5]))) {
      out += "line N";
      for (i += 5; i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]));
           ++i) {
      }
      continue;
    }
    out += message[i++];
  }
  return out;
}

TEST(FormatterProperties, CorpusIsNotEmpty) {
  auto policies = all_policies();
  EXPECT_GE(policies.size(), 8u + 10u);
  int parsing = 0;
  for (const auto& path : policies) parsing += format(path.string(), read_file(path)).ok();
  EXPECT_GE(parsing, 15);
}

TEST(FormatterProperties, IdempotentSameProgramCommentsKept) {
  for (const auto& path : all_policies()) {
    SCOPED_TRACE(path.string());
    std::string text = read_file(path);
    auto once = format(path.string(), text);
    if (!once.ok()) continue;  // syntax errors: covered below
    auto twice = format(path.string(), once.value());
    ASSERT_TRUE(twice.ok()) << render_all(twice.errors());
    EXPECT_EQ(twice.value(), once.value()) << "not idempotent";

    auto before = parse_text(text);
    auto after = parse_text(once.value());
    EXPECT_TRUE(after->file.errors.empty()) << render_all(after->file.errors);
    EXPECT_TRUE(same_program(before->file.statements, after->file.statements))
        << "before:\n"
        << dump_program(before->file.statements) << "after:\n"
        << dump_program(after->file.statements);

    // Every comment, in order.
    std::vector<std::string> in = comment_texts(text), out = comment_texts(once.value());
    EXPECT_EQ(out, in);
    std::size_t at = 0;
    for (const auto& comment : in) {
      std::size_t found = once.value().find(comment, at);
      ASSERT_NE(found, std::string::npos) << "comment lost or reordered: " << comment;
      at = found + comment.size();
    }
    // Static meaning unchanged: the same diagnostics (messages) before and after, but for the
    // line numbers they cite (formatting moves lines).
    auto d1 = check("a.map", text), d2 = check("a.map", once.value());
    ASSERT_EQ(d1.size(), d2.size()) << render_all(d1) << "---\n" << render_all(d2);
    for (std::size_t i = 0; i < d1.size(); ++i)
      EXPECT_EQ(without_line_numbers(d1[i].message), without_line_numbers(d2[i].message));
  }
}

TEST(FormatterProperties, OutputShape) {
  // One statement per line, four-space indents, no trailing blanks, one final newline, no
  // two blank lines in a row.
  for (const auto& path : all_policies()) {
    SCOPED_TRACE(path.string());
    auto result = format(path.string(), read_file(path));
    if (!result.ok()) continue;
    const std::string& out = result.value();
    if (out.empty()) continue;
    EXPECT_EQ(out.back(), '\n');
    EXPECT_EQ(out.find("\n\n\n"), std::string::npos);
    EXPECT_NE(out.substr(0, 1), "\n");
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      EXPECT_NE(line.back(), ' ') << line;
      EXPECT_EQ(line.find('\t'), std::string::npos) << line;
      std::size_t indent = line.find_first_not_of(' ');
      EXPECT_EQ(indent % 4, 0u) << line;
    }
  }
}

// ------------------------------------------------------------------------------------------
// Layout details found while writing the goldens

TEST(FormatterLayout, CommentsInsideAStatementMoveInFront) {
  EXPECT_EQ(fmt("x = (1 +  # a\n  2) * (3 +  # b\n 4);  # c\n"),
            "# a\n# b\nx = (1 + 2) * (3 + 4);  # c\n");
  EXPECT_EQ(fmt("x = 1; # one\n# two\n\n\n"), "x = 1;  # one\n# two\n");
}

TEST(FormatterLayout, TaskStealStarTaskMapsAndNoAlign) {
  EXPECT_EQ(fmt("TaskSteal   *  GPU SAME_NODE ;\nTaskSteal a ,b CPU ANY_NODE;\n"),
            "TaskSteal * GPU SAME_NODE;\nTaskSteal a,b CPU ANY_NODE;\n");
  EXPECT_EQ(fmt("IndexTaskMap  * f;\nLayout * * * C_order SOA  No_Align;\n"),
            "IndexTaskMap * f;\nLayout * * * C_order SOA No_Align;\n");
}

TEST(FormatterLayout, EmptyAndCommentOnlyBodies) {
  EXPECT_EQ(fmt("def f() { }\n"), "def f() {\n}\n");
  EXPECT_EQ(fmt("def f() {\n    # only a comment\n}\n"), "def f() {\n    # only a comment\n}\n");
  EXPECT_EQ(fmt(""), "");
  EXPECT_EQ(fmt("\n\n# c\n\n"), "# c\n");
}

TEST(FormatterLayout, PrintEscapesRoundTrip) {
  EXPECT_EQ(fmt("print( \"a\\tb\\n\\\"c\\\"\\\\\" );\n"), "print(\"a\\tb\\n\\\"c\\\"\\\\\");\n");
  // An unknown escape decodes to the character itself.
  EXPECT_EQ(fmt("print(\"a\\qb\");\n"), "print(\"aqb\");\n");
}

TEST(FormatterLayout, NoBlankLineInventedBeforeACommentInsideAStatement) {
  // Source lines: 1 Task, 2 'Region a', 3 own-line comment inside the Region statement. There
  // is no blank line anywhere, but the formatter compares the comment's line (3) with the last
  // printed line (1), skipping the statement's own first line, and emits a blank line.
  std::string out = fmt("Task a GPU;\nRegion a\n  # c\n  * GPU FBMEM;\n");
  EXPECT_EQ(out, "Task a GPU;\n# c\nRegion a * GPU FBMEM;\n");
}

TEST(FormatterLayout, NoBlankLineInventedAfterAMultiLineDefHeader) {
  // print(DefStmt) sets last_line_ to the line of 'def', not of '{', so a header over several
  // lines makes the first body statement look as if a blank line preceded it.
  std::string a = fmt("def f(int a,\n      int b) {\n    return a + b;\n}\n");
  std::string b = fmt("def f(int a)\n{\n    return a;\n}\n");
  EXPECT_EQ(a, "def f(int a, int b) {\n    return a + b;\n}\n");
  EXPECT_EQ(b, "def f(int a) {\n    return a;\n}\n");
}

// ------------------------------------------------------------------------------------------
// Syntax errors

TEST(FormatterErrors, ReturnsLocatedErrors) {
  auto result = format("bad.map", "Task * GPU,CPU\nRegion * * GPU FBMEM;\n");
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.errors().size(), 1u);
  const Diagnostic& d = result.error();
  EXPECT_EQ(d.loc.line, 1u);
  EXPECT_EQ(d.loc.col, 15u);
  EXPECT_EQ(d.render(),
            "bad.map:1:15: error: expected ';' at the end of the statement, got 'Region'\n"
            "Task * GPU,CPU\n"
            "              ^\n");
}

TEST(FormatterErrors, ColonAfterHeaderHasHint) {
  auto result = format("bad.map", "def f(Task task):\n    return 1;\n}\n");
  ASSERT_FALSE(result.ok());
  const Diagnostic& d = result.error();
  EXPECT_EQ(d.render(),
            "bad.map:1:17: error: expected '{' to start the function body, got ':'\n"
            "def f(Task task):\n"
            "                ^\n"
            "hint: function bodies are in braces: def f(Task task) { ...; }\n");
}

TEST(FormatterErrors, EveryErrorOfTheInvalidSyntaxCorpusFile) {
  fs::path path = kRepoRoot / "fuzz" / "corpus" / "dsl" / "invalid_syntax.map";
  if (!fs::exists(path)) GTEST_SKIP() << "no corpus";
  auto result = format("invalid_syntax.map", read_file(path));
  ASSERT_FALSE(result.ok());
  EXPECT_GE(result.errors().size(), 3u) << render_all(result.errors());
  for (const auto& d : result.errors()) {
    EXPECT_EQ(d.severity, Severity::Error);
    EXPECT_GT(d.loc.line, 0u);
    EXPECT_GT(d.loc.col, 0u);
  }
}

TEST(FormatterErrors, LexicalErrorAndSemanticErrorsDiffer) {
  // A lexical error fails formatting; a static (semantic) error does not: format only needs
  // a syntactically valid file.
  auto lexical = format("x.map", "x = 1 $ 2;\n");
  ASSERT_FALSE(lexical.ok());
  EXPECT_EQ(lexical.error().message, "unexpected '$'");
  EXPECT_EQ(lexical.error().loc.col, 7u);
  auto semantic = format("x.map", "x = y;\nIndexTaskMap t nothere;\n");
  ASSERT_TRUE(semantic.ok());
  EXPECT_EQ(semantic.value(), "x = y;\nIndexTaskMap t nothere;\n");
}

TEST(FormatterErrors, TooLarge) {
  std::string text(kMaxSourceBytes + 1, ' ');
  auto result = format("big.map", text);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "file is too large (" + std::to_string(kMaxSourceBytes + 1) +
                                        " bytes; policy files are limited to " +
                                        std::to_string(kMaxSourceBytes) + " bytes)");
}

// ------------------------------------------------------------------------------------------
// Parenthesisation

struct ParenCase {
  const char* input;
  const char* expected;
};

class Parenthesisation : public ::testing::TestWithParam<ParenCase> {};

TEST_P(Parenthesisation, MinimalAndMeaningPreserving) {
  const ParenCase& c = GetParam();
  std::string text = std::string("x = ") + c.input + ";\n";
  std::string out = fmt(text);
  EXPECT_EQ(out, std::string("x = ") + c.expected + ";\n");
  auto before = parse_text(text), after = parse_text(out);
  EXPECT_TRUE(same_program(before->file.statements, after->file.statements))
      << dump_program(before->file.statements) << dump_program(after->file.statements);
  EXPECT_EQ(fmt(out), out);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Parenthesisation,
    ::testing::Values(
        ParenCase{"(a + b) * c", "(a + b) * c"}, ParenCase{"a + (b * c)", "a + b * c"},
        ParenCase{"a - (b - c)", "a - (b - c)"}, ParenCase{"(a - b) - c", "a - b - c"},
        ParenCase{"a / (b * c)", "a / (b * c)"}, ParenCase{"(a / b) * c", "a / b * c"},
        ParenCase{"a % (b % c)", "a % (b % c)"}, ParenCase{"(a * b) % c", "a * b % c"},
        ParenCase{"-(a + b)", "-(a + b)"}, ParenCase{"-(a * b)", "-(a * b)"},
        ParenCase{"(-a) * b", "-a * b"}, ParenCase{"-(-a)", "--a"}, ParenCase{"a - (-b)", "a - -b"},
        ParenCase{"-(a[0])", "-a[0]"}, ParenCase{"(-a)[0]", "(-a)[0]"},
        ParenCase{"(-t).len", "(-t).len"}, ParenCase{"(c ? a : b) + 1", "(c ? a : b) + 1"},
        ParenCase{"c ? (a + 1) : (b + 1)", "c ? a + 1 : b + 1"},
        ParenCase{"(c ? a : b) ? d : e", "(c ? a : b) ? d : e"},
        ParenCase{"c ? a : (b ? d : e)", "c ? a : b ? d : e"},
        ParenCase{"c ? (a ? d : e) : b", "c ? a ? d : e : b"},
        ParenCase{"(a || b) || c", "a || b || c"}, ParenCase{"a || (b || c)", "a || (b || c)"},
        ParenCase{"(a || b) && c", "(a || b) && c"}, ParenCase{"a || (b && c)", "a || b && c"},
        ParenCase{"(a == b) == c", "a == b == c"}, ParenCase{"a == (b == c)", "a == (b == c)"},
        ParenCase{"(a < b) == c", "a < b == c"}, ParenCase{"a < (b == c)", "a < (b == c)"},
        ParenCase{"(a + b) < c", "a + b < c"}, ParenCase{"(a < b) + c", "(a < b) + c"},
        ParenCase{"f((a, b))", "f((a, b))"}, ParenCase{"f((a))", "f(a)"},
        ParenCase{"((a, b))", "(a, b)"}, ParenCase{"(a,)", "(a,)"}, ParenCase{"()", "()"},
        ParenCase{"((a,),)", "((a,),)"}, ParenCase{"(*t,)", "(*t)"},
        ParenCase{"((a, b)).len", "(a, b).len"}, ParenCase{"(f)(a)", "f(a)"},
        ParenCase{"(m.size)[0]", "m.size[0]"}, ParenCase{"(m[0])[1]", "m[0][1]"},
        ParenCase{"m[(a + b), *]", "m[a + b, *]"}, ParenCase{"m[*(t)]", "m[*t]"},
        ParenCase{"t[(a):(b)]", "t[a:b]"}, ParenCase{"t[(c ? a : b):]", "t[c ? a : b:]"},
        ParenCase{"tuple((i + 1) for i in (t))", "tuple(i + 1 for i in t)"}, ParenCase{"(1)", "1"},
        ParenCase{"(True)", "True"}, ParenCase{"-(1)", "-1"}));

}  // namespace
}  // namespace mapforge::dsl
