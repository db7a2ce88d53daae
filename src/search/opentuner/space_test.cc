#include "search/opentuner/space.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "search/opentuner/test_driver.h"

namespace mapforge::search::opentuner {
namespace {

Value perm(std::vector<int> items) { return Value{std::move(items)}; }
Value scalar(std::int64_t v) { return Value{v}; }

TEST(Space, UnitValueUsesOpenTunersRoundingMargin) {
  Parameter p = Parameter::integer("x", 0, 10);
  EXPECT_DOUBLE_EQ(unit_value(p, scalar(0)), 0.4999 / 10.9998);
  EXPECT_DOUBLE_EQ(unit_value(p, scalar(10)), 10.4999 / 10.9998);
  Value v = scalar(5);
  set_unit_value(p, v, 0.0);
  EXPECT_EQ(std::get<std::int64_t>(v), 0);
  set_unit_value(p, v, 1.0);
  EXPECT_EQ(std::get<std::int64_t>(v), 10);
}

TEST(Space, UnitValueRoundTripsEveryInteger) {
  Parameter p = Parameter::integer("x", -5, 7);
  for (std::int64_t i = -5; i <= 7; ++i) {
    Value v = scalar(0);
    set_unit_value(p, v, unit_value(p, scalar(i)));
    EXPECT_EQ(std::get<std::int64_t>(v), i);
  }
  Parameter single = Parameter::integer("one", 3, 3);
  EXPECT_DOUBLE_EQ(unit_value(single, scalar(3)), 0.5);
}

TEST(Space, EveryIntegerOwnsAnEqualSlice) {
  Parameter p = Parameter::integer("x", 0, 4);
  std::vector<int> counts(5, 0);
  const int steps = 100000;
  for (int i = 0; i <= steps; ++i) {
    Value v = scalar(0);
    set_unit_value(p, v, static_cast<double>(i) / steps);
    ++counts[static_cast<std::size_t>(std::get<std::int64_t>(v))];
  }
  for (int count : counts) EXPECT_NEAR(count, steps / 5, 50);
}

TEST(Space, RoundHalfEvenMatchesPython) {
  EXPECT_EQ(round_half_even(0.5), 0.0);
  EXPECT_EQ(round_half_even(1.5), 2.0);
  EXPECT_EQ(round_half_even(2.5), 2.0);
  EXPECT_EQ(round_half_even(-1.5), -2.0);
  EXPECT_EQ(round_half_even(-2.5), -2.0);
  EXPECT_EQ(round_half_even(2.4), 2.0);
  EXPECT_EQ(round_half_even(2.6), 3.0);
  EXPECT_EQ(round_half_even(-2.6), -3.0);
}

TEST(Space, ReflectUnitBouncesOffBothEdges) {
  EXPECT_DOUBLE_EQ(reflect_unit(0.4), 0.4);
  EXPECT_DOUBLE_EQ(reflect_unit(-0.25), 0.25);
  EXPECT_DOUBLE_EQ(reflect_unit(1.25), 0.75);
  EXPECT_DOUBLE_EQ(reflect_unit(-1.25), 0.75);
  EXPECT_DOUBLE_EQ(reflect_unit(0.0), 0.0);
  EXPECT_DOUBLE_EQ(reflect_unit(1.0), 1.0);
}

// At an edge a clipping mutation would leave about half the draws on the edge; reflecting leaves
// only those within about one step of it (about 8% for sigma 0.1 over 101 values).
TEST(Space, NormalMutationReflectsAtTheLowEdge) {
  Parameter p = Parameter::integer("x", 0, 100);
  Rng rng(1);
  int at_edge = 0;
  double sum = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    Value v = scalar(0);
    normal_mutation(p, v, 0.1, rng);
    std::int64_t x = std::get<std::int64_t>(v);
    ASSERT_GE(x, 0);
    ASSERT_LE(x, 100);
    at_edge += x == 0;
    sum += static_cast<double>(x);
  }
  EXPECT_GT(at_edge, n * 3 / 100);
  EXPECT_LT(at_edge, n * 15 / 100);
  EXPECT_NEAR(sum / n, 8.0, 1.0);  // 101 * E|N(0, 0.1)|
}

TEST(Space, NormalMutationReflectsAtTheHighEdge) {
  Parameter p = Parameter::integer("x", 0, 100);
  Rng rng(2);
  int at_edge = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    Value v = scalar(100);
    normal_mutation(p, v, 0.1, rng);
    std::int64_t x = std::get<std::int64_t>(v);
    ASSERT_GE(x, 0);
    ASSERT_LE(x, 100);
    at_edge += x == 100;
  }
  EXPECT_GT(at_edge, n * 3 / 100);
  EXPECT_LT(at_edge, n * 15 / 100);
}

TEST(Space, SetLinearCombinesIntegerUnitValues) {
  Parameter p = Parameter::integer("x", 0, 10);
  Rng rng(1);
  Value dst = scalar(0);
  // u(2) + 0.5 * (u(8) - u(4)) is the unit value of 4.
  set_linear(p, dst, scalar(2), scalar(8), scalar(4), 1.0, 0.5, -0.5, rng);
  EXPECT_EQ(std::get<std::int64_t>(dst), 4);
  set_linear(p, dst, scalar(9), scalar(10), scalar(0), 1.0, 1.0, -1.0, rng);
  EXPECT_EQ(std::get<std::int64_t>(dst), 10);  // clipped at 1
  set_linear(p, dst, scalar(1), scalar(0), scalar(10), 1.0, 1.0, -1.0, rng);
  EXPECT_EQ(std::get<std::int64_t>(dst), 0);  // clipped at 0
  set_linear(p, dst, scalar(6), scalar(2), scalar(2), 1.0, 0.7, -0.7, rng);
  EXPECT_EQ(std::get<std::int64_t>(dst), 6);
}

std::set<Value> outcomes(const Parameter& p, const Value& a, const Value& b, const Value& c,
                         double wa, double wb, double wc) {
  Rng rng(9);
  std::set<Value> seen;
  for (int i = 0; i < 300; ++i) {
    Value dst = a;
    set_linear(p, dst, a, b, c, wa, wb, wc, rng);
    seen.insert(dst);
  }
  return seen;
}

TEST(Space, SetLinearCopiesAComplexValueWhenTheDifferenceIsEmpty) {
  Parameter e = Parameter::enumeration("e", 5);
  EXPECT_EQ(outcomes(e, scalar(3), scalar(1), scalar(1), 1.0, 0.7, -0.7),
            (std::set<Value>{scalar(3)}));
  Parameter b = Parameter::boolean("b");
  EXPECT_EQ(outcomes(b, scalar(1), scalar(0), scalar(0), 1.0, 0.5, -0.5),
            (std::set<Value>{scalar(1)}));
  Parameter p = Parameter::permutation("p", 4);
  EXPECT_EQ(outcomes(p, perm({2, 0, 3, 1}), perm({0, 1, 2, 3}), perm({0, 1, 2, 3}), 1.0, 0.6, -0.6),
            (std::set<Value>{perm({2, 0, 3, 1})}));
}

TEST(Space, SetLinearRandomisesAComplexValueWhenTheDifferenceIsNot) {
  Parameter e = Parameter::enumeration("e", 5);
  EXPECT_EQ(outcomes(e, scalar(3), scalar(1), scalar(2), 1.0, 0.7, -0.7).size(), 5u);
  Parameter p = Parameter::permutation("p", 3);
  EXPECT_EQ(outcomes(p, perm({0, 1, 2}), perm({1, 0, 2}), perm({0, 1, 2}), 1.0, 0.6, -0.6).size(),
            6u);
}

TEST(Space, SetLinearNormalisesTheWeightsAsOpenTunerDoes) {
  Parameter e = Parameter::enumeration("e", 5);
  // (1, -w, w), the Nelder-Mead expansion and contraction form: b and c swap.
  EXPECT_EQ(outcomes(e, scalar(4), scalar(2), scalar(2), 1.0, -2.0, 2.0),
            (std::set<Value>{scalar(4)}));
  // (w, -w, 1): c becomes the base, then a and b are the difference.
  EXPECT_EQ(outcomes(e, scalar(1), scalar(1), scalar(3), 0.5, -0.5, 1.0),
            (std::set<Value>{scalar(3)}));
  // Weights that do not reduce to (1, w, -w) randomise even without a difference.
  EXPECT_EQ(outcomes(e, scalar(1), scalar(1), scalar(1), 0.5, 0.5, 0.0).size(), 5u);
}

TEST(Space, LinearConfigKeepsAStartingPoint) {
  std::vector<Parameter> space{Parameter::integer("x", 0, 20), Parameter::enumeration("e", 3)};
  Rng rng(1);
  Configuration a = testing::ints({10, 2});
  Configuration b = testing::ints({4, 2});
  // p1 + 2 (p1 - p2): the Nelder-Mead reflection of b through a.
  Configuration r = linear_config(space, 1.0, a, 2.0, a, -2.0, b, rng);
  EXPECT_EQ(r, testing::ints({20, 2}));
}

TEST(Space, SmallRandomChangeOnlySwapsNeighbours) {
  Parameter p = Parameter::permutation("p", 10);
  Rng rng(3);
  int changed = 0;
  for (int trial = 0; trial < 500; ++trial) {
    Value v = perm({0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    small_random_change(p, v, rng);
    const auto& items = std::get<std::vector<int>>(v);
    std::vector<int> sorted = items;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(sorted, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    for (std::size_t pos = 0; pos < items.size(); ++pos) {
      // Swaps walk forward, so an item moves back at most one place.
      EXPECT_GE(static_cast<int>(pos), items[pos] - 1);
    }
    changed += items != std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  }
  EXPECT_GT(changed, 400);  // 1 - 0.75^9 = 92.5%
}

TEST(Space, FlipAndRandomize) {
  Parameter b = Parameter::boolean("b");
  Value v = scalar(0);
  flip(b, v);
  EXPECT_EQ(v, scalar(1));
  flip(b, v);
  EXPECT_EQ(v, scalar(0));
  Rng rng(1);
  std::vector<Parameter> space{Parameter::integer("x", -3, 3), Parameter::enumeration("e", 4),
                               Parameter::boolean("b"), Parameter::permutation("p", 5)};
  for (int i = 0; i < 100; ++i) {
    Configuration c = random_configuration(space, rng);
    std::string error;
    ASSERT_TRUE(Configuration::from_json(c.to_json(), space, &error)) << error;
  }
}

TEST(Configuration, JsonRoundTrip) {
  std::vector<Parameter> space{Parameter::integer("x", -3, 3), Parameter::enumeration("e", 4),
                               Parameter::boolean("b"), Parameter::permutation("p", 3)};
  Configuration c;
  c.values = {scalar(-2), scalar(3), scalar(1), perm({2, 0, 1})};
  EXPECT_EQ(c.to_json().dump(), "[-2,3,1,[2,0,1]]");
  auto back = Configuration::from_json(c.to_json(), space);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, c);
  EXPECT_EQ(back->hash(), c.hash());
  EXPECT_EQ(back->scalar(0), -2);
  EXPECT_EQ(back->permutation(3), (std::vector<int>{2, 0, 1}));
}

TEST(Configuration, JsonErrorsSayWhatIsWrong) {
  std::vector<Parameter> space{Parameter::integer("x", -3, 3), Parameter::enumeration("e", 4),
                               Parameter::boolean("b"), Parameter::permutation("p", 3)};
  std::string error;
  EXPECT_FALSE(Configuration::from_json(nlohmann::json::parse("[1,2]"), space, &error));
  EXPECT_EQ(error, "configuration: got [1,2], expected an array of 4 values");
  EXPECT_FALSE(Configuration::from_json(nlohmann::json::parse("[4,0,0,[0,1,2]]"), space, &error));
  EXPECT_EQ(error, "value 0 of parameter 'x': got 4, expected an integer in [-3, 3]");
  EXPECT_FALSE(Configuration::from_json(nlohmann::json::parse("[0,4,0,[0,1,2]]"), space, &error));
  EXPECT_EQ(error, "value 1 of parameter 'e': got 4, expected a choice in [0, 3]");
  EXPECT_FALSE(Configuration::from_json(nlohmann::json::parse("[0,0,2,[0,1,2]]"), space, &error));
  EXPECT_EQ(error, "value 2 of parameter 'b': got 2, expected 0 or 1");
  EXPECT_FALSE(Configuration::from_json(nlohmann::json::parse("[0,0,0,[0,1,1]]"), space, &error));
  EXPECT_EQ(error, "value 3 of parameter 'p': got [0,1,1], expected a permutation of 0..2");
}

TEST(Configuration, HashSeparatesValues) {
  std::set<std::size_t> hashes;
  for (std::int64_t a = 0; a < 20; ++a) {
    for (std::int64_t b = 0; b < 20; ++b) hashes.insert(testing::ints({a, b}).hash());
  }
  EXPECT_EQ(hashes.size(), 400u);
}

TEST(Parameter, Checks) {
  EXPECT_EQ(check_parameter(Parameter::integer("x", 0, 0)), "");
  EXPECT_EQ(check_parameter(Parameter::integer("x", 1, 0)), "parameter 'x': empty range [1, 0]");
  EXPECT_EQ(check_parameter(Parameter::enumeration("e", 0)),
            "parameter 'e': an enumeration needs a choice");
  EXPECT_EQ(check_parameter(Parameter::permutation("p", 0)),
            "parameter 'p': a permutation needs an item");
  EXPECT_EQ(Parameter::permutation("p", 7).size(), 7);
  EXPECT_TRUE(Parameter::integer("x", 0, 1).numeric());
  EXPECT_FALSE(Parameter::boolean("b").numeric());
}

}  // namespace
}  // namespace mapforge::search::opentuner
