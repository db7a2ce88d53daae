// cosma: COSMA's communication-optimal decomposition as the DISTAL port runs it (the
// Legion COSMA benchmark, LgCOSMAGPUBench). A 3-D grid (gx, gy, gz): C is cut into gx x gy tiles,
// A into gx x gz, B into gz x gy; grid point (i, j, k) multiplies A[i, k] by B[k, j] and
// sum-reduces into C[i, j], in one step. Placement: A on the face (gx, 1, gz), B on (1, gy, gz),
// C on (gx, gy, 1).
//
// Grid: the published choice per GPU count, 2:(2,1,1), 4:(1,2,2), 8:(2,2,2), 16:(2,2,4),
// 32:(2,4,4), 64:(4,4,4), 128:(4,4,8), 256:(4,8,8), 512:(8,8,8). Other counts: the prime
// factors of P, largest first, each multiply the currently smallest grid extent (ties to the
// last dimension), which reproduces the table for every listed P but 2 and uses all P ranks.
#include <array>
#include <map>

#include "app/builtin/matmul_common.h"

namespace mapforge::app {

namespace {
std::array<std::int64_t, 3> cosma_grid(std::int64_t ranks) {
  static const std::map<std::int64_t, std::array<std::int64_t, 3>> kPublished = {
      {2, {2, 1, 1}},  {4, {1, 2, 2}},   {8, {2, 2, 2}},   {16, {2, 2, 4}}, {32, {2, 4, 4}},
      {64, {4, 4, 4}}, {128, {4, 4, 8}}, {256, {4, 8, 8}}, {512, {8, 8, 8}}};
  if (auto it = kPublished.find(ranks); it != kPublished.end()) return it->second;
  std::vector<std::int64_t> primes;
  std::int64_t rest = std::max<std::int64_t>(ranks, 1);
  for (std::int64_t p = 2; p * p <= rest; ++p)
    while (rest % p == 0) {
      primes.push_back(p);
      rest /= p;
    }
  if (rest > 1) primes.push_back(rest);
  std::array<std::int64_t, 3> grid = {1, 1, 1};
  for (auto it = primes.rbegin(); it != primes.rend(); ++it) {
    std::size_t smallest = 2;
    for (std::size_t d = 2; d-- > 0;)
      if (grid[d] < grid[smallest]) smallest = d;
    grid[smallest] *= *it;
  }
  return grid;
}
}  // namespace

LoadResult generate_cosma(const MachineFacts& machine, const Sizes& sizes) {
  constexpr std::string_view kName = "cosma";
  static constexpr std::array<std::string_view, 4> kKnown = {"n", "gx", "gy", "gz"};
  std::vector<std::string> errors;
  std::int64_t n = 0;
  if (!matmul::read_n(kName, machine, sizes, kKnown, &n, errors))
    return matmul::failure(std::move(errors));
  const std::array<std::int64_t, 3> dflt = cosma_grid(matmul::ranks(machine));
  auto gx = size_param(kName, sizes, "gx", dflt[0], 1, matmul::kMaxGrid, errors);
  auto gy = size_param(kName, sizes, "gy", dflt[1], 1, matmul::kMaxGrid, errors);
  auto gz = size_param(kName, sizes, "gz", dflt[2], 1, matmul::kMaxGrid, errors);
  if (!gx || !gy || !gz) return matmul::failure(std::move(errors));
  const std::int64_t x = *gx;
  const std::int64_t y = *gy;
  const std::int64_t z = *gz;

  matmul::MatmulBuilder m(std::string(kName),
                          "COSMA (DISTAL): C = A x B on a " + std::to_string(x) + " x " +
                              std::to_string(y) + " x " + std::to_string(z) +
                              " grid, n = " + std::to_string(n),
                          machine, n);
  m.add_matrices(x, z, z, y, x, y);
  const int a = m.tiles("A", m.region_a(), x, z);
  const int b = m.tiles("B", m.region_b(), z, y);
  const int c = m.tiles("C", m.region_c(), x, y);
  m.add_tasks();

  Phase& init = m.init_phase(a, b, c);
  const Projection ik = AppBuilder::affine({{1, 0, 0}, {0, 0, 1}}, {0, 0});
  const Projection kj = AppBuilder::affine({{0, 0, 1}, {0, 1, 0}}, {0, 0});
  const Projection ij = AppBuilder::affine({{1, 0, 0}, {0, 1, 0}}, {0, 0});
  m.place(init, 0, {x, 1, z}, a, ik);
  m.place(init, 1, {1, y, z}, b, kj);
  m.place(init, 2, {x, y, 1}, c, ij);

  const double nd = static_cast<double>(n);
  const matmul::MatmulBuilder::Gemm leaf{nd / static_cast<double>(x), nd / static_cast<double>(y),
                                         nd / static_cast<double>(z)};
  Phase& compute = m.compute_phase();
  m.step(compute, {x, y, z}, leaf, a, ik, b, kj, c, ij, true);
  m.validate_phase(c);
  return m.finish();
}

}  // namespace mapforge::app
