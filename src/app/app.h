// The application model (DESIGN.md §3): regions cut into blocks, partitions, tasks with variants
// and layout requirements, and launches in program order with their costs. This is "what is
// computed"; a mapping policy says where, and the simulator says how long. Depends on nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mapforge::app {

enum class VariantKind : std::uint8_t { CPU, GPU, OMP };
enum class KernelClass : std::uint8_t { Dense, Streaming, Irregular };
enum class Privilege : std::uint8_t { ReadOnly, ReadWrite, WriteDiscard, Reduce };
enum class ReduceOp : std::uint8_t { None, Sum, Min, Max, Prod };
/// How a kernel touches an argument's elements: streaming over them in order, gathering them
/// at random through pointers or indices, or updating them at random with atomics (scatters,
/// reductions into shared data). Gathers and atomics run at the fraction of the streaming
/// bandwidth the machine profile gives for the processor and memory.
enum class Access : std::uint8_t { Stream, Gather, Atomic };

std::string_view to_string(VariantKind kind);
std::string_view to_string(KernelClass kernel);
std::string_view to_string(Privilege privilege);
std::string_view to_string(ReduceOp op);
std::string_view to_string(Access access);

struct Field {
  std::string name;
  std::int64_t bytes = 8;  // size of one element of this field
  bool operator==(const Field&) const = default;
};

/// A logical region. Its elements are cut into atomic blocks; every subregion is a set of whole
/// blocks, so two subregions overlap exactly on the blocks they share.
struct Region {
  std::string name;
  std::vector<Field> fields;
  std::vector<std::int64_t> block_elements;  // element count of each block
  int dims = 1;                              // spatial dimensions of an instance (1-3)
  std::int64_t elements() const;
  bool operator==(const Region&) const = default;
};

/// A partition of a region into pieces indexed by color (a Legion partition), or the whole
/// region as one piece. Its name is what policies call the region argument (e.g. "rp_shared").
struct Partition {
  std::string name;
  int region = 0;
  std::vector<std::int64_t> color_extents;        // colors form this grid (row-major)
  std::vector<std::vector<std::int32_t>> pieces;  // blocks of each color
  bool disjoint = true;
  bool operator==(const Partition&) const = default;
};

/// Launch point -> color: color = (matrix * point + offset) mod color_extents, row-major.
/// For a single launch (no point) the color is offset.
struct Projection {
  std::vector<std::vector<std::int64_t>> matrix;  // one row per color dimension
  std::vector<std::int64_t> offset;
  bool operator==(const Projection&) const = default;
};

struct RegionArg {
  int partition = 0;
  Projection projection;
  Privilege privilege = Privilege::ReadOnly;
  ReduceOp reduce = ReduceOp::None;
  std::vector<int> fields;  // indices into the region's fields
  double passes = 1.0;      // how many times the kernel streams over these fields; for a
                            // gather or atomic argument, accesses per element (fractional)
  Access access = Access::Stream;
  bool operator==(const RegionArg&) const = default;
};

/// What a kernel accepts for one argument; a mapped instance that breaks it fails the run the
/// way the real kernel fails.
struct LayoutRequirement {
  enum class Failure : std::uint8_t { Stride, BlasParameter };
  std::optional<bool> soa = {};      // true: SOA (field dimension last), false: AOS
  std::optional<bool> c_order = {};  // true: C order, false: Fortran order
  Failure failure = Failure::Stride;
  int blas_parameter = 8;  // the cuBLAS/BLAS parameter number in the error
  bool operator==(const LayoutRequirement&) const = default;
};

struct Variant {
  VariantKind kind = VariantKind::CPU;
  std::vector<std::optional<LayoutRequirement>> layouts = {};  // per argument (may be short)
  bool operator==(const Variant&) const = default;
};

struct Task {
  std::string name;
  KernelClass kernel = KernelClass::Streaming;
  std::vector<Variant> variants;
  std::vector<std::string> arg_names;  // the region-argument names, as the real program has them
  const Variant* variant(VariantKind kind) const;
  bool operator==(const Task&) const = default;
};

struct Launch {
  int task = 0;
  std::vector<std::int64_t> domain;  // launch-domain extents; empty: a single launch
  std::vector<RegionArg> args;
  double flops = 0;       // per point
  double overhead_s = 0;  // extra fixed time per point beyond the processor's launch overhead
  /// When >= 0: each point is a single task launched by the same point of that earlier launch of
  /// the phase (e.g. DISTAL's leaf GEMM `task_4` inside its compute index task); its parent's
  /// processor is where that point ran. Such launches map through SingleTaskMap.
  int parent_launch = -1;
  /// With parent_launch: when not empty, a nested index launch. Each parent point issues its
  /// own index launch over `parent_block`: point p of this launch belongs to parent point
  /// p / parent_block (per dimension) and is point p % parent_block of that parent's launch. As
  /// DISTAL tags these launches SAME_ADDRESS_SPACE, the runtime slices each over the processors
  /// of the parent's node. Such launches map through IndexTaskMap with the parent's point space.
  std::vector<std::int64_t> parent_block;
  bool operator==(const Launch&) const = default;
};

/// A run of launches, repeated `repeat` times (a time-step loop). `timed` phases count for the
/// reported elapsed time, as the real programs time their main loop only.
struct Phase {
  std::string name;
  std::vector<Launch> launches;
  std::int64_t repeat = 1;
  bool timed = true;
  bool operator==(const Phase&) const = default;
};

/// How the program reports its result.
struct Metric {
  enum class Kind : std::uint8_t { ElapsedTime, Throughput };
  Kind kind = Kind::ElapsedTime;
  double work = 0;             // flops (Throughput) or items (ElapsedTime rate line)
  std::string work_unit = {};  // e.g. "wires", "cells"; empty: no rate line
  bool operator==(const Metric&) const = default;
};

struct App {
  std::string name;
  std::string description;
  std::vector<Region> regions;
  std::vector<Partition> partitions;
  std::vector<Task> tasks;
  std::vector<Phase> phases;
  Metric metric;
  int find_task(std::string_view name) const;  // -1 when absent
  bool operator==(const App&) const = default;
};

/// Errors say which file and which field: "my.json: /tasks/2/variants/0/kind: ...".
struct LoadResult {
  std::optional<App> app;
  std::vector<std::string> errors;
};

/// Checks an app for consistency (indices in range, projections of the right shape, ...).
std::vector<std::string> validate(const App& app);

/// The JSON app format (documented in README.md), both ways.
LoadResult load_app(std::string_view json_text, const std::string& file_name);
std::string to_json(const App& app);

/// The nine benchmark programs of APPS.md, generated for a machine of `nodes` nodes with
/// `gpus_per_node` GPUs and `cpus_per_node` CPUs; sizes are "name=value" overrides.
struct BuiltinSpec {
  std::string name;
  std::string summary;
  std::vector<std::pair<std::string, std::string>> parameters;  // name, default and meaning
};
std::vector<BuiltinSpec> builtin_apps();
struct MachineFacts {
  int nodes = 1;
  int gpus_per_node = 0;
  int cpus_per_node = 1;
};
LoadResult builtin_app(std::string_view name, const MachineFacts& machine,
                       const std::vector<std::pair<std::string, std::int64_t>>& sizes = {});
/// The matrix size of the published weak-scaling runs of the six matrix multiplications on
/// `nodes` nodes (their default n): int(20000 sqrt(nodes)), rounded down to even.
std::int64_t matmul_default_n(int nodes);
/// The expert mapper of a built-in app, in the mapping language (APPS.md); empty if unknown.
/// Largest app JSON file accepted (src/app/README.md, "Limits").
inline constexpr std::size_t kMaxAppFileBytes = 64u << 20;
std::string_view expert_policy(std::string_view name);

}  // namespace mapforge::app
