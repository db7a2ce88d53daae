#include "app/app.h"

#include <cmath>
#include <functional>
#include <limits>

#include <gtest/gtest.h>

#include "app/test_support.h"

namespace mapforge::app {
namespace {

using testing::example_app;

TEST(Model, ToString) {
  EXPECT_EQ(to_string(VariantKind::OMP), "OMP");
  EXPECT_EQ(to_string(KernelClass::Irregular), "irregular");
  EXPECT_EQ(to_string(Privilege::WriteDiscard), "write_discard");
  EXPECT_EQ(to_string(ReduceOp::Prod), "prod");
}

TEST(Model, Accessors) {
  App app = example_app();
  EXPECT_EQ(app.find_task("step"), 1);
  EXPECT_EQ(app.find_task("nope"), -1);
  const Task& step = app.tasks[1];
  ASSERT_NE(step.variant(VariantKind::GPU), nullptr);
  EXPECT_EQ(step.variant(VariantKind::GPU)->layouts.size(), 1u);
  EXPECT_EQ(step.variant(VariantKind::OMP), nullptr);
  EXPECT_EQ(app.regions[0].elements(), 400);
}

struct Case {
  const char* name;
  std::function<void(App&)> edit;
  std::vector<std::string> errors;
};

Launch& step_launch(App& app) { return app.phases[1].launches[0]; }
RegionArg& tile_arg(App& app) { return step_launch(app).args[0]; }

const Case kCases[] = {
    {"app name", [](App& a) { a.name.clear(); }, {"/name: empty name"}},
    {"region name",
     [](App& a) { a.regions[1].name = "cells"; },
     {"/regions/1/name: duplicate region name \"cells\" (also /regions/0)"}},
    {"no fields",
     [](App& a) { a.regions[1].fields.clear(); },
     {"/regions/1/fields: a region needs at least one field",
      "/phases/1/launches/0/args/1/fields/0: index 0 out of range (0 fields)"}},
    {"field name",
     [](App& a) { a.regions[0].fields[1].name = "t"; },
     {"/regions/0/fields/1/name: duplicate field name \"t\" (also /regions/0/fields/0)"}},
    {"empty field name",
     [](App& a) { a.regions[0].fields[1].name = ""; },
     {"/regions/0/fields/1/name: empty name"}},
    {"field bytes",
     [](App& a) { a.regions[0].fields[2].bytes = -4; },
     {"/regions/0/fields/2/bytes: must be positive, got -4"}},
    {"no blocks",
     [](App& a) { a.regions[1].block_elements.clear(); },
     {"/regions/1/block_elements: a region needs at least one block",
      "/partitions/1/pieces/0/0: index 0 out of range (0 blocks)"}},
    {"block size",
     [](App& a) { a.regions[0].block_elements[3] = 0; },
     {"/regions/0/block_elements/3: must be positive, got 0"}},
    {"dims", [](App& a) { a.regions[0].dims = 4; }, {"/regions/0/dims: must be 1, 2 or 3, got 4"}},
    {"partition name",
     [](App& a) { a.partitions[1].name = "tiles"; },
     {"/partitions/1/name: duplicate partition name \"tiles\" (also /partitions/0)"}},
    {"partition region",
     [](App& a) { a.partitions[0].region = 2; },
     {"/partitions/0/region: index 2 out of range (2 regions)"}},
    {"color dims",
     [](App& a) {
       a.partitions[0].color_extents = {1, 1, 1, 4};
     },
     {"/partitions/0/color_extents: must have 1 to 3 dimensions, got 4",
      "/phases/0/launches/0/args/0/projection/matrix: 1 rows for a partition with 4 color "
      "dimensions",
      "/phases/0/launches/0/args/0/projection/offset: 1 entries for a partition with 4 color "
      "dimensions",
      "/phases/1/launches/0/args/0/projection/matrix: 1 rows for a partition with 4 color "
      "dimensions",
      "/phases/1/launches/0/args/0/projection/offset: 1 entries for a partition with 4 color "
      "dimensions"}},
    {"color extent",
     [](App& a) {
       a.partitions[0].color_extents = {4, 0};
     },
     {"/partitions/0/color_extents/1: must be at least 1, got 0",
      "/phases/0/launches/0/args/0/projection/matrix: 1 rows for a partition with 2 color "
      "dimensions",
      "/phases/0/launches/0/args/0/projection/offset: 1 entries for a partition with 2 color "
      "dimensions",
      "/phases/1/launches/0/args/0/projection/matrix: 1 rows for a partition with 2 color "
      "dimensions",
      "/phases/1/launches/0/args/0/projection/offset: 1 entries for a partition with 2 color "
      "dimensions"}},
    {"piece count",
     [](App& a) { a.partitions[0].pieces.pop_back(); },
     {"/partitions/0/pieces: 3 pieces but color_extents [4] has 4 colors"}},
    {"block id",
     [](App& a) { a.partitions[0].pieces[2] = {9}; },
     {"/partitions/0/pieces/2/0: index 9 out of range (4 blocks)"}},
    {"block twice",
     [](App& a) {
       a.partitions[0].pieces[2] = {2, 2};
     },
     {"/partitions/0/pieces/2/1: block 2 appears twice in the piece"}},
    {"not disjoint",
     [](App& a) {
       a.partitions[0].pieces[2] = {2, 1};
     },
     {"/partitions/0/pieces/2/1: block 1 is also in piece 1 of a disjoint partition"}},
    {"aliased is fine",
     [](App& a) {
       a.partitions[0].pieces[2] = {2, 1};
       a.partitions[0].disjoint = false;
     },
     {}},
    {"task name",
     [](App& a) { a.tasks[1].name = "init"; },
     {"/tasks/1/name: duplicate task name \"init\" (also /tasks/0)"}},
    {"no variants",
     [](App& a) { a.tasks[0].variants.clear(); },
     {"/tasks/0/variants: a task needs at least one variant"}},
    {"variant kind",
     [](App& a) { a.tasks[1].variants[1].kind = VariantKind::GPU; },
     {"/tasks/1/variants/1/kind: duplicate variant kind GPU (also /tasks/1/variants/0)"}},
    {"layouts",
     [](App& a) { a.tasks[1].variants[0].layouts.resize(3); },
     {"/tasks/1/variants/0/layouts: 3 layouts for 2 arguments"}},
    {"blas parameter",
     [](App& a) { a.tasks[1].variants[0].layouts[0]->blas_parameter = 0; },
     {"/tasks/1/variants/0/layouts/0/blas_parameter: must be positive, got 0"}},
    {"arg name",
     [](App& a) { a.tasks[1].arg_names[1] = ""; },
     {"/tasks/1/arg_names/1: empty name"}},
    {"no phases", [](App& a) { a.phases.clear(); }, {"/phases: an app needs at least one phase"}},
    {"repeat",
     [](App& a) { a.phases[1].repeat = 0; },
     {"/phases/1/repeat: must be at least 1, got 0"}},
    {"launch task",
     [](App& a) { step_launch(a).task = 9; },
     {"/phases/1/launches/0/task: index 9 out of range (2 tasks)"}},
    {"arg count",
     [](App& a) { step_launch(a).args.pop_back(); },
     {"/phases/1/launches/0/args: 1 arguments but task \"step\" has 2"}},
    {"domain dims",
     [](App& a) {
       step_launch(a).domain = {1, 1, 1, 4};
     },
     {"/phases/1/launches/0/domain: must have 1 to 3 dimensions, got 4",
      "/phases/1/launches/0/args/0/projection/matrix/0: 1 columns for a launch domain with 4 "
      "dimensions",
      "/phases/1/launches/0/args/1/projection/matrix/0: 1 columns for a launch domain with 4 "
      "dimensions"}},
    {"domain extent",
     [](App& a) { step_launch(a).domain = {0}; },
     {"/phases/1/launches/0/domain/0: must be at least 1, got 0"}},
    {"flops",
     [](App& a) { step_launch(a).flops = -1; },
     {"/phases/1/launches/0/flops: must be a non-negative number, got -1"}},
    {"overhead",
     [](App& a) { step_launch(a).overhead_s = std::nan(""); },
     {"/phases/1/launches/0/overhead_s: must be a non-negative number, got nan"}},
    {"parent later",
     [](App& a) { step_launch(a).parent_launch = 0; },
     {"/phases/1/launches/0/parent_launch: must be -1 or an earlier launch of the phase, got 0"}},
    {"parent domain",
     [](App& a) {
       Launch copy = step_launch(a);
       copy.parent_launch = 0;
       copy.domain = {2};
       a.phases[1].launches.push_back(copy);
     },
     {"/phases/1/launches/1/parent_launch: launch 0 has domain [4], this launch [2]"}},
    {"nested block",
     [](App& a) {
       Launch copy = step_launch(a);
       copy.parent_launch = 0;
       copy.domain = {12};
       copy.parent_block = {2};
       a.phases[1].launches.push_back(copy);
     },
     {"/phases/1/launches/1/parent_block: launch 0 has domain [4]; with parent_block [2] this "
      "launch must have their product, not [12]"}},
    {"nested without parent",
     [](App& a) { step_launch(a).parent_block = {2}; },
     {"/phases/1/launches/0/parent_block: needs a parent_launch"}},
    {"arg partition",
     [](App& a) { tile_arg(a).partition = 9; },
     {"/phases/1/launches/0/args/0/partition: index 9 out of range (2 partitions)"}},
    {"matrix rows",
     [](App& a) { tile_arg(a).projection.matrix.push_back({0}); },
     {"/phases/1/launches/0/args/0/projection/matrix: 2 rows for a partition with 1 color "
      "dimensions"}},
    {"matrix columns",
     [](App& a) {
       tile_arg(a).projection.matrix[0] = {1, 0};
     },
     {"/phases/1/launches/0/args/0/projection/matrix/0: 2 columns for a launch domain with 1 "
      "dimensions"}},
    {"single launch matrix",
     [](App& a) { step_launch(a).domain.clear(); },
     {"/phases/1/launches/0/args/0/projection/matrix: must be empty for a single launch, got 1 "
      "rows",
      "/phases/1/launches/0/args/1/projection/matrix: must be empty for a single launch, got 1 "
      "rows"}},
    {"offset",
     [](App& a) { tile_arg(a).projection.offset = {}; },
     {"/phases/1/launches/0/args/0/projection/offset: 0 entries for a partition with 1 color "
      "dimensions"}},
    {"reduce without op",
     [](App& a) { step_launch(a).args[1].reduce = ReduceOp::None; },
     {"/phases/1/launches/0/args/1/reduce: a reduce argument needs an operator"}},
    {"op without reduce",
     [](App& a) { tile_arg(a).reduce = ReduceOp::Max; },
     {"/phases/1/launches/0/args/0/reduce: only a reduce argument has an operator, got max with "
      "read_write"}},
    {"passes",
     [](App& a) { tile_arg(a).passes = -0.5; },
     {"/phases/1/launches/0/args/0/passes: must be a non-negative number, got -0.5"}},
    {"no fields in arg",
     [](App& a) { tile_arg(a).fields.clear(); },
     {"/phases/1/launches/0/args/0/fields: an argument needs at least one field"}},
    {"field index",
     [](App& a) {
       tile_arg(a).fields = {0, 3};
     },
     {"/phases/1/launches/0/args/0/fields/1: index 3 out of range (3 fields)"}},
    {"field twice",
     [](App& a) {
       tile_arg(a).fields = {1, 1};
     },
     {"/phases/1/launches/0/args/0/fields/1: field 1 appears twice"}},
    {"metric",
     [](App& a) { a.metric.work = -std::numeric_limits<double>::infinity(); },
     {"/metric/work: must be a non-negative number, got -inf"}},
};

TEST(Validate, EveryRule) {
  ASSERT_TRUE(validate(example_app()).empty());
  for (const Case& c : kCases) {
    App app = example_app();
    c.edit(app);
    EXPECT_EQ(validate(app), c.errors) << c.name;
  }
}

TEST(Validate, StopsAfterFiftyErrors) {
  App app = example_app();
  app.regions[0].block_elements.assign(1000, -1);
  std::vector<std::string> errors = validate(app);
  ASSERT_EQ(errors.size(), 51u);
  EXPECT_EQ(errors.back(), "too many errors; only the first 50 are shown");
}

TEST(Validate, HugeExtentsDoNotOverflow) {
  App app = example_app();
  app.partitions[0].color_extents = {INT64_MAX, INT64_MAX, 2};
  std::vector<std::string> errors = validate(app);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0],
            "/partitions/0/pieces: 4 pieces but color_extents [9223372036854775807, "
            "9223372036854775807, 2] has 9223372036854775807 colors");
}

}  // namespace
}  // namespace mapforge::app
