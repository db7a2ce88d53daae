#include <gtest/gtest.h>

#include "search/search.h"
#include "tune/tune.h"

namespace mapforge::tune {
namespace {

TEST(Metric, LastMatchWinsAndFirstGroupIsTheValue) {
  EXPECT_EQ(
      extract_metric("ELAPSED TIME = 2.5 s\nELAPSED TIME = 1.25 s\n", "ELAPSED TIME = ([0-9.]+) s"),
      1.25);
  EXPECT_EQ(extract_metric("nothing here", "T = ([0-9.]+)"), std::nullopt);
  EXPECT_EQ(extract_metric("x", "(unclosed"), std::nullopt);
}

TEST(Normalized, ExpertIsOneFailureIsZero) {
  EXPECT_EQ(normalized(2.0, 1.0, Objective::Minimize), 0.5);
  EXPECT_EQ(normalized(200.0, 100.0, Objective::Maximize), 2.0);
  EXPECT_EQ(normalized(std::nullopt, 1.0, Objective::Minimize), 0.0);
  EXPECT_EQ(normalized(1.0, std::nullopt, Objective::Minimize), std::nullopt);
}

}  // namespace
}  // namespace mapforge::tune
