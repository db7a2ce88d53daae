// The application model's small accessors and `validate`, the one place that knows what a
// consistent app is. Every message starts with the JSON path of the offending value, so an error
// in a loaded file points into the file and an error in a generated app points into its model.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include "app/app.h"
#include "app/model_support.h"

namespace mapforge::app {

std::string_view to_string(VariantKind kind) {
  switch (kind) {
    case VariantKind::CPU:
      return "CPU";
    case VariantKind::GPU:
      return "GPU";
    case VariantKind::OMP:
      return "OMP";
  }
  return "?";
}

std::string_view to_string(KernelClass kernel) {
  switch (kernel) {
    case KernelClass::Dense:
      return "dense";
    case KernelClass::Streaming:
      return "streaming";
    case KernelClass::Irregular:
      return "irregular";
  }
  return "?";
}

std::string_view to_string(Privilege privilege) {
  switch (privilege) {
    case Privilege::ReadOnly:
      return "read_only";
    case Privilege::ReadWrite:
      return "read_write";
    case Privilege::WriteDiscard:
      return "write_discard";
    case Privilege::Reduce:
      return "reduce";
  }
  return "?";
}

std::string_view to_string(ReduceOp op) {
  switch (op) {
    case ReduceOp::None:
      return "none";
    case ReduceOp::Sum:
      return "sum";
    case ReduceOp::Min:
      return "min";
    case ReduceOp::Max:
      return "max";
    case ReduceOp::Prod:
      return "prod";
  }
  return "?";
}

std::string_view to_string(Access access) {
  switch (access) {
    case Access::Stream:
      return "stream";
    case Access::Gather:
      return "gather";
    case Access::Atomic:
      return "atomic";
  }
  return "?";
}

std::int64_t Region::elements() const {
  std::int64_t total = 0;
  for (std::int64_t n : block_elements) total += n;
  return total;
}

const Variant* Task::variant(VariantKind kind) const {
  for (const Variant& v : variants)
    if (v.kind == kind) return &v;
  return nullptr;
}

int App::find_task(std::string_view task_name) const {
  for (std::size_t i = 0; i < tasks.size(); ++i)
    if (tasks[i].name == task_name) return static_cast<int>(i);
  return -1;
}

std::string list_to_string(const std::vector<std::int64_t>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(values[i]);
  }
  return out + "]";
}

std::int64_t saturating_product(const std::vector<std::int64_t>& extents) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t product = 1;
  for (std::int64_t e : extents) {
    if (e <= 0) return 0;
    if (product > kMax / e) return kMax;
    product *= e;
  }
  return product;
}

namespace {

/// Collects messages, at most kMaxErrors of them (a huge broken app must not produce millions).
class Errors {
 public:
  explicit Errors(std::vector<std::string>& out) : out_(out) {}
  void add(const std::string& path, const std::string& message) {
    if (out_.size() < kMaxErrors) {
      out_.push_back(path + ": " + message);
    } else if (out_.size() == kMaxErrors) {
      out_.push_back(too_many_errors_message());
    }
  }
  bool full() const { return out_.size() > kMaxErrors; }

 private:
  std::vector<std::string>& out_;
};

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string index_message(std::int64_t index, std::size_t count, std::string_view what) {
  return "index " + std::to_string(index) + " out of range (" + std::to_string(count) + " " +
         std::string(what) + ")";
}

bool in_range(std::int64_t index, std::size_t count) {
  return index >= 0 && static_cast<std::uint64_t>(index) < count;
}

bool non_negative_number(double x) { return std::isfinite(x) && x >= 0; }

std::string number_to_string(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

/// Reports a second use of a name: "duplicate task name \"t\" (also /tasks/0)".
void check_unique_names(const std::vector<std::string>& names, const std::string& prefix,
                        std::string_view what, Errors& errors) {
  std::map<std::string_view, std::size_t> first;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string path = prefix + "/" + std::to_string(i) + "/name";
    if (names[i].empty()) {
      errors.add(path, "empty name");
      continue;
    }
    auto [it, inserted] = first.emplace(names[i], i);
    if (!inserted)
      errors.add(path, "duplicate " + std::string(what) + " name " + quoted(names[i]) + " (also " +
                           prefix + "/" + std::to_string(it->second) + ")");
  }
}

/// Extents of a grid: 1 to 3 dimensions, each at least 1.
void check_extents(const std::vector<std::int64_t>& extents, const std::string& path,
                   Errors& errors) {
  if (extents.empty() || extents.size() > 3) {
    errors.add(path, "must have 1 to 3 dimensions, got " + std::to_string(extents.size()));
    return;
  }
  for (std::size_t d = 0; d < extents.size(); ++d)
    if (extents[d] < 1)
      errors.add(path + "/" + std::to_string(d),
                 "must be at least 1, got " + std::to_string(extents[d]));
}

void check_region(const Region& region, const std::string& path, Errors& errors) {
  if (region.fields.empty()) errors.add(path + "/fields", "a region needs at least one field");
  std::map<std::string_view, std::size_t> seen;
  for (std::size_t f = 0; f < region.fields.size(); ++f) {
    const Field& field = region.fields[f];
    std::string field_path = path + "/fields/" + std::to_string(f);
    if (field.name.empty()) {
      errors.add(field_path + "/name", "empty name");
    } else if (auto [it, inserted] = seen.emplace(field.name, f); !inserted) {
      errors.add(field_path + "/name", "duplicate field name " + quoted(field.name) + " (also " +
                                           path + "/fields/" + std::to_string(it->second) + ")");
    }
    if (field.bytes <= 0)
      errors.add(field_path + "/bytes", "must be positive, got " + std::to_string(field.bytes));
  }
  if (region.block_elements.empty())
    errors.add(path + "/block_elements", "a region needs at least one block");
  for (std::size_t b = 0; b < region.block_elements.size() && !errors.full(); ++b)
    if (region.block_elements[b] <= 0)
      errors.add(path + "/block_elements/" + std::to_string(b),
                 "must be positive, got " + std::to_string(region.block_elements[b]));
  if (region.dims < 1 || region.dims > 3)
    errors.add(path + "/dims", "must be 1, 2 or 3, got " + std::to_string(region.dims));
}

void check_partition(const App& app, const Partition& partition, const std::string& path,
                     Errors& errors) {
  check_extents(partition.color_extents, path + "/color_extents", errors);
  std::int64_t colors = saturating_product(partition.color_extents);
  if (colors > 0 && static_cast<std::uint64_t>(colors) != partition.pieces.size())
    errors.add(path + "/pieces", std::to_string(partition.pieces.size()) +
                                     " pieces but color_extents " +
                                     list_to_string(partition.color_extents) + " has " +
                                     std::to_string(colors) + " colors");
  if (!in_range(partition.region, app.regions.size())) {
    errors.add(path + "/region", index_message(partition.region, app.regions.size(), "regions"));
    return;
  }
  const std::size_t blocks = app.regions[partition.region].block_elements.size();
  // owner[b]: the piece that holds block b (for the disjointness check), or -1.
  std::vector<std::int64_t> owner(blocks, -1);
  for (std::size_t p = 0; p < partition.pieces.size() && !errors.full(); ++p) {
    const auto& piece = partition.pieces[p];
    for (std::size_t k = 0; k < piece.size() && !errors.full(); ++k) {
      std::string block_path = path + "/pieces/" + std::to_string(p) + "/" + std::to_string(k);
      std::int32_t b = piece[k];
      if (!in_range(b, blocks)) {
        errors.add(block_path, index_message(b, blocks, "blocks"));
        continue;
      }
      std::int64_t& holder = owner[b];
      if (holder == static_cast<std::int64_t>(p)) {
        errors.add(block_path, "block " + std::to_string(b) + " appears twice in the piece");
      } else if (holder >= 0 && partition.disjoint) {
        errors.add(block_path, "block " + std::to_string(b) + " is also in piece " +
                                   std::to_string(holder) + " of a disjoint partition");
      }
      holder = static_cast<std::int64_t>(p);
    }
  }
}

void check_variants(const Task& task, const std::string& path, Errors& errors) {
  if (task.variants.empty()) errors.add(path + "/variants", "a task needs at least one variant");
  for (std::size_t v = 0; v < task.variants.size(); ++v) {
    const Variant& variant = task.variants[v];
    std::string variant_path = path + "/variants/" + std::to_string(v);
    for (std::size_t w = 0; w < v; ++w)
      if (task.variants[w].kind == variant.kind)
        errors.add(variant_path + "/kind", "duplicate variant kind " +
                                               std::string(to_string(variant.kind)) + " (also " +
                                               path + "/variants/" + std::to_string(w) + ")");
    if (variant.layouts.size() > task.arg_names.size())
      errors.add(variant_path + "/layouts",
                 std::to_string(variant.layouts.size()) + " layouts for " +
                     std::to_string(task.arg_names.size()) + " arguments");
    for (std::size_t a = 0; a < variant.layouts.size(); ++a)
      if (variant.layouts[a] && variant.layouts[a]->blas_parameter < 1)
        errors.add(variant_path + "/layouts/" + std::to_string(a) + "/blas_parameter",
                   "must be positive, got " + std::to_string(variant.layouts[a]->blas_parameter));
  }
}

void check_task(const Task& task, const std::string& path, Errors& errors) {
  check_variants(task, path, errors);
  for (std::size_t a = 0; a < task.arg_names.size(); ++a)
    if (task.arg_names[a].empty())
      errors.add(path + "/arg_names/" + std::to_string(a), "empty name");
}

void check_projection(const Projection& projection, std::size_t color_dims, std::size_t domain_dims,
                      const std::string& path, Errors& errors) {
  if (domain_dims == 0 && !projection.matrix.empty()) {
    errors.add(path + "/matrix", "must be empty for a single launch, got " +
                                     std::to_string(projection.matrix.size()) + " rows");
  } else if (domain_dims > 0 && projection.matrix.size() != color_dims) {
    errors.add(path + "/matrix", std::to_string(projection.matrix.size()) +
                                     " rows for a partition with " + std::to_string(color_dims) +
                                     " color dimensions");
  } else {
    for (std::size_t r = 0; r < projection.matrix.size(); ++r)
      if (projection.matrix[r].size() != domain_dims)
        errors.add(path + "/matrix/" + std::to_string(r),
                   std::to_string(projection.matrix[r].size()) +
                       " columns for a launch domain with " + std::to_string(domain_dims) +
                       " dimensions");
  }
  if (projection.offset.size() != color_dims)
    errors.add(path + "/offset", std::to_string(projection.offset.size()) +
                                     " entries for a partition with " + std::to_string(color_dims) +
                                     " color dimensions");
}

void check_arg(const App& app, const RegionArg& arg, std::size_t domain_dims,
               const std::string& path, Errors& errors) {
  if (arg.privilege == Privilege::Reduce && arg.reduce == ReduceOp::None)
    errors.add(path + "/reduce", "a reduce argument needs an operator");
  if (arg.privilege != Privilege::Reduce && arg.reduce != ReduceOp::None)
    errors.add(path + "/reduce", "only a reduce argument has an operator, got " +
                                     std::string(to_string(arg.reduce)) + " with " +
                                     std::string(to_string(arg.privilege)));
  if (!non_negative_number(arg.passes))
    errors.add(path + "/passes",
               "must be a non-negative number, got " + number_to_string(arg.passes));
  if (arg.fields.empty()) errors.add(path + "/fields", "an argument needs at least one field");
  if (!in_range(arg.partition, app.partitions.size())) {
    errors.add(path + "/partition",
               index_message(arg.partition, app.partitions.size(), "partitions"));
    return;
  }
  const Partition& partition = app.partitions[arg.partition];
  check_projection(arg.projection, partition.color_extents.size(), domain_dims,
                   path + "/projection", errors);
  if (!in_range(partition.region, app.regions.size())) return;  // reported with the partition
  const std::size_t fields = app.regions[partition.region].fields.size();
  for (std::size_t f = 0; f < arg.fields.size(); ++f) {
    std::string field_path = path + "/fields/" + std::to_string(f);
    if (!in_range(arg.fields[f], fields)) {
      errors.add(field_path, index_message(arg.fields[f], fields, "fields"));
      continue;
    }
    for (std::size_t g = 0; g < f; ++g)
      if (arg.fields[g] == arg.fields[f])
        errors.add(field_path, "field " + std::to_string(arg.fields[f]) + " appears twice");
  }
}

void check_launch(const App& app, const Phase& phase, std::size_t index, const std::string& path,
                  Errors& errors) {
  const Launch& launch = phase.launches[index];
  if (!launch.domain.empty()) check_extents(launch.domain, path + "/domain", errors);
  if (!non_negative_number(launch.flops))
    errors.add(path + "/flops",
               "must be a non-negative number, got " + number_to_string(launch.flops));
  if (!non_negative_number(launch.overhead_s))
    errors.add(path + "/overhead_s",
               "must be a non-negative number, got " + number_to_string(launch.overhead_s));
  if (launch.parent_launch != -1) {
    if (launch.parent_launch < 0 || static_cast<std::size_t>(launch.parent_launch) >= index) {
      errors.add(path + "/parent_launch", "must be -1 or an earlier launch of the phase, got " +
                                              std::to_string(launch.parent_launch));
    } else if (const Launch& parent = phase.launches[launch.parent_launch];
               launch.parent_block.empty() && parent.domain != launch.domain) {
      errors.add(path + "/parent_launch", "launch " + std::to_string(launch.parent_launch) +
                                              " has domain " + list_to_string(parent.domain) +
                                              ", this launch " + list_to_string(launch.domain));
    } else if (!launch.parent_block.empty()) {
      bool fits = parent.domain.size() == launch.domain.size() &&
                  launch.parent_block.size() == launch.domain.size();
      for (std::size_t d = 0; fits && d < launch.domain.size(); ++d)
        fits = launch.parent_block[d] >= 1 &&
               parent.domain[d] * launch.parent_block[d] == launch.domain[d];
      if (!fits)
        errors.add(path + "/parent_block", "launch " + std::to_string(launch.parent_launch) +
                                               " has domain " + list_to_string(parent.domain) +
                                               "; with parent_block " +
                                               list_to_string(launch.parent_block) +
                                               " this launch must have their product, not " +
                                               list_to_string(launch.domain));
    }
  } else if (!launch.parent_block.empty()) {
    errors.add(path + "/parent_block", "needs a parent_launch");
  }
  if (!in_range(launch.task, app.tasks.size())) {
    errors.add(path + "/task", index_message(launch.task, app.tasks.size(), "tasks"));
  } else if (const Task& task = app.tasks[launch.task];
             launch.args.size() != task.arg_names.size()) {
    errors.add(path + "/args", std::to_string(launch.args.size()) + " arguments but task " +
                                   quoted(task.name) + " has " +
                                   std::to_string(task.arg_names.size()));
  }
  for (std::size_t a = 0; a < launch.args.size() && !errors.full(); ++a)
    check_arg(app, launch.args[a], launch.domain.size(), path + "/args/" + std::to_string(a),
              errors);
}

}  // namespace

std::string too_many_errors_message() {
  return "too many errors; only the first " + std::to_string(kMaxErrors) + " are shown";
}

std::vector<std::string> validate(const App& app) {
  std::vector<std::string> out;
  Errors errors(out);
  if (app.name.empty()) errors.add("/name", "empty name");
  std::vector<std::string> names;
  for (const Region& r : app.regions) names.push_back(r.name);
  check_unique_names(names, "/regions", "region", errors);
  for (std::size_t r = 0; r < app.regions.size() && !errors.full(); ++r)
    check_region(app.regions[r], "/regions/" + std::to_string(r), errors);

  names.clear();
  for (const Partition& p : app.partitions) names.push_back(p.name);
  check_unique_names(names, "/partitions", "partition", errors);
  for (std::size_t p = 0; p < app.partitions.size() && !errors.full(); ++p)
    check_partition(app, app.partitions[p], "/partitions/" + std::to_string(p), errors);

  names.clear();
  for (const Task& t : app.tasks) names.push_back(t.name);
  check_unique_names(names, "/tasks", "task", errors);
  for (std::size_t t = 0; t < app.tasks.size() && !errors.full(); ++t)
    check_task(app.tasks[t], "/tasks/" + std::to_string(t), errors);

  if (app.phases.empty()) errors.add("/phases", "an app needs at least one phase");
  for (std::size_t p = 0; p < app.phases.size() && !errors.full(); ++p) {
    const Phase& phase = app.phases[p];
    std::string path = "/phases/" + std::to_string(p);
    if (phase.repeat < 1)
      errors.add(path + "/repeat", "must be at least 1, got " + std::to_string(phase.repeat));
    for (std::size_t l = 0; l < phase.launches.size() && !errors.full(); ++l)
      check_launch(app, phase, l, path + "/launches/" + std::to_string(l), errors);
  }
  if (!non_negative_number(app.metric.work))
    errors.add("/metric/work",
               "must be a non-negative number, got " + number_to_string(app.metric.work));
  return out;
}

}  // namespace mapforge::app
