// The three 2-D DISTAL matrix multiplications (cannon, summa, pumma) as the generated programs
// run them (the DISTAL sources of the mapping-language paper: legion/{cannonMM,summaMM,pummaMM}/
// taco-generated.cu, scripts/benchmark_lassen.py). They share one launch hierarchy and differ
// only in which k tile a GPU multiplies at each step.
//
// Grids. The nodes form a gx x gy grid (the script's -gx/-gy: summa gx <= gy, cannon and pumma
// the transpose; see node_grid) and each node's processors a fixed lx x ly grid (2 x 2 for four
// GPUs), so the GPU grid is (lx gx) x (ly gy) = R x S. A, B and C are placed (task_1..3, and
// filled by taco_fill) as R x S tiles of n/R x n/S. The shared dimension k is always cut into R
// pieces ("k is split by gx"): the step tile of A is n/R x n/R and of B n/R x n/S; on a square
// grid they are placed tiles, on a non-square one half (cannon) or two (summa) of them.
//
// Compute, four levels (all regions above the leaf are mapped virtually: no instances, no
// copies): task_7, an OpenMP inner task over the node grid (gx, gy); each of its points runs a
// loop of gx single task_6 (kos); each task_6 issues task_5 over its node's lx x ly processors
// (a nested launch, tagged SAME_ADDRESS_SPACE); each task_5 point runs a loop of lx single
// leaves task_4 (kios), one GEMM each: C(I, J) += A(I, K) B(K, J) with I = lx in + iln,
// J = ly jn + jln and K = k_index(...). Tiles move by Legion copies from a valid instance, not
// by explicit shifts.
#pragma once

#include <functional>
#include <string>

#include "app/builtin/matmul_common.h"

namespace mapforge::app::matmul {

/// Coordinates of one leaf: the node point (in, jn), the processor within the node (iln, jln),
/// the node step kos (of gx) and the processor step kios (of lx).
struct LeafStep {
  std::int64_t in, jn, iln, jln, kos, kios;
  std::int64_t gx, gy, lx, ly;
};
using KIndex = std::function<std::int64_t(const LeafStep&)>;

/// The node grid of the published runs for `nodes` nodes: (small, large) with small the largest
/// divisor of nodes not above its square root (the script's getgx); `transpose` gives (large,
/// small), as cannon's and pumma's drivers swap them.
std::pair<std::int64_t, std::int64_t> node_grid(std::int64_t nodes, bool transpose);

/// Builds the program. Sizes: n (default default_n), gx and gy (the node grid, default
/// node_grid). `description` names the algorithm.
LoadResult generate_distal_2d(std::string_view name, std::string_view algorithm,
                              bool transpose_grid, const KIndex& k_index,
                              const MachineFacts& machine, const Sizes& sizes);

}  // namespace mapforge::app::matmul
