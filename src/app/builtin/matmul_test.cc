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

bool is_2d(std::string_view name) { return name == "cannon" || name == "summa" || name == "pumma"; }

// The node grid's rows (gx) of a 2-D program: the extent of task_7's launch.
std::int64_t node_rows(const App& app) {
  const int node = app.find_task("task_7");
  for (const Phase& phase : app.phases)
    for (const Launch& l : phase.launches)
      if (l.task == node) return l.domain[0];
  return 0;
}

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
    for (const char* t :
         {"init_cublas", "taco_fill", "task_1", "task_2", "task_3", "task_4", "taco_validate"})
      EXPECT_GE(r.app->find_task(t), 0) << g.name << " " << t;
    // Johnson's leaf is its compute launch (no task_5).
    EXPECT_EQ(r.app->find_task("task_5") >= 0, std::string_view(g.name) != "johnson") << g.name;
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
    // The leaves' parents: the task_5 launch just before them (johnson, solomonik, cosma), or
    // in the 2-D programs a task_5 launch nested in a task_6 launch, itself the child of the
    // task_7 launch over the node grid.
    const int leaf_task = r.app->find_task("task_4");
    const int compute = r.app->find_task("task_5");
    const bool hierarchy = is_2d(g.name);
    const int node_step = r.app->find_task("task_6");
    const int node = r.app->find_task("task_7");
    EXPECT_EQ(node_step >= 0 && node >= 0, hierarchy) << g.name;
    for (const Phase& phase : r.app->phases)
      for (std::size_t i = 0; i < phase.launches.size(); ++i) {
        const Launch& l = phase.launches[i];
        if (l.task == leaf_task && std::string_view(g.name) == "johnson") {
          EXPECT_EQ(l.parent_launch, -1);
          EXPECT_EQ(l.domain.size(), 3u);
          EXPECT_TRUE(phase.timed);
        } else if (l.task == leaf_task) {
          ASSERT_GE(l.parent_launch, 0);
          EXPECT_EQ(phase.launches[static_cast<std::size_t>(l.parent_launch)].task, compute);
          if (!hierarchy) {
            EXPECT_EQ(l.parent_launch, static_cast<int>(i) - 1);
          }
          EXPECT_TRUE(phase.timed);
        } else if (hierarchy && l.task == compute) {
          ASSERT_GE(l.parent_launch, 0);
          EXPECT_EQ(phase.launches[static_cast<std::size_t>(l.parent_launch)].task, node_step);
          EXPECT_EQ(l.parent_block, (std::vector<std::int64_t>{2, 2}));
          EXPECT_TRUE(l.args.empty());  // mapped virtually
        } else if (hierarchy && l.task == node_step) {
          ASSERT_GE(l.parent_launch, 0);
          EXPECT_EQ(phase.launches[static_cast<std::size_t>(l.parent_launch)].task, node);
        } else if (l.task != compute && l.task != node &&
                   !(std::string_view(g.name) == "johnson" &&
                     l.task == r.app->find_task("task_1"))) {
          // Johnson's timed body ends with task_1 folding the partial sums of C.
          EXPECT_FALSE(phase.timed) << g.name << " " << phase.name;
        }
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
  // The drivers' node grids: summa the smaller side first, cannon the larger; 2 x 2 GPUs each.
  EXPECT_NE(desc(generate_cannon, {1, 4, 20})
                .find("1 x 1 node grid of 2 x 2 processors each (a "
                      "2 x 2 grid), 2 steps"),
            std::string::npos);
  EXPECT_NE(desc(generate_cannon, {2, 4, 20})
                .find("2 x 1 node grid of 2 x 2 processors each (a "
                      "4 x 2 grid), 4 steps"),
            std::string::npos);
  EXPECT_NE(desc(generate_summa, {2, 4, 20})
                .find("1 x 2 node grid of 2 x 2 processors each (a "
                      "2 x 4 grid), 2 steps"),
            std::string::npos);
  EXPECT_NE(desc(generate_summa, {8, 4, 40}).find("2 x 4 node grid"), std::string::npos);
  EXPECT_NE(desc(generate_cannon, {8, 4, 40}).find("4 x 2 node grid"), std::string::npos);
  EXPECT_NE(desc(generate_summa, {16, 4, 40}).find("(a 8 x 8 grid)"), std::string::npos);
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

// Solomonik's layers visit every k panel exactly once per (i, j).
TEST(Matmul, ShiftsVisitEveryPanelOnce) {
  for (const Sizes& sizes : {Sizes{}, Sizes{{"rpoc", 3}, {"c", 2}}}) {
    LoadResult r = generate_solomonik(MachineFacts{2, 4, 40}, sizes);
    ASSERT_TRUE(r.app) << r.errors.front();
    const App& app = *r.app;
    const int leaf = app.find_task("task_4");
    std::map<std::vector<std::int64_t>, std::multiset<std::int64_t>> a_k;
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

// In the 2-D programs every GPU (I, J) multiplies each block of its row of A and of its column
// of B exactly once over the steps, and the k extents of the two agree: sum(A) sum(B) = n^2 C.
TEST(Matmul, TwoDimensionalStepsCoverTheSharedDimensionOnce) {
  for (Generator gen : {generate_cannon, generate_summa, generate_pumma})
    for (MachineFacts m : {MachineFacts{1, 4, 20}, MachineFacts{2, 4, 40}, MachineFacts{8, 4, 40}})
      for (const Sizes& sizes : {Sizes{}, Sizes{{"n", 1001}}}) {
        LoadResult r = gen(m, sizes);
        ASSERT_TRUE(r.app) << r.errors.front();
        const App& app = *r.app;
        const double n = sizes.empty() ? static_cast<double>(matmul::default_n(m)) : 1001.0;
        const int leaf = app.find_task("task_4");
        std::map<std::int64_t, std::multiset<std::int32_t>> a_blocks, b_blocks;
        std::map<std::int64_t, double> a_elems, b_elems, c_elems;
        auto elements = [&](const Partition& p, std::int64_t color) {
          double e = 0;
          for (std::int32_t b : p.pieces[static_cast<std::size_t>(color)])
            e += static_cast<double>(app.regions[static_cast<std::size_t>(p.region)]
                                         .block_elements[static_cast<std::size_t>(b)]);
          return e;
        };
        int steps = 0;
        for (const Phase& phase : app.phases)
          for (const Launch& l : phase.launches) {
            if (l.task != leaf) continue;
            ++steps;
            const Partition& pa = app.partitions[static_cast<std::size_t>(l.args[0].partition)];
            const Partition& pb = app.partitions[static_cast<std::size_t>(l.args[1].partition)];
            const Partition& pc = app.partitions[static_cast<std::size_t>(l.args[2].partition)];
            // A and B have one color per GPU and step: (I, J, s), the step the projection's
            // offset; C one per GPU.
            const std::int64_t step = l.args[0].projection.offset[2];
            const std::int64_t colors_per_gpu = pa.color_extents[2];
            EXPECT_EQ(l.args[1].projection.offset[2], step);
            for (std::int64_t c = 0; c < l.domain[0] * l.domain[1]; ++c) {
              const std::int64_t at = c * colors_per_gpu + step;
              for (std::int32_t b : pa.pieces[static_cast<std::size_t>(at)]) a_blocks[c].insert(b);
              for (std::int32_t b : pb.pieces[static_cast<std::size_t>(at)]) b_blocks[c].insert(b);
              a_elems[c] += elements(pa, at);
              b_elems[c] += elements(pb, at);
              c_elems[c] = elements(pc, c);
            }
          }
        EXPECT_EQ(steps, app.tasks.empty() ? 0 : static_cast<int>(2 * node_rows(app)));
        for (const auto& [c, blocks] : a_blocks) {
          for (std::int32_t b : blocks) EXPECT_EQ(blocks.count(b), 1u);
          for (std::int32_t b : b_blocks[c]) EXPECT_EQ(b_blocks[c].count(b), 1u);
          EXPECT_NEAR(a_elems[c] * b_elems[c], n * n * c_elems[c], 1e-9 * n * n * c_elems[c]);
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
  EXPECT_NE(r.app->description.find("4 x 3 node grid of 2 x 2 processors each (a 8 x 6 grid), 8 "
                                    "steps, n = 1000"),
            std::string::npos);
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
