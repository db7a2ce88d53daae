#include "search/opentuner/nelder_mead.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "search/opentuner/space.h"
#include "search/opentuner/test_driver.h"

namespace mapforge::search::opentuner {
namespace {

using testing::FakeDriver;

TEST(RandomNelderMead, OffersNothingWithoutIntegerParameters) {
  FakeDriver driver(
      {Parameter::enumeration("e", 4), Parameter::boolean("b"), Parameter::permutation("p", 3)}, 1);
  NelderMead technique;
  EXPECT_EQ(technique.name(), "RandomNelderMead");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(technique.desired_configuration(driver).kind, Offer::Kind::Nothing);
    EXPECT_TRUE(technique.done());
  }
}

TEST(RandomNelderMead, TestsTheSimplexThenReflectsTheWorstPoint) {
  std::vector<Parameter> space{Parameter::integer("x", 0, 100), Parameter::integer("y", 0, 100),
                               Parameter::enumeration("e", 3)};
  FakeDriver driver(space, 2);
  NelderMead technique;
  std::vector<Configuration> offered;
  for (int i = 0; i < 3; ++i) {
    Offer offer = technique.desired_configuration(driver);
    ASSERT_EQ(offer.kind, Offer::Kind::Config);
    offered.push_back(offer.config);
  }
  // One random point plus one per integer parameter, then a wait for their results.
  EXPECT_EQ(offered, technique.simplex());
  EXPECT_EQ(technique.desired_configuration(driver).kind, Offer::Kind::Wait);
  driver.set(offered[0], 3.0);
  driver.set(offered[1], 1.0);
  EXPECT_EQ(technique.desired_configuration(driver).kind, Offer::Kind::Wait);
  driver.set(offered[2], 2.0);

  Offer reflection = technique.desired_configuration(driver);
  ASSERT_EQ(reflection.kind, Offer::Kind::Config);
  // Sorted best first; the centroid averages all three points (OpenTuner includes the worst);
  // the reflection is centroid + 2 (centroid - worst), clipped to the range.
  std::vector<Configuration> sorted{offered[1], offered[2], offered[0]};
  EXPECT_EQ(technique.simplex(), sorted);
  for (std::size_t k = 0; k < 2; ++k) {
    double mean = 0;
    for (const auto& point : sorted) mean += unit_value(space[k], point.values[k]);
    mean /= 3;
    Value centroid = std::int64_t{0};
    set_unit_value(space[k], centroid, mean);
    double unit =
        3 * unit_value(space[k], centroid) - 2 * unit_value(space[k], offered[0].values[k]);
    Value expected = std::int64_t{0};
    set_unit_value(space[k], expected, std::clamp(unit, 0.0, 1.0));
    EXPECT_EQ(reflection.config.values[k], expected) << "parameter " << k;
  }
  // The enumeration comes from the best point, randomised only when the worst differs from the
  // centroid there.
  if (offered[0].values[2] == offered[1].values[2]) {
    EXPECT_EQ(reflection.config.values[2], offered[1].values[2]);
  }
}

// Runs the technique alone, measuring each offer with `f`, until it is done.
int run_alone(NelderMead& technique, FakeDriver& driver,
              const std::function<double(const Configuration&)>& f, int limit) {
  int tests = 0;
  for (int step = 0; step < limit && !technique.done(); ++step) {
    Offer offer = technique.desired_configuration(driver);
    if (offer.kind != Offer::Kind::Config) continue;
    ++tests;
    driver.set(offer.config, f(offer.config));
  }
  return tests;
}

// Alone on a bowl over 201 x 201 integers, Nelder-Mead ends within a few steps of the bottom
// (f = 1) after some 30-50 tests, then stops offering.
TEST(RandomNelderMead, DescendsAConvexBowlAndStops) {
  std::vector<Parameter> space{Parameter::integer("x", -100, 100),
                               Parameter::integer("y", -100, 100)};
  auto f = [](const Configuration& c) {
    double x = static_cast<double>(c.scalar(0) - 37);
    double y = static_cast<double>(c.scalar(1) + 21);
    return 1.0 + x * x + 2 * y * y;
  };
  int near_bottom = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    FakeDriver driver(space, seed);
    NelderMead technique;
    int tests = run_alone(technique, driver, f, 5000);
    EXPECT_TRUE(technique.done()) << "seed " << seed;
    EXPECT_LE(tests, 100) << "seed " << seed;
    ASSERT_NE(driver.best(), nullptr);
    near_bottom += f(*driver.best()) <= 1.0 + 5 * 5;
  }
  EXPECT_GE(near_bottom, 18);
}

TEST(RandomNelderMead, StaysDoneOnceConverged) {
  std::vector<Parameter> space{Parameter::integer("x", 0, 3)};
  FakeDriver driver(space, 9);
  NelderMead technique;
  run_alone(
      technique, driver, [](const Configuration& c) { return double(c.scalar(0)); }, 500);
  ASSERT_TRUE(technique.done());
  EXPECT_EQ(technique.desired_configuration(driver).kind, Offer::Kind::Nothing);
}

}  // namespace
}  // namespace mapforge::search::opentuner
