// Shared pieces of the six DISTAL-style distributed matrix multiplications (APPS.md: cannon, summa,
// pumma, johnson, solomonik, cosma). Each computes C = A x B on n x n doubles; the generated Legion
// programs they model (rohany/taco, legion/*MM) share one shape:
//   init (untimed): init_cublas over all GPUs; taco_fill of A, B and C; placement index tasks
//     task_1, task_2, task_3 that put the tiles of A, B and C onto the processor grid;
//   compute (timed): per step an index task `task_5` over the processor grid whose every point
//     launches the leaf GEMM `task_4` as a single task (Launch::parent_launch), on cuBLAS (GPU)
//     or BLAS (OMP / CPU);
//   validate (untimed): taco_validate over the tiles of C.
// The metric is "Achieved throughput = X GFLOPS" with work 2 n^3.
//
// Naming: this model follows the project spec (C = A x B, C the output). The generated programs
// name the output `a` and compute a = b x c; a policy that names regions must use A, B, C as here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/app.h"
#include "app/builder.h"

#include "app/builtin/generators.h"

namespace mapforge::app {

namespace matmul {

/// Most blocks one matrix may be cut into (a guard against absurd grid overrides).
inline constexpr std::int64_t kMaxBlocks = std::int64_t{1} << 20;
/// Largest grid extent an override may ask for.
inline constexpr std::int64_t kMaxGrid = 4096;
/// Largest matrix dimension an override may ask for.
inline constexpr std::int64_t kMaxN = 10'000'000;

/// Ranks of the published runs: one per GPU; on a machine without GPUs one per CPU core.
std::int64_t ranks(const MachineFacts& machine);
/// The published weak-scaling size: int(20000 * sqrt(nodes)), rounded down to even.
std::int64_t default_n(const MachineFacts& machine);
/// The 2-D grid of the published Cannon/SUMMA/PUMMA runs for P ranks: gy is the largest divisor
/// of P not above sqrt(P), gx = P / gy (for powers of two this is the scripts' rule: square when P
/// is a square, else (2 sqrt(P/2), sqrt(P/2))).
std::pair<std::int64_t, std::int64_t> grid_2d(std::int64_t ranks);
std::int64_t gcd(std::int64_t a, std::int64_t b);
std::int64_t lcm(std::int64_t a, std::int64_t b);
/// `parts` nearly equal extents summing to n (the first n % parts one larger).
std::vector<std::int64_t> split(std::int64_t n, std::int64_t parts);

/// How many times a blocked GEMM C (m x n) += A (m x k) B (k x n) streams each operand: every
/// thread-block tile of C reads its row panel of A and its column panel of B, so A is read
/// n / kGemmTile times and B m / kGemmTile times; C is read and written once. From the
/// framebuffer the re-reads are hidden behind the arithmetic (the kernel stays compute-bound);
/// from zero-copy or host memory they cross the bus.
/// kGemmTile: 128, the thread-block tile edge of cuBLAS's and CUTLASS's large FP64 GEMM kernels
/// (CUTLASS's default DGEMM threadblock shape is 128 x 128 or 64 x 64 by element; estimate).
inline constexpr double kGemmTile = 128;
struct GemmPasses {
  double a, b, c;
};
GemmPasses gemm_passes(double m, double n);

/// The common skeleton of the six programs. A matrix is a 2-D region cut into a grid of
/// row-block x column-block blocks (row-major block order); partitions are sets of whole blocks.
class MatmulBuilder {
 public:
  MatmulBuilder(std::string name, std::string description, const MachineFacts& machine,
                std::int64_t n);

  AppBuilder& b() { return b_; }
  std::int64_t n() const { return n_; }

  /// Regions A, B, C (one double field "vals") cut into the given block grids. Fails (an error
  /// for finish) when n is smaller than a block count or a matrix would exceed kMaxBlocks.
  void add_matrices(std::int64_t a_rows, std::int64_t a_cols, std::int64_t b_rows,
                    std::int64_t b_cols, std::int64_t c_rows, std::int64_t c_cols);
  int region_a() const { return a_; }
  int region_b() const { return b_region_; }
  int region_c() const { return c_; }

  /// A disjoint partition of `region` with colors (colors_r, colors_c): block (r, c) goes to
  /// the color owner(r, c).
  int partition_by_owner(
      std::string name, int region, std::int64_t colors_r, std::int64_t colors_c,
      const std::function<std::pair<std::int64_t, std::int64_t>(std::int64_t, std::int64_t)>&
          owner);
  /// Contiguous tiles: the block grid cut into colors_r x colors_c rectangles (the block counts
  /// must be multiples of the color counts).
  int tiles(std::string name, int region, std::int64_t colors_r, std::int64_t colors_c);

  /// How the compute launches nest. Flat: task_5 over the processor grid with the leaf task_4
  /// as its child (solomonik, cosma). Distal2d: the 2-D programs' task_7 (per node) > task_6
  /// (per node step) > task_5 (per processor, no regions) > task_4 (distal_2d.h). Johnson: the
  /// leaf task_4 is the compute index launch itself (no task_5), and the placement tasks
  /// task_1, task_2, task_3 place C, A and B.
  enum class Hierarchy { Flat, Distal2d, Johnson };
  /// The tasks, with the real programs' names; task_4's variants carry the BLAS layout
  /// requirement. Call once, after the matrices are added.
  void add_tasks(Hierarchy hierarchy = Hierarchy::Flat);
  int task_fill() const { return fill_; }
  /// 0: task_1, 1: task_2, 2: task_3; they place A, B, C (Johnson: C, A, B).
  int task_place(int which) const { return place_[which]; }
  int task_compute() const { return compute_; }
  int task_leaf() const { return leaf_; }
  int task_node() const { return node_; }            // task_7 (Distal2d)
  int task_node_step() const { return node_step_; }  // task_6 (Distal2d)

  /// The untimed init phase: init_cublas (when there are GPUs), taco_fill of A, B and C over
  /// the given 2-D partitions (a launch over each partition's colors), then the placement
  /// launches the caller adds to the returned phase.
  Phase& init_phase(int fill_a, int fill_b, int fill_c);
  /// Adds the placement launch `task` over `domain` of one ReadOnly argument.
  void place(Phase& phase, int which, std::vector<std::int64_t> domain, int partition,
             Projection projection);

  Phase& compute_phase();
  /// The shape of a leaf GEMM: C (m x n) += A (m x k) B (k x n).
  struct Gemm {
    double m, n, k;
  };
  /// One step: task_5 over `domain`, and task_4 as its child per point, a GEMM of shape `gemm`
  /// reading A and B (streamed as gemm_passes says) and read-writing (or sum-reducing) C through
  /// the given projections. Returns the leaf launch.
  Launch& step(Phase& phase, std::vector<std::int64_t> domain, Gemm gemm, int part_a,
               Projection proj_a, int part_b, Projection proj_b, int part_c, Projection proj_c,
               bool reduce_c);

  /// The untimed validate phase: taco_validate over the colors of the 2-D partition `part_c`.
  void validate_phase(int part_c);

  /// Throughput metric with work 2 n^3.
  LoadResult finish();

  /// Records an error for finish (e.g. a bad size combination).
  void error(std::string message) { errors_.push_back(std::move(message)); }

 private:
  std::int64_t blocks_of(int region, std::int64_t* rows, std::int64_t* cols) const;
  int add_matrix(std::string name, std::int64_t rows, std::int64_t cols);

  AppBuilder b_;
  std::string name_;
  MachineFacts machine_;
  std::int64_t n_;
  int a_ = -1, b_region_ = -1, c_ = -1;
  std::vector<std::pair<std::int64_t, std::int64_t>> block_grid_;  // per region
  int init_cublas_ = -1, fill_ = -1, compute_ = -1, leaf_ = -1, validate_ = -1;
  int node_ = -1, node_step_ = -1;
  int place_[3] = {-1, -1, -1};
  std::vector<std::string> errors_;
};

/// The size overrides common to all six: reads "n" (default default_n) and checks the names.
/// Returns false (with errors) when a size is unknown, repeated or out of range.
bool read_n(std::string_view app, const MachineFacts& machine, const Sizes& sizes,
            std::span<const std::string_view> known, std::int64_t* n,
            std::vector<std::string>& errors);

/// The 2-D grid overrides "gx" and "gy" (defaults `grid`). Returns nullopt (with errors) when
/// either is out of range.
std::optional<std::pair<std::int64_t, std::int64_t>> read_grid_2d(
    std::string_view app, std::pair<std::int64_t, std::int64_t> grid, const Sizes& sizes,
    std::vector<std::string>& errors);

/// A LoadResult holding only errors.
LoadResult failure(std::vector<std::string> errors);

}  // namespace matmul
}  // namespace mapforge::app
