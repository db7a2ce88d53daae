// pumma: PUMMA, i.e. Cannon's algorithm on a block-cyclic distribution, as DISTAL generates it
// (rohany/taco legion/pummaMM). The ranks form a gx x gy grid (matmul::grid_2d); C stays in place
// as gx x gy tiles; k is cut into K = cyclic x lcm(gx, gy) panels, and the panels of A and B are
// dealt block-cyclically over the grid: grid point (i, j) initially holds A[i, kk] for
// kk mod gy == j and B[kk, j] for kk mod gx == i. Step s (of K) has (i, j) multiply
// A[i, (i+j+s) mod K] by B[(i+j+s) mod K, j] (one affine projection per step): more, smaller
// steps than Cannon, so that communication overlaps computation.
#include <array>

#include "app/builtin/matmul_common.h"

namespace mapforge::app {

LoadResult generate_pumma(const MachineFacts& machine, const Sizes& sizes) {
  constexpr std::string_view kName = "pumma";
  static constexpr std::array<std::string_view, 4> kKnown = {"n", "gx", "gy", "cyclic"};
  std::vector<std::string> errors;
  std::int64_t n = 0;
  if (!matmul::read_n(kName, machine, sizes, kKnown, &n, errors))
    return matmul::failure(std::move(errors));
  auto gx_gy = matmul::read_grid_2d(kName, machine, sizes, errors);
  auto cyclic = size_param(kName, sizes, "cyclic", 2, 1, 64, errors);
  if (!gx_gy || !cyclic) return matmul::failure(std::move(errors));
  const auto [gx, gy] = *gx_gy;
  const std::int64_t steps = *cyclic * matmul::lcm(gx, gy);

  matmul::MatmulBuilder m(std::string(kName),
                          "PUMMA (DISTAL): Cannon on a block-cyclic distribution, C = A x B on a " +
                              std::to_string(gx) + " x " + std::to_string(gy) + " grid, " +
                              std::to_string(steps) + " steps, n = " + std::to_string(n),
                          machine, n);
  m.add_matrices(gx, steps, steps, gy, gx, gy);
  const int a = m.tiles("A", m.region_a(), gx, steps);
  const int b = m.tiles("B", m.region_b(), steps, gy);
  const int c = m.tiles("C", m.region_c(), gx, gy);
  const std::int64_t ngx = gx;
  const std::int64_t ngy = gy;
  const int a_grid =
      m.partition_by_owner("A_grid", m.region_a(), ngx, ngy, [ngy](std::int64_t r, std::int64_t k) {
        return std::pair{r, k % ngy};
      });
  const int b_grid = m.partition_by_owner("B_grid", m.region_b(), ngx, ngy,
                                          [ngx](std::int64_t k, std::int64_t col) {
                                            return std::pair{k % ngx, col};
                                          });
  m.add_tasks();

  m.grid_2d_steps(
      ngx, ngy, steps, a, b, c, a_grid, b_grid,
      [](std::int64_t s) {
        return AppBuilder::affine({{1, 0}, {1, 1}}, {0, s});
      },
      [](std::int64_t s) {
        return AppBuilder::affine({{1, 1}, {0, 1}}, {s, 0});
      });
  return m.finish();
}

}  // namespace mapforge::app
