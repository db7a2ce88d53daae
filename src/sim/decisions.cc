#include "sim/decisions.h"

#include <algorithm>
#include <limits>

namespace mapforge::sim {

using machine::MemKind;
using machine::ProcKind;

dsl::ProcKind to_dsl(ProcKind kind) { return *dsl::parse_proc_kind(machine::to_string(kind)); }
ProcKind to_machine(dsl::ProcKind kind) { return *machine::parse_proc_kind(dsl::to_string(kind)); }
ProcKind to_machine(app::VariantKind kind) {
  return *machine::parse_proc_kind(app::to_string(kind));
}
std::optional<app::VariantKind> to_variant(ProcKind kind) {
  for (app::VariantKind v : {app::VariantKind::CPU, app::VariantKind::GPU, app::VariantKind::OMP})
    if (to_machine(v) == kind) return v;
  return std::nullopt;
}
machine::KernelClass to_machine(app::KernelClass kernel) {
  switch (kernel) {
    case app::KernelClass::Dense:
      return machine::KernelClass::Dense;
    case app::KernelClass::Streaming:
      return machine::KernelClass::Streaming;
    case app::KernelClass::Irregular:
      return machine::KernelClass::Irregular;
  }
  return machine::KernelClass::Streaming;
}
dsl::MemKind to_dsl(MemKind kind) { return *dsl::parse_mem_kind(machine::to_string(kind)); }
MemKind to_machine(dsl::MemKind kind) { return *machine::parse_mem_kind(dsl::to_string(kind)); }

Decisions::Decisions(const app::App& app, const Topology& topology, const dsl::Mapper* mapper)
    : app_(app), topology_(topology), mapper_(mapper), kinds_(app.tasks.size()) {}

const KindChoice& Decisions::kind(int task) {
  auto& cached = kinds_[static_cast<std::size_t>(task)];
  if (cached) return *cached;
  const app::Task& t = app_.tasks[static_cast<std::size_t>(task)];
  const machine::Machine& m = topology_.machine();
  auto has_variant = [&](ProcKind kind) {
    return std::any_of(t.variants.begin(), t.variants.end(),
                       [&](const app::Variant& v) { return to_machine(v.kind) == kind; });
  };
  KindChoice choice;
  std::vector<dsl::ProcKind> listed =
      mapper_ ? mapper_->task_kinds(t.name) : std::vector<dsl::ProcKind>{};
  if (!listed.empty()) {
    choice.from_policy = true;
    for (dsl::ProcKind k : listed) {
      ProcKind kind = to_machine(k);
      if (has_variant(kind) && m.processors_per_node(kind) > 0) {
        choice.kind = kind;
        break;
      }
    }
    if (!choice.kind) {
      // The runtime's two ways of failing: a listed kind exists here but the task has no
      // variant for it, or nothing listed exists on this machine.
      auto present = std::find_if(listed.begin(), listed.end(), [&](dsl::ProcKind k) {
        return m.processors_per_node(to_machine(k)) > 0;
      });
      if (present != listed.end())
        choice.error = "Invalid mapper output. Mapper mapforge selected variant " +
                       std::to_string(task) + " for task " + t.name + " (ID " +
                       std::to_string(task + 1) +
                       "). However, this variant does not permit "
                       "running on processors of kind " +
                       std::string(dsl::to_string(*present)) + ".";
      else
        choice.error =
            "Failed to find any valid variants for task " + t.name + " on the current machine.";
    }
  } else {
    for (ProcKind kind : {ProcKind::GPU, ProcKind::OMP, ProcKind::CPU}) {
      if (has_variant(kind) && m.processors_per_node(kind) > 0) {
        choice.kind = kind;
        break;
      }
    }
    if (!choice.kind)
      choice.error =
          "Failed to find any valid variants for task " + t.name + " on the current machine.";
  }
  cached = choice;
  return *cached;
}

Placement Decisions::from_dsl(const dsl::Result<std::optional<dsl::Placement>>& result, int task,
                              bool index) {
  Placement placement;
  placement.from_policy = true;
  if (!result.ok()) {
    placement.error = dsl::render_all(result.errors());
    if (!placement.error.empty() && placement.error.back() == '\n') placement.error.pop_back();
    return placement;
  }
  for (const auto& p : result.value()->processors) {
    int id = topology_.proc_id(to_machine(p.kind), p.node, p.index);
    if (id < 0) {
      placement.error = std::string(index ? "Slice" : "Sharding") +
                        " processor index out of bound for task " +
                        app_.tasks[static_cast<std::size_t>(task)].name;
      return placement;
    }
    placement.procs.push_back(id);
  }
  return placement;
}

namespace {

/// Legion 25.06 DefaultMapper::default_select_num_blocks (default_mapper.inl): the processor
/// count's prime factors, largest first, each multiplied into the dimension whose remaining
/// extent (divided as it goes, in floating point) is largest, ties to the lowest dimension.
std::vector<std::int64_t> select_num_blocks(std::int64_t procs,
                                            const std::vector<std::int64_t>& extents) {
  std::vector<std::int64_t> primes;
  for (std::int64_t n = procs, f = 2; n > 1;) {
    if (f * f > n) {
      primes.push_back(n);
      break;
    }
    if (n % f == 0) {
      primes.push_back(f);
      n /= f;
    } else {
      ++f;
    }
  }
  std::vector<std::int64_t> blocks(extents.size(), 1);
  std::vector<double> chunk(extents.begin(), extents.end());
  for (auto p = primes.rbegin(); p != primes.rend(); ++p) {
    std::size_t best = 0;
    for (std::size_t d = 1; d < chunk.size(); ++d)
      if (chunk[d] > chunk[best]) best = d;
    blocks[best] *= *p;
    chunk[best] /= static_cast<double>(*p);
  }
  return blocks;
}

/// Legion 25.06 DefaultMapper::default_decompose_points: the bounding box [lo, lo + extent) of
/// `points` (Fortran-linearised indices into `domain`) is cut into `select_num_blocks` even
/// blocks (block b of n points over B blocks starts at n b / B); the blocks that hold a point,
/// visited dimension 0 fastest, go to targets 0, 1, 2, ... in turn (modulo their count). Writes
/// each point's target into `target_of`.
void decompose_points(const std::vector<std::int64_t>& domain,
                      const std::vector<std::int64_t>& points, std::int64_t targets,
                      std::vector<int>& target_of) {
  const std::size_t dims = domain.size();
  std::vector<std::int64_t> lo(dims, std::numeric_limits<std::int64_t>::max()), hi(dims, -1);
  auto coordinates = [&](std::int64_t linear, std::vector<std::int64_t>& x) {
    for (std::size_t d = 0; d < dims; ++d) {
      x[d] = linear % domain[d];
      linear /= domain[d];
    }
  };
  std::vector<std::int64_t> x(dims);
  for (std::int64_t p : points) {
    coordinates(p, x);
    for (std::size_t d = 0; d < dims; ++d) {
      lo[d] = std::min(lo[d], x[d]);
      hi[d] = std::max(hi[d], x[d]);
    }
  }
  if (points.empty()) return;
  std::vector<std::int64_t> extent(dims);
  for (std::size_t d = 0; d < dims; ++d) extent[d] = hi[d] - lo[d] + 1;
  const std::vector<std::int64_t> blocks = select_num_blocks(targets, extent);
  std::int64_t num_blocks = 1;
  for (std::int64_t b : blocks) num_blocks *= b;
  // The block holding each point: the largest b with floor(n b / B) <= offset.
  std::vector<std::int64_t> block_of(points.size());
  std::vector<int> rank(static_cast<std::size_t>(num_blocks), -1);
  for (std::size_t i = 0; i < points.size(); ++i) {
    coordinates(points[i], x);
    std::int64_t linear = 0, stride = 1;
    for (std::size_t d = 0; d < dims; ++d) {
      const std::int64_t offset = x[d] - lo[d];
      const std::int64_t b = ((offset + 1) * blocks[d] + extent[d] - 1) / extent[d] - 1;
      linear += b * stride;
      stride *= blocks[d];
    }
    block_of[i] = linear;
    rank[static_cast<std::size_t>(linear)] = 0;
  }
  int next = 0;
  for (int& r : rank)
    if (r == 0) r = next++;
  for (std::size_t i = 0; i < points.size(); ++i)
    target_of[static_cast<std::size_t>(points[i])] =
        static_cast<int>(rank[static_cast<std::size_t>(block_of[i])] % targets);
}

std::int64_t volume_of(std::span<const std::int64_t> extents) {
  std::int64_t volume = 1;
  for (std::int64_t e : extents) volume *= std::max<std::int64_t>(e, 1);
  return volume;
}

/// A point's index in its domain, dimension 0 fastest (Legion's Fortran linearisation), with
/// the point clamped into the domain.
std::int64_t fortran_linear(std::span<const std::int64_t> point,
                            std::span<const std::int64_t> extents) {
  std::int64_t linear = 0, stride = 1;
  for (std::size_t d = 0; d < extents.size(); ++d) {
    const std::int64_t extent = std::max<std::int64_t>(extents[d], 1);
    linear += std::clamp<std::int64_t>(point[d], 0, extent - 1) * stride;
    stride *= extent;
  }
  return linear;
}

/// Every point of a domain decomposed over `targets` processors: the target of each point.
std::vector<int> decompose_all(const std::vector<std::int64_t>& extents, std::int64_t targets) {
  const std::int64_t volume = volume_of(extents);
  std::vector<std::int64_t> all(static_cast<std::size_t>(volume));
  for (std::int64_t p = 0; p < volume; ++p) all[static_cast<std::size_t>(p)] = p;
  std::vector<int> target(static_cast<std::size_t>(volume), 0);
  decompose_points(extents, all, targets, target);
  return target;
}

}  // namespace

// Where the runtime puts the points of an index launch no IndexTaskMap places (Legion 25.06:
// DefaultMapper::slice_task -> default_slice_task, reached from DSLMapper's slice_task when the
// policy has no function for the task). Without control replication one flat block
// decomposition over every processor of the kind, node-major. With it (more than one node and
// a replicated top-level task) the default sharding functor, CyclicShardingFunctor, gives point
// p to shard (= node) linearize_fortran(p) % nodes, and each shard decomposes its own points
// over its node's processors. Computed once per (kind, domain), as the runtime caches slices
// per domain.
const std::vector<int>& Decisions::default_slices(ProcKind kind,
                                                  std::span<const std::int64_t> domain) {
  std::vector<std::int64_t> key(domain.begin(), domain.end());
  key.push_back(static_cast<std::int64_t>(kind));
  auto found = slice_cache_.find(key);
  if (found != slice_cache_.end()) return found->second;
  const std::vector<std::int64_t> extents(domain.begin(), domain.end());
  const std::int64_t volume = volume_of(extents);
  const int nodes = topology_.machine().nodes;
  const int per_node = topology_.machine().processors_per_node(kind);
  std::vector<int> procs(static_cast<std::size_t>(volume), -1);
  if (nodes > 1 && replicated()) {
    std::vector<std::vector<std::int64_t>> shard_points(static_cast<std::size_t>(nodes));
    for (std::int64_t p = 0; p < volume; ++p)
      shard_points[static_cast<std::size_t>(p % nodes)].push_back(p);
    std::vector<int> target(static_cast<std::size_t>(volume), 0);
    for (int node = 0; node < nodes; ++node) {
      decompose_points(extents, shard_points[static_cast<std::size_t>(node)], per_node, target);
      for (std::int64_t p : shard_points[static_cast<std::size_t>(node)])
        procs[static_cast<std::size_t>(p)] =
            topology_.proc_id(kind, node, target[static_cast<std::size_t>(p)]);
    }
  } else {
    const std::vector<int> target = decompose_all(extents, std::int64_t{nodes} * per_node);
    for (std::int64_t p = 0; p < volume; ++p) {
      const int t = target[static_cast<std::size_t>(p)];
      procs[static_cast<std::size_t>(p)] = topology_.proc_id(kind, t / per_node, t % per_node);
    }
  }
  return slice_cache_.emplace(std::move(key), std::move(procs)).first->second;
}

Placement Decisions::default_index(ProcKind kind, std::span<const std::int64_t> point,
                                   std::span<const std::int64_t> domain) {
  const std::vector<int>& procs = default_slices(kind, domain);
  return Placement{{procs[static_cast<std::size_t>(fortran_linear(point, domain))]}, false, {}};
}

Placement Decisions::place_index(int task, ProcKind kind, std::span<const std::int64_t> point,
                                 std::span<const std::int64_t> domain, std::optional<int> parent) {
  const std::string& name = app_.tasks[static_cast<std::size_t>(task)].name;
  if (mapper_ && mapper_->has_index_map(name, to_dsl(kind))) {
    std::optional<dsl::ProcessorId> parent_id;
    if (parent) {
      const Proc& p = topology_.procs()[static_cast<std::size_t>(*parent)];
      parent_id = dsl::ProcessorId{p.node, p.index, to_dsl(p.kind)};
    }
    return from_dsl(
        mapper_->map_index_point(name, to_dsl(kind), dsl::IndexPoint{point, domain}, parent_id),
        task, true);
  }
  return default_index(kind, point, domain);
}

// A nested launch carries SAME_ADDRESS_SPACE: DefaultMapper::default_slice_task slices it over
// the processors of the launching node only (local_address_space()), decomposing its own small
// domain as for any launch.
Placement Decisions::place_nested(int task, ProcKind kind, std::span<const std::int64_t> point,
                                  std::span<const std::int64_t> block, int parent) {
  const std::string& name = app_.tasks[static_cast<std::size_t>(task)].name;
  const Proc& p = topology_.procs()[static_cast<std::size_t>(parent)];
  if (mapper_ && mapper_->has_index_map(name, to_dsl(kind)))
    return from_dsl(mapper_->map_index_point(name, to_dsl(kind), dsl::IndexPoint{point, block},
                                             dsl::ProcessorId{p.node, p.index, to_dsl(p.kind)}),
                    task, true);
  // The node's processors by the block's local slicing, once per (kind, block).
  std::vector<std::int64_t> key(block.begin(), block.end());
  key.push_back(static_cast<std::int64_t>(kind));
  auto found = local_slice_cache_.find(key);
  if (found == local_slice_cache_.end()) {
    const int per_node = std::max(1, topology_.machine().processors_per_node(kind));
    found =
        local_slice_cache_
            .emplace(std::move(key),
                     decompose_all(std::vector<std::int64_t>(block.begin(), block.end()), per_node))
            .first;
  }
  const int index = found->second[static_cast<std::size_t>(fortran_linear(point, block))];
  return Placement{{topology_.proc_id(kind, p.node, index)}, false, {}};
}

Placement Decisions::place_single(int task, ProcKind kind, int parent, bool top_level) {
  const std::string& name = app_.tasks[static_cast<std::size_t>(task)].name;
  const Proc& p = topology_.procs()[static_cast<std::size_t>(parent)];
  if (mapper_ && mapper_->has_single_map(name, to_dsl(kind)))
    return from_dsl(mapper_->map_single_task(name, to_dsl(kind),
                                             dsl::ProcessorId{p.node, p.index, to_dsl(p.kind)}),
                    task, false);
  // The default, as the language's reference mapper (DSLMapper) does when no SingleTaskMap
  // names the task: a task whose kind a Task statement chose goes to the first processor of
  // that kind on the node whose mapper maps it, the parent's (select_initial_processor_by_kind:
  // local_gpus.front()); one without goes to Legion's DefaultMapper, which hands single tasks
  // out round-robin, over the parent's node (default_get_next_local_gpu and its CPU and OpenMP
  // twins) or, launched by the top-level task, over the whole machine
  // (default_get_next_global_gpu). The counter is the mapper's, and the reference mapper (its
  // `reproduce` branch, which ran the published experiments) has one mapper per processor: the
  // parent's processor's, so the j-th child of every parent goes to processor j mod per-node.
  const int per_node = topology_.machine().processors_per_node(kind);
  if (per_node <= 0) return Placement{{topology_.proc_id(kind, p.node, 0)}, false, {}};
  if (this->kind(task).from_policy)
    return Placement{{topology_.proc_id(kind, p.node, 0)}, false, {}};
  const auto k = static_cast<std::size_t>(kind);
  if (top_level) {
    const int total = per_node * topology_.machine().nodes;
    const int next = next_global_[k]++ % total;
    if (next_global_[k] >= total) next_global_[k] = 0;
    return Placement{{topology_.proc_id(kind, next / per_node, next % per_node)}, false, {}};
  }
  auto& counters = next_local_[k];
  if (counters.empty()) counters.assign(topology_.procs().size(), 0);
  int& next = counters[static_cast<std::size_t>(parent)];
  const int index = next;
  next = (next + 1) % per_node;
  return Placement{{topology_.proc_id(kind, p.node, index)}, false, {}};
}

MemoryChoice Decisions::memory(int task, std::string_view region, int arg, int proc) {
  const Proc& p = topology_.procs()[static_cast<std::size_t>(proc)];
  const app::Task& t = app_.tasks[static_cast<std::size_t>(task)];
  MemoryChoice choice;
  std::vector<dsl::MemKind> listed =
      mapper_ ? mapper_->region_memories(t.name, dsl::RegionArg{region, arg}, to_dsl(p.kind))
              : std::vector<dsl::MemKind>{};
  if (!listed.empty()) {
    choice.from_policy = true;
    for (dsl::MemKind k : listed) {
      int mem = topology_.memory_for(proc, to_machine(k));
      if (mem >= 0 && topology_.affinity(proc, mem)) {
        choice.mem = mem;
        return choice;
      }
    }
    // Nothing listed is visible from the processor: the instance lands where the policy said,
    // and the runtime rejects it (as Legion's safe mapper does), or no such memory exists.
    int mem = topology_.memory_for(proc, to_machine(listed.front()));
    if (mem < 0) {
      choice.error = "Default mapper error: Failed to find a memory of kind " +
                     std::string(dsl::to_string(listed.front())) + " connected to processor " +
                     topology_.proc_name(proc);
      return choice;
    }
    choice.error =
        "Invalid mapper output from invocation of 'map_task' on mapper mapforge. Mapper "
        "selected an instance for region requirement " +
        std::to_string(arg) + " in memory " + topology_.mem_name(mem) +
        " which is not visible from the target processors for task " + t.name + " (ID " +
        std::to_string(task + 1) + ").";
    return choice;
  }
  // The default: the visible memory with the highest bandwidth to the processor.
  double best = -1;
  for (machine::MemKind kind : machine::kAllMemKinds) {
    int mem = topology_.memory_for(proc, kind);
    if (mem < 0) continue;
    const machine::Affinity* affinity = topology_.affinity(proc, mem);
    if (affinity && affinity->bandwidth_Bps.value > best) {
      best = affinity->bandwidth_Bps.value;
      choice.mem = mem;
    }
  }
  if (choice.mem < 0)
    choice.error = "Default mapper error: Failed to find a memory connected to processor " +
                   topology_.proc_name(proc);
  return choice;
}

LayoutChoice Decisions::layout(int task, std::string_view region, int arg, MemKind mem) {
  LayoutChoice choice;
  if (!mapper_) return choice;
  const app::Task& t = app_.tasks[static_cast<std::size_t>(task)];
  auto constraints = mapper_->layout(t.name, dsl::RegionArg{region, arg}, to_dsl(mem));
  if (!constraints) return choice;
  choice.from_policy = true;
  for (const auto& c : *constraints) {
    using K = dsl::LayoutConstraint::Kind;
    if (c.kind == K::SOA) choice.soa = true;
    if (c.kind == K::AOS) choice.soa = false;
    if (c.kind == K::C_order) choice.c_order = true;
    if (c.kind == K::F_order) choice.c_order = false;
  }
  return choice;
}

std::optional<std::int64_t> Decisions::instance_limit(int task, ProcKind kind) const {
  if (!mapper_) return std::nullopt;
  return mapper_->instance_limit(app_.tasks[static_cast<std::size_t>(task)].name, to_dsl(kind));
}

bool Decisions::collect(int task, std::string_view region, int arg) const {
  return mapper_ && mapper_->collect_memory(app_.tasks[static_cast<std::size_t>(task)].name,
                                            dsl::RegionArg{region, arg});
}

bool Decisions::replicated() const {
  if (!mapper_) return true;
  auto replicated = mapper_->control_replicate("main");
  return replicated.value_or(true);
}

}  // namespace mapforge::sim
