// The simulator's main pass: launches in program order are mapped (decisions.h), their
// dependences, copies and instances worked out (data_state.h), and each segment between
// timing fences handed to the event engine (timeline.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "sim/decisions.h"
#include "sim/report.h"
#include "sim/sim.h"

namespace mapforge::sim {
namespace {

using machine::MemKind;
using machine::ProcKind;

/// A runtime-style log line: `[node - thread] time {level}{logger}: message`.
std::string log_line(int node, double time, const std::string& logger, const std::string& message) {
  char prefix[96];
  std::snprintf(prefix, sizeof prefix, "[%d - 7f0000000000] %11.6f {5}{%s}: ", node, time,
                logger.c_str());
  return prefix + message + "\n";
}

std::int64_t positive_mod(std::int64_t a, std::int64_t m) {
  std::int64_t r = a % m;
  return r < 0 ? r + m : r;
}

/// The color a point projects to, row-major over the partition's color grid.
std::int64_t color_of(const app::Projection& projection, const app::Partition& partition,
                      std::span<const std::int64_t> point) {
  std::int64_t color = 0;
  for (std::size_t r = 0; r < partition.color_extents.size(); ++r) {
    std::int64_t c = r < projection.offset.size() ? projection.offset[r] : 0;
    if (r < projection.matrix.size())
      for (std::size_t j = 0; j < point.size() && j < projection.matrix[r].size(); ++j)
        c += projection.matrix[r][j] * point[j];
    color = color * partition.color_extents[r] + positive_mod(c, partition.color_extents[r]);
  }
  return color;
}

std::string layout_words(bool soa, bool c_order) {
  return std::string(soa ? "SOA" : "AOS") + (c_order ? " C_order" : " F_order");
}

class Simulation {
 public:
  Simulation(const app::App& app, const machine::Machine& machine, const dsl::Mapper* mapper)
      : app_(app),
        topology_(machine),
        decisions_(app, topology_, mapper),
        data_(app, topology_),
        issue_clock_(static_cast<std::size_t>(machine.nodes), 0) {
    record_.tasks.resize(app.tasks.size());
    for (std::size_t t = 0; t < app.tasks.size(); ++t) {
      record_.tasks[t].task = app.tasks[t].name;
      record_.tasks[t].args.resize(app.tasks[t].arg_names.size());
      for (std::size_t a = 0; a < app.tasks[t].arg_names.size(); ++a)
        record_.tasks[t].args[a].region = app.tasks[t].arg_names[a];
    }
    const machine::ProcessorSpec* cpu = machine.processor(ProcKind::CPU);
    issue_cost_ =
        cpu ? cpu->launch_overhead_s.value : machine.processors.front().launch_overhead_s.value;
    const machine::Channel* network = machine.channel(machine::ChannelKind::Network);
    remote_latency_ = network ? network->latency_s.value : 0;
    replicated_ = machine.nodes == 1 || decisions_.replicated();
  }

  Result run(const Options& options);

 private:
  bool run_launch(const app::Launch& launch, bool timed,
                  std::vector<std::vector<int>>& phase_nodes);
  bool map_point(const app::Launch& launch, int task, ProcKind kind,
                 std::span<const std::int64_t> point, std::optional<int> parent);
  void fail(int node, const std::string& logger, const std::string& message) {
    failure_ += log_line(node, issue_clock_[0], logger, message);
  }
  void close_segment();
  int limit_group(int task, ProcKind kind, int origin);

  const app::App& app_;
  Topology topology_;
  Decisions decisions_;
  DataState data_;
  std::vector<TaskNode> nodes_;
  RunRecord record_;
  std::vector<double> issue_clock_;
  double issue_cost_ = 0, remote_latency_ = 0;
  bool replicated_ = true;
  std::string failure_;
  std::int64_t launch_seq_ = 0;
  std::map<std::pair<int, int>, int> groups_;
  std::vector<std::int64_t> group_limits_;
  std::size_t segment_start_ = 0;
  double fence_ = 0;
  std::optional<Timeline> timeline_;
  bool timed_seen_ = false;
  bool timed_ = false;                             // the launch being mapped is in a timed phase
  std::map<int, std::int64_t> points_per_origin_;  // points of the current launch per origin
};

int Simulation::limit_group(int task, ProcKind kind, int origin) {
  auto limit = decisions_.instance_limit(task, kind);
  if (!limit) return -1;
  auto [it, inserted] =
      groups_.emplace(std::pair(task, origin), static_cast<int>(group_limits_.size()));
  if (inserted) group_limits_.push_back(*limit);
  return it->second;
}

bool Simulation::map_point(const app::Launch& launch, int task, ProcKind kind,
                           std::span<const std::int64_t> point, std::optional<int> parent) {
  const app::Task& t = app_.tasks[static_cast<std::size_t>(task)];
  const int id = static_cast<int>(nodes_.size());
  Placement placement;
  if (launch.parent_launch >= 0 && !launch.parent_block.empty() && parent) {
    std::vector<std::int64_t> local(point.size());
    for (std::size_t d = 0; d < point.size(); ++d) local[d] = point[d] % launch.parent_block[d];
    placement = decisions_.place_nested(task, kind, local, launch.parent_block, *parent);
  } else if (launch.parent_launch >= 0 || launch.domain.empty()) {
    int parent_proc = parent ? *parent : std::max(0, topology_.proc_id(ProcKind::CPU, 0, 0));
    placement = decisions_.place_single(task, kind, parent_proc, !parent.has_value());
  } else {
    placement = decisions_.place_index(task, kind, point, launch.domain, std::nullopt);
  }
  if (!placement.error.empty()) {
    fail(0, "mapper", placement.error);
    return false;
  }
  TaskRecord& rec = record_.tasks[static_cast<std::size_t>(task)];
  rec.place_from_policy = placement.from_policy;
  const Proc& proc = topology_.procs()[static_cast<std::size_t>(placement.procs.front())];
  auto variant_kind = to_variant(kind);
  const app::Variant* variant = variant_kind ? t.variant(*variant_kind) : nullptr;
  TaskNode node;
  node.procs = placement.procs;
  // The instances mapped together: the whole launch, or under InstanceLimit N the N points of
  // this launch a node holds at once (the rest wait, so their instances can reuse the memory).
  std::int64_t window = launch_seq_ << 20;
  // InstanceLimit counts per originating processor, as the reference mapper keys its
  // back-pressure queue by task.orig_proc: a leaf's parent's processor, and for points of a
  // top-level launch the node's top-level shard.
  const int origin = parent ? topology_.machine().nodes + *parent : proc.node;
  if (auto limit = decisions_.instance_limit(task, kind)) {
    std::int64_t mapped = points_per_origin_[origin]++;
    window += std::min<std::int64_t>(mapped / *limit, (1 << 20) - 1);
  }
  double data_time = 0;
  std::vector<CopyReq> folds;
  struct Access {
    int region;
    const std::vector<std::int32_t>* blocks;
    int mem;
    bool untracked;
  };
  std::vector<Access> accesses;
  for (std::size_t a = 0; a < launch.args.size(); ++a) {
    const app::RegionArg& arg = launch.args[a];
    const app::Partition& partition = app_.partitions[static_cast<std::size_t>(arg.partition)];
    const app::Region& region = app_.regions[static_cast<std::size_t>(partition.region)];
    const auto& blocks =
        partition.pieces[static_cast<std::size_t>(color_of(arg.projection, partition, point))];
    int arg_index = static_cast<int>(a);
    const std::string& name = partition.name;
    MemoryChoice memory = decisions_.memory(task, name, arg_index, placement.procs.front());
    if (!memory.error.empty()) {
      fail(proc.node, "mapper", memory.error);
      return false;
    }
    const Mem& mem = topology_.mems()[static_cast<std::size_t>(memory.mem)];
    LayoutChoice layout = decisions_.layout(task, name, arg_index, mem.kind);
    // The kernel's requirements on the instance (a BLAS call, an accessor's stride check).
    if (variant && a < variant->layouts.size() && variant->layouts[a]) {
      const app::LayoutRequirement& need = *variant->layouts[a];
      bool bad = (need.soa && *need.soa != layout.soa) ||
                 (need.c_order && *need.c_order != layout.c_order);
      if (bad) {
        std::string detail = "task " + t.name + " (UID " + std::to_string(id + 1) + "), argument " +
                             std::to_string(a) + " (" + name + ") has an instance in " +
                             std::string(machine::to_string(mem.kind)) + " laid out " +
                             layout_words(layout.soa, layout.c_order) + "; its kernel needs " +
                             (need.soa ? (*need.soa ? "SOA " : "AOS ") : "") +
                             (need.c_order ? (*need.c_order ? "C_order" : "F_order") : "");
        if (need.failure == app::LayoutRequirement::Failure::BlasParameter)
          failure_ += " ** On entry to DGEMM parameter number " +
                      std::to_string(need.blas_parameter) + " had an illegal value\n";
        else
          failure_ += "Assertion failed: stride does not match expected value.\n";
        fail(proc.node, "mapforge", detail);
        return false;
      }
    }
    // Instances hold every field of the region (so later tasks reuse them); the policy's
    // `Exact` is not modelled, so this is the default mapper's choice.
    std::vector<int> instance_fields(region.fields.size());
    for (std::size_t f = 0; f < instance_fields.size(); ++f)
      instance_fields[f] = static_cast<int>(f);
    // CollectMemory on a read: the instance may be reclaimed once the task ends, and the
    // runtime does not track it as valid afterwards (untracked_valid_regions), so it serves no
    // later reader.
    const bool untracked =
        arg.privilege == app::Privilege::ReadOnly && decisions_.collect(task, name, arg_index);
    if (auto oom = data_.acquire(memory.mem, partition.region, blocks, instance_fields, layout.soa,
                                 layout.c_order, window, untracked)) {
      char message[512];
      std::snprintf(
          message, sizeof message,
          "Default mapper failed allocation of size %.0f bytes for region  requirement %zu "
          "of task %s (UID %d) in memory %s (%s) for processor %s (%s). There is %.0f "
          "bytes free in that memory.",
          oom->requested, a, t.name.c_str(), id + 1, topology_.mem_name(memory.mem).c_str(),
          std::string(machine::to_string(mem.kind)).c_str(),
          topology_.proc_name(placement.procs.front()).c_str(),
          std::string(machine::to_string(proc.kind)).c_str(), oom->free);
      fail(proc.node, "default_mapper", message);
      return false;
    }
    data_.depend(id, partition.region, blocks, arg.fields, arg.privilege, arg.reduce, node.deps);
    std::string missing;
    std::size_t copies_before = node.copies.size();
    data_.copies_in(id, partition.region, blocks, arg.fields, memory.mem, arg.privilege, arg_index,
                    untracked, node.copies, missing);
    if (!missing.empty()) {
      fail(proc.node, "mapforge",
           "no " + missing + " channel in machine '" + topology_.machine().name +
               "' for a copy into " + topology_.describe_mem(memory.mem));
      return false;
    }
    // Data time: bytes over the processor's bandwidth to the memory, times the layout penalty.
    const machine::Affinity* affinity = topology_.affinity(placement.procs.front(), memory.mem);
    double bytes = data_.bytes(partition.region, blocks, arg.fields) * arg.passes;
    double penalty = 1;
    if (!layout.soa && !arg.fields.empty())
      penalty *= proc.spec->aos_penalty(static_cast<int>(arg.fields.size()),
                                        static_cast<int>(instance_fields.size()));
    bool kernel_wants_c = variant && a < variant->layouts.size() && variant->layouts[a] &&
                          variant->layouts[a]->c_order.value_or(false);
    if (region.dims > 1 && layout.c_order && !kernel_wants_c && t.kernel != app::KernelClass::Dense)
      penalty *= proc.spec->strided_factor.value;  // kernels iterate dimension 0 fastest
    // Gathers and atomic updates move whole sectors or lines (or link requests) per element:
    // they run at the profile's measured fraction of the streaming bandwidth.
    double fraction = 1;
    if (arg.access == app::Access::Gather) fraction = affinity->gather_fraction.value;
    if (arg.access == app::Access::Atomic) fraction = affinity->atomic_fraction.value;
    double seconds =
        bytes * penalty / (affinity->bandwidth_Bps.value * fraction) + affinity->latency_s.value;
    data_time += seconds;
    ArgRecord& arg_rec = rec.args[a];
    arg_rec.region = name;
    arg_rec.memory = std::string(machine::to_string(mem.kind));
    arg_rec.memory_from_policy = memory.from_policy;
    arg_rec.layout = layout_words(layout.soa, layout.c_order);
    arg_rec.layout_from_policy = layout.from_policy;
    arg_rec.bytes += bytes;
    arg_rec.data_s += seconds;
    for (std::size_t c = copies_before; c < node.copies.size(); ++c)
      arg_rec.copy_in_bytes += node.copies[c].bytes;
    accesses.push_back(Access{partition.region, &blocks, memory.mem, untracked});
  }
  for (std::size_t a = 0; a < launch.args.size(); ++a) {
    const app::RegionArg& arg = launch.args[a];
    data_.after_access(id, accesses[a].region, *accesses[a].blocks, arg.fields, accesses[a].mem,
                       arg.privilege, static_cast<int>(a), accesses[a].untracked, node.folds);
  }
  double throughput = proc.spec->throughput(to_machine(t.kernel)).value;
  double compute = launch.flops / throughput;
  node.duration =
      proc.spec->launch_overhead_s.value + launch.overhead_s + std::max(compute, data_time);
  // A copy's source writer is a dependence of the task too (a copy filled by another
  // reader's copy is not: the task waits for that copy, not for that reader).
  for (const auto& copy : node.copies)
    if (copy.after_copy < 0) node.deps.push_back(copy.after);
  std::sort(node.deps.begin(), node.deps.end());
  node.deps.erase(std::unique(node.deps.begin(), node.deps.end()), node.deps.end());
  node.deps.erase(
      std::remove_if(node.deps.begin(), node.deps.end(), [&](int d) { return d < 0 || d >= id; }),
      node.deps.end());
  // Issue: every node issues its own points under control replication; otherwise node 0
  // issues all of them and remote ones travel the network.
  std::size_t issuer = replicated_ ? static_cast<std::size_t>(proc.node) : 0;
  issue_clock_[issuer] += issue_cost_;
  node.issue =
      issue_clock_[issuer] + (issuer != static_cast<std::size_t>(proc.node) ? remote_latency_ : 0);
  node.limit_group = limit_group(task, kind, origin);
  rec.points += 1;
  rec.busy_s += node.duration;
  rec.compute_s += compute;
  rec.data_s += data_time;
  nodes_.push_back(std::move(node));
  record_.task_of_node.push_back(task);
  record_.timed_node.push_back(timed_ ? 1 : 0);
  return true;
}

bool Simulation::run_launch(const app::Launch& launch, bool timed,
                            std::vector<std::vector<int>>& phase_nodes) {
  timed_ = timed;
  points_per_origin_.clear();
  ++launch_seq_;
  const int task = launch.task;
  const KindChoice& kind = decisions_.kind(task);
  TaskRecord& rec = record_.tasks[static_cast<std::size_t>(task)];
  if (!kind.kind) {
    fail(0, "mapper", kind.error);
    return false;
  }
  rec.kind = std::string(machine::to_string(*kind.kind));
  rec.kind_from_policy = kind.from_policy;
  std::vector<int> ids;
  std::vector<std::int64_t> point(launch.domain.size(), 0);
  std::int64_t count = 1;
  for (auto extent : launch.domain) count *= extent;
  for (std::int64_t i = 0; i < count; ++i) {
    // Points in row-major order, the last dimension fastest.
    std::int64_t rest = i;
    for (std::size_t d = launch.domain.size(); d-- > 0;) {
      point[d] = rest % launch.domain[d];
      rest /= launch.domain[d];
    }
    std::optional<int> parent;
    if (launch.parent_launch >= 0) {
      // The parent point: the same point, or for a nested launch the point / parent_block.
      std::int64_t parent_index = i;
      if (!launch.parent_block.empty()) {
        parent_index = 0;
        for (std::size_t d = 0; d < launch.domain.size(); ++d)
          parent_index = parent_index * (launch.domain[d] / launch.parent_block[d]) +
                         point[d] / launch.parent_block[d];
      }
      const auto& parents = phase_nodes[static_cast<std::size_t>(launch.parent_launch)];
      if (static_cast<std::size_t>(parent_index) < parents.size())
        parent = nodes_[static_cast<std::size_t>(parents[static_cast<std::size_t>(parent_index)])]
                     .procs.front();
    }
    ids.push_back(static_cast<int>(nodes_.size()));
    if (!map_point(launch, task, *kind.kind, point, parent)) return false;
  }
  phase_nodes.push_back(std::move(ids));
  return true;
}

void Simulation::close_segment() {
  if (segment_start_ == nodes_.size()) return;
  if (!timeline_) timeline_.emplace(topology_);
  fence_ = timeline_->run(nodes_, segment_start_, nodes_.size(), fence_, group_limits_);
  if (timeline_->unfinished() > 0) {
    // Legion's runtime waits forever here; the mapper the published system used asserted.
    int id = timeline_->first_unfinished();
    const auto& t =
        app_.tasks[static_cast<std::size_t>(record_.task_of_node[static_cast<std::size_t>(id)])];
    fail(0, "mapper",
         "Assertion 'event.exists()' failed: InstanceLimit back-pressure deadlocked the run: " +
             std::to_string(timeline_->unfinished()) + " point tasks never ran (the first is " +
             t.name + ", UID " + std::to_string(id + 1) +
             "); every allowed instance is held by a task that waits for them.");
  }
  segment_start_ = nodes_.size();
  // The next segment's launches are issued after the fence.
  for (auto& clock : issue_clock_) clock = std::max(clock, fence_);
}

Result Simulation::run(const Options& options) {
  Result result;
  bool previous_timed = false;
  bool first = true;
  for (const auto& phase : app_.phases) {
    if (!first && phase.timed != previous_timed) close_segment();
    if (!failure_.empty()) break;
    if (phase.timed && !timed_seen_) {
      timed_seen_ = true;
      record_.timed_start = fence_;
    }
    first = false;
    previous_timed = phase.timed;
    for (std::int64_t r = 0; r < phase.repeat; ++r) {
      std::vector<std::vector<int>> phase_nodes;
      for (const auto& launch : phase.launches) {
        if (!run_launch(launch, phase.timed, phase_nodes)) {
          result.errors = failure_;
          result.point_tasks = static_cast<std::int64_t>(nodes_.size());
          return result;
        }
      }
    }
    if (phase.timed) {
      close_segment();
      record_.timed_end = fence_;
    }
  }
  close_segment();
  if (!failure_.empty()) {
    result.errors = failure_;
    result.point_tasks = static_cast<std::int64_t>(nodes_.size());
    return result;
  }
  record_.end = fence_;
  if (!timed_seen_) record_.timed_end = fence_;
  record_.instances_created = data_.instances_created();
  record_.instances_collected = data_.instances_collected();
  result.ok = true;
  result.point_tasks = static_cast<std::int64_t>(nodes_.size());
  result.elapsed_s = record_.timed_end - record_.timed_start;
  result.output = result_lines(app_, topology_.machine(), result.elapsed_s, result.metric);
  if (!timeline_) timeline_.emplace(topology_);
  if (options.profile)
    result.profile_json = profile_json(app_, topology_, nodes_, *timeline_, data_, record_, result);
  return result;
}

}  // namespace

dsl::MachineShape shape_of(const machine::Machine& machine) {
  dsl::MachineShape shape;
  shape.nodes = machine.nodes;
  for (ProcKind kind : machine::kAllProcKinds) {
    auto k = static_cast<std::size_t>(to_dsl(kind));
    shape.procs_per_node[k] = machine.processors_per_node(kind);
    for (MemKind mem : machine::kAllMemKinds)
      if (machine.memories_per_node(mem) > 0 && machine.affinity(kind, mem))
        shape.visible_memories[k].push_back(to_dsl(mem));
  }
  return shape;
}

Result simulate(const app::App& app, const machine::Machine& machine, const dsl::Mapper* mapper,
                const Options& options) {
  Simulation simulation(app, machine, mapper);
  Result result = simulation.run(options);
  if (mapper && mapper->has_task_steal())
    result.warnings +=
        "mapforge: warning: the simulated machine does not steal tasks: the policy's TaskSteal "
        "statements have no effect here (the Legion plugin honours them)\n";
  return result;
}

}  // namespace mapforge::sim
