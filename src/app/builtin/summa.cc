// summa: SUMMA as DISTAL generates it (rohany/taco legion/summaMM). The ranks form a gx x gy grid
// (matmul::grid_2d); C stays in place as gx x gy tiles; k is cut into K = lcm(gx, gy) panels.
// At step s every grid point (i, j) multiplies the row panel piece A[i, s] by the column panel
// piece B[s, j]: the column panel s of A is broadcast along the grid rows and the row panel s of
// B along the grid columns (every point of a row reads the same A tile). Placement as DISTAL's
// placeLegionA/B/C: contiguous gx x gy tiles of each matrix.
#include <array>

#include "app/builtin/matmul_common.h"

namespace mapforge::app {

LoadResult generate_summa(const MachineFacts& machine, const Sizes& sizes) {
  constexpr std::string_view kName = "summa";
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
                          "SUMMA (DISTAL): C = A x B on a " + std::to_string(gx) + " x " +
                              std::to_string(gy) + " grid, " + std::to_string(steps) +
                              " panel broadcasts, n = " + std::to_string(n),
                          machine, n);
  const auto t = m.contiguous_tiles_2d(gx, gy, steps);
  m.add_tasks();

  // Step s: every point of row i reads A's panel (i, s), every point of column j B's (s, j).
  m.grid_2d_steps(
      gx, gy, steps, t.a, t.b, t.c, t.a_grid, t.b_grid,
      [](std::int64_t s) {
        return AppBuilder::affine({{1, 0}, {0, 0}}, {0, s});
      },
      [](std::int64_t s) {
        return AppBuilder::affine({{0, 0}, {0, 1}}, {s, 0});
      });
  return m.finish();
}

}  // namespace mapforge::app
