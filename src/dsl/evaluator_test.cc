// Expression semantics, through Mapper::eval in a policy's global scope.
#include <gtest/gtest.h>

#include "dsl/test_support.h"

namespace mapforge::dsl {
namespace {

const MachineShape kShape = MachineShape::standard(2, 8, 4, 1);

std::string eval_text(const std::string& policy, const std::string& expression,
                      const MachineShape& shape = kShape) {
  Mapper mapper = testing::load_mapper(policy, shape);
  auto value = mapper.eval(expression);
  if (!value.ok()) return "error: " + value.error().message;
  return value->text;
}

std::string eval(const std::string& expression) { return eval_text("", expression); }

TEST(Evaluator, IntegerArithmeticHasCSemantics) {
  EXPECT_EQ(eval("1 + 2 * 3"), "7");
  EXPECT_EQ(eval("7 / 2"), "3");
  EXPECT_EQ(eval("-7 / 2"), "-3");
  EXPECT_EQ(eval("-7 % 3"), "-1");
  EXPECT_EQ(eval("7 % -3"), "1");
  EXPECT_EQ(eval("(1 + 2) * 3"), "9");
  EXPECT_EQ(eval("- -4"), "4");
}

TEST(Evaluator, ComparisonsLogicAndTernary) {
  EXPECT_EQ(eval("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4"), "False");
  EXPECT_EQ(eval("1 == 1 || 1 / 0 == 1"), "True");  // short-circuit: no division
  EXPECT_EQ(eval("0 && 1 / 0"), "False");
  EXPECT_EQ(eval("2 > 1 ? 10 : 20"), "10");
  EXPECT_EQ(eval("0 ? 10 : 20"), "20");
  EXPECT_EQ(eval("(1, 2) == (1, 2)"), "True");
  EXPECT_EQ(eval("(1, 2) != (1, 3)"), "True");
  EXPECT_EQ(eval("GPU == GPU"), "True");
}

TEST(Evaluator, TuplesAreElementWiseAndBroadcast) {
  EXPECT_EQ(eval("(4, 6) / (2, 3)"), "(2, 2)");
  EXPECT_EQ(eval("(4, 6) * 2"), "(8, 12)");
  EXPECT_EQ(eval("10 - (1, 2)"), "(9, 8)");
  EXPECT_EQ(eval("-(1, 2)"), "(-1, -2)");
  EXPECT_EQ(eval("(1, 2, 3)[-1]"), "3");
  EXPECT_EQ(eval("(1, 2, 3)[1:]"), "(2, 3)");
  EXPECT_EQ(eval("(1, 2, 3)[:-1]"), "(1, 2)");
  EXPECT_EQ(eval("(1, 2, 3)[0:1]"), "(1,)");
  EXPECT_EQ(eval("(2, 3, 4).len"), "3");
  EXPECT_EQ(eval("(2, 3, 4).volume"), "24");
  EXPECT_EQ(eval("(2, 3).size"), "(2, 3)");
  EXPECT_EQ(eval("()"), "()");
  EXPECT_EQ(eval("(5,)"), "(5,)");
}

TEST(Evaluator, SplatAndComprehension) {
  EXPECT_EQ(eval_text("t = (1, 2);", "(*t, 3, *t)"), "(1, 2, 3, 1, 2)");
  EXPECT_EQ(eval_text("t = (1, 2, 3);", "tuple(i * i for i in t)"), "(1, 4, 9)");
  EXPECT_EQ(eval_text("def add(int a, int b) { return a + b; } t = (3, 4);", "add(*t)"), "7");
  EXPECT_EQ(eval_text("i = 100; t = (1, 2);", "tuple(i + 1 for i in t)[1] + i"), "103");
}

TEST(Evaluator, MachinesAndTransformations) {
  EXPECT_EQ(eval("Machine(GPU).size"), "(2, 4)");
  EXPECT_EQ(eval("Machine(CPU).volume"), "16");
  EXPECT_EQ(eval("Machine(GPU).len"), "2");
  EXPECT_EQ(eval("Machine(GPU)[:-1]"), "(2,)");
  EXPECT_EQ(eval("Machine(GPU).merge(0, 1).size"), "(8,)");
  EXPECT_EQ(eval("Machine(GPU).split(1, 2).size"), "(2, 2, 2)");
  EXPECT_EQ(eval("Machine(GPU).swap(0, 1).size"), "(4, 2)");
  EXPECT_EQ(eval("Machine(GPU).slice(1, 1, 2).size"), "(2, 2)");
  EXPECT_EQ(eval("Machine(GPU)[1, 2]"), "GPU(node 1, 2)");
  EXPECT_EQ(eval("Machine(GPU).swap(0, 1)[2, 1]"), "GPU(node 1, 2)");
  EXPECT_EQ(eval("Machine(GPU).reverse(1)[0, 0]"), "GPU(node 0, 3)");
  EXPECT_EQ(eval("Machine(GPU).slice(1, 1, 2)[0, 0]"), "GPU(node 0, 1)");
  EXPECT_EQ(eval("Machine(GPU).merge(0, 1)[5]"), "GPU(node 1, 1)");
  EXPECT_EQ(eval("Machine(GPU).split(1, 2)[1, 1, 1]"), "GPU(node 1, 3)");
}

TEST(Evaluator, DecomposeExamplesFromTheSpec) {
  auto one_node = MachineShape::standard(1, 1, 4, 0);
  EXPECT_EQ(eval_text("", "Machine(GPU).merge(0,1).decompose(0,(4,2,4)).size", one_node),
            "(2, 1, 2)");
  EXPECT_EQ(eval_text("", "Machine(GPU).merge(0,1).auto_split(0,(4,2,4)).size", one_node),
            "(2, 1, 2)");
  auto eight = MachineShape::standard(8, 1, 4, 0);
  EXPECT_EQ(eval_text("", "Machine(GPU).merge(0,1).decompose(0,(707,11314)).size", eight),
            "(1, 32)");
  auto twelve = MachineShape::standard(1, 12, 0, 0);
  EXPECT_EQ(eval_text("", "Machine(CPU).merge(0,1).greedy_split(0,(3,4)).size", twelve), "(4, 3)");
  EXPECT_EQ(eval_text("", "Machine(CPU).merge(0,1).decompose(0,(3,4)).size", twelve), "(3, 4)");
  auto fortyfive = MachineShape::standard(1, 45, 0, 0);
  EXPECT_EQ(eval_text("", "Machine(CPU).merge(0,1).greedy_split(0,(9,15)).size", fortyfive),
            "(9, 5)");
  EXPECT_EQ(eval_text("", "Machine(CPU).merge(0,1).decompose(0,(9,15)).size", fortyfive), "(5, 9)");
  // The reference's balance_split (MSpace.cpp, BalSplitMSpace::trans_dim): 12 into 2 is (6, 2).
  EXPECT_EQ(eval_text("", "Machine(CPU).merge(0,1).balance_split(0, 2).size", twelve), "(6, 2)");
}

TEST(Evaluator, ProcessorSetsAndHas) {
  EXPECT_EQ(eval("Machine(GPU)[1, *]"),
            "{GPU(node 1, 0), GPU(node 1, 1), GPU(node 1, 2), GPU(node 1, 3)}");
  EXPECT_EQ(eval("Machine(CPU).split(1, 4)[0, 1]"),
            "{CPU(node 0, 1), CPU(node 0, 5)}");  // a partial index leaves the rest free
  EXPECT_EQ(eval("Machine(GPU)[0, 0].has(FBMEM)"), "True");
  EXPECT_EQ(eval("Machine(GPU)[0, 0].has(SYSMEM)"), "False");
  EXPECT_EQ(eval("Machine(CPU)[0].has(SYSMEM)"), "True");
  EXPECT_EQ(eval("Machine(CPU).has(FBMEM)"), "False");
  auto no_zc = MachineShape::standard(1, 2, 1, 0, {MemKind::SYSMEM, MemKind::FBMEM});
  EXPECT_EQ(eval_text("", "Machine(GPU)[0, 0].has(ZCMEM)", no_zc), "False");
}

TEST(Evaluator, UserFunctions) {
  const std::string policy = R"(
def twice(int x) { y = x * 2; return y; }
def pick(IPoint p, ISpace s) { return p[0] * s[1] + p[1]; }
def fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
)";
  EXPECT_EQ(eval_text(policy, "twice(21)"), "42");
  EXPECT_EQ(eval_text(policy, "pick((1, 2), (4, 4))"), "6");
  EXPECT_EQ(eval_text(policy, "fact(10)"), "3628800");
}

TEST(Evaluator, PrintGoesToTheSink) {
  std::vector<std::string> lines;
  auto policy = Policy::load(
      "p.map", "m = Machine(GPU);\nprint(\"gpus {} on {} nodes\", m.size[1], m.size[0]);");
  ASSERT_TRUE(policy.ok());
  auto mapper =
      Mapper::create(policy.value(), kShape, [&](std::string_view l) { lines.emplace_back(l); });
  ASSERT_TRUE(mapper.ok());
  EXPECT_EQ(lines, (std::vector<std::string>{"gpus 4 on 2 nodes"}));
}

TEST(Evaluator, DynamicErrors) {
  EXPECT_EQ(eval("1 / 0"), "error: division by zero");
  EXPECT_EQ(eval("1 % 0"), "error: modulo by zero");
  EXPECT_EQ(eval("9223372036854775807 + 1"), "error: integer overflow in '+'");
  EXPECT_EQ(eval("(1, 2) + (1, 2, 3)"),
            "error: tuple length mismatch in '+': (1, 2) has 2 elements, (1, 2, 3) has 3");
  EXPECT_EQ(eval("(1, 2)[2]"), "error: index 2 out of bound for a tuple of length 2");
  EXPECT_EQ(eval("Machine(GPU)[2, 0]"), "error: index 2 out of bound for dimension 0 of size 2");
  EXPECT_EQ(eval("Machine(GPU)[0, 4]"), "error: index 4 out of bound for dimension 1 of size 4");
  EXPECT_EQ(eval("Machine(GPU)[0, 0, 0]"),
            "error: expected at most 2 indices for a machine of 2 dimensions, got 3");
  EXPECT_EQ(eval("Machine(GPU).split(1, 3)"),
            "error: split: size 4 of dimension 1 is not divisible by 3");
}

TEST(Evaluator, GlobalErrorsFailMapperCreationWithLocation) {
  auto policy = Policy::load("p.map", "m = Machine(GPU);\nbad = m.split(1, 3);\n");
  ASSERT_TRUE(policy.ok());
  auto mapper = Mapper::create(policy.value(), kShape);
  ASSERT_FALSE(mapper.ok());
  EXPECT_EQ(testing::brief(mapper.errors()),
            (std::vector<std::string>{
                "2:14: error: split: size 4 of dimension 1 is not divisible by 3"}));
}

TEST(Evaluator, EvalReportsSyntaxAndNameErrors) {
  Mapper mapper = testing::load_mapper("mgpu = Machine(GPU);", kShape);
  auto syntax = mapper.eval("mgpu.size[");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().loc.file, "<eval>");
  auto name = mapper.eval("mgpuu.size");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().message, "unknown name 'mgpuu'");
  EXPECT_EQ(name.error().hint, "did you mean 'mgpu'?");
}

}  // namespace
}  // namespace mapforge::dsl
