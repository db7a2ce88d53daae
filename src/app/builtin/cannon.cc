// cannon: Cannon's algorithm as DISTAL generates it (rohany/taco legion/cannonMM). The ranks form
// a gx x gy grid (one per GPU; see matmul::grid_2d); C stays in place as gx x gy tiles; the
// shared dimension k is cut into K = lcm(gx, gy) panels (K = g on a square grid), A into
// gx x K tiles and B into K x gy tiles. Step s (of K) has grid point (i, j) multiply
// A[i, (i+j+s) mod K] by B[(i+j+s) mod K, j]: the systolic shift of A left and B up, written as
// one affine projection per step. The placement tasks put A, B and C onto the grid as DISTAL's
// placeLegionA/B/C do: contiguous gx x gy tiles of each matrix.
#include <array>

#include "app/builtin/matmul_common.h"

namespace mapforge::app {

LoadResult generate_cannon(const MachineFacts& machine, const Sizes& sizes) {
  constexpr std::string_view kName = "cannon";
  static constexpr std::array<std::string_view, 3> kKnown = {"n", "gx", "gy"};
  std::vector<std::string> errors;
  std::int64_t n = 0;
  if (!matmul::read_n(kName, machine, sizes, kKnown, &n, errors))
    return matmul::failure(std::move(errors));
  auto gx_gy = matmul::read_grid_2d(kName, machine, sizes, errors);
  if (!gx_gy) return matmul::failure(std::move(errors));
  const auto [gx, gy] = *gx_gy;
  const std::int64_t steps = matmul::lcm(gx, gy);

  matmul::MatmulBuilder m(std::string(kName),
                          "Cannon's algorithm (DISTAL): C = A x B on a " + std::to_string(gx) +
                              " x " + std::to_string(gy) + " grid, " + std::to_string(steps) +
                              " systolic steps, n = " + std::to_string(n),
                          machine, n);
  const auto t = m.contiguous_tiles_2d(gx, gy, steps);
  m.add_tasks();

  // Step s: point (i, j) holds A[i, (i+j+s) mod K] and B[(i+j+s) mod K, j].
  m.grid_2d_steps(
      gx, gy, steps, t.a, t.b, t.c, t.a_grid, t.b_grid,
      [](std::int64_t s) {
        return AppBuilder::affine({{1, 0}, {1, 1}}, {0, s});
      },
      [](std::int64_t s) {
        return AppBuilder::affine({{1, 1}, {0, 1}}, {s, 0});
      });
  return m.finish();
}

}  // namespace mapforge::app
