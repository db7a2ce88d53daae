#include "sim/decisions.h"

#include <algorithm>

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

// The default mapper's slicing (DESIGN.md §4.1): the processor count's primes, largest first,
// go to the launch dimension with the most points per block; the domain is cut into that grid
// of blocks, and block b goes to node b % N, processor (b / N) % per_node.
Placement Decisions::default_index(ProcKind kind, std::span<const std::int64_t> point,
                                   std::span<const std::int64_t> domain) {
  const int nodes = topology_.machine().nodes;
  const int per_node = topology_.machine().processors_per_node(kind);
  std::int64_t total = static_cast<std::int64_t>(nodes) * per_node;
  std::vector<std::int64_t> primes;
  for (std::int64_t n = total, f = 2; n > 1;) {
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
  std::sort(primes.rbegin(), primes.rend());
  std::vector<std::int64_t> grid(domain.size(), 1);
  for (std::int64_t p : primes) {
    std::size_t best = 0;
    for (std::size_t d = 1; d < domain.size(); ++d)
      if (domain[d] * grid[best] > domain[best] * grid[d]) best = d;
    grid[best] *= p;
  }
  std::int64_t block = 0;
  for (std::size_t d = 0; d < domain.size(); ++d) {
    std::int64_t coordinate =
        std::min(grid[d] - 1, point[d] * grid[d] / std::max<std::int64_t>(1, domain[d]));
    block = block * grid[d] + coordinate;
  }
  int node = static_cast<int>(block % nodes);
  int index = static_cast<int>((block / nodes) % per_node);
  return Placement{{topology_.proc_id(kind, node, index)}, false, {}};
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

Placement Decisions::place_single(int task, ProcKind kind, int parent) {
  const std::string& name = app_.tasks[static_cast<std::size_t>(task)].name;
  const Proc& p = topology_.procs()[static_cast<std::size_t>(parent)];
  if (mapper_ && mapper_->has_single_map(name, to_dsl(kind)))
    return from_dsl(mapper_->map_single_task(name, to_dsl(kind),
                                             dsl::ProcessorId{p.node, p.index, to_dsl(p.kind)}),
                    task, false);
  // The default: the parent's own processor when it is of the kind, else the first one of the
  // kind on the parent's node.
  if (p.kind == kind) return Placement{{parent}, false, {}};
  return Placement{{topology_.proc_id(kind, p.node, 0)}, false, {}};
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
