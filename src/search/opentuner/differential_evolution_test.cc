#include "search/opentuner/differential_evolution.h"

#include <gtest/gtest.h>

#include "search/opentuner/test_driver.h"

namespace mapforge::search::opentuner {
namespace {

using testing::FakeDriver;

std::vector<Parameter> three_ints() {
  return {Parameter::integer("a", 0, 1000), Parameter::integer("b", 0, 1000),
          Parameter::integer("c", 0, 1000)};
}

// Tests the initial population (each member at time 100 + its index).
void submit_population(DifferentialEvolution& de, FakeDriver& driver) {
  for (int i = 0; i < 30; ++i) {
    Offer offer = de.desired_configuration(driver);
    ASSERT_EQ(offer.kind, Offer::Kind::Config);
    ASSERT_EQ(offer.config, de.population()[static_cast<std::size_t>(i)].config);
    driver.set(offer.config, 100.0 + i);
    de.handle_requested_result(offer.config, driver);
  }
}

TEST(DifferentialEvolution, TestsTheRandomInitialPopulationFirst) {
  FakeDriver driver(three_ints(), 1);
  DifferentialEvolution de;
  submit_population(de, driver);
  ASSERT_EQ(de.population().size(), 30u);
  for (const auto& member : de.population()) {
    EXPECT_TRUE(member.submitted);
    EXPECT_FALSE(member.candidate_replacement);
  }
}

TEST(DifferentialEvolution, TheOldestMemberIsTheParent) {
  FakeDriver driver(three_ints(), 2);
  DifferentialEvolution de;
  submit_population(de, driver);
  for (std::size_t i = 0; i < 30; ++i) {
    Offer offer = de.desired_configuration(driver);
    ASSERT_EQ(offer.kind, Offer::Kind::Config);
    ASSERT_TRUE(de.population()[i].candidate_replacement);
    EXPECT_EQ(*de.population()[i].candidate_replacement, offer.config);
  }
  // Every member awaits its child: nothing to offer.
  EXPECT_EQ(de.desired_configuration(driver).kind, Offer::Kind::Nothing);
  // The first child's result frees member 0, now the only candidate parent.
  Configuration child0 = *de.population()[0].candidate_replacement;
  driver.set(child0, 1000.0);
  de.handle_requested_result(child0, driver);
  Offer next = de.desired_configuration(driver);
  ASSERT_EQ(next.kind, Offer::Kind::Config);
  EXPECT_EQ(*de.population()[0].candidate_replacement, next.config);
}

TEST(DifferentialEvolution, OnlyAStrictlyBetterChildReplacesItsParent) {
  FakeDriver driver(three_ints(), 3);
  DifferentialEvolution de;
  submit_population(de, driver);
  auto child_of_next_parent = [&](std::size_t index) {
    Offer offer = de.desired_configuration(driver);
    EXPECT_EQ(*de.population()[index].candidate_replacement, offer.config);
    return offer.config;
  };
  Configuration parent0 = de.population()[0].config;  // time 100
  Configuration worse = child_of_next_parent(0);
  driver.set(worse, 150.0);
  de.handle_requested_result(worse, driver);
  EXPECT_EQ(de.population()[0].config, parent0);
  EXPECT_FALSE(de.population()[0].candidate_replacement);

  Configuration parent1 = de.population()[1].config;  // time 101
  Configuration equal = child_of_next_parent(1);
  if (equal != parent1) {
    driver.set(equal, 101.0);
    de.handle_requested_result(equal, driver);
    EXPECT_EQ(de.population()[1].config, parent1);
  }

  Configuration better = child_of_next_parent(2);
  driver.set(better, 50.0);
  de.handle_requested_result(better, driver);
  EXPECT_EQ(de.population()[2].config, better);
  EXPECT_FALSE(de.population()[2].candidate_replacement);

  Configuration failed = child_of_next_parent(3);
  driver.set(failed, kFailedTime);
  de.handle_requested_result(failed, driver);
  EXPECT_NE(de.population()[3].config, failed);
}

TEST(DifferentialEvolution, CrossesAtLeastOneParameter) {
  Rng rng(4);
  for (int count = 1; count <= 6; ++count) {
    for (int i = 0; i < 200; ++i) {
      std::vector<bool> mask = DifferentialEvolution::crossover_mask(count, 1, 0.2, rng);
      ASSERT_TRUE(mask[0]);
    }
  }
  // With a rate of 0 exactly one is crossed; with 0.2 about 1 + 0.2 (n - 1).
  std::vector<bool> none = DifferentialEvolution::crossover_mask(8, 1, 0.0, rng);
  EXPECT_EQ(std::count(none.begin(), none.end(), true), 1);
  double crossed = 0;
  const int trials = 20000;
  for (int i = 0; i < trials; ++i) {
    std::vector<bool> mask = DifferentialEvolution::crossover_mask(10, 1, 0.2, rng);
    crossed += static_cast<double>(std::count(mask.begin(), mask.end(), true));
  }
  EXPECT_NEAR(crossed / trials, 2.8, 0.05);
}

TEST(DifferentialEvolution, ChildrenDifferFromTheirParentInFewParameters) {
  // Twenty parameters, crossover rate 0.2: a child keeps most of its parent's values.
  std::vector<Parameter> space;
  for (int i = 0; i < 20; ++i)
    space.push_back(Parameter::integer("p" + std::to_string(i), 0, 1000));
  FakeDriver driver(space, 5);
  DifferentialEvolution de;
  for (int i = 0; i < 30; ++i) {
    Offer offer = de.desired_configuration(driver);
    driver.set(offer.config, 1.0 + i);
  }
  double changed = 0;
  for (std::size_t i = 0; i < 30; ++i) {
    Configuration parent = de.population()[i].config;
    Offer child = de.desired_configuration(driver);
    int diff = 0;
    for (std::size_t k = 0; k < space.size(); ++k)
      diff += child.config.values[k] != parent.values[k];
    EXPECT_GE(diff, 1);
    changed += diff;
  }
  EXPECT_LT(changed / 30, 8.0);  // about 1 + 0.2 * 19 = 4.8
}

TEST(DifferentialEvolution, OffersAChildEvenWhenEveryRetryWasMeasured) {
  FakeDriver driver(three_ints(), 6);
  DifferentialEvolution de;
  for (int i = 0; i < 30; ++i) (void)de.desired_configuration(driver);
  driver.measure_everything = true;
  EXPECT_EQ(de.desired_configuration(driver).kind, Offer::Kind::Config);
}

}  // namespace
}  // namespace mapforge::search::opentuner
