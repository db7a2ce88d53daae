// Tests of the six DISTAL-style matrix multiplication generators.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "app/builtin/matmul_common.h"

namespace mapforge::app {
namespace {

using Generator = LoadResult (*)(const MachineFacts&, const Sizes&);
struct Named {
  const char* name;
  Generator generate;
};
const Named kAll[] = {{"cannon", generate_cannon},       {"summa", generate_summa},
                      {"pumma", generate_pumma},         {"johnson", generate_johnson},
                      {"solomonik", generate_solomonik}, {"cosma", generate_cosma}};
const MachineFacts kMachines[] = {{1, 4, 20}, {4, 4, 40}, {16, 4, 40}};

double leaf_flops(const App& app) {
  const int leaf = app.find_task("task_4");
  double total = 0;
  for (const Phase& phase : app.phases)
    for (const Launch& l : phase.launches)
      if (l.task == leaf) {
        double points = 1;
        for (std::int64_t e : l.domain) points *= static_cast<double>(e);
        total += l.flops * points * static_cast<double>(phase.repeat);
      }
  return total;
}

std::vector<std::int64_t> color_of(const Projection& proj, const std::vector<std::int64_t>& point,
                                   const std::vector<std::int64_t>& extents) {
  std::vector<std::int64_t> color(proj.offset.size());
  for (std::size_t r = 0; r < color.size(); ++r) {
    std::int64_t v = proj.offset[r];
    for (std::size_t d = 0; d < point.size(); ++d) v += proj.matrix[r][d] * point[d];
    color[r] = ((v % extents[r]) + extents[r]) % extents[r];
  }
  return color;
}

TEST(Matmul, DefaultsValidateOnPublishedMachines) {
  for (const Named& g : kAll)
    for (const MachineFacts& m : kMachines) {
      LoadResult r = g.generate(m, {});
      ASSERT_TRUE(r.app.has_value())
          << g.name << " nodes=" << m.nodes << ": " << (r.errors.empty() ? "" : r.errors.front());
      EXPECT_TRUE(validate(*r.app).empty()) << g.name;
      EXPECT_EQ(r.app->name, g.name);
      EXPECT_EQ(r.app->metric.kind, Metric::Kind::Throughput);
    }
}

TEST(Matmul, CpuOnlyMachineAndOddCountsValidate) {
  for (const Named& g : kAll)
    for (const MachineFacts& m : {MachineFacts{1, 0, 16}, MachineFacts{3, 2, 8},
                                  MachineFacts{5, 4, 40}, MachineFacts{2, 1, 4}}) {
      LoadResult r = g.generate(m, {});
      ASSERT_TRUE(r.app.has_value()) << g.name << ": " << r.errors.front();
      EXPECT_EQ(r.app->find_task("init_cublas") >= 0, m.gpus_per_node > 0) << g.name;
    }
}

TEST(Matmul, TaskNamesFollowTheGeneratedPrograms) {
  for (const Named& g : kAll) {
    LoadResult r = g.generate(MachineFacts{1, 4, 20}, {});
    ASSERT_TRUE(r.app);
    for (const char* t : {"init_cublas", "taco_fill", "task_1", "task_2", "task_3", "task_4",
                          "task_5", "taco_validate"})
      EXPECT_GE(r.app->find_task(t), 0) << g.name << " " << t;
    const Task& leaf = r.app->tasks[static_cast<std::size_t>(r.app->find_task("task_4"))];
    EXPECT_EQ(leaf.kernel, KernelClass::Dense);
    for (VariantKind k : {VariantKind::GPU, VariantKind::CPU}) {
      const Variant* v = leaf.variant(k);
      ASSERT_NE(v, nullptr);
      ASSERT_EQ(v->layouts.size(), 3u);
      for (const auto& req : v->layouts) {
        ASSERT_TRUE(req.has_value());
        EXPECT_EQ(req->c_order, std::optional<bool>(true));
        EXPECT_EQ(req->failure, LayoutRequirement::Failure::BlasParameter);
        EXPECT_EQ(req->blas_parameter, 8);
      }
    }
    // Every leaf launch is the child of the task_5 launch just before it.
    const int leaf_task = r.app->find_task("task_4");
    const int compute = r.app->find_task("task_5");
    for (const Phase& phase : r.app->phases)
      for (std::size_t i = 0; i < phase.launches.size(); ++i)
        if (phase.launches[i].task == leaf_task) {
          ASSERT_EQ(phase.launches[i].parent_launch, static_cast<int>(i) - 1);
          EXPECT_EQ(phase.launches[i - 1].task, compute);
          EXPECT_TRUE(phase.timed);
        } else if (phase.launches[i].task != compute) {
          EXPECT_FALSE(phase.timed) << g.name << " " << phase.name;
        }
  }
}

TEST(Matmul, LeafFlopsTotalTwoNCubed) {
  for (const Named& g : kAll)
    for (const MachineFacts& m : kMachines) {
      LoadResult r = g.generate(m, {});
      ASSERT_TRUE(r.app);
      const double n = static_cast<double>(matmul::default_n(m));
      EXPECT_NEAR(leaf_flops(*r.app), 2 * n * n * n, 1e-9 * 2 * n * n * n) << g.name;
      EXPECT_DOUBLE_EQ(r.app->metric.work, 2 * n * n * n);
    }
  // Also with an n the grid does not divide.
  for (const Named& g : kAll) {
    LoadResult r = g.generate(MachineFacts{4, 4, 40}, {{"n", 12345}});
    ASSERT_TRUE(r.app);
    EXPECT_NEAR(leaf_flops(*r.app), 2.0 * 12345.0 * 12345.0 * 12345.0, 1e3) << g.name;
  }
}

TEST(Matmul, WeakScalingKeepsFlopsPerGpu) {
  for (const Named& g : kAll) {
    std::vector<double> per_gpu;
    for (const MachineFacts& m : kMachines) {
      LoadResult r = g.generate(m, {});
      ASSERT_TRUE(r.app);
      per_gpu.push_back(leaf_flops(*r.app) / (m.nodes * m.gpus_per_node));
    }
    // n = 20000 sqrt(nodes): flops per GPU grow as sqrt(nodes) (memory per GPU stays constant,
    // as published); per GPU per sqrt(nodes) they are constant.
    for (std::size_t i = 0; i < per_gpu.size(); ++i)
      EXPECT_NEAR(per_gpu[i] / std::sqrt(kMachines[i].nodes), per_gpu[0], 0.01 * per_gpu[0])
          << g.name;
  }
}

TEST(Matmul, DefaultGrids) {
  auto desc = [](Generator g, MachineFacts m) { return g(m, {}).app->description; };
  EXPECT_NE(desc(generate_cannon, {1, 4, 20}).find("2 x 2 grid, 2 systolic"), std::string::npos);
  EXPECT_NE(desc(generate_cannon, {2, 4, 20}).find("4 x 2 grid, 4 systolic"), std::string::npos);
  EXPECT_NE(desc(generate_summa, {16, 4, 40}).find("8 x 8 grid"), std::string::npos);
  EXPECT_NE(desc(generate_johnson, {1, 4, 20}).find("2 x 2 x 2"), std::string::npos);
  EXPECT_NE(desc(generate_johnson, {4, 4, 40}).find("4 x 4 x 4"), std::string::npos);
  EXPECT_NE(desc(generate_solomonik, {2, 4, 40}).find("2 layers of a 2 x 2"), std::string::npos);
  EXPECT_NE(desc(generate_solomonik, {16, 4, 40}).find("1 layers of a 8 x 8"), std::string::npos);
  EXPECT_NE(desc(generate_cosma, {1, 4, 20}).find("1 x 2 x 2"), std::string::npos);
  EXPECT_NE(desc(generate_cosma, {4, 4, 40}).find("2 x 2 x 4"), std::string::npos);
  EXPECT_NE(desc(generate_cosma, {3, 4, 40}).find("2 x 2 x 3"), std::string::npos);
  EXPECT_EQ(matmul::grid_2d(32), (std::pair<std::int64_t, std::int64_t>{8, 4}));
  EXPECT_EQ(matmul::grid_2d(12), (std::pair<std::int64_t, std::int64_t>{4, 3}));
  EXPECT_EQ(matmul::default_n({2, 4, 40}), 28284);
}

// Cannon (and PUMMA, and each Solomonik layer) visit every k panel exactly once per (i, j).
TEST(Matmul, ShiftsVisitEveryPanelOnce) {
  for (Generator gen : {generate_cannon, generate_pumma, generate_solomonik})
    for (const Sizes& sizes :
         {Sizes{}, Sizes{{"gx", 3}, {"gy", 2}}, Sizes{{"rpoc", 3}, {"c", 2}}}) {
      if (gen != generate_solomonik && !sizes.empty() && sizes[0].first == "rpoc") continue;
      if (gen == generate_solomonik && !sizes.empty() && sizes[0].first == "gx") continue;
      LoadResult r = gen(MachineFacts{2, 4, 40}, sizes);
      ASSERT_TRUE(r.app) << r.errors.front();
      const App& app = *r.app;
      const int leaf = app.find_task("task_4");
      std::map<std::vector<std::int64_t>, std::multiset<std::int64_t>> a_k;
      std::map<std::vector<std::int64_t>, std::multiset<std::int64_t>> b_k;
      std::int64_t panels = 0;
      for (const Phase& phase : app.phases)
        for (const Launch& l : phase.launches) {
          if (l.task != leaf) continue;
          const Partition& pa = app.partitions[static_cast<std::size_t>(l.args[0].partition)];
          const Partition& pb = app.partitions[static_cast<std::size_t>(l.args[1].partition)];
          panels = pa.color_extents[1];
          std::vector<std::int64_t> p(l.domain.size(), 0);
          std::function<void(std::size_t)> walk = [&](std::size_t d) {
            if (d == p.size()) {
              auto ca = color_of(l.args[0].projection, p, pa.color_extents);
              auto cb = color_of(l.args[1].projection, p, pb.color_extents);
              EXPECT_EQ(ca[0], p[0]);
              EXPECT_EQ(cb[1], p[1]);
              EXPECT_EQ(ca[1], cb[0]);  // the same k panel of A and B
              a_k[{p[0], p[1]}].insert(ca[1]);
              b_k[{p[0], p[1]}].insert(cb[0]);
              return;
            }
            for (p[d] = 0; p[d] < l.domain[d]; ++p[d]) walk(d + 1);
          };
          walk(0);
        }
      ASSERT_FALSE(a_k.empty());
      for (const auto& [ij, ks] : a_k) {
        ASSERT_EQ(static_cast<std::int64_t>(ks.size()), panels);
        for (std::int64_t k = 0; k < panels; ++k) EXPECT_EQ(ks.count(k), 1u);
      }
    }
}

TEST(Matmul, SizeOverrideErrors) {
  LoadResult r = generate_cannon(MachineFacts{1, 4, 20}, {{"gz", 2}});
  ASSERT_FALSE(r.app);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "cannon: unknown size 'gz'; sizes are n, gx, gy");
  r = generate_summa(MachineFacts{1, 4, 20}, {{"n", 0}});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "summa: size 'n' must be between 1 and 10000000, got 0");
  r = generate_johnson(MachineFacts{1, 4, 20}, {{"g", 0}});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "johnson: size 'g' must be between 1 and 256, got 0");
  r = generate_cosma(MachineFacts{1, 4, 20}, {{"n", 3}, {"gz", 4}});
  ASSERT_FALSE(r.app);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0],
            "cosma: n = 3 is smaller than the 4 tiles per dimension of A; give a larger n or a "
            "smaller grid");
  r = generate_solomonik(MachineFacts{1, 4, 20}, {{"c", 2}, {"c", 3}});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "solomonik: size 'c' given twice");
  r = generate_pumma(MachineFacts{1, 4, 20}, {{"gx", 4}, {"gy", 3}, {"n", 1000}});
  ASSERT_TRUE(r.app) << r.errors.front();
  EXPECT_NE(r.app->description.find("4 x 3 grid, 24 steps, n = 1000"), std::string::npos);
}

TEST(Matmul, Deterministic) {
  for (const Named& g : kAll) {
    LoadResult a = g.generate(MachineFacts{4, 4, 40}, {});
    LoadResult b = g.generate(MachineFacts{4, 4, 40}, {});
    ASSERT_TRUE(a.app && b.app);
    EXPECT_EQ(*a.app, *b.app);
  }
}

}  // namespace
}  // namespace mapforge::app
