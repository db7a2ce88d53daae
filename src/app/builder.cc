// AppBuilder and the size-override helpers of the built-in generators.
#include "app/builder.h"

#include <algorithm>
#include <numeric>

namespace mapforge::app {

AppBuilder::AppBuilder(std::string name, std::string description) {
  app_.name = std::move(name);
  app_.description = std::move(description);
}

int AppBuilder::add_region(std::string name, std::vector<Field> fields,
                           std::vector<std::int64_t> block_elements, int dims) {
  app_.regions.push_back(
      Region{std::move(name), std::move(fields), std::move(block_elements), dims});
  return static_cast<int>(app_.regions.size() - 1);
}

int AppBuilder::add_partition(std::string name, int region, std::vector<std::int64_t> color_extents,
                              std::vector<std::vector<std::int32_t>> pieces, bool disjoint) {
  app_.partitions.push_back(
      Partition{std::move(name), region, std::move(color_extents), std::move(pieces), disjoint});
  return static_cast<int>(app_.partitions.size() - 1);
}

int AppBuilder::add_whole(std::string name, int region) {
  std::vector<std::int32_t> blocks;
  if (region >= 0 && static_cast<std::size_t>(region) < app_.regions.size()) {
    blocks.resize(app_.regions[region].block_elements.size());
    std::iota(blocks.begin(), blocks.end(), 0);
  }
  return add_partition(std::move(name), region, {1}, {std::move(blocks)}, true);
}

int AppBuilder::add_task(std::string name, KernelClass kernel, std::vector<Variant> variants,
                         std::vector<std::string> arg_names) {
  app_.tasks.push_back(Task{std::move(name), kernel, std::move(variants), std::move(arg_names)});
  return static_cast<int>(app_.tasks.size() - 1);
}

Projection AppBuilder::identity(int dims) {
  Projection projection;
  for (int r = 0; r < dims; ++r) {
    std::vector<std::int64_t> row(static_cast<std::size_t>(dims), 0);
    row[r] = 1;
    projection.matrix.push_back(std::move(row));
  }
  projection.offset.assign(static_cast<std::size_t>(std::max(dims, 0)), 0);
  return projection;
}

Projection AppBuilder::fixed(std::vector<std::int64_t> color) {
  return Projection{{}, std::move(color)};
}

Projection AppBuilder::affine(std::vector<std::vector<std::int64_t>> matrix,
                              std::vector<std::int64_t> offset) {
  return Projection{std::move(matrix), std::move(offset)};
}

Phase& AppBuilder::add_phase(std::string name, std::int64_t repeat, bool timed) {
  PhaseDraft& draft = drafts_.emplace_back();
  draft.phase.name = std::move(name);
  draft.phase.repeat = repeat;
  draft.phase.timed = timed;
  return draft.phase;
}

AppBuilder::PhaseDraft* AppBuilder::draft_of(const Phase& phase) {
  for (PhaseDraft& draft : drafts_)
    if (&draft.phase == &phase) return &draft;
  return nullptr;
}

AppBuilder::PhaseDraft* AppBuilder::draft_holding(const Launch& launch, int* index) {
  for (PhaseDraft& draft : drafts_)
    for (std::size_t i = 0; i < draft.launches.size(); ++i)
      if (&draft.launches[i] == &launch) {
        *index = static_cast<int>(i);
        return &draft;
      }
  return nullptr;
}

Launch& AppBuilder::add_index_launch(Phase& phase, int task, std::vector<std::int64_t> domain,
                                     double flops) {
  PhaseDraft* draft = draft_of(phase);
  if (draft == nullptr) {
    errors_.push_back("add_index_launch: the phase was not made by this builder");
    draft = &drafts_.emplace_back();  // keeps the launch somewhere; finish fails anyway
  }
  Launch& launch = draft->launches.emplace_back();
  launch.task = task;
  launch.domain = std::move(domain);
  launch.flops = flops;
  return launch;
}

Launch& AppBuilder::add_single_launch(Phase& phase, int task, double flops) {
  return add_index_launch(phase, task, {}, flops);
}

void AppBuilder::set_parent(Launch& child, const Launch& parent) {
  int child_index = 0;
  int parent_index = 0;
  PhaseDraft* child_phase = draft_holding(child, &child_index);
  PhaseDraft* parent_phase = draft_holding(parent, &parent_index);
  if (child_phase == nullptr || child_phase != parent_phase) {
    errors_.push_back("set_parent: the parent is not a launch of the child's phase");
    return;
  }
  child.parent_launch = parent_index;  // validate checks that it comes earlier
}

void AppBuilder::set_nested_parent(Launch& child, const Launch& parent,
                                   std::vector<std::int64_t> block) {
  set_parent(child, parent);
  child.parent_block = std::move(block);
}

void AppBuilder::arg(Launch& launch, int partition, Projection projection, Privilege privilege,
                     std::vector<int> fields, double passes, ReduceOp reduce, Access access) {
  // A fixed color in an index launch: every point maps to the offset.
  if (projection.matrix.empty() && !launch.domain.empty())
    projection.matrix.assign(projection.offset.size(),
                             std::vector<std::int64_t>(launch.domain.size(), 0));
  launch.args.push_back(RegionArg{partition, std::move(projection), privilege, reduce,
                                  std::move(fields), passes, access});
}

const Region* AppBuilder::region_of_partition(int partition) {
  if (partition < 0 || static_cast<std::size_t>(partition) >= app_.partitions.size()) {
    errors_.push_back("fields: partition index " + std::to_string(partition) + " out of range");
    return nullptr;
  }
  int region = app_.partitions[partition].region;
  if (region < 0 || static_cast<std::size_t>(region) >= app_.regions.size()) {
    errors_.push_back("fields: partition " + app_.partitions[partition].name +
                      " has no valid region");
    return nullptr;
  }
  return &app_.regions[region];
}

std::vector<int> AppBuilder::fields(int partition, std::initializer_list<std::string_view> names) {
  std::vector<int> out;
  const Region* region = region_of_partition(partition);
  if (region == nullptr) return out;
  for (std::string_view name : names) {
    auto it = std::find_if(region->fields.begin(), region->fields.end(),
                           [&](const Field& f) { return f.name == name; });
    if (it == region->fields.end()) {
      errors_.push_back("fields: region " + region->name + " has no field " + std::string(name));
      continue;
    }
    out.push_back(static_cast<int>(it - region->fields.begin()));
  }
  return out;
}

std::vector<int> AppBuilder::all_fields(int partition) {
  std::vector<int> out;
  const Region* region = region_of_partition(partition);
  if (region == nullptr) return out;
  out.resize(region->fields.size());
  std::iota(out.begin(), out.end(), 0);
  return out;
}

LoadResult AppBuilder::finish(Metric metric) {
  App app = app_;
  app.metric = std::move(metric);
  for (const PhaseDraft& draft : drafts_) {
    Phase phase = draft.phase;
    phase.launches.assign(draft.launches.begin(), draft.launches.end());
    app.phases.push_back(std::move(phase));
  }
  LoadResult result;
  std::vector<std::string> errors = errors_;
  for (std::string& e : validate(app)) errors.push_back(std::move(e));
  for (std::string& e : errors) result.errors.push_back(app.name + ": " + e);
  if (result.errors.empty()) result.app = std::move(app);
  return result;
}

bool check_size_names(std::string_view app, const Sizes& sizes,
                      std::span<const std::string_view> known, std::vector<std::string>& errors) {
  bool ok = true;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const std::string& name = sizes[i].first;
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      errors.push_back(std::string(app) + ": unknown size '" + name + "'; sizes are " +
                       (list.empty() ? "none" : list));
      ok = false;
      continue;
    }
    for (std::size_t j = 0; j < i; ++j)
      if (sizes[j].first == name) {
        errors.push_back(std::string(app) + ": size '" + name + "' given twice");
        ok = false;
        break;
      }
  }
  return ok;
}

std::optional<std::int64_t> size_param(std::string_view app, const Sizes& sizes,
                                       std::string_view name, std::int64_t fallback,
                                       std::int64_t min, std::int64_t max,
                                       std::vector<std::string>& errors) {
  std::int64_t value = fallback;
  bool given = false;
  for (const auto& [key, v] : sizes)
    if (key == name) {
      value = v;
      given = true;
    }
  if (given && (value < min || value > max)) {
    errors.push_back(std::string(app) + ": size '" + std::string(name) + "' must be between " +
                     std::to_string(min) + " and " + std::to_string(max) + ", got " +
                     std::to_string(value));
    return std::nullopt;
  }
  return value;
}

}  // namespace mapforge::app
