// The 2-D DISTAL launch hierarchy shared by cannon, summa and pumma (see distal_2d.h).
#include "app/builtin/distal_2d.h"

#include <algorithm>
#include <array>

namespace mapforge::app::matmul {
namespace {

/// The boundaries of n cut into `parts` nearly equal pieces (split's extents, accumulated).
std::vector<std::int64_t> bounds(std::int64_t n, std::int64_t parts) {
  std::vector<std::int64_t> out{0};
  for (std::int64_t e : split(n, parts)) out.push_back(out.back() + e);
  return out;
}

/// The blocks along one dimension of a matrix: the union of the cuts of every partition that
/// divides it, so that each partition's piece is a run of whole blocks.
struct Axis {
  std::vector<std::int64_t> cuts;  // ascending, from 0 to n
  std::int64_t blocks() const { return static_cast<std::int64_t>(cuts.size()) - 1; }
  std::int64_t extent(std::int64_t b) const { return cuts[b + 1] - cuts[b]; }
  /// The blocks covering [lo, hi), which are cuts.
  std::pair<std::int64_t, std::int64_t> range(std::int64_t lo, std::int64_t hi) const {
    auto first = std::lower_bound(cuts.begin(), cuts.end(), lo) - cuts.begin();
    auto last = std::lower_bound(cuts.begin(), cuts.end(), hi) - cuts.begin();
    return {first, last};
  }
};

Axis axis(std::int64_t n, std::initializer_list<std::int64_t> parts) {
  Axis a;
  for (std::int64_t p : parts) {
    std::vector<std::int64_t> b = bounds(n, p);
    a.cuts.insert(a.cuts.end(), b.begin(), b.end());
  }
  std::sort(a.cuts.begin(), a.cuts.end());
  a.cuts.erase(std::unique(a.cuts.begin(), a.cuts.end()), a.cuts.end());
  return a;
}

struct Matrix {
  int region = -1;
  Axis rows, cols;
};

class Distal2d {
 public:
  Distal2d(MatmulBuilder& m, std::int64_t gx, std::int64_t gy, std::int64_t lx, std::int64_t ly)
      : m_(m), n_(m.n()), gx_(gx), gy_(gy), lx_(lx), ly_(ly), R_(lx * gx), S_(ly * gy) {}

  bool add_matrices() {
    if (n_ < R_ || n_ < S_) {
      m_.error("n = " + std::to_string(n_) + " is smaller than the " +
               std::to_string(std::max(R_, S_)) +
               " tiles per dimension; give a larger n or a "
               "smaller grid");
      return false;
    }
    a_ = add("A", axis(n_, {R_}), axis(n_, {S_, R_}));
    b_ = add("B", axis(n_, {R_}), axis(n_, {S_}));
    c_ = add("C", axis(n_, {R_}), axis(n_, {S_}));
    return true;
  }

  /// The R x S placement tiles of a matrix: color (I, J) is rows I of R and columns J of S.
  int tiles(const std::string& name, const Matrix& x) {
    return pieces(name, x, true, 0, [&](std::int64_t i, std::int64_t j, std::int64_t) {
      return std::array{i, R_, j, S_};
    });
  }

  /// A piece of `x` per color (I, J) (and step s when steps > 0: colors (I, J, s)): the row
  /// part `row` of `row_parts` and the column part of `col_parts` that `select` returns as
  /// {row, row_parts, col, col_parts}. One partition for all steps, so that a policy names the
  /// leaf's argument the same at every step.
  int pieces(const std::string& name, const Matrix& x, bool disjoint, std::int64_t steps,
             const std::function<std::array<std::int64_t, 4>(std::int64_t, std::int64_t,
                                                             std::int64_t)>& select) {
    const std::int64_t per_gpu = std::max<std::int64_t>(steps, 1);
    std::vector<std::vector<std::int32_t>> out(static_cast<std::size_t>(R_ * S_ * per_gpu));
    for (std::int64_t i = 0; i < R_; ++i)
      for (std::int64_t j = 0; j < S_; ++j)
        for (std::int64_t step = 0; step < per_gpu; ++step) {
          auto [r, rp, c, cp] = select(i, j, step);
          const std::vector<std::int64_t> rb = bounds(n_, rp), cb = bounds(n_, cp);
          auto [r0, r1] = x.rows.range(rb[r], rb[r + 1]);
          auto [c0, c1] = x.cols.range(cb[c], cb[c + 1]);
          auto& piece = out[static_cast<std::size_t>((i * S_ + j) * per_gpu + step)];
          for (std::int64_t br = r0; br < r1; ++br)
            for (std::int64_t bc = c0; bc < c1; ++bc)
              piece.push_back(static_cast<std::int32_t>(br * x.cols.blocks() + bc));
        }
    std::vector<std::int64_t> colors = {R_, S_};
    if (steps > 0) colors.push_back(steps);
    return m_.b().add_partition(name, x.region, std::move(colors), std::move(out), disjoint);
  }

  void build(const KIndex& k_index) {
    const int a_tiles = tiles("A_tiles", a_);
    const int b_tiles = tiles("B_tiles", b_);
    const int c_tiles = tiles("C", c_);
    Phase& init = m_.init_phase(a_tiles, b_tiles, c_tiles);
    const std::vector<std::int64_t> grid = {R_, S_};
    m_.place(init, 0, grid, a_tiles, AppBuilder::identity(2));
    m_.place(init, 1, grid, b_tiles, AppBuilder::identity(2));
    m_.place(init, 2, grid, c_tiles, AppBuilder::identity(2));

    const double nd = static_cast<double>(n_);
    const double leaf_flops = 2.0 * (nd / static_cast<double>(R_)) *
                              (nd / static_cast<double>(S_)) * (nd / static_cast<double>(R_));
    // The k tile of every GPU at every step s = lx kos + kios: one partition of A and one of B
    // with colors (I, J, s).
    const std::int64_t steps = gx_ * lx_;
    auto k_of = [&](std::int64_t i, std::int64_t j, std::int64_t step) {
      return k_index(
          LeafStep{i / lx_, j / ly_, i % lx_, j % ly_, step / lx_, step % lx_, gx_, gy_, lx_, ly_});
    };
    const int a_step =
        pieces("A", a_, false, steps, [&](std::int64_t i, std::int64_t j, std::int64_t step) {
          return std::array{i, R_, k_of(i, j, step), R_};
        });
    const int b_step =
        pieces("B", b_, false, steps, [&](std::int64_t i, std::int64_t j, std::int64_t step) {
          return std::array{k_of(i, j, step), R_, j, S_};
        });
    AppBuilder& b = m_.b();
    Phase& compute = m_.compute_phase();
    Launch& nodes = b.add_index_launch(compute, m_.task_node(), {gx_, gy_}, 0.0);
    for (std::int64_t kos = 0; kos < gx_; ++kos) {
      Launch& node_step = b.add_index_launch(compute, m_.task_node_step(), {gx_, gy_}, 0.0);
      b.set_parent(node_step, nodes);
      Launch& local = b.add_index_launch(compute, m_.task_compute(), grid, 0.0);
      b.set_nested_parent(local, node_step, {lx_, ly_});
      for (std::int64_t kios = 0; kios < lx_; ++kios) {
        const Projection at_step =
            AppBuilder::affine({{1, 0}, {0, 1}, {0, 0}}, {0, 0, kos * lx_ + kios});
        Launch& leaf = b.add_index_launch(compute, m_.task_leaf(), grid, leaf_flops);
        b.set_parent(leaf, local);
        const GemmPasses passes =
            gemm_passes(nd / static_cast<double>(R_), nd / static_cast<double>(S_));
        b.arg(leaf, a_step, at_step, Privilege::ReadOnly, b.all_fields(a_step), passes.a);
        b.arg(leaf, b_step, at_step, Privilege::ReadOnly, b.all_fields(b_step), passes.b);
        b.arg(leaf, c_tiles, AppBuilder::identity(2), Privilege::ReadWrite, b.all_fields(c_tiles),
              passes.c);
      }
    }
    m_.validate_phase(c_tiles);
  }

 private:
  Matrix add(const std::string& name, Axis rows, Axis cols) {
    std::vector<std::int64_t> blocks;
    blocks.reserve(static_cast<std::size_t>(rows.blocks() * cols.blocks()));
    for (std::int64_t r = 0; r < rows.blocks(); ++r)
      for (std::int64_t c = 0; c < cols.blocks(); ++c)
        blocks.push_back(rows.extent(r) * cols.extent(c));
    Matrix x{m_.b().add_region(name, {{"vals", 8}}, std::move(blocks), 2), std::move(rows),
             std::move(cols)};
    return x;
  }

  MatmulBuilder& m_;
  std::int64_t n_, gx_, gy_, lx_, ly_, R_, S_;
  Matrix a_, b_, c_;
};

}  // namespace

std::pair<std::int64_t, std::int64_t> node_grid(std::int64_t nodes, bool transpose) {
  auto [large, small] = grid_2d(nodes);
  return transpose ? std::pair{large, small} : std::pair{small, large};
}

LoadResult generate_distal_2d(std::string_view name, std::string_view algorithm,
                              bool transpose_grid, const KIndex& k_index,
                              const MachineFacts& machine, const Sizes& sizes) {
  static constexpr std::array<std::string_view, 3> kKnown = {"n", "gx", "gy"};
  std::vector<std::string> errors;
  std::int64_t n = 0;
  if (!read_n(name, machine, sizes, kKnown, &n, errors)) return failure(std::move(errors));
  const auto grid =
      read_grid_2d(name, node_grid(std::max(machine.nodes, 1), transpose_grid), sizes, errors);
  if (!grid) return failure(std::move(errors));
  const auto [gx, gy] = *grid;
  // The processors of a node as a grid (the programs hard-code 2 x 2 for four GPUs).
  const std::int64_t per_node =
      machine.gpus_per_node > 0 ? machine.gpus_per_node : std::max(machine.cpus_per_node, 1);
  const auto [lx, ly] = grid_2d(per_node);
  const std::int64_t R = lx * gx, S = ly * gy;
  if (R * S * R > kMaxBlocks)
    return failure({std::string(name) + ": the " + std::to_string(R) + " x " + std::to_string(S) +
                    " grid is too large; at most " + std::to_string(kMaxBlocks) +
                    " leaf tiles are allowed"});
  MatmulBuilder m(std::string(name),
                  std::string(algorithm) + " (DISTAL): C = A x B on a " + std::to_string(gx) +
                      " x " + std::to_string(gy) + " node grid of " + std::to_string(lx) + " x " +
                      std::to_string(ly) + " processors each (a " + std::to_string(R) + " x " +
                      std::to_string(S) + " grid), " + std::to_string(R) +
                      " steps, n = " + std::to_string(n),
                  machine, n);
  Distal2d d(m, gx, gy, lx, ly);
  if (d.add_matrices()) {
    m.add_tasks(MatmulBuilder::Hierarchy::Distal2d);
    d.build(k_index);
  }
  return m.finish();
}

}  // namespace mapforge::app::matmul
