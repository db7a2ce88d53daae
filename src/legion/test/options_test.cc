// The plugin's pure parts: -mapping options and Layout words as Legion layouts.
#include <gtest/gtest.h>

#include "legion/layout.h"
#include "legion/options.h"

namespace mapforge::legion {
namespace {

TEST(Options, ReadsEveryMappingOptionAndIgnoresTheRest) {
  auto parsed = parse_options({"app", "-ll:cpu", "4", "-mapping", "p.map", "-mapping:trace",
                               "t%.txt", "-mapping:quiet", "-points", "8"});
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.options.policy_file, "p.map");
  EXPECT_EQ(parsed.options.trace_file, "t%.txt");
  EXPECT_TRUE(parsed.options.quiet);
  EXPECT_FALSE(parsed.options.check_only);
}

TEST(Options, NoMappingOptionMeansNoPolicy) {
  auto parsed = parse_options({"app", "-ll:cpu", "4"});
  ASSERT_EQ(parsed.error, "");
  EXPECT_FALSE(parsed.options.policy_file);
}

TEST(Options, BadOptionsSayWhichAndListTheGoodOnes) {
  auto missing = parse_options({"app", "-mapping"});
  EXPECT_NE(missing.error.find("-mapping needs a policy file"), std::string::npos);
  EXPECT_NE(missing.error.find("-mapping:trace FILE"), std::string::npos);
  auto unknown = parse_options({"app", "-mapping:trcae", "x"});
  EXPECT_NE(unknown.error.find("unknown option '-mapping:trcae'"), std::string::npos);
  auto check = parse_options({"app", "-mapping:check"});
  EXPECT_NE(check.error.find("-mapping:check needs -mapping FILE"), std::string::npos);
}

dsl::LayoutConstraint word(dsl::LayoutConstraint::Kind kind,
                           dsl::LayoutConstraint::Cmp cmp = dsl::LayoutConstraint::Cmp::EQ,
                           std::int64_t bytes = 0) {
  dsl::LayoutConstraint c;
  c.kind = kind;
  c.cmp = cmp;
  c.bytes = bytes;
  return c;
}

TEST(Layout, SilentPolicyIsLegionsDefaultSoaFortran) {
  InstanceLayout layout = resolve_layout(std::nullopt);
  EXPECT_FALSE(layout.aos);
  EXPECT_FALSE(layout.c_order);
  EXPECT_FALSE(layout.exact);
  EXPECT_FALSE(layout.alignment);
}

TEST(Layout, WordsBecomeOrderingAlignmentAndSpecialization) {
  using K = dsl::LayoutConstraint::Kind;
  using C = dsl::LayoutConstraint::Cmp;
  InstanceLayout layout = resolve_layout(std::vector<dsl::LayoutConstraint>{
      word(K::AOS), word(K::C_order), word(K::Exact), word(K::Align, C::GT, 64)});
  EXPECT_TRUE(layout.aos);
  EXPECT_TRUE(layout.c_order);
  EXPECT_TRUE(layout.exact);
  EXPECT_EQ(layout.alignment, 128u);
  EXPECT_EQ(resolve_layout(std::vector{word(K::Align, C::GE, 100)}).alignment, 128u);
  EXPECT_EQ(resolve_layout(std::vector{word(K::Align, C::EQ, 64)}).alignment, 64u);
  InstanceLayout upper = resolve_layout(std::vector{word(K::Align, C::LE, 64)});
  EXPECT_FALSE(upper.alignment);
  ASSERT_EQ(upper.ignored.size(), 1u);

  Legion::LayoutConstraintSet set =
      make_constraints(layout, 2, Legion::Memory::SYSTEM_MEM, {1, 2}, 0);
  const auto& order = set.ordering_constraint.ordering;
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0], LEGION_DIM_F);  // AOS: fields fastest
  EXPECT_EQ(order[1], LEGION_DIM_Y);  // C order: the last spatial dimension next
  EXPECT_EQ(order[2], LEGION_DIM_X);
  EXPECT_TRUE(set.specialized_constraint.is_exact());
  EXPECT_EQ(set.alignment_constraints.size(), 2u);

  Legion::LayoutConstraintSet soa =
      make_constraints(resolve_layout(std::nullopt), 2, Legion::Memory::SYSTEM_MEM, {1}, 0);
  EXPECT_EQ(soa.ordering_constraint.ordering.front(), LEGION_DIM_X);
  EXPECT_EQ(soa.ordering_constraint.ordering.back(), LEGION_DIM_F);
}

}  // namespace
}  // namespace mapforge::legion
