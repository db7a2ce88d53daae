// The Legion mapper that answers through a mapforge policy: Legion's DefaultMapper with the
// decisions the mapping language makes replaced by the policy's answers.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "legion/layout.h"
#include "legion/policy_host.h"
#include "mappers/default_mapper.h"

namespace mapforge::legion {

class PolicyMapper : public Legion::Mapping::DefaultMapper {
 public:
  using MapperContext = Legion::Mapping::MapperContext;
  using Task = Legion::Task;

  PolicyMapper(Legion::Mapping::MapperRuntime* runtime, Machine legion_machine, Processor local,
               PolicyHost& host);

  const char* get_mapper_name() const override { return "mapforge"; }
  // One call at a time on each mapper, interleaved only where a call waits on the runtime: an
  // InstanceLimit wait in select_tasks_to_map must let report_profiling through. The caches
  // below are std::maps, whose references survive insertions by an interleaved call.
  MapperSyncModel get_mapper_sync_model() const override {
    return SERIALIZED_REENTRANT_MAPPER_MODEL;
  }

  void select_task_options(MapperContext ctx, const Task& task, TaskOptions& output) override;
  void slice_task(MapperContext ctx, const Task& task, const SliceTaskInput& input,
                  SliceTaskOutput& output) override;
  void map_task(MapperContext ctx, const Task& task, const MapTaskInput& input,
                MapTaskOutput& output) override;
  void replicate_task(MapperContext ctx, const Task& task, const ReplicateTaskInput& input,
                      ReplicateTaskOutput& output) override;
  void select_sharding_functor(MapperContext ctx, const Task& task,
                               const SelectShardingFunctorInput& input,
                               SelectShardingFunctorOutput& output) override;
  void select_tasks_to_map(MapperContext ctx, const SelectMappingInput& input,
                           SelectMappingOutput& output) override;
  void report_profiling(MapperContext ctx, const Task& task,
                        const TaskProfilingInfo& input) override;
  // TaskSteal: idle processors ask the others of their kind on the node for work.
  void select_steal_targets(MapperContext ctx, const SelectStealingInput& input,
                            SelectStealingOutput& output) override;
  void permit_steal_request(MapperContext ctx, const StealRequestInput& input,
                            StealRequestOutput& output) override;

  // The default mapper reads the application's RegionRequirement::tag bits as its own flags
  // (virtual map, exact region, RDMA memory) and Task::tag as "prefer CPU"; applications use
  // tags for their own meanings, so the paths still shared with it see tags cleared.
  Memory default_policy_select_target_memory(MapperContext ctx, Processor target,
                                             const Legion::RegionRequirement& req,
                                             Legion::MemoryConstraint mc) override;
  Legion::LayoutConstraintID default_policy_select_layout_constraints(
      MapperContext ctx, Memory target, const Legion::RegionRequirement& req, MappingKind kind,
      bool needs_field_constraint_check, bool& force_new) override;
  Legion::LogicalRegion default_policy_select_instance_region(
      MapperContext ctx, Memory target, const Legion::RegionRequirement& req,
      const Legion::LayoutConstraintSet& constraints, bool force_new, bool meets) override;
  void default_policy_rank_processor_kinds(MapperContext ctx, const Task& task,
                                           std::vector<Processor::Kind>& ranking) override;

 private:
  struct KindChoice {
    dsl::ProcKind kind = dsl::ProcKind::CPU;
    bool from_policy = false;
  };
  // One resolved region decision, cached per (task, argument, region name, processor).
  struct RegionChoice {
    bool is_virtual = false;
    Memory memory = Memory::NO_MEMORY;
    InstanceLayout layout;
    bool layout_from_policy = false;
    bool memory_from_policy = false;
    bool collect = false;
  };

  KindChoice choose_kind(MapperContext ctx, const Task& task);
  std::vector<dsl::ProcKind> variant_kinds(MapperContext ctx, const Task& task);
  Processor default_initial_processor(const Task& task, dsl::ProcKind kind);
  std::vector<Processor> policy_targets(const Task& task, dsl::ProcKind kind);
  std::optional<dsl::Placement> place_point(const Task& task, dsl::ProcKind kind,
                                            const Legion::DomainPoint& point,
                                            const Legion::Domain& domain);
  Legion::VariantID choose_variant(MapperContext ctx, const Task& task, Processor::Kind kind,
                                   bool need_replicable);
  std::string region_name(MapperContext ctx, const Legion::RegionRequirement& req);
  const RegionChoice& region_choice(MapperContext ctx, const Task& task, unsigned index,
                                    Processor target);
  void map_region(MapperContext ctx, const Task& task, unsigned index, Processor target, bool leaf,
                  MapTaskOutput& output);

  PolicyHost& host_;
  std::map<std::tuple<Legion::TaskID, unsigned, std::string, Processor>, RegionChoice> regions_;
  std::map<std::pair<Legion::TaskID, Processor::Kind>, Legion::VariantID> variants_;
  std::map<Legion::TaskID, KindChoice> kinds_;
};

}  // namespace mapforge::legion
