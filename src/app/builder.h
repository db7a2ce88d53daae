// Building apps in C++: what the built-in generators (builtin/*.cc) use. Not part of the app
// module's public API (other modules include only app.h).
//
//   AppBuilder b("circuit", "an electrical circuit ...");
//   int nodes = b.add_region("nodes", {{"node_cap", 4}, {"charge", 4}}, blocks);
//   int priv = b.add_partition("rp_private", nodes, {pieces}, private_blocks);
//   int cnc = b.add_task("calculate_new_currents", KernelClass::Dense,
//                        {{VariantKind::GPU}, {VariantKind::CPU}}, {"rpn", "rsn", "rgn", "rw"});
//   Phase& loop = b.add_phase("loop", loops);
//   Launch& l = b.add_index_launch(loop, cnc, {pieces}, flops_per_piece);
//   b.arg(l, priv, AppBuilder::identity(1), Privilege::ReadOnly, b.fields(priv, {"node_voltage"}));
//   return b.finish({Metric::Kind::ElapsedTime, wires, "wires"});
//
// References returned by add_phase and add_*_launch stay valid until finish. Mistakes (a bad
// index, an unknown field name) never crash: they become errors that finish reports.
#pragma once

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/app.h"

namespace mapforge::app {

/// Size overrides given to a generator: "name=value" pairs, in the order given.
using Sizes = std::vector<std::pair<std::string, std::int64_t>>;

class AppBuilder {
 public:
  explicit AppBuilder(std::string name, std::string description = {});

  /// A region of blocks with the given element counts; returns its index.
  int add_region(std::string name, std::vector<Field> fields,
                 std::vector<std::int64_t> block_elements, int dims = 1);
  /// A partition whose colors form the grid `color_extents` (row-major), piece c holding the
  /// blocks pieces[c]; returns its index.
  int add_partition(std::string name, int region, std::vector<std::int64_t> color_extents,
                    std::vector<std::vector<std::int32_t>> pieces, bool disjoint = true);
  /// The whole region as a partition of one piece (color extents {1}).
  int add_whole(std::string name, int region);
  /// A task; arg_names are its region-argument names as the real program has them.
  int add_task(std::string name, KernelClass kernel, std::vector<Variant> variants,
               std::vector<std::string> arg_names);

  /// Point p -> color p (color dims == launch dims).
  static Projection identity(int dims);
  /// Every point -> `color`. Given to an index launch, `arg` fills in the zero matrix.
  static Projection fixed(std::vector<std::int64_t> color);
  /// Point p -> (matrix * p + offset) mod color extents.
  static Projection affine(std::vector<std::vector<std::int64_t>> matrix,
                           std::vector<std::int64_t> offset);

  Phase& add_phase(std::string name, std::int64_t repeat = 1, bool timed = true);
  /// An index launch over `domain` (1-3 extents); flops are per point.
  Launch& add_index_launch(Phase& phase, int task, std::vector<std::int64_t> domain, double flops);
  Launch& add_single_launch(Phase& phase, int task, double flops);
  /// Makes each point of `child` a single task launched by the same point of `parent`, an
  /// earlier launch of the same phase (Launch::parent_launch).
  void set_parent(Launch& child, const Launch& parent);
  /// Makes `child` a nested index launch of `parent` (Launch::parent_block).
  void set_nested_parent(Launch& child, const Launch& parent, std::vector<std::int64_t> block);
  /// Appends a region argument (in the order of the task's arg_names).
  void arg(Launch& launch, int partition, Projection projection, Privilege privilege,
           std::vector<int> fields, double passes = 1.0, ReduceOp reduce = ReduceOp::None,
           Access access = Access::Stream);

  /// Indices of the named fields of the partition's region (an unknown name is an error).
  std::vector<int> fields(int partition, std::initializer_list<std::string_view> names);
  /// Every field of the partition's region.
  std::vector<int> all_fields(int partition);

  /// Sets the metric, assembles the app and validates it. Errors (the builder's own and
  /// validate's) come back prefixed with the app name: "circuit: /tasks/2/name: empty name".
  LoadResult finish(Metric metric);

  /// The app so far, without its phases (for generators that look up what they added).
  const App& app() const { return app_; }

 private:
  struct PhaseDraft {
    Phase phase;                  // launches stay empty until finish
    std::deque<Launch> launches;  // a deque, so that references stay valid
  };
  PhaseDraft* draft_of(const Phase& phase);
  PhaseDraft* draft_holding(const Launch& launch, int* index);
  const Region* region_of_partition(int partition);

  App app_;
  std::deque<PhaseDraft> drafts_;
  std::vector<std::string> errors_;
};

/// Reports size overrides whose name is not in `known`, and names given twice:
/// "circuit: unknown size 'piece'; sizes are pieces, loops". Returns whether all are fine.
bool check_size_names(std::string_view app, const Sizes& sizes,
                      std::span<const std::string_view> known, std::vector<std::string>& errors);

/// The override of `name` (the last one given wins), else `fallback`. A value outside
/// [min, max] is an error ("circuit: size 'pieces' must be between 1 and 65536, got 0") and
/// gives nullopt. The fallback is not range-checked.
std::optional<std::int64_t> size_param(std::string_view app, const Sizes& sizes,
                                       std::string_view name, std::int64_t fallback,
                                       std::int64_t min, std::int64_t max,
                                       std::vector<std::string>& errors);

}  // namespace mapforge::app
