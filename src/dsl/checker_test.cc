#include "dsl/checker.h"

#include <gtest/gtest.h>

#include "dsl/test_support.h"

namespace mapforge::dsl {
namespace {

using testing::check_brief;
using Lines = std::vector<std::string>;

TEST(Checker, CleanPolicyHasNoDiagnostics) {
  EXPECT_EQ(check_brief(R"(
mgpu = Machine(GPU);
def block1d(Task task) {
    ip = task.ipoint;
    return mgpu[ip[0] / mgpu.size[1], ip[0] % mgpu.size[1]];
}
def same_place(Task task) { return mgpu[*task.parent.processor(mgpu)]; }
IndexTaskMap stencil,increment block1d;
SingleTaskMap task_4 same_place;
)"),
            Lines{});
}

TEST(Checker, UnknownNameSuggestsClosest) {
  auto diagnostics = check("p.map", "mgpu = Machine(GPU);\nx = mgpuu.size;\n");
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].render(),
            "p.map:2:5: error: unknown name 'mgpuu'\n"
            "x = mgpuu.size;\n"
            "    ^\n"
            "hint: did you mean 'mgpu'?\n");
}

TEST(Checker, GlobalsMustBeAssignedBeforeUseAtTopLevel) {
  EXPECT_EQ(check_brief("x = y + 1;\ny = 2;\n"),
            Lines{"1:5: error: 'y' is used before it is assigned"});
  // Functions run after every global is assigned.
  EXPECT_EQ(check_brief("def f(Task t) { return m[0, 0]; }\nm = Machine(CPU);\nIndexTaskMap a f;"),
            Lines{});
}

TEST(Checker, MappingFunctionMustExist) {
  EXPECT_EQ(check_brief("def block(Task t) { return Machine(GPU)[0, 0]; }\nIndexTaskMap a blok;"),
            Lines{"2:16: error: mapping function 'blok' is not defined"});
}

TEST(Checker, MappingFunctionSignatureAndResult) {
  EXPECT_EQ(
      check_brief("def f(int a) { return Machine(GPU)[a, 0]; }\nIndexTaskMap t f;"),
      Lines{"2:16: error: mapping function 'f' must take exactly one parameter of type Task"});
  EXPECT_EQ(check_brief("def g(Task t) { return t.ipoint; }\nSingleTaskMap t g;"),
            Lines{"2:17: error: mapping function 'g' returns a tuple, not a processor"});
}

TEST(Checker, WrongNumberOfArguments) {
  EXPECT_EQ(check_brief("def f(int a, int b) { return a + b; }\nx = f(1);\n"),
            Lines{"2:6: error: 'f' takes 2 arguments, got 1"});
  EXPECT_EQ(check_brief("m = Machine(GPU).split(0);"),
            Lines{"1:23: error: 'split' takes 2 arguments, got 1"});
  EXPECT_EQ(check_brief("m = Machine(GPU, CPU);"),
            Lines{"1:12: error: Machine() takes 1 argument, got 2"});
  // With '*' the count is only known when it runs.
  EXPECT_EQ(check_brief("def f(int a, int b) { return a + b; }\nt = (1, 2);\nx = f(*t);\n"),
            Lines{});
}

TEST(Checker, TypesThatCannotBeRight) {
  EXPECT_EQ(check_brief("m = Machine(GPU);\nx = m + 1;"),
            Lines{"2:7: error: operator '+' cannot combine a machine and an int"});
  EXPECT_EQ(
      check_brief("m = Machine(FBMEM);"),
      Lines{"1:13: error: argument 1 of Machine() must be a processor kind, got a memory kind"});
  EXPECT_EQ(check_brief("x = (1, 2).volume.len;"),
            Lines{"1:19: error: an int has no property 'len'"});
  EXPECT_EQ(check_brief("x = 5[0];"), Lines{"1:6: error: an int cannot be indexed"});
  EXPECT_EQ(check_brief("m = Machine(GPU);\nx = m.size();"),
            Lines{"2:7: error: 'size' is a property, not a method"});
  EXPECT_EQ(check_brief("m = Machine(GPU);\nx = m.split;"),
            Lines{"2:7: error: 'split' is a method; call it with arguments"});
  EXPECT_EQ(check_brief("x = (1, 2).split(0, 1);"),
            Lines{"1:12: error: a tuple has no method 'split'"});
  EXPECT_EQ(check_brief("m = Machine(GPU);\nx = m.decompose(0, 4);"),
            Lines{"2:20: error: argument 2 of 'decompose' must be a tuple, got an int"});
  EXPECT_EQ(check_brief("def f(Task t) { return t.ipoint(); }\n"),
            Lines{"1:26: error: 'ipoint' is a property, not a method"});
}

TEST(Checker, UnknownPropertyListsMembers) {
  auto diagnostics = check("p.map", "m = Machine(GPU);\nx = m.sise;");
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message, "a machine has no property 'sise'");
  EXPECT_EQ(diagnostics[0].hint,
            "it has: len, volume, size, split(), merge(), swap(), slice(), reverse(), "
            "balance_split(), decompose(), auto_split(), greedy_split(), has()");
}

TEST(Checker, ConflictingLayoutWords) {
  EXPECT_EQ(check_brief("Layout * * * SOA C_order AOS;\nLayout t r FBMEM F_order C_order;"),
            (Lines{"1:26: error: conflicting layout constraints 'SOA' and 'AOS'",
                   "2:26: error: conflicting layout constraints 'F_order' and 'C_order'"}));
  EXPECT_EQ(check_brief("Layout * * * Align==0;"),
            Lines{"1:14: error: alignment must be a positive number of bytes, got 0"});
}

TEST(Checker, InstanceLimitBelowOne) {
  EXPECT_EQ(check_brief("InstanceLimit t 0;\nInstanceLimit t GPU -2;"),
            (Lines{"1:17: error: InstanceLimit must be at least 1, got 0",
                   "2:21: error: InstanceLimit must be at least 1, got -2"}));
}

TEST(Checker, PrintPlaceholdersMustMatchArguments) {
  EXPECT_EQ(check_brief("print(\"{} {}\", 1);"),
            Lines{"1:7: error: print format has 2 '{}' but 1 argument follows"});
  EXPECT_EQ(check_brief("print(\"none\", 1, 2);"),
            Lines{"1:7: error: print format has 0 '{}' but 2 arguments follow"});
}

TEST(Checker, FunctionRules) {
  EXPECT_EQ(check_brief("def f(Task t) { x = 1; }"),
            Lines{"1:5: error: function 'f' never returns a value"});
  EXPECT_EQ(check_brief("def f(int a, int a) { return a; }"),
            Lines{"1:18: error: parameter 'a' is declared twice"});
  EXPECT_EQ(check_brief("def f(Task t) { return 1; }\ndef f(Task t) { return 2; }"),
            Lines{"2:5: warning: function 'f' is already defined at line 1; this definition has no "
                  "effect"});
  EXPECT_EQ(check_brief("def f(Task t) { return 1; }\nx = f;"),
            Lines{"2:5: error: function 'f' can only be called, not used as a value"});
  EXPECT_EQ(check_brief("GPU = 1;"),
            Lines{"1:1: error: cannot assign to 'GPU': it names a processor or memory kind"});
  EXPECT_EQ(check_brief("def f(Task t) { return 1; return 2; }"),
            Lines{"1:27: warning: statement after 'return' is never run"});
}

TEST(Checker, UnknownFunctionSuggests) {
  auto diagnostics = check("p.map", "def block(int a) { return a; }\nx = blok(1);");
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message, "unknown function 'blok'");
  EXPECT_EQ(diagnostics[0].hint, "did you mean 'block'?");
}

TEST(Checker, GeneratorVariableIsScopedToTheElement) {
  EXPECT_EQ(check_brief("t = (1, 2);\nu = tuple(i * 2 for i in t);\nv = i;"),
            Lines{"3:5: error: unknown name 'i'"});
  EXPECT_EQ(check_brief("x = tuple(i for i in 5);"),
            Lines{"1:22: error: tuple(... for ... in x) needs x to be a tuple, got an int"});
}

TEST(Checker, ReportsEveryErrorNotJustTheFirst) {
  EXPECT_EQ(check_brief("Task * GPU CPU;\nx = y;\nLayout * * * SOA AOS;\nInstanceLimit t "
                        "0;\nIndexTaskMap t nope;"),
            (Lines{"1:11: error: expected ';' at the end of the statement, got 'CPU'",
                   "2:5: error: unknown name 'y'",
                   "3:18: error: conflicting layout constraints 'SOA' and 'AOS'",
                   "4:17: error: InstanceLimit must be at least 1, got 0",
                   "5:16: error: mapping function 'nope' is not defined"}));
}

TEST(Checker, NamesOfStatementsThatFailedToParseAreNotUndefined) {
  EXPECT_EQ(
      check_brief("m = Machine(GPU) +;\nx = m;\ndef f(Task t):\n    return 1;\nIndexTaskMap a f;"),
      (Lines{"1:19: error: expected an expression, got ';'",
             "3:14: error: expected '{' to start the function body, got ':'"}));
}

TEST(Checker, UnknownTasksAndRegionsAreWarningsWhenTheAppIsKnown) {
  CheckOptions options;
  options.app.tasks = {"stencil", "increment"};
  options.app.regions = {"private", "interior"};
  auto diagnostics =
      check("p.map",
            "Task stencl GPU;\nRegion stencil privat GPU FBMEM;\nRegion * 0 * FBMEM;\n"
            "CollectMemory increment zzz;\nTask * GPU;\n",
            options);
  EXPECT_EQ(testing::brief(diagnostics),
            (Lines{"1:6: warning: unknown task 'stencl'", "2:16: warning: unknown region 'privat'",
                   "4:25: warning: unknown region 'zzz'"}));
  EXPECT_EQ(diagnostics[0].hint, "did you mean 'stencil'?");
  EXPECT_EQ(diagnostics[2].hint, "the application passes no region argument of that name");
  // A warning does not stop a policy from loading.
  auto policy = Policy::load("p.map", "Task stencl GPU;", options);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->warnings().size(), 1u);
}

TEST(Checker, WithoutAppNamesAnyTaskNameIsFine) {
  EXPECT_EQ(check_brief("Task whatever GPU;"), Lines{});
  CheckOptions only_tasks;
  only_tasks.app.tasks = {"t"};
  EXPECT_EQ(check_brief("Region t anything GPU FBMEM;\nTask u GPU;", only_tasks),
            Lines{"2:6: warning: unknown task 'u'"});
}

// ----- compatibility with the reference implementation (DSLMapper) -----

// Its tables keep the first statement for a key (tree.cpp: each statement's run() inserts into a
// map), so later ones do nothing; check names the one that wins.
TEST(Checker, RepeatedStatementForAKeyIsAWarning) {
  EXPECT_EQ(check_brief(R"(Task t GPU;
Task t CPU;
Region t r GPU FBMEM;
Region t r GPU ZCMEM;
Region t r * ZCMEM;
Layout t r FBMEM SOA;
Layout t r FBMEM AOS;
InstanceLimit t 2;
InstanceLimit t 3;
m = Machine(GPU);
def f(Task task) { return m[0, 0]; }
IndexTaskMap t f;
IndexTaskMap a,t f;
IndexTaskMap GPU f;
IndexTaskMap GPU f;
SingleTaskMap t f;
TaskSteal t GPU SAME_NODE;
TaskSteal t CPU SAME_NODE;
)"),
            (Lines{"2:6: warning: this Task statement for 't' has no effect: the one at line 1 "
                   "comes first and wins",
                   "4:1: warning: this Region statement for task 't' region 'r' on GPU has no "
                   "effect: the one at line 3 comes first and wins",
                   "7:1: warning: this Layout statement for task 't' region 'r' in FBMEM has no "
                   "effect: the one at line 6 comes first and wins",
                   "9:1: warning: this InstanceLimit for 't' has no effect: the one at line 8 "
                   "comes first and wins",
                   "13:16: warning: this IndexTaskMap for 't' has no effect: the one at line 12 "
                   "comes first and wins",
                   "15:14: warning: this IndexTaskMap for GPU tasks has no effect: the one at "
                   "line 14 comes first and wins",
                   "18:11: warning: this TaskSteal for 't' has no effect: the one at line 17 "
                   "comes first and wins"}));
}

// tree.hpp, AssignNode::run: "AssignNode multiple ... cause conflicts in global_symbol!".
TEST(Checker, GlobalAssignedTwiceIsAnError) {
  EXPECT_EQ(check_brief("m4 = Machine(GPU);\nm4 = Machine(GPU);\n"),
            Lines{"2:1: error: global 'm4' is already assigned at line 1"});
}

// tree.hpp, AssignNode::run inserts locals into an unordered_map: a second value is dropped.
TEST(Checker, LocalAssignedTwiceIsAWarning) {
  EXPECT_EQ(check_brief("def f(int a) { x = 1; x = 2; return x; }\ny = f(1);\n"),
            Lines{"1:23: warning: 'x' is assigned again: mapforge uses the new value, the "
                  "reference implementation keeps the first"});
}

// tree.cpp, IndexTaskMapNode::run: "IndexTaskMap's function undefined" when the def comes later.
TEST(Checker, MappingFunctionDefinedBelowIsAWarning) {
  EXPECT_EQ(
      check_brief("m = Machine(GPU);\nIndexTaskMap t f;\ndef f(Task task) { return m[0, 0]; }\n"),
      Lines{"2:16: warning: mapping function 'f' is defined below, at line 3; the reference "
            "implementation refuses the file"});
}

// tree.cpp, runindex / runsingle: the task's name, then "CPU"/"GPU"/"OMP"; "*" is never looked up.
TEST(Checker, StarTaskMapLoadsAndMapsNothing) {
  EXPECT_EQ(check_brief("m = Machine(GPU);\ndef f(Task task) { return m[0, 0]; }\n"
                        "IndexTaskMap * f;\nSingleTaskMap * f;\n"),
            (Lines{"3:14: warning: 'IndexTaskMap *' maps no task: tasks are looked up by name and "
                   "by processor kind, never by '*' (as in the reference implementation)",
                   "4:15: warning: 'SingleTaskMap *' maps no task: tasks are looked up by name "
                   "and by processor kind, never by '*' (as in the reference implementation)"}));
  // The function must still exist, as there.
  EXPECT_EQ(check_brief("IndexTaskMap * g;\n"),
            (Lines{"1:14: warning: 'IndexTaskMap *' maps no task: tasks are looked up by name and "
                   "by processor kind, never by '*' (as in the reference implementation)",
                   "1:16: error: mapping function 'g' is not defined"}));
}

// tree.hpp, IdentifierExprNode::run looks a name up when it is evaluated, so a function nothing
// calls may name what does not exist.
TEST(Checker, UnknownNamesInUnusedFunctionsAreWarnings) {
  EXPECT_EQ(check_brief("def g(int a) { return missing + a; }\n"),
            Lines{"1:23: warning: unknown name 'missing' in function 'g', which nothing uses"});
  EXPECT_EQ(check_brief("def g(int a) { return nothere(a); }\n"),
            Lines{"1:23: warning: unknown function 'nothere' in function 'g', which nothing uses"});
  // Used by a map statement, directly or through a call: an error.
  EXPECT_EQ(check_brief("m = Machine(GPU);\ndef f(Task task) { return m[missing, 0]; }\n"
                        "IndexTaskMap t f;\n"),
            Lines{"2:29: error: unknown name 'missing'"});
  EXPECT_EQ(check_brief("m = Machine(GPU);\ndef h(int a) { return missing; }\n"
                        "def f(Task task) { return m[h(1), 0]; }\nIndexTaskMap t f;\n"),
            Lines{"2:23: error: unknown name 'missing'"});
  // Used by a global's value: an error.
  EXPECT_EQ(check_brief("def h(int a) { return missing; }\nx = h(1);\n"),
            Lines{"1:23: error: unknown name 'missing'"});
}

TEST(Checker, NoAlignMeansNoAlignment) {
  EXPECT_EQ(check_brief("Layout * * * C_order SOA No_Align;\n"),
            Lines{"1:26: warning: 'No_Align' is not in the reference implementation's grammar (it "
                  "refuses the file); here it means no alignment constraint"});
  EXPECT_EQ(check_brief("Layout * * * Align==8 No_Align;\n"),
            (Lines{"1:23: warning: 'No_Align' is not in the reference implementation's grammar "
                   "(it refuses the file); here it means no alignment constraint",
                   "1:23: error: conflicting layout constraints 'Align==8' and 'No_Align'"}));
}

// DSLMapper branch main, parser.y: `TaskSteal Identifier_star Proc SAME_NODE;` and
// `TaskSteal Identifier_List Proc ANY_NODE;`; dsl_mapper.cc steals within the node either way.
TEST(Checker, TaskSteal) {
  EXPECT_EQ(check_brief("TaskSteal * GPU SAME_NODE;\nTaskSteal calc CPU SAME_NODE;\n"), Lines{});
  EXPECT_EQ(check_brief("TaskSteal a,b GPU ANY_NODE;\n"),
            Lines{"1:19: warning: ANY_NODE steals only within a node, as SAME_NODE does (so does "
                  "the reference implementation)"});
  EXPECT_EQ(check_brief("TaskSteal a GPU ANY_NODE;\n"),
            (Lines{"1:17: warning: ANY_NODE steals only within a node, as SAME_NODE does (so "
                   "does the reference implementation)",
                   "1:17: warning: the reference implementation refuses ANY_NODE after a single "
                   "task or '*'"}));
  EXPECT_EQ(check_brief("TaskSteal a,b CPU SAME_NODE;\n"),
            Lines{"1:19: warning: the reference implementation refuses SAME_NODE after a list of "
                  "tasks"});
  EXPECT_EQ(check_brief("TaskSteal * GPU;\n"),
            Lines{"1:16: error: expected SAME_NODE or ANY_NODE, got ';'"});
  EXPECT_EQ(check_brief("TaskSteal * TPU SAME_NODE;\n"),
            Lines{"1:13: error: unknown processor kind 'TPU'"});
}

}  // namespace
}  // namespace mapforge::dsl
