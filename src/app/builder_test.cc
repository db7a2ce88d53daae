#include "app/builder.h"

#include <gtest/gtest.h>

#include "app/test_support.h"

namespace mapforge::app {
namespace {

using testing::example_app;

TEST(AppBuilder, BuildsAValidApp) {
  App app = example_app();
  EXPECT_TRUE(validate(app).empty());
  ASSERT_EQ(app.phases.size(), 2u);
  EXPECT_EQ(app.phases[1].repeat, 10);
  EXPECT_FALSE(app.phases[0].timed);
  EXPECT_EQ(app.partitions[1].pieces, (std::vector<std::vector<std::int32_t>>{{0}}));
  EXPECT_EQ(app.regions[0].elements(), 400);
}

TEST(AppBuilder, FixedProjectionInAnIndexLaunchGetsAZeroMatrix) {
  App app = example_app();
  const Projection& p = app.phases[1].launches[0].args[1].projection;
  EXPECT_EQ(p.matrix, (std::vector<std::vector<std::int64_t>>{{0}}));
  EXPECT_EQ(p.offset, (std::vector<std::int64_t>{0}));
}

TEST(AppBuilder, FieldNamesResolve) {
  App app = example_app();
  EXPECT_EQ(app.phases[1].launches[0].args[0].fields, (std::vector<int>{0, 1}));
  EXPECT_EQ(app.phases[0].launches[0].args[0].fields, (std::vector<int>{0, 1, 2}));
}

TEST(AppBuilder, IdentityAndAffine) {
  Projection id = AppBuilder::identity(2);
  EXPECT_EQ(id.matrix, (std::vector<std::vector<std::int64_t>>{{1, 0}, {0, 1}}));
  EXPECT_EQ(id.offset, (std::vector<std::int64_t>{0, 0}));
  Projection shift = AppBuilder::affine({{1, 0}}, {1});
  EXPECT_EQ(shift.matrix.size(), 1u);
  EXPECT_EQ(shift.offset, (std::vector<std::int64_t>{1}));
}

TEST(AppBuilder, ReferencesStayValidAcrossAdds) {
  AppBuilder b("refs");
  int r = b.add_region("r", {{"x", 8}}, {10});
  int p = b.add_whole("p", r);
  int t = b.add_task("t", KernelClass::Dense, {{VariantKind::CPU}}, {"a"});
  int no_args = b.add_task("u", KernelClass::Dense, {{VariantKind::CPU}}, {});
  Phase& first = b.add_phase("a");
  Launch& l0 = b.add_single_launch(first, t, 1);
  for (int i = 0; i < 100; ++i)
    b.add_single_launch(b.add_phase("f" + std::to_string(i)), no_args, 0);
  Launch& l1 = b.add_single_launch(first, t, 2);
  for (int i = 0; i < 100; ++i) b.add_single_launch(first, no_args, 3);
  b.arg(l0, p, AppBuilder::fixed({0}), Privilege::ReadOnly, {0});
  b.arg(l1, p, AppBuilder::fixed({0}), Privilege::ReadOnly, {0});
  b.set_parent(l1, l0);
  LoadResult result = b.finish({});
  ASSERT_TRUE(result.app) << result.errors[0];
  EXPECT_EQ(result.app->phases.size(), 101u);
  EXPECT_EQ(result.app->phases[0].launches.size(), 102u);
  EXPECT_EQ(result.app->phases[0].launches[1].flops, 2);
  EXPECT_EQ(result.app->phases[0].launches[1].parent_launch, 0);
  EXPECT_EQ(result.app->phases[0].launches[1].args.size(), 1u);
}

TEST(AppBuilder, SetParentRecordsTheIndex) {
  AppBuilder b("gemm");
  int r = b.add_region("r", {{"x", 8}}, {1, 1});
  int p = b.add_partition("p", r, {2}, {{0}, {1}});
  int outer = b.add_task("outer", KernelClass::Dense, {{VariantKind::CPU}}, {});
  int leaf = b.add_task("leaf", KernelClass::Dense, {{VariantKind::CPU}}, {"a"});
  Phase& phase = b.add_phase("main");
  Launch& parent = b.add_index_launch(phase, outer, {2}, 0);
  Launch& leaf_launch = b.add_index_launch(phase, leaf, {2}, 1e9);
  b.arg(leaf_launch, p, AppBuilder::identity(1), Privilege::ReadWrite, {0});
  b.set_parent(leaf_launch, parent);
  LoadResult result = b.finish({Metric::Kind::Throughput, 2e9, ""});
  ASSERT_TRUE(result.app) << result.errors[0];
  EXPECT_EQ(result.app->phases[0].launches[1].parent_launch, 0);
}

TEST(AppBuilder, MistakesBecomeErrors) {
  AppBuilder b("bad");
  int r = b.add_region("r", {{"x", 8}}, {4});
  int p = b.add_whole("p", r);
  EXPECT_TRUE(b.fields(p, {"y"}).empty());
  EXPECT_TRUE(b.fields(7, {"x"}).empty());
  b.add_whole("q", 5);
  Phase& phase = b.add_phase("main");
  Launch& l = b.add_single_launch(phase, 3, 0);
  AppBuilder other("other");
  Phase& foreign = other.add_phase("x");
  Launch& stray = b.add_single_launch(foreign, 0, 0);
  b.set_parent(stray, l);
  LoadResult result = b.finish({});
  EXPECT_FALSE(result.app);
  std::vector<std::string> expected = {
      "bad: fields: region r has no field y",
      "bad: fields: partition index 7 out of range",
      "bad: add_index_launch: the phase was not made by this builder",
      "bad: set_parent: the parent is not a launch of the child's phase",
      "bad: /partitions/1/region: index 5 out of range (1 regions)",
      "bad: /phases/0/launches/0/task: index 3 out of range (0 tasks)",
      "bad: /phases/1/launches/0/task: index 0 out of range (0 tasks)",
  };
  EXPECT_EQ(result.errors, expected);
}

constexpr std::string_view kKnown[] = {"pieces", "loops"};

TEST(SizeParams, DefaultsAndOverrides) {
  std::vector<std::string> errors;
  Sizes sizes = {{"loops", 7}};
  EXPECT_TRUE(check_size_names("circuit", sizes, kKnown, errors));
  EXPECT_EQ(size_param("circuit", sizes, "pieces", 16, 1, 65536, errors), 16);
  EXPECT_EQ(size_param("circuit", sizes, "loops", 50, 1, 1000, errors), 7);
  EXPECT_TRUE(errors.empty());
}

TEST(SizeParams, OutOfRange) {
  std::vector<std::string> errors;
  Sizes sizes = {{"pieces", 0}};
  EXPECT_EQ(size_param("circuit", sizes, "pieces", 16, 1, 65536, errors), std::nullopt);
  EXPECT_EQ(errors,
            std::vector<std::string>{"circuit: size 'pieces' must be between 1 and 65536, got 0"});
}

TEST(SizeParams, UnknownAndRepeatedNames) {
  std::vector<std::string> errors;
  Sizes sizes = {{"piece", 3}, {"loops", 1}, {"loops", 2}};
  EXPECT_FALSE(check_size_names("circuit", sizes, kKnown, errors));
  std::vector<std::string> expected = {"circuit: unknown size 'piece'; sizes are pieces, loops",
                                       "circuit: size 'loops' given twice"};
  EXPECT_EQ(errors, expected);
  errors.clear();
  EXPECT_FALSE(check_size_names("none", {{"x", 1}}, {}, errors));
  EXPECT_EQ(errors[0], "none: unknown size 'x'; sizes are none");
}

}  // namespace
}  // namespace mapforge::app
