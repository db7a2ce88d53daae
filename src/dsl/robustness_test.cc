// Robustness: no input, however malformed or large, may crash or hang the checker, the
// formatter or the interpreter (DSL.md §5). Static inputs go through check/format/load;
// dynamic limits through a Mapper.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "dsl/dsl.h"

namespace mapforge::dsl {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xFF);
  return out;
}

/// Runs `body` in a child process; true when the child died (signal or non-zero exit), e.g.
/// of a stack overflow. Lets a test report a crash as a known bug instead of killing the suite.
bool crashes_in_child(const std::function<void()>& body) {
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 2);
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

void expect_errors_only_bounded(const std::vector<Diagnostic>& d) {
  EXPECT_TRUE(has_errors(d));
  EXPECT_LE(d.size(), 51u);  // kMaxDiagnostics plus "too many errors"
  for (const auto& x : d) {
    EXPECT_FALSE(x.message.empty());
    EXPECT_LE(x.snippet.size(), 160u * 4);  // a window, never the whole line
    (void)x.render();
  }
}

// ------------------------------------------------------------------------------------------
// Garbage

TEST(RobustnessStatic, RandomBinaryGarbage) {
  for (std::size_t size : {64u, 1000u, 10'000u, 100'000u, 1'000'000u}) {
    SCOPED_TRACE(size);
    std::string text = random_bytes(size, 12345u + static_cast<unsigned>(size));
    auto start = Clock::now();
    auto d = check("garbage.map", text);
    expect_errors_only_bounded(d);
    EXPECT_GT(d[0].loc.line, 0u);
    auto f = format("garbage.map", text);
    EXPECT_FALSE(f.ok());
    auto p = Policy::load("garbage.map", text);
    EXPECT_FALSE(p.ok());
    EXPECT_LT(seconds_since(start), 30.0);
  }
}

TEST(RobustnessStatic, RandomTokenSoup) {
  // Plausible tokens in random order reach deeper into the parser than random bytes.
  const std::vector<std::string> words = {"Task",
                                          "Region",
                                          "Layout",
                                          "def",
                                          "return",
                                          "print",
                                          "(",
                                          ")",
                                          "{",
                                          "}",
                                          "[",
                                          "]",
                                          ",",
                                          ";",
                                          ":",
                                          "?",
                                          "*",
                                          "+",
                                          "-",
                                          "/",
                                          "%",
                                          "==",
                                          "<=",
                                          "&&",
                                          "||",
                                          "=",
                                          ".",
                                          "x",
                                          "Machine",
                                          "GPU",
                                          "FBMEM",
                                          "tuple",
                                          "for",
                                          "in",
                                          "1",
                                          "\"s{}\"",
                                          "\n",
                                          "# c\n",
                                          "SOA",
                                          "Align",
                                          "IndexTaskMap",
                                          "int",
                                          "Task",
                                          "InstanceLimit",
                                          "True"};
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    int n = 1 + static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) text += words[rng() % words.size()] + " ";
    auto d = check("soup.map", text);
    for (const auto& x : d) (void)x.render();
    auto f = format("soup.map", text);
    if (f.ok()) {
      // Whatever parses formats to a fixed point.
      auto again = format("soup.map", f.value());
      ASSERT_TRUE(again.ok()) << text;
      EXPECT_EQ(again.value(), f.value()) << text;
    }
  }
}

TEST(RobustnessStatic, NulBytes) {
  std::string text("Task a GPU;\nx = 1\0\0 + 2;\n", 24);
  auto d = check("nul.map", text);
  ASSERT_EQ(d.size(), 1u) << render_all(d);
  EXPECT_EQ(d[0].render(),
            "nul.map:2:6: error: unexpected byte 0x00\n"
            "x = 1?? + 2;\n"
            "     ^\n");
  // Only NULs.
  auto only = check("nul.map", std::string(1000, '\0'));
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].message, "unexpected byte 0x00");
  EXPECT_EQ(only[0].loc.line, 1u);
  EXPECT_EQ(only[0].loc.col, 1u);
}

TEST(RobustnessStatic, InvalidUtf8ShowsQuestionMarks) {
  auto d = check("u.map", "Task a GPU;\nx = 1 \xff\xfe + 2;\n");
  ASSERT_EQ(d.size(), 1u) << render_all(d);
  EXPECT_EQ(d[0].message, "unexpected byte 0xFF");
  EXPECT_EQ(d[0].loc.line, 2u);
  EXPECT_EQ(d[0].loc.col, 7u);
  EXPECT_EQ(d[0].snippet, "x = 1 ?? + 2;");
  EXPECT_EQ(d[0].caret, 6u);
  EXPECT_EQ(d[0].render(),
            "u.map:2:7: error: unexpected byte 0xFF\n"
            "x = 1 ?? + 2;\n"
            "      ^\n");
}

TEST(RobustnessStatic, ValidUtf8KeptCaretCountsCharacters) {
  // 'é' is two bytes: columns count bytes, the caret counts characters.
  auto d = check("u.map", "Task a GPU;\nx = \xc3\xa9 + \xff;\n");
  ASSERT_GE(d.size(), 2u) << render_all(d);
  EXPECT_EQ(d[0].message, "unexpected byte 0xC3");
  EXPECT_EQ(d[0].loc.col, 5u);
  const Diagnostic& last = d.back();
  EXPECT_EQ(last.message, "unexpected byte 0xFF");
  EXPECT_EQ(last.loc.line, 2u);
  EXPECT_EQ(last.loc.col, 10u);
  EXPECT_EQ(last.snippet, "x = \xc3\xa9 + ?;");
  EXPECT_EQ(last.caret, 8u);
  EXPECT_EQ(last.render(),
            "u.map:2:10: error: unexpected byte 0xFF\n"
            "x = \xc3\xa9 + ?;\n"
            "        ^\n");
}

TEST(RobustnessStatic, TruncatedUtf8AtEndOfFile) {
  auto d = check("u.map", "x = 1;\n\xe2\x82");
  ASSERT_EQ(d.size(), 1u) << render_all(d);
  EXPECT_EQ(d[0].message, "unexpected byte 0xE2");
  EXPECT_EQ(d[0].loc.line, 2u);
  EXPECT_EQ(d[0].loc.col, 1u);
  EXPECT_EQ(d[0].snippet, "??");
  EXPECT_EQ(d[0].caret, 0u);
}

// ------------------------------------------------------------------------------------------
// Nesting

void expect_too_deep(const std::string& text) {
  auto start = Clock::now();
  auto d = check("deep.map", text);
  ASSERT_EQ(d.size(), 1u) << render_all(d);
  EXPECT_EQ(d[0].message, "expression nested too deeply (more than 256 levels)");
  EXPECT_EQ(d[0].loc.line, 1u);
  // The snippet is a window of the one long line; the caret points into it.
  ASSERT_LT(d[0].caret, d[0].snippet.size());
  EXPECT_EQ(d[0].snippet.substr(0, 3), "...");
  auto f = format("deep.map", text);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message, d[0].message);
  EXPECT_FALSE(Policy::load("deep.map", text).ok());
  EXPECT_LT(seconds_since(start), 10.0);
}

TEST(RobustnessStatic, DeepParentheses) {
  std::string text = "x = " + std::string(20000, '(') + "1" + std::string(20000, ')') + ";\n";
  expect_too_deep(text);
  auto d = check("deep.map", text);
  EXPECT_EQ(d[0].snippet[d[0].caret], '(');
  // Unclosed, too.
  expect_too_deep("x = " + std::string(20000, '(') + "\n");
}

TEST(RobustnessStatic, DeepBrackets) {
  std::string text = "x = t";
  for (int i = 0; i < 20000; ++i) text += "[t";
  text += std::string(20000, ']') + ";\n";
  expect_too_deep(text);
  auto d = check("deep.map", text);
  EXPECT_EQ(d[0].snippet[d[0].caret], 't');
  // '[[[[...': not an expression at all; one error at the second '['.
  auto flat = check("deep.map", "x = t" + std::string(20000, '[') + "\n");
  ASSERT_EQ(flat.size(), 1u);
  EXPECT_EQ(flat[0].message, "expected an expression, got '['");
  EXPECT_EQ(flat[0].loc.col, 7u);
  EXPECT_EQ(flat[0].caret, 6u);
  EXPECT_EQ(flat[0].snippet.substr(flat[0].snippet.size() - 3), "...");
}

TEST(RobustnessStatic, DeepUnaryMinus) {
  std::string text = "x = " + std::string(20000, '-') + "1;\n";
  expect_too_deep(text);
  auto d = check("deep.map", text);
  EXPECT_EQ(d[0].snippet[d[0].caret], '-');
  // Alternating with parentheses and inside a function body.
  std::string mixed = "def f(int a) { return ";
  for (int i = 0; i < 10000; ++i) mixed += "-(";
  mixed += "a" + std::string(10000, ')') + "; }\n";
  auto m = check("deep.map", mixed);
  ASSERT_TRUE(has_errors(m));
  EXPECT_TRUE(std::any_of(m.begin(), m.end(), [](const Diagnostic& x) {
    return x.message == "expression nested too deeply (more than 256 levels)";
  })) << render_all(m);
}

TEST(RobustnessStatic, SyntaxErrorInAReturnDoesNotCascade) {
  // The return statement fails to parse; the function must not then also be reported as
  // "never returns a value" (an error the user did not make).
  auto d = check("r.map", "def f(int a) { return a +; }\nx = f(1);\n");
  ASSERT_FALSE(d.empty());
  bool cascade = false;
  for (const auto& x : d) cascade |= x.message == "function 'f' never returns a value";
  const Diagnostic& syntax = d.back();
  EXPECT_EQ(syntax.message, "expected an expression, got ';'");
  EXPECT_EQ(syntax.loc.line, 1u);
  EXPECT_EQ(syntax.loc.col, 26u);
  EXPECT_FALSE(cascade) << render_all(d);
  EXPECT_EQ(d.size(), 1u) << render_all(d);
}

TEST(RobustnessStatic, DeepTernaryAndTuples) {
  std::string ternary = "x = 1";
  for (int i = 0; i < 20000; ++i) ternary += " ? 1";
  for (int i = 0; i < 20000; ++i) ternary += " : 1";
  expect_too_deep(ternary + ";\n");
  std::string tuples = "x = ";
  for (int i = 0; i < 20000; ++i) tuples += "(1, ";
  expect_too_deep(tuples + "\n");
  std::string calls = "x = ";
  for (int i = 0; i < 20000; ++i) calls += "f(";
  expect_too_deep(calls + "\n");
}

TEST(RobustnessStatic, NestingJustUnderTheLimitIsAccepted) {
  // 200 levels of parentheses is fewer than the documented 256 levels.
  std::string text = "x = " + std::string(200, '(') + "1" + std::string(200, ')') + ";\n";
  auto d = check("deep.map", text);
  EXPECT_TRUE(d.empty()) << render_all(d);
}

TEST(RobustnessStatic, LongLeftAssociativeChainsDoNotCrash) {
  // '1+1+...' and 't.len.len...' nest the tree as deeply as they are long, but the parser's
  // depth guard only counts parentheses, unary minus and sub-expressions: the checker, the
  // formatter and the tree's destructor recurse once per operator.
  std::string sum = "x = 1";
  for (int i = 0; i < 200000; ++i) sum += " + 1";
  sum += ";\n";
  std::string members = "t = (1,);\nx = t";
  for (int i = 0; i < 200000; ++i) members += ".size";
  members += ";\n";
  std::string indexes = "t = (1,);\nx = t";
  for (int i = 0; i < 200000; ++i) indexes += "[0]";
  indexes += ";\n";
  bool crashed = false;
  for (const std::string* text : {&sum, &members, &indexes}) {
    crashed |= crashes_in_child([&] { (void)check("long.map", *text); });
    crashed |= crashes_in_child([&] { (void)format("long.map", *text); });
  }
  EXPECT_FALSE(crashed);
  for (const std::string* text : {&sum, &members, &indexes}) {
    auto d = check("long.map", *text);
    ASSERT_FALSE(d.empty());
    EXPECT_EQ(d[0].message, "expression nested too deeply (more than 256 levels)") << render_all(d);
  }
}

// ------------------------------------------------------------------------------------------
// Size

std::string valid_policy_of_size(std::size_t bytes) {
  std::string text = "mgpu = Machine(GPU);\ndef f(Task task) {\n    return mgpu[0, 0];\n}\n";
  for (int i = 0; text.size() < bytes; ++i) {
    std::string t = "task" + std::to_string(i);
    text += "Task " + t + " GPU,CPU;\n";
    text += "Region " + t + " r" + std::to_string(i % 7) + " GPU FBMEM,ZCMEM;  # region\n";
    text += "Layout " + t + " * * SOA C_order Align==64;\n";
    text += "IndexTaskMap " + t + " f;\n";
    text += "v" + std::to_string(i) + " = (" + std::to_string(i) + " + 1) * 2 % 7;\n";
  }
  return text;
}

TEST(RobustnessSize, TenMegabytesIsTooLarge) {
  std::string text(10u << 20, 'x');
  std::string message =
      "file is too large (10485760 bytes; policy files are limited to 4194304 bytes)";
  auto d = check("big.map", text);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, message);
  EXPECT_EQ(d[0].loc.line, 0u);
  EXPECT_EQ(d[0].render(), "big.map: error: " + message + "\n");
  auto f = format("big.map", text);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().render(), "big.map: error: " + message + "\n");
  auto p = Policy::load("big.map", text);
  ASSERT_FALSE(p.ok());
  ASSERT_EQ(p.errors().size(), 1u);
  EXPECT_EQ(p.error().message, message);
  // A valid policy just over the limit is refused the same way.
  std::string valid = valid_policy_of_size(kMaxSourceBytes + 1);
  auto v = check("big.map", valid);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].message.rfind("file is too large (", 0), 0u);
}

TEST(RobustnessSize, ThreeMegabyteValidPolicyLoads) {
  std::string text = valid_policy_of_size(3u << 20);
  ASSERT_GE(text.size(), 3u << 20);
  ASSERT_LE(text.size(), kMaxSourceBytes);
  auto start = Clock::now();
  auto p = Policy::load("big.map", text);
  ASSERT_TRUE(p.ok()) << render_all(p.errors());
  auto m = Mapper::create(p.value(), MachineShape::standard(2, 4, 4, 0));
  ASSERT_TRUE(m.ok()) << render_all(m.errors());
  EXPECT_EQ(m->task_kinds("task1000"), (std::vector<ProcKind>{ProcKind::GPU, ProcKind::CPU}));
  EXPECT_EQ(m->select_memory("task1000", RegionArg{"r6", 0}, ProcKind::GPU), MemKind::FBMEM);
  std::int64_t point[] = {3}, space[] = {8};
  auto placed = m->map_index_point("task7", ProcKind::GPU, IndexPoint{point, space});
  ASSERT_TRUE(placed.ok());
  ASSERT_TRUE(placed.value().has_value());
  EXPECT_EQ(placed.value()->processors.front(), (ProcessorId{0, 0, ProcKind::GPU}));
  auto f = format("big.map", text);
  ASSERT_TRUE(f.ok());
  EXPECT_LT(seconds_since(start), 60.0);
}

TEST(RobustnessSize, DiagnosticCap) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "Task ;\n";
  auto d = check("many.map", text);
  ASSERT_EQ(d.size(), 51u);
  EXPECT_EQ(d[0].render(),
            "many.map:1:6: error: expected a task name or '*', got ';'\n"
            "Task ;\n"
            "     ^\n");
  EXPECT_EQ(d[49].loc.line, 50u);
  EXPECT_EQ(d.back().message, "too many errors; stopping here");
  EXPECT_EQ(d.back().render(), "many.map: error: too many errors; stopping here\n");
  // Lexical errors are capped too (garbage of many distinct bad runs).
  std::string bad;
  for (int i = 0; i < 10000; ++i) bad += "x = 1 $ 2;\n";
  auto b = check("many.map", bad);
  EXPECT_LE(b.size(), 51u);
  EXPECT_EQ(b.back().message, "too many errors; stopping here");
  auto f = format("many.map", text);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.errors().size(), 51u);
}

TEST(RobustnessSize, VeryLongLineSnippetIsCut) {
  std::string text = "x = (1";
  for (int i = 0; i < 50000; ++i) text += ", 1";
  text += ") $ 2;";
  for (int i = 0; i < 100; ++i) text += " + 1";
  text += "\n";
  const std::size_t dollar = text.find('$');
  auto d = check("long.map", text);
  ASSERT_FALSE(d.empty());
  const Diagnostic* lexical = nullptr;
  for (const auto& x : d)
    if (x.message == "unexpected '$'") lexical = &x;
  ASSERT_NE(lexical, nullptr) << render_all(d);
  EXPECT_EQ(lexical->loc.line, 1u);
  EXPECT_EQ(lexical->loc.col, dollar + 1);
  EXPECT_EQ(lexical->snippet.substr(0, 3), "...");
  EXPECT_EQ(lexical->snippet.substr(lexical->snippet.size() - 3), "...");
  EXPECT_LE(lexical->snippet.size(), 146u);
  ASSERT_LT(lexical->caret, lexical->snippet.size());
  EXPECT_EQ(lexical->snippet[lexical->caret], '$');
  // The rendered caret sits under the '$'.
  std::string rendered = lexical->render();
  std::size_t first_nl = rendered.find('\n');
  std::size_t second_nl = rendered.find('\n', first_nl + 1);
  std::string shown = rendered.substr(first_nl + 1, second_nl - first_nl - 1);
  std::string caret_line =
      rendered.substr(second_nl + 1, rendered.find('\n', second_nl + 1) - second_nl - 1);
  EXPECT_EQ(shown, lexical->snippet);
  EXPECT_EQ(caret_line, std::string(shown.find('$'), ' ') + "^");
  EXPECT_EQ(rendered.substr(0, first_nl),
            "long.map:1:" + std::to_string(dollar + 1) + ": error: unexpected '$'");
  // The missing ';' error points right after the ')' before the '$'.
  EXPECT_EQ(d[0].message, "expected ';' at the end of the statement, got integer 2");
  EXPECT_EQ(d[0].loc.col, dollar);
  EXPECT_EQ(d[0].snippet[d[0].caret], ' ');
  EXPECT_EQ(d[0].snippet[d[0].caret - 1], ')');
}

TEST(RobustnessSize, LongLineErrorNearTheStart) {
  std::string text = "x = $";
  for (int i = 0; i < 10000; ++i) text += " + 1";
  auto d = check("long.map", text);
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].message, "unexpected '$'");
  EXPECT_EQ(d[0].loc.col, 5u);
  EXPECT_EQ(d[0].caret, 4u);
  EXPECT_EQ(d[0].snippet.substr(0, 5), "x = $");
  EXPECT_EQ(d[0].snippet.substr(d[0].snippet.size() - 3), "...");
}

// ------------------------------------------------------------------------------------------
// Dynamic limits

Diagnostic create_error(const std::string& text,
                        const MachineShape& shape = MachineShape::standard(2, 4, 4, 0)) {
  auto policy = Policy::load("dyn.map", text);
  if (!policy.ok()) {
    ADD_FAILURE() << "static errors:\n" << render_all(policy.errors());
    return {};
  }
  auto start = Clock::now();
  auto mapper = Mapper::create(policy.value(), shape);
  EXPECT_LT(seconds_since(start), 30.0);
  if (mapper.ok()) {
    ADD_FAILURE() << "no dynamic error for:\n" << text;
    return {};
  }
  EXPECT_EQ(mapper.errors().size(), 1u);
  return mapper.error();
}

TEST(RobustnessDynamic, InfiniteRecursion) {
  Diagnostic d = create_error("def f(int n) { return f(n + 1); }\nx = f(0);\n");
  EXPECT_EQ(d.message, "calls nested too deeply (more than 64); does 'f' recurse without end?");
  EXPECT_EQ(d.loc.line, 1u);
  EXPECT_EQ(d.loc.col, 24u);
  EXPECT_EQ(d.render(),
            "dyn.map:1:24: error: calls nested too deeply (more than 64); does 'f' recurse "
            "without end?\n"
            "def f(int n) { return f(n + 1); }\n"
            "                       ^\n");
}

TEST(RobustnessDynamic, MutualRecursionInAMappingFunction) {
  auto policy = Policy::load("dyn.map",
                             "m = Machine(GPU);\n"
                             "def a(int n) { return b(n); }\n"
                             "def b(int n) { return a(n); }\n"
                             "def f(Task task) { return m[a(0), 0]; }\n"
                             "IndexTaskMap t f;\n");
  ASSERT_TRUE(policy.ok()) << render_all(policy.errors());
  auto mapper = Mapper::create(policy.value(), MachineShape::standard(2, 4, 4, 0));
  ASSERT_TRUE(mapper.ok());
  std::int64_t point[] = {0}, space[] = {4};
  auto placed = mapper->map_index_point("t", ProcKind::GPU, IndexPoint{point, space});
  ASSERT_FALSE(placed.ok());
  EXPECT_EQ(placed.error().message.rfind("calls nested too deeply (more than 64); does '", 0), 0u)
      << placed.error().message;
  EXPECT_NE(placed.error().message.find("; mapping task 't' point (0,) of launch domain (4,)"),
            std::string::npos)
      << placed.error().message;
  EXPECT_TRUE(placed.error().loc.line == 2u || placed.error().loc.line == 3u);
  // The failure is not cached as a success, and a second call fails the same way.
  auto again = mapper->map_index_point("t", ProcKind::GPU, IndexPoint{point, space});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, placed.error().message);
}

TEST(RobustnessDynamic, ExponentialRecursionTakesTooLong) {
  Diagnostic d =
      create_error("def g(int n) { return n == 0 ? 1 : g(n - 1) + g(n - 1); }\nx = g(40);\n");
  EXPECT_EQ(d.message,
            "evaluation takes too long (more than 2000000 steps); does a function recurse "
            "without end?");
  EXPECT_EQ(d.loc.line, 1u);
  EXPECT_GE(d.loc.col, 23u);  // somewhere in g's return expression
  EXPECT_LE(d.loc.col, 56u);
}

TEST(RobustnessDynamic, IntegerOverflow) {
  struct Case {
    const char* text;
    const char* message;
    std::uint32_t col;
  };
  const Case cases[] = {
      {"x = 9223372036854775807 + 1;\n", "integer overflow in '+'", 25},
      {"x = -9223372036854775807 - 2;\n", "integer overflow in '-'", 26},
      {"x = 4611686018427387904 * 2;\n", "integer overflow in '*'", 25},
      {"x = (-9223372036854775807 - 1) / -1;\n", "integer overflow in '/'", 32},
      {"x = (-9223372036854775807 - 1) % -1;\n", "integer overflow in '%'", 32},
      {"x = -(-9223372036854775807 - 1);\n", "integer overflow in '-'", 5},
      {"x = (4611686018427387904, 1) * 2;\n", "integer overflow in '*'", 30},
      {"x = (4611686018427387904, 4).volume;\n", "integer overflow in volume", 30},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Diagnostic d = create_error(c.text);
    EXPECT_EQ(d.message, c.message);
    EXPECT_EQ(d.loc.line, 1u);
    EXPECT_EQ(d.loc.col, c.col);
  }
}

TEST(RobustnessDynamic, DivisionAndModuloByZero) {
  struct Case {
    const char* text;
    const char* message;
    std::uint32_t line, col;
  };
  const Case cases[] = {
      {"x = 1 / 0;\n", "division by zero", 1, 7},
      {"x = 1 % 0;\n", "modulo by zero", 1, 7},
      {"def d(int a, int b) { return a / b; }\nx = d(1, 0);\n", "division by zero", 1, 32},
      {"def d(int a, int b) { return a % b; }\nx = d(1, 0);\n", "modulo by zero", 1, 32},
      {"x = (4, 4) / (2, 0);\n", "division by zero", 1, 12},
      {"z = 0;\nx = (4, 4) % z;\n", "modulo by zero", 2, 12},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Diagnostic d = create_error(c.text);
    EXPECT_EQ(d.message, c.message);
    EXPECT_EQ(d.loc.line, c.line);
    EXPECT_EQ(d.loc.col, c.col);
  }
}

TEST(RobustnessDynamic, HugeTupleViaSplats) {
  const std::string dbl =
      "def dbl(ISpace t, int n) { return n == 0 ? t : dbl((*t, *t), n - 1); }\n";
  Diagnostic d = create_error(dbl + "x = dbl((1,), 40);\n");
  EXPECT_EQ(d.message, "tuple too long");
  EXPECT_EQ(d.loc.line, 1u);
  EXPECT_EQ(d.loc.col, 52u);
  // Up to the limit it works.
  auto policy = Policy::load("dyn.map", dbl + "x = dbl((1,), 16);\n");
  ASSERT_TRUE(policy.ok());
  auto mapper = Mapper::create(policy.value(), MachineShape::standard(2, 4, 4, 0));
  ASSERT_TRUE(mapper.ok()) << render_all(mapper.errors());
  auto len = mapper->eval("x.len");
  ASSERT_TRUE(len.ok()) << render_all(len.errors());
  EXPECT_EQ(len->integer, 65536);
  // Splatting a huge tuple into a call's arguments.
  auto args = mapper->eval("Machine(CPU)[*x]");
  ASSERT_FALSE(args.ok());
  // A generator over it, and arithmetic on it, stay bounded.
  auto gen = mapper->eval("tuple(i * 2 for i in x).volume");
  ASSERT_FALSE(gen.ok());
  EXPECT_EQ(gen.error().message, "integer overflow in volume");
}

TEST(RobustnessDynamic, HugeArgumentListViaSplats) {
  Diagnostic d = create_error(
      "def dbl(ISpace t, int n) { return n == 0 ? t : dbl((*t, *t), n - 1); }\n"
      "def h(int a) { return a; }\n"
      "big = dbl((1,), 16);\n"
      "x = h(*big, *big);\n");
  EXPECT_EQ(d.message, "too many arguments");
  EXPECT_EQ(d.loc.line, 4u);
  EXPECT_EQ(d.loc.col, 13u);
}

TEST(RobustnessDynamic, WholeMachineOfAHugeMachine) {
  MachineShape big = MachineShape::standard(65536, 4096, 0, 0);
  Diagnostic d = create_error("x = Machine(CPU)[*, *];\n", big);
  EXPECT_EQ(d.message, "processor set too large");
  EXPECT_EQ(d.loc.line, 1u);
  EXPECT_EQ(d.loc.col, 17u);
  Diagnostic merged = create_error("m = Machine(CPU).merge(0, 1);\nx = m[*];\n", big);
  EXPECT_EQ(merged.message, "processor set too large");
  EXPECT_EQ(merged.loc.line, 2u);
  // One node's processors is fine, and so are sizes and volumes.
  auto policy =
      Policy::load("dyn.map",
                   "m = Machine(CPU);\nrow = m[7, *];\nv = m.volume;\n"
                   "d = m.decompose(0, (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));\n");
  ASSERT_TRUE(policy.ok()) << render_all(policy.errors());
  auto start = Clock::now();
  auto mapper = Mapper::create(policy.value(), big);
  ASSERT_TRUE(mapper.ok()) << render_all(mapper.errors());
  EXPECT_LT(seconds_since(start), 30.0);
  auto v = mapper->eval("v");
  ASSERT_TRUE(v.ok()) << render_all(v.errors());
  EXPECT_EQ(v->integer, std::int64_t{65536} * 4096);
  auto row = mapper->eval("row");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->processors.size(), 4096u);
  EXPECT_EQ(row->processors.back(), (ProcessorId{7, 4095, ProcKind::CPU}));
  auto dv = mapper->eval("d.volume");
  ASSERT_TRUE(dv.ok());
  EXPECT_EQ(dv->integer, std::int64_t{65536} * 4096);
}

TEST(RobustnessDynamic, HostileMachineTransformations) {
  struct Case {
    const char* text;
    const char* message;
    std::uint32_t col;
  };
  const Case cases[] = {
      {"x = Machine(CPU).split(1, 0);\n", "split: factor must be positive, got 0", 23},
      {"x = Machine(CPU).split(1, -2);\n", "split: factor must be positive, got -2", 23},
      {"x = Machine(CPU).slice(0, 5, 2);\n", "slice: empty range [5, 2] for dimension 0", 23},
      {"x = Machine(CPU).balance_split(1, 100);\n",
       "balance_split: number of parts must be 2 or 3, got 100", 31},
      {"x = Machine(CPU).decompose(1, (0, 0));\n",
       "decompose: extents must be positive, got 0 at position 0", 27},
      {"x = Machine(CPU).decompose(1, ());\n", "decompose: needs at least one extent", 27},
      {"x = Machine(CPU).merge(0, 0);\n", "merge: cannot merge dimension 0 with itself", 23},
      {"x = (1, 2)[5];\n", "index 5 out of bound for a tuple of length 2", 12},
      {"x = (1, 2) + (1, 2, 3);\n",
       "tuple length mismatch in '+': (1, 2) has 2 elements, (1, 2, 3) has 3", 12},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Diagnostic d = create_error(c.text);
    EXPECT_EQ(d.message, c.message);
    EXPECT_EQ(d.loc.line, 1u);
    EXPECT_EQ(d.loc.col, c.col);
  }
  // Odd but not erroneous arguments do not crash either.
  for (const char* text :
       {"x = Machine(CPU).split(9223372036854775807, 2);\n",
        "x = Machine(CPU).split(-9223372036854775807 - 1, 2);\n", "x = Machine(CPU).reverse(-1);\n",
        "x = Machine(CPU).slice(1, -9223372036854775807 - 1, 9223372036854775807);\n",
        "x = Machine(CPU).decompose(1, (9223372036854775807, 9223372036854775807));\n",
        "x = Machine(CPU).greedy_split(1, (1, 1, 1, 1, 1, 1, 1, 1, 1, 1));\n",
        "x = Machine(CPU)[9223372036854775807, 0];\n", "x = Machine(CPU)[-1, 0];\n"}) {
    SCOPED_TRACE(text);
    auto policy = Policy::load("dyn.map", text);
    ASSERT_TRUE(policy.ok()) << render_all(policy.errors());
    auto mapper = Mapper::create(policy.value(), MachineShape::standard(2, 4, 4, 0));
    if (!mapper.ok()) {
      EXPECT_EQ(mapper.error().loc.line, 1u);
      EXPECT_FALSE(mapper.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace mapforge::dsl
