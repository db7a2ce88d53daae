// johnson: Johnson's 3-D algorithm as DISTAL generates it (legion/johnsonMM/taco-generated.cu of
// the mapping-language paper's DISTAL sources). The ranks form a g x g x g cube; A, B and C are
// cut into g x g tiles. Placement puts each matrix on one face of the cube: task_1 places C over
// (g, g, 1) (point (i, j, 0) holds C[i, j]), task_2 places A over (g, 1, g) (point (i, 0, k)
// holds A[i, k]) and task_3 places B over (1, g, g) (point (0, j, k) holds B[k, j]). The compute
// is one index launch of the leaf task_4 itself over (g, g, g): point (i, j, k) multiplies
// A[i, k] by B[k, j] and sum-reduces into C[i, j] (LEGION_REDOP_SUM_FLOAT64, a reduction
// instance); no step loop. The timed body ends with task_1 over (g, g, 1) reading C, which folds
// the g partial sums of each tile into its placed instance ("force reduction along each slice").
//
// Grid size: the published GPU runs (scripts/benchmark_lassen.py, JohnsonGPUBench) ran one rank
// per GPU (four per node) and took g from the GPU count P as 4:2, 8:2, 16:4, 32:4, 64:4, 128:6,
// 256:7, so g^3 >= P and several cube points share a rank where g^3 > P. We use that table, and
// for other P the smallest g with g^3 >= P.
#include <array>

#include "app/builtin/matmul_common.h"

namespace mapforge::app {

namespace {
std::int64_t johnson_grid(std::int64_t ranks) {
  switch (ranks) {
    case 4:
      return 2;
    case 8:
      return 2;
    case 16:
      return 4;
    case 32:
      return 4;
    case 64:
      return 4;
    case 128:
      return 6;
    case 256:
      return 7;
    default:
      break;
  }
  std::int64_t g = 1;
  while (g * g * g < ranks) ++g;
  return g;
}
}  // namespace

LoadResult generate_johnson(const MachineFacts& machine, const Sizes& sizes) {
  constexpr std::string_view kName = "johnson";
  static constexpr std::array<std::string_view, 2> kKnown = {"n", "g"};
  std::vector<std::string> errors;
  std::int64_t n = 0;
  if (!matmul::read_n(kName, machine, sizes, kKnown, &n, errors))
    return matmul::failure(std::move(errors));
  auto g = size_param(kName, sizes, "g", johnson_grid(matmul::ranks(machine)), 1, 256, errors);
  if (!g) return matmul::failure(std::move(errors));
  const std::int64_t gd = *g;

  matmul::MatmulBuilder m(std::string(kName),
                          "Johnson's 3-D algorithm (DISTAL): C = A x B on a " + std::to_string(gd) +
                              " x " + std::to_string(gd) + " x " + std::to_string(gd) +
                              " grid, n = " + std::to_string(n),
                          machine, n);
  m.add_matrices(gd, gd, gd, gd, gd, gd);
  const int a = m.tiles("A", m.region_a(), gd, gd);
  const int b = m.tiles("B", m.region_b(), gd, gd);
  const int c = m.tiles("C", m.region_c(), gd, gd);
  m.add_tasks(matmul::MatmulBuilder::Hierarchy::Johnson);

  const Projection c_face = AppBuilder::affine({{1, 0, 0}, {0, 1, 0}}, {0, 0});  // (i, j)
  const Projection a_face = AppBuilder::affine({{1, 0, 0}, {0, 0, 1}}, {0, 0});  // (i, k)
  const Projection b_face = AppBuilder::affine({{0, 0, 1}, {0, 1, 0}}, {0, 0});  // (k, j)
  Phase& init = m.init_phase(a, b, c);
  m.place(init, 0, {gd, gd, 1}, c, c_face);
  m.place(init, 1, {gd, 1, gd}, a, a_face);
  m.place(init, 2, {1, gd, gd}, b, b_face);

  const double t = static_cast<double>(n) / static_cast<double>(gd);
  const matmul::GemmPasses passes = matmul::gemm_passes(t, t);
  AppBuilder& builder = m.b();
  Phase& compute = m.compute_phase();
  Launch& leaf = builder.add_index_launch(compute, m.task_leaf(), {gd, gd, gd}, 2.0 * t * t * t);
  builder.arg(leaf, a, a_face, Privilege::ReadOnly, builder.all_fields(a), passes.a);
  builder.arg(leaf, b, b_face, Privilege::ReadOnly, builder.all_fields(b), passes.b);
  builder.arg(leaf, c, c_face, Privilege::Reduce, builder.all_fields(c), passes.c, ReduceOp::Sum);
  m.place(compute, 0, {gd, gd, 1}, c, c_face);
  m.validate_phase(c);
  return m.finish();
}

}  // namespace mapforge::app
