#include "legion/policy_mapper.h"

#include <algorithm>
#include <cstring>

namespace mapforge::legion {
namespace {

using Legion::Domain;
using Legion::DomainPoint;
using Legion::RegionRequirement;

std::vector<std::int64_t> coordinates(const DomainPoint& point) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(point.get_dim()));
  for (int d = 0; d < point.get_dim(); ++d) values[static_cast<std::size_t>(d)] = point[d];
  return values;
}

// The language's `task.ispace`: the extents of the launch domain's bounds.
std::vector<std::int64_t> extents(const Domain& domain) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(domain.get_dim()));
  for (int d = 0; d < domain.get_dim(); ++d)
    values[static_cast<std::size_t>(d)] = domain.hi()[d] - domain.lo()[d] + 1;
  return values;
}

std::string point_text(const std::vector<std::int64_t>& values) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i)
    text += (i ? "," : "") + std::to_string(values[i]);
  return text.empty() ? "-" : text;
}

std::string kinds_text(const std::vector<dsl::ProcKind>& kinds) {
  std::string text;
  for (dsl::ProcKind kind : kinds) text += (text.empty() ? "" : ",") + std::string(to_string(kind));
  return text.empty() ? "none" : text;
}

RegionRequirement without_tag(const RegionRequirement& req) {
  RegionRequirement copy = req;
  copy.tag = 0;
  return copy;
}

dsl::ProcKind dsl_kind(Processor proc) {
  auto kind = to_dsl(proc.kind());
  if (!kind)
    fatal("a task was sent to processor kind " + std::to_string(proc.kind()) +
          ", which the mapping language has no name for");
  return *kind;
}

const char* legion_kind_name(Memory::Kind kind) {
  switch (kind) {
    case Memory::SYSTEM_MEM:
      return "SYSTEM_MEM";
    case Memory::SOCKET_MEM:
      return "SOCKET_MEM";
    case Memory::Z_COPY_MEM:
      return "Z_COPY_MEM";
    case Memory::GPU_FB_MEM:
      return "GPU_FB_MEM";
    case Memory::REGDMA_MEM:
      return "REGDMA_MEM";
    default:
      return "MEMORY";
  }
}

}  // namespace

PolicyMapper::PolicyMapper(Legion::Mapping::MapperRuntime* rt, Machine legion_machine,
                           Processor local, PolicyHost& host)
    : DefaultMapper(rt, legion_machine, local, "mapforge"), host_(host) {}

// ----- processor kind -----

std::vector<dsl::ProcKind> PolicyMapper::variant_kinds(MapperContext ctx, const Task& task) {
  std::vector<dsl::ProcKind> kinds;
  std::vector<Legion::VariantID> variants;
  for (dsl::ProcKind kind : dsl::kAllProcKinds) {
    variants.clear();
    runtime->find_valid_variants(ctx, task.task_id, variants, *to_legion(kind));
    if (!variants.empty()) kinds.push_back(kind);
  }
  return kinds;
}

PolicyMapper::KindChoice PolicyMapper::choose_kind(MapperContext ctx, const Task& task) {
  if (auto it = kinds_.find(task.task_id); it != kinds_.end()) return it->second;
  const std::string name = task.get_task_name();
  const dsl::MachineShape& shape = host_.machine().shape();
  const std::vector<dsl::ProcKind> variants = variant_kinds(ctx, task);
  auto usable = [&](dsl::ProcKind kind) {
    return shape.count(kind) > 0 &&
           std::find(variants.begin(), variants.end(), kind) != variants.end();
  };
  KindChoice choice;
  const std::vector<dsl::ProcKind> listed = host_.task_kinds(name);
  if (!listed.empty()) {
    auto found = std::find_if(listed.begin(), listed.end(), usable);
    if (found == listed.end()) {
      std::vector<dsl::ProcKind> present;
      for (dsl::ProcKind kind : dsl::kAllProcKinds)
        if (shape.count(kind) > 0) present.push_back(kind);
      fatal("Failed to find any valid variants for task " + name +
            " on the current machine: the policy's Task statement lists " + kinds_text(listed) +
            "; the task has variants for " + kinds_text(variants) +
            " and this machine has processors of kinds " + kinds_text(present) + ".");
    }
    choice = {*found, true};
  } else {
    // Legion's default ranking (GPU, OMP, processor sets, CPU, I/O, Python), without the
    // PREFER_CPU_VARIANT tag bit: the application's tags are its own.
    const dsl::ProcKind ranking[] = {dsl::ProcKind::GPU, dsl::ProcKind::OMP, dsl::ProcKind::PROC,
                                     dsl::ProcKind::CPU, dsl::ProcKind::IO,  dsl::ProcKind::PY};
    auto found = std::find_if(std::begin(ranking), std::end(ranking), usable);
    if (found == std::end(ranking))
      fatal("Failed to find any valid variants for task " + name + " on the current machine.");
    choice = {*found, false};
  }
  kinds_.emplace(task.task_id, choice);
  host_.trace("kind task=" + name + " kind=" + std::string(to_string(choice.kind)) +
              " source=" + (choice.from_policy ? "policy" : "default"));
  return choice;
}

Legion::VariantID PolicyMapper::choose_variant(MapperContext ctx, const Task& task,
                                               Processor::Kind kind, bool need_replicable) {
  auto key = std::make_pair(task.task_id, kind);
  if (!need_replicable)
    if (auto it = variants_.find(key); it != variants_.end()) return it->second;
  std::vector<Legion::VariantID> variants;
  runtime->find_valid_variants(ctx, task.task_id, variants, kind);
  if (need_replicable)
    variants.erase(std::remove_if(variants.begin(), variants.end(),
                                  [&](Legion::VariantID v) {
                                    return !runtime->is_replicable_variant(ctx, task.task_id, v);
                                  }),
                   variants.end());
  auto dkind = to_dsl(kind);
  if (variants.empty())
    fatal(
        std::string(need_replicable ? "no replicable variant" : "no variant") + " of task " +
        task.get_task_name() + " for processor kind " +
        (dkind ? std::string(to_string(*dkind)) : std::to_string(kind)) +
        (need_replicable ? " (ControlReplicate needs the variant registered as replicable)" : ""));
  if (!need_replicable) variants_.emplace(key, variants.front());
  return variants.front();
}

// ----- processors -----

Processor PolicyMapper::default_initial_processor(const Task& task, dsl::ProcKind kind) {
  const Processor::Kind legion_kind = *to_legion(kind);
  auto next_local = [&]() -> Processor {
    switch (legion_kind) {
      case Processor::LOC_PROC:
        return default_get_next_local_cpu();
      case Processor::TOC_PROC:
        return default_get_next_local_gpu();
      case Processor::OMP_PROC:
        return default_get_next_local_omp();
      case Processor::IO_PROC:
        return default_get_next_local_io();
      case Processor::PY_PROC:
        return default_get_next_local_py();
      default:
        return default_get_next_local_procset();
    }
  };
  auto next_global = [&]() -> Processor {
    switch (legion_kind) {
      case Processor::LOC_PROC:
        return default_get_next_global_cpu();
      case Processor::TOC_PROC:
        return default_get_next_global_gpu();
      case Processor::OMP_PROC:
        return default_get_next_global_omp();
      case Processor::PY_PROC:
        return default_get_next_global_py();
      case Processor::PROC_SET:
        return default_get_next_global_procset();
      default:
        return default_get_next_local_io();  // the default mapper keeps I/O local
    }
  };
  // The default mapper's choice: stay here when the kind matches (index launches and the
  // top-level task), spread first-level single tasks over the machine, keep deeper ones local.
  if (task.is_index_space || task.get_depth() == 0)
    return local_kind == legion_kind ? local_proc : next_local();
  if (task.get_depth() == 1 && !same_address_space) return next_global();
  return next_local();
}

std::vector<Processor> PolicyMapper::policy_targets(const Task& task, dsl::ProcKind kind) {
  const std::string name = task.get_task_name();
  std::optional<dsl::Placement> placement;
  if (task.is_index_space) {
    placement = place_point(task, kind, task.index_point, task.index_domain);
  } else {
    auto parent = host_.machine().id_of(task.orig_proc);
    if (!parent) parent = host_.machine().id_of(local_proc);
    placement = host_.place_single(name, kind, *parent);
  }
  std::vector<Processor> targets;
  if (!placement) return targets;
  for (const dsl::ProcessorId& id : placement->processors) {
    Processor proc = host_.machine().processor(id);
    if (!proc.exists())
      fatal("the mapping function for task " + name + " returned " +
            std::string(to_string(id.kind)) + " " + std::to_string(id.index) + " of node " +
            std::to_string(id.node) + ", which this machine does not have");
    targets.push_back(proc);
  }
  return targets;
}

std::optional<dsl::Placement> PolicyMapper::place_point(const Task& task, dsl::ProcKind kind,
                                                        const DomainPoint& point,
                                                        const Domain& domain) {
  auto parent = host_.machine().id_of(task.orig_proc);
  return host_.place_index(task.get_task_name(), kind, coordinates(point), extents(domain), parent);
}

void PolicyMapper::select_task_options(MapperContext ctx, const Task& task, TaskOptions& output) {
  const std::string name = task.get_task_name();
  const KindChoice choice = choose_kind(ctx, task);
  if (!task.is_index_space && host_.has_single_map(name, choice.kind)) {
    std::vector<Processor> targets = policy_targets(task, choice.kind);
    output.initial_proc = targets.front();
    host_.trace("place task=" + name +
                " point=- proc=" + host_.machine().describe(targets.front()) +
                " set=" + std::to_string(targets.size()) + " source=policy");
  } else {
    output.initial_proc = default_initial_processor(task, choice.kind);
  }
  output.inline_task = false;
  // Stealing moves a task off the processor the policy chose: only where TaskSteal allows it.
  output.stealable = host_.task_steal(name, choice.kind);
  if (output.stealable) host_.trace("steal task=" + name + " stealable=yes source=policy");
  output.map_locally = map_locally;
  if (auto replicate = host_.control_replicate(name)) {
    output.replicate = *replicate;
    if (*replicate) host_.trace("replicate task=" + name + " source=policy");
  } else {
    output.replicate = total_nodes > 1 && task.get_depth() == 0 && replication_enabled;
  }
  // The default mapper's collective-mapping heuristic: read-only or reduction arguments that
  // every point of an index launch names whole. Not under an InstanceLimit: a collective
  // mapping waits for every point to map, and the limit holds some of them back.
  if (task.is_index_space && !host_.instance_limit(name, choice.kind))
    for (unsigned idx = 0; idx < task.regions.size(); ++idx) {
      const RegionRequirement& req = task.regions[idx];
      if (req.prop & LEGION_COLLECTIVE_MASK) continue;
      const bool read_only = (req.privilege & LEGION_READ_WRITE) == LEGION_READ_PRIV;
      const bool reduction = (req.privilege & LEGION_READ_WRITE) == LEGION_REDUCE_PRIV;
      if ((read_only || reduction) &&
          (req.handle_type == LEGION_SINGULAR_PROJECTION ||
           (req.handle_type == LEGION_REGION_PROJECTION && req.projection == 0)))
        output.check_collective_regions.insert(idx);
    }
}

void PolicyMapper::slice_task(MapperContext ctx, const Task& task, const SliceTaskInput& input,
                              SliceTaskOutput& output) {
  const std::string name = task.get_task_name();
  const dsl::ProcKind kind = dsl_kind(task.target_proc);
  const bool stealable = host_.task_steal(name, kind);
  if (!host_.has_index_map(name, kind)) {
    DefaultMapper::slice_task(ctx, task, input, output);
    for (TaskSlice& slice : output.slices) slice.stealable = stealable;
    return;
  }
  // One slice per point, on the processor the IndexTaskMap function names for it.
  for (Domain::DomainPointIterator it(input.domain); it; it++) {
    const DomainPoint point = it.p;
    std::optional<dsl::Placement> placement = place_point(task, kind, point, task.index_domain);
    Processor proc = host_.machine().processor(placement->processors.front());
    if (!proc.exists())
      fatal("the IndexTaskMap function for task " + name + " point (" +
            point_text(coordinates(point)) + ") returned a processor this machine does not have");
    output.slices.emplace_back(Domain(point, point), proc, false /*recurse*/, stealable);
    host_.trace("place task=" + name + " point=" + point_text(coordinates(point)) + " domain=" +
                point_text(extents(task.index_domain)) + " proc=" + host_.machine().describe(proc) +
                " set=" + std::to_string(placement->processors.size()) + " source=policy");
  }
}

// ----- control replication and sharding -----

void PolicyMapper::replicate_task(MapperContext ctx, const Task& task,
                                  const ReplicateTaskInput& input, ReplicateTaskOutput& output) {
  const std::string name = task.get_task_name();
  if (!host_.control_replicate(name).value_or(false)) {
    DefaultMapper::replicate_task(ctx, task, input, output);
    return;
  }
  // One shard per node; shard n runs on node n, so a launch point's node is its shard.
  const Processor::Kind kind = task.target_proc.kind();
  output.chosen_variant = choose_variant(ctx, task, kind, true /*replicable*/);
  const dsl::MachineShape& shape = host_.machine().shape();
  for (int node = 0; node < shape.nodes; ++node) {
    if (static_cast<int>(task.target_proc.address_space()) == node) {
      output.target_processors.push_back(task.target_proc);
      continue;
    }
    const auto& procs = host_.machine().processors(node, dsl_kind(task.target_proc));
    if (procs.empty())
      fatal("ControlReplicate " + name + ": node " + std::to_string(node) +
            " has no processor of the task's kind for its shard");
    output.target_processors.push_back(procs.front());
  }
  host_.trace("shards task=" + name + " count=" + std::to_string(shape.nodes));
}

void PolicyMapper::select_sharding_functor(MapperContext ctx, const Task& task,
                                           const SelectShardingFunctorInput& input,
                                           SelectShardingFunctorOutput& output) {
  output.chosen_functor = 0;  // Legion's default sharding
  const std::string name = task.get_task_name();
  const dsl::ProcKind kind = choose_kind(ctx, task).kind;
  if (!task.is_index_space || !host_.has_index_map(name, kind)) return;
  if (auto functor = host_.sharding_functor(name, kind)) {
    output.chosen_functor = *functor;
    host_.trace("sharding task=" + name + " functor=" + std::to_string(*functor));
  } else {
    host_.trace("sharding task=" + name + " functor=default (every slot is taken)");
  }
  (void)input;
}

// ----- InstanceLimit back-pressure -----

void PolicyMapper::select_tasks_to_map(MapperContext ctx, const SelectMappingInput& input,
                                       SelectMappingOutput& output) {
  for (;;) {
    SelectMappingInput admitted;
    bool held_back = false;
    const std::uint64_t generation = host_.finish_generation();
    for (const Task* task : input.ready_tasks) {
      auto kind = to_dsl(task->target_proc.kind());
      auto limit = kind ? host_.instance_limit(task->get_task_name(), *kind) : std::nullopt;
      if (!limit || host_.admit(task->get_task_name(), *limit, task->get_unique_id())) {
        admitted.ready_tasks.push_back(task);
      } else {
        held_back = true;
        host_.trace("limit task=" + std::string(task->get_task_name()) +
                    " uid=" + std::to_string(task->get_unique_id()) + " held_back");
      }
    }
    if (!admitted.ready_tasks.empty() || !held_back) {
      DefaultMapper::select_tasks_to_map(ctx, admitted, output);
      return;
    }
    // Every ready task is held back. Legion 25.06 re-invokes this call at once when tasks stay
    // on the ready queue, even with a deferral event, so wait here for a limited task to
    // finish (the reentrant sync model lets report_profiling run meanwhile), then look again.
    Legion::Mapping::MapperEvent finished = runtime->create_mapper_event(ctx);
    if (host_.wait_for_finish(finished, generation)) runtime->wait_on_mapper_event(ctx, finished);
  }
}

void PolicyMapper::report_profiling(MapperContext ctx, const Task& task,
                                    const TaskProfilingInfo& input) {
  (void)input;
  if (!host_.finish(task.get_unique_id())) return;
  host_.trace("finished task=" + std::string(task.get_task_name()) +
              " uid=" + std::to_string(task.get_unique_id()));
  for (Legion::Mapping::MapperEvent event : host_.take_waiters())
    runtime->trigger_mapper_event(ctx, event);
}

// ----- stealing (TaskSteal) -----

// As the reference (DSLMapper branch main, dsl_mapper.cc: select_steal_targets), a processor
// whose kind a TaskSteal statement names asks the other processors of its kind on its node;
// the victim lets it take the tasks whose statement names the thief's kind.
void PolicyMapper::select_steal_targets(MapperContext ctx, const SelectStealingInput& input,
                                        SelectStealingOutput& output) {
  (void)ctx;
  const std::optional<dsl::ProcKind> kind = to_dsl(local_proc.kind());
  if (!kind || !host_.steals_on(*kind)) return;
  Machine::ProcessorQuery peers(machine);
  peers.local_address_space().only_kind(local_proc.kind());
  for (Processor peer : peers)
    if (peer != local_proc && !input.blacklist.count(peer)) output.targets.insert(peer);
}

void PolicyMapper::permit_steal_request(MapperContext ctx, const StealRequestInput& input,
                                        StealRequestOutput& output) {
  (void)ctx;
  for (const Task* task : input.stealable_tasks) {
    if (task->target_proc.kind() != input.thief_proc.kind()) continue;
    const std::optional<dsl::ProcKind> kind = to_dsl(input.thief_proc.kind());
    if (!kind || !host_.task_steal(task->get_task_name(), *kind)) continue;
    output.stolen_tasks.insert(task);
    host_.trace("stolen task=" + std::string(task->get_task_name()) +
                " thief=" + host_.machine().describe(input.thief_proc));
  }
}

// ----- map_task: variant, processors, instances -----

void PolicyMapper::map_task(MapperContext ctx, const Task& task, const MapTaskInput& input,
                            MapTaskOutput& output) {
  const std::string name = task.get_task_name();
  const dsl::ProcKind kind = dsl_kind(task.target_proc);
  if (input.shard_processor.exists()) {
    output.chosen_variant = input.shard_variant;
    output.target_procs.assign(1, input.shard_processor);
  } else {
    output.chosen_variant = choose_variant(ctx, task, task.target_proc.kind(), false);
    // A stolen task runs where the thief is; the policy's placement is not asked again.
    const bool placed =
        task.steal_count == 0 &&
        (task.is_index_space ? host_.has_index_map(name, kind) : host_.has_single_map(name, kind));
    if (placed) output.target_procs = policy_targets(task, kind);
    if (output.target_procs.empty())
      default_policy_select_target_processors(ctx, task, output.target_procs);
  }
  output.task_priority = 0;
  output.postmap_task = false;
  if (host_.instance_limit(name, kind))  // to learn when it finishes (report_profiling)
    output.task_prof_requests.add_measurement<Realm::ProfilingMeasurements::OperationStatus>();

  const Processor target = output.target_procs.front();
  const bool inner = runtime->is_inner_variant(ctx, task.task_id, output.chosen_variant);
  const bool leaf = runtime->is_leaf_variant(ctx, task.task_id, output.chosen_variant);
  bool relaxed = false;
  for (const RegionRequirement& req : task.regions) relaxed |= req.prop != LEGION_EXCLUSIVE;
  for (unsigned idx = 0; idx < task.regions.size(); ++idx) {
    if (inner && !relaxed) {
      // An inner task touches no data itself; as the default mapper does, map it virtually.
      output.chosen_instances[idx].push_back(
          Legion::Mapping::PhysicalInstance::get_virtual_instance());
      continue;
    }
    map_region(ctx, task, idx, target, leaf, output);
  }
  const Memory output_memory = default_policy_select_output_target(ctx, task.target_proc);
  for (unsigned i = 0; i < task.output_regions.size(); ++i) {
    output.output_targets[i] = output_memory;
    default_policy_select_output_constraints(task, output.output_constraints[i],
                                             task.output_regions[i]);
  }
}

std::string PolicyMapper::region_name(MapperContext ctx, const RegionRequirement& req) {
  // The name given at the call site: the region's own, else its partition's (an index launch
  // passes a partition), else the nearest named ancestor's.
  auto name_of = [&](auto handle, std::string& out) {
    const void* data = nullptr;
    std::size_t size = 0;
    if (!runtime->retrieve_semantic_information(ctx, handle, LEGION_NAME_SEMANTIC_TAG, data, size,
                                                true /*can fail*/, false) ||
        !data || size == 0)
      return false;
    out.assign(static_cast<const char*>(data), strnlen(static_cast<const char*>(data), size));
    return !out.empty();
  };
  std::string name;
  Legion::LogicalRegion region = req.region;
  while (region.exists()) {
    if (name_of(region, name)) return name;
    if (!runtime->has_parent_logical_partition(ctx, region)) break;
    Legion::LogicalPartition partition = runtime->get_parent_logical_partition(ctx, region);
    if (name_of(partition, name)) return name;
    region = runtime->get_parent_logical_region(ctx, partition);
  }
  return "";
}

const PolicyMapper::RegionChoice& PolicyMapper::region_choice(MapperContext ctx, const Task& task,
                                                              unsigned index, Processor target) {
  const RegionRequirement& req = task.regions[index];
  std::string region = region_name(ctx, req);
  auto key = std::make_tuple(task.task_id, index, region, target);
  if (auto it = regions_.find(key); it != regions_.end()) return it->second;

  const std::string name = task.get_task_name();
  const int arg = static_cast<int>(index);
  const dsl::ProcKind kind = dsl_kind(target);
  RegionChoice choice;
  const std::vector<dsl::MemKind> listed = host_.region_memories(name, region, arg, kind);
  choice.memory_from_policy = !listed.empty();
  for (dsl::MemKind mem : listed) {
    if (mem == dsl::MemKind::VIRTUAL) {
      choice.is_virtual = true;
      break;
    }
    choice.memory = host_.machine().best_memory(target, mem);
    if (choice.memory.exists()) break;
  }
  if (listed.empty()) choice.memory = host_.machine().best_memory(target);
  if (!choice.is_virtual && !choice.memory.exists()) {
    std::string listed_text, reached_text;
    for (dsl::MemKind mem : listed)
      listed_text += (listed_text.empty() ? "" : ",") + std::string(to_string(mem));
    for (dsl::MemKind mem : host_.machine().shape().visible_memories[static_cast<int>(kind)])
      reached_text += (reached_text.empty() ? "" : ",") + std::string(to_string(mem));
    fatal("Default mapper error: Failed to find a memory of kind " + listed_text +
          " connected to processor " + host_.machine().describe(target) + ": the policy's " +
          "Region statement for task " + name + " argument " + std::to_string(index) +
          (region.empty() ? "" : " (" + region + ")") + " lists " + listed_text + "; " +
          std::string(to_string(kind)) + " processors here reach " +
          (reached_text.empty() ? "nothing" : reached_text));
  }
  if (!choice.is_virtual) {
    auto mem_kind = to_dsl(choice.memory.kind());
    auto words = mem_kind ? host_.layout(name, region, arg, *mem_kind) : std::nullopt;
    choice.layout_from_policy = words.has_value();
    choice.layout = resolve_layout(words);
  }
  choice.collect = host_.collect_memory(name, region, arg);
  if (host_.tracing()) {
    std::string line =
        "memory task=" + name + " arg=" + std::to_string(index) +
        " region=" + (region.empty() ? "-" : region) + " proc=" + host_.machine().describe(target) +
        " memory=" + (choice.is_virtual ? "VIRTUAL" : MachineModel::describe(choice.memory)) +
        " source=" + (choice.memory_from_policy ? "policy" : "default");
    host_.trace(line);
    if (choice.layout_from_policy) {
      std::string ignored;
      for (const std::string& word : choice.layout.ignored) ignored += " " + word;
      host_.trace("layout task=" + name + " arg=" + std::to_string(index) +
                  " constraints=" + (choice.layout.text.empty() ? "-" : choice.layout.text) +
                  (ignored.empty() ? "" : " unenforced=" + ignored.substr(1)));
    }
    if (choice.collect)
      host_.trace("collect task=" + name + " arg=" + std::to_string(index) +
                  " read_only=" + (req.privilege == LEGION_READ_ONLY ? "1" : "0"));
  }
  return regions_.emplace(key, std::move(choice)).first->second;
}

void PolicyMapper::map_region(MapperContext ctx, const Task& task, unsigned index, Processor target,
                              bool leaf, MapTaskOutput& output) {
  const RegionRequirement& req = task.regions[index];
  if (req.privilege == LEGION_NO_ACCESS || req.privilege_fields.empty()) return;
  const bool reduction = req.privilege == LEGION_REDUCE;
  if (reduction && !leaf) {
    output.chosen_instances[index].push_back(
        Legion::Mapping::PhysicalInstance::get_virtual_instance());
    return;
  }
  const RegionChoice& choice = region_choice(ctx, task, index, target);
  if (choice.is_virtual) {
    output.chosen_instances[index].push_back(
        Legion::Mapping::PhysicalInstance::get_virtual_instance());
    return;
  }
  // Like the default mapper: whole field spaces (so later tasks can reuse the instance),
  // except for reductions, which get their own fields.
  std::vector<Legion::FieldID> fields;
  if (reduction)
    fields.assign(req.privilege_fields.begin(), req.privilege_fields.end());
  else
    runtime->get_field_space_fields(ctx, req.region.get_field_space(), fields);
  const int dims = req.region.get_index_space().get_dim();
  Legion::LayoutConstraintSet constraints = make_constraints(
      choice.layout, dims, choice.memory.kind(), fields, reduction ? req.redop : 0);
  const Legion::LogicalRegion region =
      choice.layout.exact || reduction
          ? req.region
          : DefaultMapper::default_policy_select_instance_region(
                ctx, choice.memory, without_tag(req), constraints, false, true);
  const std::vector<Legion::LogicalRegion> regions(1, region);
  Legion::Mapping::PhysicalInstance instance;
  std::size_t footprint = 0;
  bool created = false;
  const bool ok = reduction ? runtime->create_physical_instance(ctx, choice.memory, constraints,
                                                                regions, instance, true, 0,
                                                                choice.layout.exact, &footprint)
                            : runtime->find_or_create_physical_instance(
                                  ctx, choice.memory, constraints, regions, instance, created, true,
                                  0, choice.layout.exact, &footprint);
  if (!ok) {
    char ids[96];
    std::snprintf(ids, sizeof ids, "%llx (%s) for processor %llx",
                  static_cast<unsigned long long>(choice.memory.id),
                  legion_kind_name(choice.memory.kind()),
                  static_cast<unsigned long long>(target.id));
    fatal("Default mapper failed allocation of size " + std::to_string(footprint) +
          " bytes for region  requirement " + std::to_string(index) + " of task " +
          task.get_task_name() + " (UID " + std::to_string(task.get_unique_id()) + ") in memory " +
          ids + " (" + MachineModel::describe(choice.memory) + ", " +
          host_.machine().describe(target) + ").");
  }
  output.chosen_instances[index].push_back(instance);
  if (choice.collect && req.privilege == LEGION_READ_ONLY)
    output.untracked_valid_regions.insert(index);
}

// ----- the default mapper's remaining paths, with the application's tags out of the way -----

Memory PolicyMapper::default_policy_select_target_memory(MapperContext ctx, Processor target,
                                                         const RegionRequirement& req,
                                                         Legion::MemoryConstraint mc) {
  return DefaultMapper::default_policy_select_target_memory(ctx, target, without_tag(req), mc);
}

Legion::LayoutConstraintID PolicyMapper::default_policy_select_layout_constraints(
    MapperContext ctx, Memory target, const RegionRequirement& req, MappingKind kind,
    bool needs_field_constraint_check, bool& force_new) {
  return DefaultMapper::default_policy_select_layout_constraints(
      ctx, target, without_tag(req), kind, needs_field_constraint_check, force_new);
}

Legion::LogicalRegion PolicyMapper::default_policy_select_instance_region(
    MapperContext ctx, Memory target, const RegionRequirement& req,
    const Legion::LayoutConstraintSet& constraints, bool force_new, bool meets) {
  return DefaultMapper::default_policy_select_instance_region(ctx, target, without_tag(req),
                                                              constraints, force_new, meets);
}

void PolicyMapper::default_policy_rank_processor_kinds(MapperContext ctx, const Task& task,
                                                       std::vector<Processor::Kind>& ranking) {
  (void)ctx;
  (void)task;
  if (!local_gpus.empty()) ranking.push_back(Processor::TOC_PROC);
  if (!local_omps.empty()) ranking.push_back(Processor::OMP_PROC);
  if (!local_procsets.empty()) ranking.push_back(Processor::PROC_SET);
  ranking.push_back(Processor::LOC_PROC);
  if (!local_ios.empty()) ranking.push_back(Processor::IO_PROC);
  if (!local_pys.empty()) ranking.push_back(Processor::PY_PROC);
}

}  // namespace mapforge::legion
