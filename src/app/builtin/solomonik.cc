// solomonik: the 2.5-D algorithm of Solomonik and Demmel as DISTAL generates it (rohany/taco
// legion/solomonikMM). c replicated layers of an rpoc x rpoc grid, launch domain (rpoc, rpoc, c).
// k is cut into K = lcm(rpoc, c) panels (K = rpoc in every published configuration); A into
// rpoc x K tiles, B into K x rpoc tiles, C into rpoc x rpoc tiles. Layer l does the K / c Cannon
// steps l*K/c .. (l+1)*K/c - 1: at its step t, point (i, j, l) multiplies A[i, kk] by B[kk, j]
// with kk = (i + j + l*K/c + t) mod K (an affine projection per step), and sum-reduces into
// C[i, j], which reduces C across the layers. Placement puts the tiles on layer 0 (launches over
// (rpoc, rpoc, 1)), contiguous as DISTAL's placement.
//
// Grid: the published GPU runs (SolomonikGPUBench) used (rpoc, c) = 4:(2,1), 8:(2,2), 16:(4,1),
// 32:(4,2), 64:(8,1), 128:(8,2), 256:(16,1), 512:(16,2), 1024:(32,1). The rule below reproduces
// that table and covers every P: over c = 1 .. floor(cbrt(P)), rpoc = floor(sqrt(P / c)); keep
// the pair using the most ranks (rpoc^2 c <= P), ties to the smaller c. Ranks beyond rpoc^2 c
// get no grid point.
#include <array>

#include "app/builtin/matmul_common.h"

namespace mapforge::app {

namespace {
std::pair<std::int64_t, std::int64_t> solomonik_grid(std::int64_t ranks) {
  std::int64_t best_rpoc = 1;
  std::int64_t best_c = 1;
  for (std::int64_t c = 1; c * c * c <= ranks; ++c) {
    std::int64_t rpoc = 1;
    while ((rpoc + 1) * (rpoc + 1) * c <= ranks) ++rpoc;
    if (rpoc * rpoc * c > best_rpoc * best_rpoc * best_c) {
      best_rpoc = rpoc;
      best_c = c;
    }
  }
  return {best_rpoc, best_c};
}
}  // namespace

LoadResult generate_solomonik(const MachineFacts& machine, const Sizes& sizes) {
  constexpr std::string_view kName = "solomonik";
  static constexpr std::array<std::string_view, 3> kKnown = {"n", "rpoc", "c"};
  std::vector<std::string> errors;
  std::int64_t n = 0;
  if (!matmul::read_n(kName, machine, sizes, kKnown, &n, errors))
    return matmul::failure(std::move(errors));
  auto [drpoc, dc] = solomonik_grid(matmul::ranks(machine));
  auto rpoc = size_param(kName, sizes, "rpoc", drpoc, 1, matmul::kMaxGrid, errors);
  auto c = size_param(kName, sizes, "c", dc, 1, 64, errors);
  if (!rpoc || !c) return matmul::failure(std::move(errors));
  const std::int64_t q = *rpoc;
  const std::int64_t layers = *c;
  const std::int64_t panels = matmul::lcm(q, layers);
  const std::int64_t per_layer = panels / layers;

  matmul::MatmulBuilder m(std::string(kName),
                          "2.5-D matrix multiplication (DISTAL): C = A x B on " +
                              std::to_string(layers) + " layers of a " + std::to_string(q) + " x " +
                              std::to_string(q) + " grid, n = " + std::to_string(n),
                          machine, n);
  m.add_matrices(q, panels, panels, q, q, q);
  const int a = m.tiles("A", m.region_a(), q, panels);
  const int b = m.tiles("B", m.region_b(), panels, q);
  const int cp = m.tiles("C", m.region_c(), q, q);
  const int a_grid = m.tiles("A_grid", m.region_a(), q, q);
  const int b_grid = m.tiles("B_grid", m.region_b(), q, q);
  m.add_tasks();

  Phase& init = m.init_phase(a_grid, b_grid, cp);
  const std::vector<std::int64_t> face = {q, q, 1};
  const Projection ij = AppBuilder::affine({{1, 0, 0}, {0, 1, 0}}, {0, 0});
  m.place(init, 0, face, a_grid, ij);
  m.place(init, 1, face, b_grid, ij);
  m.place(init, 2, face, cp, ij);

  const double nd = static_cast<double>(n);
  const matmul::MatmulBuilder::Gemm leaf{nd / static_cast<double>(q), nd / static_cast<double>(q),
                                         nd / static_cast<double>(panels)};
  Phase& compute = m.compute_phase();
  for (std::int64_t t = 0; t < per_layer; ++t)
    m.step(compute, {q, q, layers}, leaf, a,
           AppBuilder::affine({{1, 0, 0}, {1, 1, per_layer}}, {0, t}), b,
           AppBuilder::affine({{1, 1, per_layer}, {0, 1, 0}}, {t, 0}), cp, ij, true);
  m.validate_phase(cp);
  return m.finish();
}

}  // namespace mapforge::app
