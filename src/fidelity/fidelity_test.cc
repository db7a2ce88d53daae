#include <gtest/gtest.h>

#include <cmath>

#include "app/app.h"
#include "fidelity/fidelity.h"

namespace mapforge::fidelity {
namespace {

constexpr std::string_view kMapperHeader = "app,nodes,expert,dsl,default,unit,note\n";

TEST(FidelityTables, ReadsMapperRowsWithOutOfMemoryAsEmpty) {
  ReadResult r = read_table(std::string(kMapperHeader) +
                                "cannon,2,9292.1,9765.3,4326.2,GFLOP/s per node,\n"
                                "summa,8,6136.0,6152.7,,GFLOP/s per node,OOM\n",
                            "t.csv");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.tables.mapper.size(), 2u);
  EXPECT_EQ(r.tables.mapper[0].app, "cannon");
  EXPECT_EQ(r.tables.mapper[0].nodes, 2);
  EXPECT_EQ(r.tables.mapper[0].line, 2);
  EXPECT_DOUBLE_EQ(*r.tables.mapper[0].by_default, 4326.2);
  EXPECT_FALSE(r.tables.mapper[1].by_default.has_value());
  EXPECT_EQ(r.tables.mapper[1].note, "OOM");
}

TEST(FidelityTables, ErrorsNameFileLineAndColumn) {
  ReadResult r =
      read_table(std::string(kMapperHeader) + "cannon,two,1,1,1,GFLOP/s per node,\n", "t.csv");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "t.csv:2: nodes: expected a whole number from 1 to 1048576, found 'two'");
  EXPECT_TRUE(r.tables.mapper.empty());

  r = read_table(std::string(kMapperHeader) + "cannon,2,1,1\n", "t.csv");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "t.csv:2: expected 7 fields, found 4");

  r = read_table("a,b,c\n1,2,3\n", "x.csv");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("x.csv:1: expected a header line"), std::string::npos);

  r = read_table("", "empty.csv");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "empty.csv: empty table (no header line)");
}

TEST(FidelityTables, StencilGridsMustHaveOneTilePerGpu) {
  const std::string header =
      "nodes,gpus,domain_x,domain_y,o_tiles_x,o_tiles_y,c_tiles_x,c_tiles_y,t_o_s,t_c_s,"
      "speedup\n";
  ReadResult ok = read_table(header + "1,4,707,1415,1,4,2,2,0.025,0.029,1.16\n", "s.csv");
  ASSERT_TRUE(ok.errors.empty());
  ASSERT_EQ(ok.tables.stencil.size(), 1u);
  EXPECT_EQ(ok.tables.stencil[0].o_tiles_y, 4);
  ReadResult bad = read_table(header + "1,4,707,1415,1,2,2,2,0.025,0.029,1.16\n", "s.csv");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0],
            "s.csv:2: the tile grids 1x2 and 2x2 must each have one tile per GPU (4)");
}

TEST(FidelityTables, BuiltinTablesAreThePublishedOnes) {
  Tables t = builtin_tables();
  EXPECT_EQ(t.mapper.size(), 26u);
  EXPECT_EQ(t.stencil.size(), 180u);
}

TEST(FidelityVariants, DefaultDropsPlacementButKeepsInitCublas) {
  const std::string expert(app::expert_policy("cannon"));
  const std::string variant = default_variant(expert, false);
  EXPECT_EQ(variant.find("SingleTaskMap"), std::string::npos);
  EXPECT_NE(variant.find("IndexTaskMap init_cublas block1d;"), std::string::npos);
  EXPECT_EQ(variant.find("auto2d"), std::string::npos);  // unused functions go too
  EXPECT_NE(variant.find("CollectMemory task_4 *;"), std::string::npos);
  EXPECT_NE(variant.find("Layout * * * SOA C_order;"), std::string::npos);
}

TEST(FidelityVariants, CircuitDefaultPutsEverythingInTheFramebuffer) {
  const std::string expert(app::expert_policy("circuit"));
  ASSERT_NE(expert.find("ZCMEM"), std::string::npos);
  const std::string variant = default_variant(expert, true);
  EXPECT_EQ(variant.find("ZCMEM"), std::string::npos);
  EXPECT_EQ(variant.find("IndexTaskMap"), std::string::npos);
  EXPECT_NE(variant.find("Region * * GPU FBMEM;"), std::string::npos);
}

TEST(FidelityStats, SpearmanMedianAndDirection) {
  EXPECT_DOUBLE_EQ(*spearman({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(*spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  EXPECT_FALSE(spearman({1, 2}, {1, 2}).has_value());
  EXPECT_FALSE(spearman({1, 2, 3}, {5, 5, 5}).has_value());
  EXPECT_NEAR(*spearman({1, 2, 2, 3}, {1, 2, 3, 4}), 0.9486833, 1e-6);
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median({4, 1, 2, 3}), 2.5);
  EXPECT_TRUE(agrees(0.5, 0.8));
  EXPECT_FALSE(agrees(0.5, 1.2));
  EXPECT_FALSE(agrees(1.3, 1.0));
  EXPECT_TRUE(agrees(std::nullopt, std::nullopt));  // both ran out of memory
  EXPECT_TRUE(agrees(std::nullopt, 0.85));          // at least 10% slower
  EXPECT_FALSE(agrees(std::nullopt, 0.95));
}

}  // namespace
}  // namespace mapforge::fidelity

namespace mapforge::fidelity {
namespace {

// Regression: the published effects the simulator reproduces keep their direction and size.
// Cannon and SUMMA under the runtime's default index placement (every leaf GEMM of a node on
// its first GPU) run at 0.2-0.85x of the expert at 1-16 nodes, as measured (0.28-0.80x).
TEST(FidelityRegression, TwoDimensionalMatmulsUnderTheDefaultPlacement) {
  Options options;
  options.apps = {"cannon", "summa"};
  options.max_nodes = 16;
  Tables tables = builtin_tables();
  tables.stencil.clear();
  std::erase_if(tables.mapper, [](const MapperRow& r) { return r.nodes > 16; });
  RunResult result = run(tables, options);
  ASSERT_TRUE(result.errors.empty()) << result.errors.front();
  ASSERT_EQ(result.report.comparisons.size(), 10u);
  for (const Comparison& c : result.report.comparisons) {
    EXPECT_TRUE(c.clear) << c.app << " " << c.nodes;
    EXPECT_TRUE(c.agrees) << c.app << " " << c.nodes;
    if (c.real) {
      ASSERT_TRUE(c.simulated) << c.app << " " << c.nodes << ": " << c.sim_error;
      EXPECT_GT(*c.simulated, 0.2) << c.app << " " << c.nodes;
      EXPECT_LT(*c.simulated, 0.85) << c.app << " " << c.nodes;
    }
  }
  // One node: a quarter of the GPUs do all the GEMMs.
  EXPECT_NEAR(*result.report.comparisons.front().simulated, 0.26, 0.04);
  // SUMMA's expert throughput per node within 1.5x of the measured one at 1-16 nodes.
  for (const Throughput& t : result.report.throughput)
    if (t.app == "summa") {
      ASSERT_TRUE(t.simulated);
      EXPECT_LT(std::abs(std::log(*t.simulated / t.real)), std::log(1.5)) << t.nodes;
    }
}

}  // namespace
}  // namespace mapforge::fidelity

namespace mapforge::fidelity {
namespace {

// Regression: the stencil sweep, where the decompose grid and its placement beat the
// near-square grid placed tile after tile (most for small tiles and elongated domains): the
// simulated speedups keep the real ones' direction and order.
TEST(FidelityRegression, StencilSweepDirectionsAndRankOrder) {
  Tables tables = builtin_tables();
  tables.mapper.clear();
  RunResult result = run(tables, Options{});
  ASSERT_TRUE(result.errors.empty()) << result.errors.front();
  const Summary& s = result.report.stencil;
  EXPECT_EQ(s.compared, 180);
  ASSERT_GT(s.clear, 80);
  EXPECT_GE(static_cast<double>(s.agree) / s.clear, 0.9);
  ASSERT_TRUE(s.spearman);
  EXPECT_GE(*s.spearman, 0.8);
  EXPECT_LE(s.median_abs_log_error, 0.3);
}

}  // namespace
}  // namespace mapforge::fidelity
