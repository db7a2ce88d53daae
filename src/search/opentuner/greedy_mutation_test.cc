#include "search/opentuner/greedy_mutation.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

#include "search/opentuner/test_driver.h"

namespace mapforge::search::opentuner {
namespace {

using testing::FakeDriver;

std::vector<Parameter> wide_ints(int count, std::int64_t hi) {
  std::vector<Parameter> space;
  for (int i = 0; i < count; ++i)
    space.push_back(Parameter::integer("p" + std::to_string(i), 0, hi));
  return space;
}

int differences(const Configuration& a, const Configuration& b) {
  int diff = 0;
  for (std::size_t k = 0; k < a.values.size(); ++k) diff += a.values[k] != b.values[k];
  return diff;
}

TEST(UniformGreedyMutation, MutatesOneParameterSurelyAndOthersWithP01) {
  std::vector<Parameter> space = wide_ints(20, 1000000000);
  FakeDriver driver(space, 1);
  Rng seed_rng(2);
  Configuration best = testing::ints(std::vector<std::int64_t>(20, 500000000));
  driver.set(best, 1.0);
  GreedyMutation technique(GreedyMutation::uniform_options());
  EXPECT_EQ(technique.name(), "UniformGreedyMutation");
  double changed = 0;
  const int trials = 4000;
  for (int i = 0; i < trials; ++i) {
    Offer offer = technique.desired_configuration(driver);
    ASSERT_EQ(offer.kind, Offer::Kind::Config);
    int diff = differences(offer.config, best);
    ASSERT_GE(diff, 1);
    changed += diff;
  }
  EXPECT_NEAR(changed / trials, 1.0 + 19 * 0.1, 0.1);
}

TEST(NormalGreedyMutation, MovesIntegersALittleWithP03) {
  std::vector<Parameter> space = wide_ints(20, 1000);
  FakeDriver driver(space, 3);
  Configuration best = testing::ints(std::vector<std::int64_t>(20, 500));
  driver.set(best, 1.0);
  GreedyMutation technique(GreedyMutation::normal_options());
  EXPECT_EQ(technique.name(), "NormalGreedyMutation");
  double changed = 0;
  double distance = 0;
  int moved = 0;
  const int trials = 4000;
  for (int i = 0; i < trials; ++i) {
    Offer offer = technique.desired_configuration(driver);
    ASSERT_EQ(offer.kind, Offer::Kind::Config);
    changed += differences(offer.config, best);
    for (std::size_t k = 0; k < space.size(); ++k) {
      std::int64_t step = std::llabs(offer.config.scalar(k) - 500);
      if (step == 0) continue;
      distance += static_cast<double>(step);
      ++moved;
    }
  }
  // 1 + 0.3 * 19 = 6.7 mutated, rarely landing on the same value.
  EXPECT_NEAR(changed / trials, 6.7, 0.3);
  // E|N(0, 0.1)| over 1001 values is about 80.
  EXPECT_NEAR(distance / moved, 80.0, 8.0);
}

TEST(NormalGreedyMutation, FlipsBooleansAndChangesPermutations) {
  std::vector<Parameter> space{Parameter::boolean("b")};
  FakeDriver driver(space, 4);
  driver.set(testing::ints({1}), 1.0);
  GreedyMutation technique(GreedyMutation::normal_options());
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(technique.desired_configuration(driver).config, testing::ints({0}));
  }
  std::vector<Parameter> perm_space{Parameter::permutation("p", 5)};
  FakeDriver perm_driver(perm_space, 5);
  Configuration sorted;
  sorted.values.emplace_back(std::vector<int>{0, 1, 2, 3, 4});
  perm_driver.set(sorted, 1.0);
  for (int i = 0; i < 20; ++i) {
    Offer offer = technique.desired_configuration(perm_driver);
    ASSERT_EQ(offer.kind, Offer::Kind::Config);
    EXPECT_NE(offer.config, sorted);
  }
}

TEST(GreedyMutation, StartsFromARandomPointBeforeAnySuccess) {
  std::vector<Parameter> space = wide_ints(3, 10);
  FakeDriver driver(space, 6);
  GreedyMutation technique(GreedyMutation::uniform_options());
  std::set<Configuration, bool (*)(const Configuration&, const Configuration&)> seen(
      [](const Configuration& a, const Configuration& b) { return a.hash() < b.hash(); });
  for (int i = 0; i < 50; ++i) seen.insert(technique.desired_configuration(driver).config);
  EXPECT_GT(seen.size(), 40u);
}

TEST(GreedyMutation, OffersNothingWhenNoMutationChangesTheParent) {
  std::vector<Parameter> space{Parameter::integer("x", 3, 3), Parameter::enumeration("e", 1)};
  FakeDriver driver(space, 7);
  driver.set(testing::ints({3, 0}), 1.0);
  GreedyMutation uniform(GreedyMutation::uniform_options());
  GreedyMutation normal(GreedyMutation::normal_options());
  EXPECT_EQ(uniform.desired_configuration(driver).kind, Offer::Kind::Nothing);
  EXPECT_EQ(normal.desired_configuration(driver).kind, Offer::Kind::Nothing);
}

}  // namespace
}  // namespace mapforge::search::opentuner
