// johnson: Johnson's 3-D algorithm as DISTAL generates it (rohany/taco legion/johnsonMM). The
// ranks form a g x g x g cube; A, B and C are cut into g x g tiles; grid point (i, j, k)
// multiplies A[i, k] by B[k, j] and sum-reduces into C[i, j] (LEGION_REDOP_SUM_FLOAT64), all in
// one step. Placement puts each matrix on one face of the cube: A over (g, 1, g) (point (i,0,k)
// holds A[i,k]), B over (1, g, g) (point (0,j,k) holds B[k,j]), C over (g, g, 1).
//
// Grid size: the published GPU runs (scripts/benchmark_lassen.py, JohnsonGPUBench) took g from the
// GPU count P as 4:2, 8:2, 16:4, 32:4, 64:4, 128:6, 256:7, i.e. g^3 >= P, running several cube
// points per GPU where g^3 > P (multiple shards per node). We use that table, and for other P the
// smallest g with g^3 >= P, so that no rank is left idle; the surplus g^3 - P points share ranks
// as the mapper places them (the expert mapper blocks the cube over nodes, then over GPUs).
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
  m.add_tasks();

  Phase& init = m.init_phase(a, b, c);
  m.place(init, 0, {gd, 1, gd}, a, AppBuilder::affine({{1, 0, 0}, {0, 0, 1}}, {0, 0}));
  m.place(init, 1, {1, gd, gd}, b, AppBuilder::affine({{0, 0, 1}, {0, 1, 0}}, {0, 0}));
  m.place(init, 2, {gd, gd, 1}, c, AppBuilder::affine({{1, 0, 0}, {0, 1, 0}}, {0, 0}));

  const double t = static_cast<double>(n) / static_cast<double>(gd);
  Phase& compute = m.compute_phase();
  m.step(compute, {gd, gd, gd}, 2.0 * t * t * t, a,
         AppBuilder::affine({{1, 0, 0}, {0, 0, 1}}, {0, 0}), b,
         AppBuilder::affine({{0, 0, 1}, {0, 1, 0}}, {0, 0}), c,
         AppBuilder::affine({{1, 0, 0}, {0, 1, 0}}, {0, 0}), true);
  m.validate_phase(c);
  return m.finish();
}

}  // namespace mapforge::app
