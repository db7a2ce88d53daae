// The shared skeleton of the DISTAL-style matrix multiplications (see matmul_common.h).
#include "app/builtin/matmul_common.h"

#include <cmath>

namespace mapforge::app::matmul {

std::int64_t ranks(const MachineFacts& machine) {
  const std::int64_t nodes = std::max(machine.nodes, 1);
  if (machine.gpus_per_node > 0) return nodes * machine.gpus_per_node;
  return nodes * std::max(machine.cpus_per_node, 1);
}

std::int64_t default_n(const MachineFacts& machine) {
  const double nodes = static_cast<double>(std::max(machine.nodes, 1));
  auto size = static_cast<std::int64_t>(20000.0 * std::sqrt(nodes));
  return size - size % 2;
}

std::pair<std::int64_t, std::int64_t> grid_2d(std::int64_t ranks) {
  if (ranks < 1) return {1, 1};
  std::int64_t gy = 1;
  for (std::int64_t d = 1; d * d <= ranks; ++d)
    if (ranks % d == 0) gy = d;
  return {ranks / gy, gy};
}

GemmPasses gemm_passes(double m, double n) {
  return {std::max(1.0, n / kGemmTile), std::max(1.0, m / kGemmTile), 2.0};
}

std::int64_t gcd(std::int64_t a, std::int64_t b) {
  while (b != 0) {
    std::int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

std::int64_t lcm(std::int64_t a, std::int64_t b) { return a / gcd(a, b) * b; }

std::vector<std::int64_t> split(std::int64_t n, std::int64_t parts) {
  std::vector<std::int64_t> out;
  if (parts < 1) return out;
  out.reserve(static_cast<std::size_t>(parts));
  for (std::int64_t p = 0; p < parts; ++p) out.push_back(n / parts + (p < n % parts ? 1 : 0));
  return out;
}

MatmulBuilder::MatmulBuilder(std::string name, std::string description, const MachineFacts& machine,
                             std::int64_t n)
    : b_(name, std::move(description)), name_(std::move(name)), machine_(machine), n_(n) {}

int MatmulBuilder::add_matrix(std::string name, std::int64_t rows, std::int64_t cols) {
  std::vector<std::int64_t> blocks;
  if (rows > n_ || cols > n_) {
    errors_.push_back("n = " + std::to_string(n_) + " is smaller than the " +
                      std::to_string(std::max(rows, cols)) + " tiles per dimension of " + name +
                      "; give a larger n or a smaller grid");
  } else if (rows < 1 || cols < 1 || rows * cols > kMaxBlocks) {
    errors_.push_back(name + " would be cut into " + std::to_string(rows) + " x " +
                      std::to_string(cols) + " tiles; at most " + std::to_string(kMaxBlocks) +
                      " are allowed");
  } else {
    const std::vector<std::int64_t> row_extents = split(n_, rows);
    const std::vector<std::int64_t> col_extents = split(n_, cols);
    blocks.reserve(static_cast<std::size_t>(rows * cols));
    for (std::int64_t r : row_extents)
      for (std::int64_t c : col_extents) blocks.push_back(r * c);
  }
  if (blocks.empty()) {  // an error was recorded; keep one block so that nothing else breaks
    blocks.push_back(1);
    rows = cols = 1;
  }
  block_grid_.emplace_back(rows, cols);
  return b_.add_region(std::move(name), {{"vals", 8}}, std::move(blocks), 2);
}

void MatmulBuilder::add_matrices(std::int64_t a_rows, std::int64_t a_cols, std::int64_t b_rows,
                                 std::int64_t b_cols, std::int64_t c_rows, std::int64_t c_cols) {
  a_ = add_matrix("A", a_rows, a_cols);
  b_region_ = add_matrix("B", b_rows, b_cols);
  c_ = add_matrix("C", c_rows, c_cols);
}

std::int64_t MatmulBuilder::blocks_of(int region, std::int64_t* rows, std::int64_t* cols) const {
  if (region < 0 || static_cast<std::size_t>(region) >= block_grid_.size()) {
    *rows = *cols = 1;
    return 1;
  }
  *rows = block_grid_[static_cast<std::size_t>(region)].first;
  *cols = block_grid_[static_cast<std::size_t>(region)].second;
  return *rows * *cols;
}

int MatmulBuilder::partition_by_owner(
    std::string name, int region, std::int64_t colors_r, std::int64_t colors_c,
    const std::function<std::pair<std::int64_t, std::int64_t>(std::int64_t, std::int64_t)>& owner) {
  std::int64_t rows = 1;
  std::int64_t cols = 1;
  blocks_of(region, &rows, &cols);
  std::vector<std::vector<std::int32_t>> pieces(static_cast<std::size_t>(colors_r * colors_c));
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) {
      auto [i, j] = owner(r, c);
      if (i < 0 || i >= colors_r || j < 0 || j >= colors_c) continue;  // not in any piece
      pieces[static_cast<std::size_t>(i * colors_c + j)].push_back(
          static_cast<std::int32_t>(r * cols + c));
    }
  return b_.add_partition(std::move(name), region, {colors_r, colors_c}, std::move(pieces), true);
}

int MatmulBuilder::tiles(std::string name, int region, std::int64_t colors_r,
                         std::int64_t colors_c) {
  std::int64_t rows = 1;
  std::int64_t cols = 1;
  blocks_of(region, &rows, &cols);
  const std::int64_t per_r = std::max<std::int64_t>(rows / colors_r, 1);
  const std::int64_t per_c = std::max<std::int64_t>(cols / colors_c, 1);
  if (errors_.empty() && (rows % colors_r != 0 || cols % colors_c != 0))
    errors_.push_back("internal: " + name + " has " + std::to_string(rows) + " x " +
                      std::to_string(cols) + " blocks, not a multiple of " +
                      std::to_string(colors_r) + " x " + std::to_string(colors_c));
  return partition_by_owner(std::move(name), region, colors_r, colors_c,
                            [&](std::int64_t r, std::int64_t c) {
                              return std::pair{r / per_r, c / per_c};
                            });
}

void MatmulBuilder::add_tasks(Hierarchy hierarchy) {
  // The leaf GEMM. The generated code calls cblas_dgemm(CblasRowMajor, ...) on CPUs and cuBLAS
  // DGEMM (the row-major product written as its column-major transpose) on GPUs, passing each
  // tile's leading dimension as accessor.strides[0] / sizeof(double). That is the row length only
  // when the instance is in C order (last dimension fastest, as TACOMapper's
  // default_policy_select_constraints forces); in Fortran order strides[0] is one element, the
  // leading dimension comes out as 1, and DGEMM rejects it: cuBLAS logs "parameter number 8 had
  // an illegal value" (lda, counting from transa) and (Open)BLAS's xerbla reports the same
  // parameter. With the single field "vals", SOA and AOS are the same bytes, so only the
  // ordering is required.
  LayoutRequirement blas;
  blas.c_order = true;
  blas.failure = LayoutRequirement::Failure::BlasParameter;
  blas.blas_parameter = 8;
  std::vector<std::optional<LayoutRequirement>> leaf_layouts(3, blas);
  const std::vector<Variant> all_kinds = {
      {VariantKind::GPU, {}}, {VariantKind::OMP, {}}, {VariantKind::CPU, {}}};
  const std::vector<Variant> leaf_kinds = {{VariantKind::GPU, leaf_layouts},
                                           {VariantKind::OMP, leaf_layouts},
                                           {VariantKind::CPU, leaf_layouts}};
  if (machine_.gpus_per_node > 0)
    init_cublas_ = b_.add_task("init_cublas", KernelClass::Streaming, {{VariantKind::GPU, {}}}, {});
  fill_ = b_.add_task("taco_fill", KernelClass::Streaming, all_kinds, {"tensor"});
  const bool johnson = hierarchy == Hierarchy::Johnson;
  place_[0] = b_.add_task("task_1", KernelClass::Streaming, all_kinds, {johnson ? "C" : "A"});
  place_[1] = b_.add_task("task_2", KernelClass::Streaming, all_kinds, {johnson ? "A" : "B"});
  place_[2] = b_.add_task("task_3", KernelClass::Streaming, all_kinds, {johnson ? "B" : "C"});
  leaf_ = b_.add_task("task_4", KernelClass::Dense, leaf_kinds, {"A", "B", "C"});
  if (johnson) {
    // No task_5: the leaf is the compute launch.
  } else if (hierarchy == Hierarchy::Distal2d) {
    // Inner tasks whose regions are mapped virtually: they carry no data here. task_7 and
    // task_6 are the generated programs' OpenMP inner tasks (a CPU variant where there is no
    // OpenMP processor); task_5 runs on the processors of the leaves.
    const std::vector<Variant> host_kinds = {{VariantKind::OMP, {}}, {VariantKind::CPU, {}}};
    compute_ = b_.add_task("task_5", KernelClass::Streaming, all_kinds, {});
    node_step_ = b_.add_task("task_6", KernelClass::Streaming, host_kinds, {});
    node_ = b_.add_task("task_7", KernelClass::Streaming, host_kinds, {});
  } else {
    compute_ = b_.add_task("task_5", KernelClass::Streaming, all_kinds, {"A", "B", "C"});
  }
  validate_ = b_.add_task("taco_validate", KernelClass::Streaming, all_kinds, {"C"});
}

Phase& MatmulBuilder::init_phase(int fill_a, int fill_b, int fill_c) {
  Phase& init = b_.add_phase("init", 1, false);
  if (init_cublas_ >= 0) {
    // cuBLAS handles are created once per GPU, before anything else.
    const std::int64_t gpus = std::int64_t{std::max(machine_.nodes, 1)} * machine_.gpus_per_node;
    b_.add_index_launch(init, init_cublas_, {gpus}, 0.0);
  }
  for (int part : {fill_a, fill_b, fill_c}) {
    if (part < 0 || static_cast<std::size_t>(part) >= b_.app().partitions.size()) continue;
    const Partition& partition = b_.app().partitions[static_cast<std::size_t>(part)];
    Launch& fill = b_.add_index_launch(init, fill_, partition.color_extents, 0.0);
    b_.arg(fill, part, AppBuilder::identity(static_cast<int>(partition.color_extents.size())),
           Privilege::WriteDiscard, b_.all_fields(part));
  }
  return init;
}

void MatmulBuilder::place(Phase& phase, int which, std::vector<std::int64_t> domain, int partition,
                          Projection projection) {
  // Placement tasks have empty bodies: mapping their ReadOnly argument is what moves the tile
  // to the processor, so the kernel streams nothing (passes 0).
  Launch& l = b_.add_index_launch(phase, place_[which], std::move(domain), 0.0);
  b_.arg(l, partition, std::move(projection), Privilege::ReadOnly, b_.all_fields(partition), 0.0);
}

Phase& MatmulBuilder::compute_phase() { return b_.add_phase("compute", 1, true); }

Launch& MatmulBuilder::step(Phase& phase, std::vector<std::int64_t> domain, Gemm gemm, int part_a,
                            Projection proj_a, int part_b, Projection proj_b, int part_c,
                            Projection proj_c, bool reduce_c) {
  // task_5 is the compute index task: its regions are virtually mapped in the real program (it
  // only launches task_4), so it touches no data (passes 0) and computes nothing.
  Launch& parent = b_.add_index_launch(phase, compute_, domain, 0.0);
  const Privilege c_priv = reduce_c ? Privilege::Reduce : Privilege::ReadWrite;
  const ReduceOp c_op = reduce_c ? ReduceOp::Sum : ReduceOp::None;
  b_.arg(parent, part_a, proj_a, Privilege::ReadOnly, b_.all_fields(part_a), 0.0);
  b_.arg(parent, part_b, proj_b, Privilege::ReadOnly, b_.all_fields(part_b), 0.0);
  b_.arg(parent, part_c, proj_c, c_priv, b_.all_fields(part_c), 0.0, c_op);
  Launch& leaf =
      b_.add_index_launch(phase, leaf_, std::move(domain), 2.0 * gemm.m * gemm.n * gemm.k);
  b_.set_parent(leaf, parent);
  const GemmPasses passes = gemm_passes(gemm.m, gemm.n);
  b_.arg(leaf, part_a, std::move(proj_a), Privilege::ReadOnly, b_.all_fields(part_a), passes.a);
  b_.arg(leaf, part_b, std::move(proj_b), Privilege::ReadOnly, b_.all_fields(part_b), passes.b);
  b_.arg(leaf, part_c, std::move(proj_c), c_priv, b_.all_fields(part_c), passes.c, c_op);
  return leaf;
}

void MatmulBuilder::validate_phase(int part_c) {
  Phase& check = b_.add_phase("validate", 1, false);
  if (part_c < 0 || static_cast<std::size_t>(part_c) >= b_.app().partitions.size()) return;
  const Partition& partition = b_.app().partitions[static_cast<std::size_t>(part_c)];
  Launch& l = b_.add_index_launch(check, validate_, partition.color_extents, 0.0);
  b_.arg(l, part_c, AppBuilder::identity(static_cast<int>(partition.color_extents.size())),
         Privilege::ReadOnly, b_.all_fields(part_c));
}

LoadResult MatmulBuilder::finish() {
  if (!errors_.empty()) {
    std::vector<std::string> out;
    for (const std::string& e : errors_) out.push_back(name_ + ": " + e);
    return failure(std::move(out));
  }
  const double n = static_cast<double>(n_);
  return b_.finish({Metric::Kind::Throughput, 2.0 * n * n * n, ""});
}

bool read_n(std::string_view app, const MachineFacts& machine, const Sizes& sizes,
            std::span<const std::string_view> known, std::int64_t* n,
            std::vector<std::string>& errors) {
  if (!check_size_names(app, sizes, known, errors)) return false;
  std::optional<std::int64_t> value =
      size_param(app, sizes, "n", default_n(machine), 1, kMaxN, errors);
  if (!value) return false;
  *n = *value;
  return true;
}

std::optional<std::pair<std::int64_t, std::int64_t>> read_grid_2d(
    std::string_view app, std::pair<std::int64_t, std::int64_t> grid, const Sizes& sizes,
    std::vector<std::string>& errors) {
  auto gx = size_param(app, sizes, "gx", grid.first, 1, kMaxGrid, errors);
  auto gy = size_param(app, sizes, "gy", grid.second, 1, kMaxGrid, errors);
  if (!gx || !gy) return std::nullopt;
  return std::pair{*gx, *gy};
}

LoadResult failure(std::vector<std::string> errors) {
  LoadResult result;
  result.errors = std::move(errors);
  return result;
}

}  // namespace mapforge::app::matmul
