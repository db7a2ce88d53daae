// Mapper: a policy bound to a machine. Statement tables are built once; lookups follow the
// precedence of DSL.md §2; placements are cached per (task, kind, point, launch domain).
#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "dsl/checker.h"
#include "dsl/evaluator.h"
#include "dsl/parser.h"
#include "dsl/program.h"

namespace mapforge::dsl {
namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

/// Statements keyed by task name, with the `*` ones apart; each keeps its program order.
template <class Entry>
struct ByTask {
  StringMap<std::vector<Entry>> named;
  std::vector<Entry> star;
  void add(const Selector& task, Entry entry) {
    if (task.is_star())
      star.push_back(std::move(entry));
    else
      named[task.text].push_back(std::move(entry));
  }
  const std::vector<Entry>* find(std::string_view task) const {
    auto it = named.find(task);
    return it == named.end() ? nullptr : &it->second;
  }
};

bool region_matches(const Selector& selector, RegionArg arg) {
  if (selector.index >= 0) return selector.index == arg.index;
  return !arg.name.empty() && selector.text == arg.name;
}

struct RegionEntry {
  const Selector* region;
  std::optional<ProcKind> proc;
  const std::vector<MemKindRef>* memories;
};
struct LayoutEntry {
  const Selector* region;
  std::optional<MemKind> memory;
  const std::vector<LayoutItem>* constraints;
};
struct LimitEntry {
  std::optional<ProcKind> kind;  // nullopt: any kind
  std::int64_t limit;
};

/// The entry of one lookup level (one task list, named region or `*`) for a processor (memory)
/// kind: the exact kind beats `*`; among equals the first wins, as in the reference
/// implementation (its tables keep the first statement for a key).
template <class Entry, class Kind, class GetKind>
const Entry* level_entry(const std::vector<Entry>& list, bool named_region, RegionArg arg,
                         Kind kind, GetKind get_kind) {
  const Entry* star_kind = nullptr;
  for (const Entry& entry : list) {
    bool named = !entry.region->is_star();
    if (named != named_region) continue;
    if (named && !region_matches(*entry.region, arg)) continue;
    auto entry_kind = get_kind(entry);
    if (entry_kind && *entry_kind == kind) return &entry;
    if (!entry_kind && !star_kind) star_kind = &entry;
  }
  return star_kind;
}

/// Calls visit(entry) for each lookup level that has an entry, most specific first (DSL.md §2):
/// (task, region), (task, *), (*, region), (*, *). Stops when visit returns true.
template <class Entry, class Kind, class GetKind, class Visit>
void for_each_level(const ByTask<Entry>& table, std::string_view task, RegionArg arg, Kind kind,
                    GetKind get_kind, Visit visit) {
  const std::vector<Entry>* lists[2] = {table.find(task), &table.star};
  for (const auto* list : lists) {
    if (!list) continue;
    for (bool named_region : {true, false}) {
      const Entry* entry = level_entry(*list, named_region, arg, kind, get_kind);
      if (entry && visit(*entry)) return;
    }
  }
}

std::string render_tuple(std::span<const std::int64_t> values) {
  std::string out = "(";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + std::to_string(values[i]);
  return out + (values.size() == 1 ? ",)" : ")");
}

}  // namespace

class MapperState {
 public:
  MapperState(std::shared_ptr<const Program> program, const MachineShape& shape, PrintSink print)
      : program_(std::move(program)),
        shape_(shape),
        print_(std::move(print)),
        evaluator_(*program_, shape_, print_) {
    build_tables();
  }

  const Program& program() const { return *program_; }
  const MachineShape& shape() const { return shape_; }
  Evaluator& evaluator() { return evaluator_; }

  std::vector<ProcKind> task_kinds(std::string_view task) const {
    auto it = task_kinds_.find(task);
    if (it != task_kinds_.end()) return it->second;
    return star_kinds_;
  }
  // The reference joins the levels (DSLMapper tree.cpp, Tree2Legion::query_memory_list): the
  // memory lists of every level, most specific first, so a kind missing on this machine falls
  // through to the next level's kinds.
  std::vector<MemKind> region_memories(std::string_view task, RegionArg arg, ProcKind kind) const {
    std::vector<MemKind> out;
    for_each_level(
        regions_, task, arg, kind, [](const RegionEntry& e) { return e.proc; },
        [&](const RegionEntry& entry) {
          // A kind already listed adds nothing: the first occurrence is the one that decides.
          for (const auto& ref : *entry.memories)
            if (std::find(out.begin(), out.end(), *ref.kind) == out.end()) out.push_back(*ref.kind);
          return false;
        });
    return out;
  }
  // Layouts take the most specific level only (tree.cpp, Tree2Legion::query_constraint).
  std::optional<std::vector<LayoutConstraint>> layout(std::string_view task, RegionArg arg,
                                                      MemKind mem) const {
    const LayoutEntry* found = nullptr;
    for_each_level(
        layouts_, task, arg, mem, [](const LayoutEntry& e) { return e.memory; },
        [&](const LayoutEntry& entry) {
          found = &entry;
          return true;
        });
    if (!found) return std::nullopt;
    std::vector<LayoutConstraint> out;
    for (const auto& item : *found->constraints) out.push_back(item.constraint);
    return out;
  }
  std::optional<std::int64_t> instance_limit(std::string_view task, ProcKind kind) const {
    const std::vector<LimitEntry>* lists[2] = {limits_.find(task), &limits_.star};
    for (const auto* list : lists) {
      if (!list) continue;
      const LimitEntry* any_kind = nullptr;
      for (auto it = list->begin(); it != list->end(); ++it) {
        if (it->kind && *it->kind == kind) return it->limit;
        if (!it->kind && !any_kind) any_kind = &*it;
      }
      if (any_kind) return any_kind->limit;
    }
    return std::nullopt;
  }
  bool collect_memory(std::string_view task, RegionArg arg) const {
    const std::vector<const Selector*>* lists[2] = {collect_.find(task), &collect_.star};
    for (const auto* list : lists) {
      if (!list) continue;
      for (const Selector* region : *list)
        if (region->is_star() || region_matches(*region, arg)) return true;
    }
    return false;
  }
  std::optional<bool> control_replicate(std::string_view task) const {
    if (!has_control_replicate_) return std::nullopt;
    return replicate_all_ || replicated_.find(task) != replicated_.end();
  }
  bool task_steal(std::string_view task, ProcKind kind) const {
    auto it = steals_.find(task);
    if (it == steals_.end()) it = steals_.find(std::string_view("*"));
    return it != steals_.end() && it->second == kind;
  }
  bool steals_on(ProcKind kind) const {
    return std::any_of(steals_.begin(), steals_.end(),
                       [&](const auto& entry) { return entry.second == kind; });
  }
  bool has_task_steal() const { return !steals_.empty(); }
  std::int32_t map_function(bool index, std::string_view task, ProcKind kind) const {
    const auto& by_task = index ? index_maps_ : single_maps_;
    auto it = by_task.find(task);
    if (it != by_task.end()) return it->second;
    return (index ? index_kind_maps_ : single_kind_maps_)[static_cast<std::size_t>(kind)];
  }

  Result<std::optional<Placement>> place(bool index, std::string_view task, ProcKind kind,
                                         IndexPoint point, std::optional<ProcessorId> parent);

 private:
  void build_tables();
  std::string_view cache_key(bool index, std::string_view task, ProcKind kind, IndexPoint point,
                             const std::optional<ProcessorId>& parent);
  Result<std::optional<Placement>> evaluate_placement(std::int32_t function, bool index,
                                                      std::string_view task, ProcKind kind,
                                                      IndexPoint point,
                                                      std::optional<ProcessorId> parent);

  std::shared_ptr<const Program> program_;
  MachineShape shape_;
  PrintSink print_;
  Evaluator evaluator_;

  StringMap<std::vector<ProcKind>> task_kinds_;
  std::vector<ProcKind> star_kinds_;
  bool has_star_kinds_ = false;
  ByTask<RegionEntry> regions_;
  ByTask<LayoutEntry> layouts_;
  ByTask<LimitEntry> limits_;
  ByTask<const Selector*> collect_;
  StringMap<ProcKind> steals_;  // task name or "*" -> the kind whose processors may steal it
  bool has_control_replicate_ = false;
  bool replicate_all_ = false;
  StringMap<bool> replicated_;
  StringMap<std::int32_t> index_maps_, single_maps_;
  std::array<std::int32_t, kNumProcKinds> index_kind_maps_{-1, -1, -1, -1, -1, -1};
  std::array<std::int32_t, kNumProcKinds> single_kind_maps_{-1, -1, -1, -1, -1, -1};

  std::string key_buffer_;
  StringMap<Placement> cache_;
};

void MapperState::build_tables() {
  for (const auto& stmt : program_->statements) {
    if (const auto* s = std::get_if<TaskStmt>(&stmt.node)) {
      std::vector<ProcKind> kinds;
      for (const auto& ref : s->kinds) kinds.push_back(*ref.kind);
      // The first statement for a task wins (the checker warns on the later ones).
      for (const auto& task : s->tasks) {
        if (!task.is_star())
          task_kinds_.emplace(task.text, kinds);
        else if (!has_star_kinds_)
          star_kinds_ = kinds, has_star_kinds_ = true;
      }
    } else if (const auto* r = std::get_if<RegionStmt>(&stmt.node)) {
      regions_.add(r->task, RegionEntry{&r->region, r->proc.kind, &r->memories});
    } else if (const auto* l = std::get_if<LayoutStmt>(&stmt.node)) {
      layouts_.add(l->task, LayoutEntry{&l->region, l->memory.kind, &l->constraints});
    } else if (const auto* i = std::get_if<InstanceLimitStmt>(&stmt.node)) {
      limits_.add(i->task, LimitEntry{i->kind ? i->kind->kind : std::nullopt, i->limit});
    } else if (const auto* c = std::get_if<CollectMemoryStmt>(&stmt.node)) {
      collect_.add(c->task, &c->region);
    } else if (const auto* steal = std::get_if<TaskStealStmt>(&stmt.node)) {
      // First statement per task name wins, whatever its kind (as the reference).
      for (const auto& task : steal->tasks) steals_.emplace(task.text, *steal->kind.kind);
    } else if (const auto* cr = std::get_if<ControlReplicateStmt>(&stmt.node)) {
      has_control_replicate_ = true;
      for (const auto& task : cr->tasks) {
        if (task.is_star())
          replicate_all_ = true;
        else
          replicated_[task.text] = true;
      }
    } else if (const auto* m = std::get_if<TaskMapStmt>(&stmt.node)) {
      auto& by_task = m->index ? index_maps_ : single_maps_;
      auto& by_kind = m->index ? index_kind_maps_ : single_kind_maps_;
      if (m->kind) {
        auto& slot = by_kind[static_cast<std::size_t>(*m->kind->kind)];
        if (slot < 0) slot = m->function_index;
      }
      // `IndexTaskMap * f;` matches no task, as in the reference (it looks tasks up by name and
      // by processor kind only); the checker warns.
      for (const auto& task : m->tasks)
        if (!task.is_star()) by_task.emplace(task.text, m->function_index);
    }
  }
}

std::string_view MapperState::cache_key(bool index, std::string_view task, ProcKind kind,
                                        IndexPoint point,
                                        const std::optional<ProcessorId>& parent) {
  // A flat byte string: no allocation once the buffer has grown.
  key_buffer_.clear();
  auto append = [&](const void* data, std::size_t size) {
    key_buffer_.append(static_cast<const char*>(data), size);
  };
  char header[2] = {index ? 'I' : 'S', static_cast<char>(kind)};
  append(header, sizeof header);
  std::uint32_t sizes[3] = {static_cast<std::uint32_t>(task.size()),
                            static_cast<std::uint32_t>(point.point.size()),
                            static_cast<std::uint32_t>(point.ispace.size())};
  append(sizes, sizeof sizes);
  append(task.data(), task.size());
  append(point.point.data(), point.point.size_bytes());
  append(point.ispace.data(), point.ispace.size_bytes());
  if (parent) {
    int values[3] = {parent->node, parent->index, static_cast<int>(parent->kind)};
    append(values, sizeof values);
  }
  return key_buffer_;
}

Result<std::optional<Placement>> MapperState::place(bool index, std::string_view task,
                                                    ProcKind kind, IndexPoint point,
                                                    std::optional<ProcessorId> parent) {
  std::int32_t function = map_function(index, task, kind);
  if (function < 0) return std::optional<Placement>{};
  std::string_view key = cache_key(index, task, kind, point, parent);
  if (auto it = cache_.find(key); it != cache_.end()) return std::optional<Placement>{it->second};
  auto result = evaluate_placement(function, index, task, kind, point, parent);
  if (result.ok() && result.value())
    cache_.emplace(std::string(cache_key(index, task, kind, point, parent)), *result.value());
  return result;
}

Result<std::optional<Placement>> MapperState::evaluate_placement(
    std::int32_t function, bool index, std::string_view task, ProcKind kind, IndexPoint point,
    std::optional<ProcessorId> parent) {
  const DefStmt& def = *program_->functions[static_cast<std::size_t>(function)];
  std::string parent_name = "parent of " + std::string(task);
  TaskContext parent_context;
  parent_context.name = parent_name;
  parent_context.processor = parent;
  TaskContext context;
  context.name = task;
  context.is_index = index;
  context.ipoint = point.point;
  context.ispace = point.ispace;
  context.parent = parent ? &parent_context : nullptr;
  std::string where = "; mapping task '" + std::string(task) + "'";
  if (index)
    where +=
        " point " + render_tuple(point.point) + " of launch domain " + render_tuple(point.ispace);
  auto error = [&](Offset offset, const std::string& message) {
    return program_->source.diagnose(Severity::Error, offset, message + where);
  };
  Value value;
  try {
    value = evaluator_.call_mapping_function(function, context);
  } catch (const EvalError& e) {
    return error(e.offset, e.message);
  }
  const auto* set = std::get_if<ProcSet>(&value);
  if (!set)
    return error(def.name.offset, "mapping function '" + def.name.text + "' returned " +
                                      std::string(value_type_name(value)) + " " + render(value) +
                                      ", not a processor");
  if (set->procs.empty())
    return error(def.name.offset, "mapping function '" + def.name.text + "' returned no processor");
  if (set->procs.front().kind != kind)
    return error(def.name.offset, "wrong processor kind: '" + def.name.text + "' returned a " +
                                      std::string(to_string(set->procs.front().kind)) +
                                      " processor but the task is mapped to " +
                                      std::string(to_string(kind)));
  for (const auto& proc : set->procs)
    if (proc.node != set->procs.front().node)
      return error(def.name.offset, "mapping function '" + def.name.text +
                                        "' returned processors on several nodes; a set of "
                                        "processors must be on one node");
  return std::optional<Placement>{Placement{set->procs, set->is_set}};
}

// ----- Mapper: the public face -----

Mapper::Mapper(std::unique_ptr<MapperState> state) : state_(std::move(state)) {}
Mapper::Mapper(Mapper&&) noexcept = default;
Mapper& Mapper::operator=(Mapper&&) noexcept = default;
Mapper::~Mapper() = default;

Result<Mapper> Mapper::create(const Policy& policy, const MachineShape& machine, PrintSink print) {
  // The program is shared with the policy, so the mapper outlives neither.
  auto state = std::make_unique<MapperState>(policy.program_, machine, std::move(print));
  try {
    state->evaluator().run_globals();
  } catch (const EvalError& e) {
    return state->program().source.diagnose(Severity::Error, e.offset, e.message);
  }
  return Mapper(std::move(state));
}

const MachineShape& Mapper::machine() const { return state_->shape(); }

std::vector<ProcKind> Mapper::task_kinds(std::string_view task) const {
  return state_->task_kinds(task);
}

std::optional<ProcKind> Mapper::select_kind(std::string_view task,
                                            std::span<const ProcKind> variants) const {
  for (ProcKind kind : state_->task_kinds(task)) {
    bool has_variant = std::find(variants.begin(), variants.end(), kind) != variants.end();
    if (has_variant && state_->shape().count(kind) > 0) return kind;
  }
  return std::nullopt;
}

std::vector<MemKind> Mapper::region_memories(std::string_view task, RegionArg arg,
                                             ProcKind kind) const {
  return state_->region_memories(task, arg, kind);
}

std::optional<MemKind> Mapper::select_memory(std::string_view task, RegionArg arg,
                                             ProcKind kind) const {
  for (MemKind mem : state_->region_memories(task, arg, kind))
    if (mem == MemKind::VIRTUAL || state_->shape().sees(kind, mem)) return mem;
  return std::nullopt;
}

std::optional<std::vector<LayoutConstraint>> Mapper::layout(std::string_view task, RegionArg arg,
                                                            MemKind mem) const {
  return state_->layout(task, arg, mem);
}

std::optional<std::int64_t> Mapper::instance_limit(std::string_view task, ProcKind kind) const {
  return state_->instance_limit(task, kind);
}

bool Mapper::collect_memory(std::string_view task, RegionArg arg) const {
  return state_->collect_memory(task, arg);
}

std::optional<bool> Mapper::control_replicate(std::string_view task) const {
  return state_->control_replicate(task);
}

bool Mapper::task_steal(std::string_view task, ProcKind kind) const {
  return state_->task_steal(task, kind);
}

bool Mapper::steals_on(ProcKind kind) const { return state_->steals_on(kind); }

bool Mapper::has_task_steal() const { return state_->has_task_steal(); }

bool Mapper::has_index_map(std::string_view task, ProcKind kind) const {
  return state_->map_function(true, task, kind) >= 0;
}

bool Mapper::has_single_map(std::string_view task, ProcKind kind) const {
  return state_->map_function(false, task, kind) >= 0;
}

Result<std::optional<Placement>> Mapper::map_index_point(std::string_view task, ProcKind kind,
                                                         IndexPoint point,
                                                         std::optional<ProcessorId> parent) const {
  return state_->place(true, task, kind, point, parent);
}

Result<std::optional<Placement>> Mapper::map_single_task(std::string_view task, ProcKind kind,
                                                         ProcessorId parent) const {
  return state_->place(false, task, kind, IndexPoint{}, parent);
}

Result<EvalValue> Mapper::eval(std::string_view expression) const {
  Source source("<eval>", std::string(expression));
  std::vector<Diagnostic> errors;
  ExprPtr expr = parse_expression(source, errors);
  if (!expr || has_errors(errors)) return errors;
  std::int32_t locals = check_expression(state_->program(), *expr, errors, source);
  if (has_errors(errors)) return errors;
  try {
    return to_eval_value(state_->evaluator().eval_expression(*expr, locals));
  } catch (const EvalError& e) {
    return source.diagnose(Severity::Error, e.offset, e.message);
  }
}

}  // namespace mapforge::dsl
