#include "legion/policy_host.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mapforge::legion {
namespace {

std::unique_ptr<PolicyHost> g_host;  // one per process, created by the registration callback

std::string strip_newline(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// The diagnostics of a failed dsl call, without the trailing newline.
template <class T>
std::string render_errors(const dsl::Result<T>& result) {
  return strip_newline(dsl::render_all(result.errors()));
}

std::string tuple_text(const std::vector<std::int64_t>& values) {
  std::string text = "(";
  for (std::size_t i = 0; i < values.size(); ++i)
    text += (i ? ", " : "") + std::to_string(values[i]);
  return text + (values.size() == 1 ? ",)" : ")");
}

}  // namespace

void fatal(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "mapforge: %s\n", message.c_str());
  std::fflush(stderr);
  if (PolicyHost* host = PolicyHost::get()) host->trace("fatal " + message);
  // _Exit: Legion's and Realm's threads are mid-flight; running static destructors or atexit
  // handlers here can hang instead of ending the program.
  std::_Exit(EXIT_FAILURE);
}

PolicyHost& PolicyHost::start(const Options& options, const Machine& machine, int local_node) {
  if (!g_host) g_host.reset(new PolicyHost(options, machine, local_node));
  return *g_host;
}

PolicyHost* PolicyHost::get() { return g_host.get(); }

PolicyHost::PolicyHost(const Options& options, const Machine& machine, int local_node)
    : options_(options), machine_(machine), local_node_(local_node) {
  if (options.trace_file) {
    std::string path = *options.trace_file;
    for (std::size_t at = path.find('%'); at != std::string::npos; at = path.find('%'))
      path.replace(at, 1, std::to_string(local_node));
    trace_ = std::fopen(path.c_str(), "w");
    if (!trace_)
      fatal("cannot write the trace file '" + path + "' (-mapping:trace): " + std::strerror(errno));
  }
  if (!options.policy_file) {
    if (options.check_only) fatal("-mapping:check needs -mapping FILE");
    return;
  }
  const std::string& file = *options.policy_file;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    fatal("cannot read the policy file '" + file +
          "' given with -mapping: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  auto policy = dsl::Policy::load(file, text.str());
  if (!policy) fatal("the policy given with -mapping does not load:\n" + render_errors(policy));
  const bool speak = local_node == 0;  // one copy of each message, not one per node
  if (speak && !options.quiet && !policy->warnings().empty())
    std::fprintf(stderr, "%s", dsl::render_all(policy->warnings()).c_str());
  policy_ = policy.value();
  auto print = [](std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  };
  auto mapper = dsl::Mapper::create(*policy_, machine_.shape(), print);
  if (!mapper)
    fatal("the policy given with -mapping fails on this machine:\n" + render_errors(mapper));
  mapper_ = std::make_unique<dsl::Mapper>(std::move(mapper.value()));
  if (options.check_only) {
    if (speak) std::fprintf(stderr, "mapforge: %s: policy loaded\n", file.c_str());
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(EXIT_SUCCESS);
  }
  trace("policy " + file);
}

std::vector<dsl::ProcKind> PolicyHost::task_kinds(const std::string& task) {
  if (!mapper_) return {};
  std::lock_guard lock(mutex_);
  return mapper_->task_kinds(task);
}

std::vector<dsl::MemKind> PolicyHost::region_memories(const std::string& task,
                                                      const std::string& region, int index,
                                                      dsl::ProcKind kind) {
  if (!mapper_) return {};
  std::lock_guard lock(mutex_);
  return mapper_->region_memories(task, dsl::RegionArg{region, index}, kind);
}

std::optional<std::vector<dsl::LayoutConstraint>> PolicyHost::layout(const std::string& task,
                                                                     const std::string& region,
                                                                     int index,
                                                                     dsl::MemKind memory) {
  if (!mapper_) return std::nullopt;
  std::lock_guard lock(mutex_);
  return mapper_->layout(task, dsl::RegionArg{region, index}, memory);
}

std::optional<std::int64_t> PolicyHost::instance_limit(const std::string& task,
                                                       dsl::ProcKind kind) {
  if (!mapper_) return std::nullopt;
  std::lock_guard lock(mutex_);
  return mapper_->instance_limit(task, kind);
}

bool PolicyHost::collect_memory(const std::string& task, const std::string& region, int index) {
  if (!mapper_) return false;
  std::lock_guard lock(mutex_);
  return mapper_->collect_memory(task, dsl::RegionArg{region, index});
}

std::optional<bool> PolicyHost::control_replicate(const std::string& task) {
  if (!mapper_) return std::nullopt;
  std::lock_guard lock(mutex_);
  return mapper_->control_replicate(task);
}

bool PolicyHost::has_index_map(const std::string& task, dsl::ProcKind kind) {
  if (!mapper_) return false;
  std::lock_guard lock(mutex_);
  return mapper_->has_index_map(task, kind);
}

bool PolicyHost::has_single_map(const std::string& task, dsl::ProcKind kind) {
  if (!mapper_) return false;
  std::lock_guard lock(mutex_);
  return mapper_->has_single_map(task, kind);
}

bool PolicyHost::task_steal(const std::string& task, dsl::ProcKind kind) {
  if (!mapper_) return false;
  std::lock_guard lock(mutex_);
  return mapper_->task_steal(task, kind);
}

bool PolicyHost::steals_on(dsl::ProcKind kind) {
  if (!mapper_) return false;
  std::lock_guard lock(mutex_);
  return mapper_->steals_on(kind);
}

std::optional<dsl::Placement> PolicyHost::place_index(const std::string& task, dsl::ProcKind kind,
                                                      const std::vector<std::int64_t>& point,
                                                      const std::vector<std::int64_t>& extents,
                                                      std::optional<dsl::ProcessorId> parent) {
  if (!mapper_) return std::nullopt;
  std::unique_lock lock(mutex_);
  auto placed = mapper_->map_index_point(task, kind, dsl::IndexPoint{point, extents}, parent);
  lock.unlock();
  if (!placed)
    fatal("the IndexTaskMap function failed for task " + task + " point " + tuple_text(point) +
          " of launch domain " + tuple_text(extents) + ":\n" + render_errors(placed));
  return placed.value();
}

std::optional<dsl::Placement> PolicyHost::place_single(const std::string& task, dsl::ProcKind kind,
                                                       dsl::ProcessorId parent) {
  if (!mapper_) return std::nullopt;
  std::unique_lock lock(mutex_);
  auto placed = mapper_->map_single_task(task, kind, parent);
  lock.unlock();
  if (!placed)
    fatal("the SingleTaskMap function failed for task " + task + ":\n" + render_errors(placed));
  return placed.value();
}

bool PolicyHost::admit(const std::string& task, std::int64_t limit, std::uint64_t unique_id) {
  std::lock_guard lock(mutex_);
  if (admitted_.count(unique_id)) return true;  // asked again after a deferral
  std::int64_t& running = running_[task];
  if (running >= limit) return false;
  ++running;
  admitted_.emplace(unique_id, task);
  return true;
}

bool PolicyHost::finish(std::uint64_t unique_id) {
  std::lock_guard lock(mutex_);
  auto it = admitted_.find(unique_id);
  if (it == admitted_.end()) return false;
  --running_[it->second];
  admitted_.erase(it);
  ++finished_;
  return true;
}

std::uint64_t PolicyHost::finish_generation() {
  std::lock_guard lock(mutex_);
  return finished_;
}

bool PolicyHost::wait_for_finish(Legion::Mapping::MapperEvent event, std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (finished_ != generation) return false;
  waiters_.push_back(event);
  return true;
}

std::vector<Legion::Mapping::MapperEvent> PolicyHost::take_waiters() {
  std::lock_guard lock(mutex_);
  return std::exchange(waiters_, {});
}

void PolicyHost::set_sharding_base(Legion::ShardingID base, std::size_t slots) {
  std::lock_guard lock(mutex_);
  sharding_base_ = base;
  sharding_capacity_ = slots;
}

std::optional<Legion::ShardingID> PolicyHost::sharding_functor(const std::string& task,
                                                               dsl::ProcKind kind) {
  std::lock_guard lock(mutex_);
  for (std::size_t slot = 0; slot < sharding_slots_.size(); ++slot)
    if (sharding_slots_[slot].first == task && sharding_slots_[slot].second == kind)
      return sharding_base_ + static_cast<Legion::ShardingID>(slot);
  if (sharding_slots_.size() >= sharding_capacity_) return std::nullopt;
  sharding_slots_.emplace_back(task, kind);
  return sharding_base_ + static_cast<Legion::ShardingID>(sharding_slots_.size() - 1);
}

std::optional<std::pair<std::string, dsl::ProcKind>> PolicyHost::sharding_slot(std::size_t slot) {
  std::lock_guard lock(mutex_);
  if (slot >= sharding_slots_.size()) return std::nullopt;
  return sharding_slots_[slot];
}

void PolicyHost::trace(const std::string& line) {
  if (!trace_) return;
  std::lock_guard lock(mutex_);
  std::fprintf(trace_, "%s\n", line.c_str());
  std::fflush(trace_);  // a fatal error ends the process without running destructors
}

}  // namespace mapforge::legion
