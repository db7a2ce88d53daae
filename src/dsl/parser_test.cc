#include "dsl/parser.h"

#include <gtest/gtest.h>

#include "dsl/test_support.h"

namespace mapforge::dsl {
namespace {

/// The dump of a file that must parse without errors.
std::string tree(const std::string& text) {
  Source source("p.map", text);
  ParsedFile file = parse(source);
  EXPECT_TRUE(file.errors.empty()) << render_all(file.errors);
  return dump_program(file.statements);
}

std::string expr_tree(const std::string& expression) {
  std::string dump = tree("x = " + expression + ";");
  // "Assign x <expr>;\n"
  return dump.substr(9, dump.size() - 11);
}

std::vector<std::string> syntax_errors(const std::string& text) {
  Source source("p.map", text);
  return testing::brief(parse(source).errors);
}

TEST(Parser, TaskStatement) {
  EXPECT_EQ(tree("Task * GPU,CPU;"), "Task *, GPU CPU;\n");
  EXPECT_EQ(tree("Task a,b OMP;"), "Task a,b, OMP;\n");
}

TEST(Parser, RegionStatement) {
  EXPECT_EQ(tree("Region calc rp_ghost GPU ZCMEM,FBMEM;"),
            "Region calc rp_ghost GPU ZCMEM FBMEM;\n");
  EXPECT_EQ(tree("Region * 2 * SYSMEM;"), "Region * 2 * SYSMEM;\n");
}

TEST(Parser, LayoutStatement) {
  EXPECT_EQ(tree("Layout * * * SOA C_order Align==128 Compact Exact;"),
            "Layout * * * SOA C_order Align==128 Compact Exact;\n");
  EXPECT_EQ(tree("Layout t r FBMEM AOS F_order Align >= 64;"),
            "Layout t r FBMEM AOS F_order Align>=64;\n");
}

TEST(Parser, InstanceLimitWithAndWithoutKind) {
  EXPECT_EQ(tree("InstanceLimit task_4 2;"), "InstanceLimit task_4 - 2;\n");
  EXPECT_EQ(tree("InstanceLimit task_4 GPU 3;"), "InstanceLimit task_4 GPU 3;\n");
  EXPECT_EQ(tree("InstanceLimit * * 1;"), "InstanceLimit * * 1;\n");
  EXPECT_EQ(tree("InstanceLimit t -1;"), "InstanceLimit t - -1;\n");
}

TEST(Parser, OtherStatements) {
  EXPECT_EQ(tree("CollectMemory t *;"), "CollectMemory t *;\n");
  EXPECT_EQ(tree("ControlReplicate main,other;"), "ControlReplicate main,other,;\n");
  EXPECT_EQ(tree("def f(Task t) { return 1; } IndexTaskMap a,b f; SingleTaskMap GPU f;"),
            "Def f(Task t,) {Return (int 1);\n};\nIndexTaskMap a,b, f;\nSingleTaskMap GPU f;\n");
  EXPECT_EQ(tree("print(\"{} and {}\", 1, x);"), "Print '{} and {}' (int 1) (name 'x');\n");
}

TEST(Parser, DefWithAllParameterTypes) {
  EXPECT_EQ(tree("def f(int a, bool b, IPoint p, ISpace s, MSpace m, Task t) { y = a; "
                 "print(\"{}\", y); return m[a, 0]; }"),
            "Def f(int a,bool b,IPoint p,ISpace s,MSpace m,Task t,) {Assign y (name 'a');\n"
            "Print '{}' (name 'y');\nReturn (index (name 'm') (name 'a') (int 0));\n};\n");
}

TEST(Parser, Precedence) {
  EXPECT_EQ(expr_tree("a + b * c"), "(bin + (name 'a') (bin * (name 'b') (name 'c')))");
  EXPECT_EQ(expr_tree("a - b - c"), "(bin - (bin - (name 'a') (name 'b')) (name 'c'))");
  EXPECT_EQ(
      expr_tree("a || b && c == d < e"),
      "(bin || (name 'a') (bin && (name 'b') (bin == (name 'c') (bin < (name 'd') (name 'e')))))");
  EXPECT_EQ(expr_tree("c ? a : b ? d : e"),
            "(?: (name 'c') (name 'a') (?: (name 'b') (name 'd') (name 'e')))");
  EXPECT_EQ(expr_tree("-a * b"), "(bin * (neg (name 'a')) (name 'b'))");
  EXPECT_EQ(expr_tree("-a.b[0](1)"),
            "(neg (call (index (member 'b' (name 'a')) (int 0)) (int 1)))");
}

TEST(Parser, TuplesAndParentheses) {
  EXPECT_EQ(expr_tree("(a)"), "(name 'a')");
  EXPECT_EQ(expr_tree("(a,)"), "(tuple (name 'a'))");
  EXPECT_EQ(expr_tree("()"), "(tuple)");
  EXPECT_EQ(expr_tree("(1, 2, 3)"), "(tuple (int 1) (int 2) (int 3))");
  EXPECT_EQ(expr_tree("(*t, 1)"), "(tuple (splat (name 't')) (int 1))");
  EXPECT_EQ(expr_tree("(*t)"), "(tuple (splat (name 't')))");
}

TEST(Parser, IndexItemsSlicesStarsAndSplats) {
  EXPECT_EQ(expr_tree("m[*, 0]"), "(index (name 'm') (star) (int 0))");
  EXPECT_EQ(expr_tree("m[*p]"), "(index (name 'm') (splat (name 'p')))");
  EXPECT_EQ(expr_tree("m[:-1]"), "(index (name 'm') (slice _ (neg (int 1))))");
  EXPECT_EQ(expr_tree("t[1:]"), "(index (name 't') (slice (int 1) _))");
  EXPECT_EQ(expr_tree("t[a:b]"), "(index (name 't') (slice (name 'a') (name 'b')))");
  EXPECT_EQ(expr_tree("f(*t, 2)"), "(call (name 'f') (splat (name 't')) (int 2))");
}

TEST(Parser, GeneratorAndBooleans) {
  EXPECT_EQ(expr_tree("tuple(i * 2 for i in t)"),
            "(gen 'i' (bin * (name 'i') (int 2)) (name 't'))");
  EXPECT_EQ(expr_tree("True && False"), "(bin && (bool 1) (bool 0))");
}

TEST(Parser, MissingSemicolonPointsAfterTheStatement) {
  EXPECT_EQ(syntax_errors("Task * GPU\nRegion * * * FBMEM;"),
            (std::vector<std::string>{
                "1:11: error: expected ';' at the end of the statement, got 'Region'"}));
}

TEST(Parser, RecoversAndReportsEveryError) {
  auto errors =
      syntax_errors("Task * ;\nRegion * * GPU FOO;\nx = (1, ;\nLayout * * * SOB;\nok = 1;\n");
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "1:8: error: expected a processor kind, got ';'",
                        "2:16: error: unknown memory kind 'FOO'",
                        "3:9: error: expected an expression, got ';'",
                        "4:14: error: expected a layout constraint, got 'SOB'",
                    }));
}

TEST(Parser, ColonAfterFunctionHeaderGivesOneErrorWithHint) {
  Source source("p.map", "def f(Task t):\n    return 1;\n    x = 2;\nTask * GPU;\n");
  ParsedFile file = parse(source);
  ASSERT_EQ(file.errors.size(), 1u);
  EXPECT_EQ(file.errors[0].render(),
            "p.map:1:14: error: expected '{' to start the function body, got ':'\n"
            "def f(Task t):\n"
            "             ^\n"
            "hint: function bodies are in braces: def f(Task task) { ...; }\n");
  ASSERT_EQ(file.statements.size(), 1u);
  EXPECT_EQ(file.unparsed_names.count("f"), 1u);
}

TEST(Parser, StatementsOnlyAtTopLevel) {
  EXPECT_EQ(syntax_errors("def f(Task t) { Task * GPU; return 1; }"),
            (std::vector<std::string>{
                "1:17: error: 'Task' statements are only allowed at the top level"}));
  EXPECT_EQ(syntax_errors("return 1;"),
            (std::vector<std::string>{"1:1: error: 'return' outside a function"}));
  EXPECT_EQ(syntax_errors("def f(Task t) { def g(Task u) { return 1; } return 2; }")[0],
            "1:17: error: functions cannot be defined inside functions");
}

TEST(Parser, KeywordsCannotBeAssigned) {
  EXPECT_EQ(syntax_errors("Machine = 3;"),
            (std::vector<std::string>{"1:1: error: cannot assign to 'Machine': it is a keyword"}));
  EXPECT_EQ(syntax_errors("def tuple(Task t) { return 1; }")[0],
            "1:5: error: cannot name a function 'tuple': it is a keyword");
}

TEST(Parser, MisspelledStatementSuggestsKeyword) {
  Source source("p.map", "Taks * GPU;");
  ParsedFile file = parse(source);
  ASSERT_EQ(file.errors.size(), 1u);
  EXPECT_EQ(file.errors[0].message, "expected a statement, got 'Taks'");
  EXPECT_EQ(file.errors[0].hint, "did you mean 'Task'?");
}

TEST(Parser, UnknownParameterType) {
  Source source("p.map", "def f(Tsk t) { return 1; }");
  ParsedFile file = parse(source);
  ASSERT_EQ(file.errors.size(), 1u);
  EXPECT_EQ(file.errors[0].message, "expected a parameter type, got 'Tsk'");
  EXPECT_EQ(file.errors[0].hint,
            "did you mean 'Task'? types: int, bool, IPoint, ISpace, MSpace, Task");
}

TEST(Parser, UnclosedFunction) {
  EXPECT_EQ(syntax_errors("def f(Task t) {\n return 1;\n"),
            (std::vector<std::string>{
                "3:1: error: expected '}' to close function 'f' opened at line 1"}));
}

TEST(Parser, AlignNeedsComparison) {
  EXPECT_EQ(syntax_errors("Layout * * * Align 128;"),
            (std::vector<std::string>{
                "1:20: error: expected a comparison after 'Align', got integer 128"}));
}

TEST(Parser, ExpressionForEval) {
  Source source("<eval>", "Machine(GPU).size");
  std::vector<Diagnostic> errors;
  ExprPtr expr = parse_expression(source, errors);
  ASSERT_TRUE(expr);
  EXPECT_TRUE(errors.empty());
  Source trailing("<eval>", "1 2");
  EXPECT_FALSE(parse_expression(trailing, errors));
  EXPECT_EQ(testing::brief(errors),
            (std::vector<std::string>{"1:3: error: expected end of expression, got integer 2"}));
}

}  // namespace
}  // namespace mapforge::dsl
