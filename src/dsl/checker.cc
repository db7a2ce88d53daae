#include "dsl/checker.h"

#include <algorithm>
#include <array>
#include <functional>
#include <set>
#include <unordered_map>

#include "dsl/parser.h"

namespace mapforge::dsl {
namespace {

/// Static value types. `Any` is unknown (it checks against everything).
enum class Type { Any, Int, Bool, Tuple, Machine, Task, Procs, ProcKindT, MemKindT };

std::string type_name(Type type);

/// "an int", "a tuple": the type with its article, for messages.
std::string a_type(Type type) {
  std::string name = type_name(type);
  return (std::string("aeiou").find(name[0]) != std::string::npos ? "an " : "a ") + name;
}

std::string type_name(Type type) {
  switch (type) {
    case Type::Any:
      return "value";
    case Type::Int:
      return "int";
    case Type::Bool:
      return "bool";
    case Type::Tuple:
      return "tuple";
    case Type::Machine:
      return "machine";
    case Type::Task:
      return "task";
    case Type::Procs:
      return "processor";
    case Type::ProcKindT:
      return "processor kind";
    case Type::MemKindT:
      return "memory kind";
  }
  return "value";
}

Type param_type(ParamType type) {
  switch (type) {
    case ParamType::Int:
      return Type::Int;
    case ParamType::Bool:
      return Type::Bool;
    case ParamType::IPoint:
    case ParamType::ISpace:
      return Type::Tuple;
    case ParamType::MSpace:
      return Type::Machine;
    case ParamType::Task:
      return Type::Task;
  }
  return Type::Any;
}

bool numeric(Type type) { return type == Type::Int || type == Type::Bool || type == Type::Any; }

/// Whether a value of type `actual` can stand where `expected` is needed.
bool fits(Type actual, Type expected) {
  if (actual == Type::Any || expected == Type::Any || actual == expected) return true;
  return numeric(actual) && numeric(expected);
}

struct MethodSpec {
  std::string_view name;
  Type receiver;
  std::vector<Type> params;
  Type result;
};

const std::vector<MethodSpec>& methods() {
  static const std::vector<MethodSpec> kMethods = {
      {"split", Type::Machine, {Type::Int, Type::Int}, Type::Machine},
      {"merge", Type::Machine, {Type::Int, Type::Int}, Type::Machine},
      {"swap", Type::Machine, {Type::Int, Type::Int}, Type::Machine},
      {"slice", Type::Machine, {Type::Int, Type::Int, Type::Int}, Type::Machine},
      {"reverse", Type::Machine, {Type::Int}, Type::Machine},
      {"balance_split", Type::Machine, {Type::Int, Type::Int}, Type::Machine},
      {"decompose", Type::Machine, {Type::Int, Type::Tuple}, Type::Machine},
      {"auto_split", Type::Machine, {Type::Int, Type::Tuple}, Type::Machine},
      {"greedy_split", Type::Machine, {Type::Int, Type::Tuple}, Type::Machine},
      {"has", Type::Machine, {Type::MemKindT}, Type::Bool},
      {"has", Type::Procs, {Type::MemKindT}, Type::Bool},
      {"processor", Type::Task, {Type::Machine}, Type::Tuple},
  };
  return kMethods;
}

struct PropertySpec {
  std::string_view name;
  Type receiver;
  Type result;
};

constexpr std::array<PropertySpec, 9> kProperties = {{
    {"len", Type::Tuple, Type::Int},
    {"volume", Type::Tuple, Type::Int},
    {"size", Type::Tuple, Type::Tuple},
    {"len", Type::Machine, Type::Int},
    {"volume", Type::Machine, Type::Int},
    {"size", Type::Machine, Type::Tuple},
    {"ipoint", Type::Task, Type::Tuple},
    {"ispace", Type::Task, Type::Tuple},
    {"parent", Type::Task, Type::Task},
}};

std::string members_of(Type type) {
  std::string out;
  for (const auto& p : kProperties)
    if (p.receiver == type) out += (out.empty() ? "" : ", ") + std::string(p.name);
  for (const auto& m : methods())
    if (m.receiver == type) out += (out.empty() ? "" : ", ") + std::string(m.name) + "()";
  return out;
}

std::size_t count_placeholders(std::string_view format) {
  std::size_t count = 0;
  for (std::size_t i = 0; i + 1 < format.size(); ++i)
    if (format[i] == '{' && format[i + 1] == '}') ++count, ++i;
  return count;
}

class Checker {
 public:
  Checker(Program& program, const CheckOptions& options, std::vector<Diagnostic>& diagnostics,
          const Source& source, const std::set<std::string>* unparsed = nullptr)
      : program_(program),
        options_(options),
        diagnostics_(diagnostics),
        source_(source),
        unparsed_(unparsed) {}

  void run();
  std::int32_t run_expression(Expr& expr);

 private:
  struct Scope {
    std::unordered_map<std::string, std::int32_t> locals;
    std::vector<Type> types;
  };

  void error(Offset offset, std::string message, std::string hint = {}) {
    if (diagnostics_.size() >= kMaxDiagnostics) return;
    diagnostics_.push_back(
        source_.diagnose(Severity::Error, offset, std::move(message), std::move(hint)));
  }
  /// An error about `name` being undefined, unless a statement that failed to parse defined it.
  /// In a function no statement uses it is a warning: the reference implementation looks names
  /// up only when a function runs, so such files load there.
  void name_error(const std::string& name, Offset offset, std::string message,
                  std::string hint = {}) {
    if (unparsed_ && unparsed_->count(name)) return;
    if (unused_function_) {
      warning(offset, message + " in function '" + *unused_function_ + "', which nothing uses",
              "the file loads, but calling '" + *unused_function_ + "' would fail");
      return;
    }
    error(offset, std::move(message), std::move(hint));
  }
  void warning(Offset offset, std::string message, std::string hint = {}) {
    if (diagnostics_.size() >= kMaxDiagnostics) return;
    diagnostics_.push_back(
        source_.diagnose(Severity::Warning, offset, std::move(message), std::move(hint)));
  }

  void collect_definitions();
  void find_used_functions();
  void check_repeated_keys();
  void check_statement(Stmt& stmt);
  void check_function(std::int32_t index);
  void check_body(DefStmt& def);
  void check_task_map(TaskMapStmt& map);
  void check_layout(const LayoutStmt& layout);
  void check_task_steal(const TaskStealStmt& steal);
  void check_print(PrintStmt& print);
  void check_task_name(const Selector& task);
  void check_region_name(const Selector& region);

  Type check(Expr& expr);
  Type check_name(Expr& expr);
  Type check_binary(Expr& expr);
  Type check_call(Expr& expr);
  Type check_method(Expr& call, Expr& member);
  Type check_index(Expr& expr);
  Type check_member(Expr& expr);
  Type check_generator(Expr& expr);
  void check_args(Expr& call, std::size_t first, const std::vector<Type>& params,
                  const std::string& what);
  std::int32_t new_local(const std::string& name, Type type);
  std::vector<std::string> visible_names() const;

  Program& program_;
  const CheckOptions& options_;
  std::vector<Diagnostic>& diagnostics_;
  const Source& source_;
  const std::set<std::string>* unparsed_ = nullptr;  // names of statements that failed to parse

  std::unordered_map<std::string, std::int32_t> global_slots_;  // every top-level assignment
  std::vector<bool> global_assigned_;  // assigned by a statement already checked
  std::vector<Type> global_types_;
  std::vector<int> function_state_;  // 0 unchecked, 1 in progress, 2 done
  std::vector<Type> return_types_;
  std::vector<Offset> global_first_offset_;       // the first top-level assignment of each global
  std::vector<bool> function_used_;               // reachable from a map statement or a global
  const std::string* unused_function_ = nullptr;  // the function being checked, if unused
  Scope* scope_ = nullptr;  // current function's locals; null at the top level
  Scope top_scope_;         // generator variables of top-level expressions
  bool in_function_ = false;
  std::vector<Type> current_returns_;
};

void Checker::run() {
  collect_definitions();
  find_used_functions();
  for (auto& stmt : program_.statements) check_statement(stmt);
  check_repeated_keys();
  program_.top_level_locals = static_cast<std::int32_t>(top_scope_.types.size());
}

std::int32_t Checker::run_expression(Expr& expr) {
  for (std::size_t i = 0; i < program_.global_names.size(); ++i) {
    global_slots_[program_.global_names[i]] = static_cast<std::int32_t>(i);
    global_assigned_.push_back(true);
    global_types_.push_back(Type::Any);
  }
  function_state_.assign(program_.functions.size(), 2);
  return_types_.assign(program_.functions.size(), Type::Any);
  scope_ = &top_scope_;
  check(expr);
  return static_cast<std::int32_t>(top_scope_.types.size());
}

void Checker::collect_definitions() {
  for (auto& stmt : program_.statements) {
    if (auto* def = std::get_if<DefStmt>(&stmt.node)) {
      auto [it, inserted] = program_.function_index.emplace(
          def->name.text, static_cast<std::int32_t>(program_.functions.size()));
      if (!inserted) {
        // The reference keeps the first definition and ignores the others (tree.hpp,
        // FuncDefNode::run inserts a name only once).
        const DefStmt* first = program_.functions[static_cast<std::size_t>(it->second)];
        warning(def->name.offset,
                "function '" + def->name.text + "' is already defined at line " +
                    std::to_string(source_.line_of(first->name.offset)) +
                    "; this definition has no effect",
                "the first definition of a name is the one used; rename or remove this one");
        continue;
      }
      program_.functions.push_back(def);
    } else if (auto* assign = std::get_if<AssignStmt>(&stmt.node)) {
      auto [it, inserted] = global_slots_.emplace(
          assign->target.text, static_cast<std::int32_t>(program_.global_names.size()));
      if (inserted) program_.global_names.push_back(assign->target.text);
    }
  }
  global_assigned_.assign(program_.global_names.size(), false);
  global_first_offset_.assign(program_.global_names.size(), 0);
  global_types_.assign(program_.global_names.size(), Type::Any);
  function_state_.assign(program_.functions.size(), 0);
  return_types_.assign(program_.functions.size(), Type::Any);
}

// Functions reachable from a map statement or a top-level expression through calls. Only these
// can run, so only their unknown names are errors (see name_error).
void Checker::find_used_functions() {
  function_used_.assign(program_.functions.size(), false);
  std::vector<std::size_t> pending;
  auto use = [&](const std::string& name) {
    auto it = program_.function_index.find(name);
    if (it == program_.function_index.end()) return;
    auto index = static_cast<std::size_t>(it->second);
    if (function_used_[index]) return;
    function_used_[index] = true;
    pending.push_back(index);
  };
  // Expressions nest at most kMaxNestingDepth deep, so the recursion is bounded.
  std::function<void(const Expr&)> visit = [&](const Expr& expr) {
    if (expr.kind == ExprKind::Call && expr.kids[0]->kind == ExprKind::Name)
      use(expr.kids[0]->text);
    for (const auto& kid : expr.kids)
      if (kid) visit(*kid);
  };
  auto visit_statement = [&](const Stmt& stmt) {
    if (const auto* assign = std::get_if<AssignStmt>(&stmt.node)) {
      if (assign->value) visit(*assign->value);
    } else if (const auto* print = std::get_if<PrintStmt>(&stmt.node)) {
      for (const auto& arg : print->args) visit(*arg);
    } else if (const auto* ret = std::get_if<ReturnStmt>(&stmt.node)) {
      if (ret->value) visit(*ret->value);
    } else if (const auto* map = std::get_if<TaskMapStmt>(&stmt.node)) {
      use(map->function.text);
    }
  };
  for (const auto& stmt : program_.statements) visit_statement(stmt);
  while (!pending.empty()) {
    std::size_t index = pending.back();
    pending.pop_back();
    for (const auto& stmt : program_.functions[index]->body) visit_statement(stmt);
  }
}

namespace {
std::string kind_text(const ProcKindRef& ref) {
  return ref.kind ? std::string(to_string(*ref.kind)) : "*";
}
std::string kind_text(const MemKindRef& ref) {
  return ref.kind ? std::string(to_string(*ref.kind)) : "*";
}
}  // namespace

// The reference keeps the first statement for a key (its tables are maps filled with insert:
// tree.cpp, the run() of each statement node), so a later statement for the same key has no
// effect there, nor here.
void Checker::check_repeated_keys() {
  std::unordered_map<std::string, Offset> first;
  auto note = [&](const std::string& key, const std::string& what, Offset offset) {
    auto [it, inserted] = first.emplace(key, offset);
    if (inserted) return;
    warning(offset,
            "this " + what + " has no effect: the one at line " +
                std::to_string(source_.line_of(it->second)) + " comes first and wins",
            "the first statement for a key is the one used; remove this one or merge the two");
  };
  const char sep = '\x1f';
  for (const auto& stmt : program_.statements) {
    if (const auto* task = std::get_if<TaskStmt>(&stmt.node)) {
      for (const auto& name : task->tasks)
        note("Task" + (sep + name.text), "Task statement for '" + name.text + "'", name.offset);
    } else if (const auto* region = std::get_if<RegionStmt>(&stmt.node)) {
      std::string proc = kind_text(region->proc);
      note("Region" + (sep + region->task.text) + sep + region->region.text + sep + proc,
           "Region statement for task '" + region->task.text + "' region '" + region->region.text +
               "' on " + proc,
           stmt.offset);
    } else if (const auto* layout = std::get_if<LayoutStmt>(&stmt.node)) {
      std::string mem = kind_text(layout->memory);
      note("Layout" + (sep + layout->task.text) + sep + layout->region.text + sep + mem,
           "Layout statement for task '" + layout->task.text + "' region '" + layout->region.text +
               "' in " + mem,
           stmt.offset);
    } else if (const auto* limit = std::get_if<InstanceLimitStmt>(&stmt.node)) {
      std::string kind = limit->kind ? " on " + kind_text(*limit->kind) : "";
      note("InstanceLimit" + (sep + limit->task.text) + sep + kind,
           "InstanceLimit for '" + limit->task.text + "'" + kind, stmt.offset);
    } else if (const auto* steal = std::get_if<TaskStealStmt>(&stmt.node)) {
      // The reference keys TaskSteal by task name alone (tree.cpp, TaskStealNode::run).
      for (const auto& name : steal->tasks)
        note("TaskSteal" + (sep + name.text), "TaskSteal for '" + name.text + "'", name.offset);
    } else if (const auto* map = std::get_if<TaskMapStmt>(&stmt.node)) {
      std::string keyword = map->index ? "IndexTaskMap" : "SingleTaskMap";
      if (map->kind) {
        std::string kind = kind_text(*map->kind);
        note(keyword + sep + "kind" + sep + kind, keyword + " for " + kind + " tasks",
             map->kind->offset);
      }
      for (const auto& name : map->tasks)
        if (!name.is_star())
          note(keyword + sep + name.text, keyword + " for '" + name.text + "'", name.offset);
    }
  }
}

void Checker::check_statement(Stmt& stmt) {
  std::visit(
      [&](auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, TaskStmt>) {
          for (const auto& task : node.tasks) check_task_name(task);
        } else if constexpr (std::is_same_v<T, RegionStmt>) {
          check_task_name(node.task);
          check_region_name(node.region);
        } else if constexpr (std::is_same_v<T, LayoutStmt>) {
          check_task_name(node.task);
          check_region_name(node.region);
          check_layout(node);
        } else if constexpr (std::is_same_v<T, InstanceLimitStmt>) {
          check_task_name(node.task);
          if (node.limit < 1)
            error(node.limit_offset,
                  "InstanceLimit must be at least 1, got " + std::to_string(node.limit));
        } else if constexpr (std::is_same_v<T, CollectMemoryStmt>) {
          check_task_name(node.task);
          check_region_name(node.region);
        } else if constexpr (std::is_same_v<T, TaskMapStmt>) {
          for (const auto& task : node.tasks) {
            check_task_name(task);
            if (task.is_star()) {
              std::string keyword = node.index ? "IndexTaskMap" : "SingleTaskMap";
              warning(task.offset,
                      "'" + keyword +
                          " *' maps no task: tasks are looked up by name and by "
                          "processor kind, never by '*' (as in the reference implementation)",
                      "to map every task of a kind that has no statement of its own, write '" +
                          keyword + " GPU " + node.function.text + ";'");
            }
          }
          check_task_map(node);
        } else if constexpr (std::is_same_v<T, ControlReplicateStmt>) {
          for (const auto& task : node.tasks) check_task_name(task);
        } else if constexpr (std::is_same_v<T, TaskStealStmt>) {
          for (const auto& task : node.tasks) check_task_name(task);
          check_task_steal(node);
        } else if constexpr (std::is_same_v<T, AssignStmt>) {
          std::string_view name = node.target.text;
          if (parse_proc_kind(name) || parse_mem_kind(name)) {
            error(node.target.offset, "cannot assign to '" + node.target.text +
                                          "': it names a processor or memory kind");
          }
          if (program_.function_index.count(node.target.text))
            error(node.target.offset,
                  "cannot assign to '" + node.target.text + "': it names a function");
          Type type = check(*node.value);
          std::int32_t slot = global_slots_.at(node.target.text);
          auto index = static_cast<std::size_t>(slot);
          // The reference refuses a second assignment to a global at load (tree.hpp,
          // AssignNode::run: "multiple ... cause conflicts in global_symbol").
          if (global_assigned_[index])
            error(node.target.offset,
                  "global '" + node.target.text + "' is already assigned at line " +
                      std::to_string(source_.line_of(global_first_offset_[index])),
                  "a global is assigned once; give the new value another name");
          else
            global_first_offset_[index] = node.target.offset;
          global_types_[index] =
              global_assigned_[index] && global_types_[index] != type ? Type::Any : type;
          global_assigned_[index] = true;
          node.binding = Binding{Binding::Scope::Global, slot};
        } else if constexpr (std::is_same_v<T, DefStmt>) {
          auto it = program_.function_index.find(node.name.text);
          if (it != program_.function_index.end() &&
              program_.functions[static_cast<std::size_t>(it->second)] == &node)
            check_function(it->second);
        } else if constexpr (std::is_same_v<T, PrintStmt>) {
          check_print(node);
        } else if constexpr (std::is_same_v<T, ReturnStmt>) {
          current_returns_.push_back(check(*node.value));
        }
      },
      stmt.node);
}

void Checker::check_function(std::int32_t index) {
  auto i = static_cast<std::size_t>(index);
  if (function_state_[i] != 0) return;
  function_state_[i] = 1;
  // Save the caller's context: a call may check a function defined further down first.
  Scope* saved_scope = scope_;
  bool saved_in_function = in_function_;
  auto saved_returns = std::move(current_returns_);
  auto& def = const_cast<DefStmt&>(*program_.functions[i]);
  const std::string* saved_unused = unused_function_;
  unused_function_ = function_used_[i] ? nullptr : &def.name.text;
  check_body(def);
  unused_function_ = saved_unused;
  Type result = Type::Any;
  if (!current_returns_.empty()) {
    result = current_returns_.front();
    for (Type type : current_returns_)
      if (type != result) result = Type::Any;
  }
  return_types_[i] = result;
  function_state_[i] = 2;
  scope_ = saved_scope;
  in_function_ = saved_in_function;
  current_returns_ = std::move(saved_returns);
}

void Checker::check_body(DefStmt& def) {
  Scope scope;
  scope_ = &scope;
  in_function_ = true;
  current_returns_.clear();
  std::set<std::string> seen;
  for (const auto& param : def.params) {
    if (!seen.insert(param.name).second)
      error(param.offset, "parameter '" + param.name + "' is declared twice");
    new_local(param.name, param_type(param.type));
  }
  bool returned = false;
  for (auto& stmt : def.body) {
    if (returned && diagnostics_.size() < kMaxDiagnostics)
      warning(stmt.offset, "statement after 'return' is never run");
    if (auto* assign = std::get_if<AssignStmt>(&stmt.node)) {
      Type type = check(*assign->value);
      auto it = scope.locals.find(assign->target.text);
      if (it != scope.locals.end())
        warning(assign->target.offset,
                "'" + assign->target.text +
                    "' is assigned again: mapforge uses the new value, the reference "
                    "implementation keeps the first",
                "give the new value another name so that both read the same");
      std::int32_t slot =
          it != scope.locals.end() ? it->second : new_local(assign->target.text, type);
      scope.types[static_cast<std::size_t>(slot)] = type;
      assign->binding = Binding{Binding::Scope::Local, slot};
      continue;
    }
    if (std::holds_alternative<ReturnStmt>(stmt.node)) returned = true;
    check_statement(stmt);
  }
  if (!returned && !def.body_incomplete)
    error(def.name.offset, "function '" + def.name.text + "' never returns a value",
          "end its body with 'return expression;'");
  def.num_locals = static_cast<std::int32_t>(scope.types.size());
}

std::int32_t Checker::new_local(const std::string& name, Type type) {
  auto slot = static_cast<std::int32_t>(scope_->types.size());
  scope_->locals[name] = slot;
  scope_->types.push_back(type);
  return slot;
}

void Checker::check_task_map(TaskMapStmt& map) {
  const std::string& name = map.function.text;
  auto it = program_.function_index.find(name);
  if (it == program_.function_index.end()) {
    std::vector<std::string> names;
    for (const auto& [function, index] : program_.function_index) names.push_back(function);
    std::sort(names.begin(), names.end());
    std::string close = closest_match(name, names);
    name_error(name, map.function.offset, "mapping function '" + name + "' is not defined",
               close.empty() ? "define it with 'def " + name + "(Task task) { ... }'"
                             : "did you mean '" + close + "'?");
    return;
  }
  map.function_index = it->second;
  const DefStmt& def = *program_.functions[static_cast<std::size_t>(it->second)];
  if (def.name.offset > map.function.offset)
    warning(map.function.offset,
            "mapping function '" + name + "' is defined below, at line " +
                std::to_string(source_.line_of(def.name.offset)) +
                "; the reference implementation refuses the file",
            "move the 'def " + name + "' above this statement");
  if (def.params.size() != 1 || def.params[0].type != ParamType::Task) {
    error(map.function.offset,
          "mapping function '" + name + "' must take exactly one parameter of type Task",
          "declare it as 'def " + name + "(Task task) { ... }'");
    return;
  }
  check_function(it->second);
  Type result = return_types_[static_cast<std::size_t>(it->second)];
  if (result != Type::Any && result != Type::Procs)
    error(map.function.offset,
          "mapping function '" + name + "' returns " + a_type(result) + ", not a processor",
          "return a machine point such as m[i, j]");
}

void Checker::check_layout(const LayoutStmt& layout) {
  using Kind = LayoutConstraint::Kind;
  const std::array<std::pair<Kind, Kind>, 3> conflicts = {
      {{Kind::SOA, Kind::AOS}, {Kind::C_order, Kind::F_order}, {Kind::Align, Kind::NoAlign}}};
  for (std::size_t i = 0; i < layout.constraints.size(); ++i) {
    const auto& item = layout.constraints[i];
    if (item.constraint.kind == Kind::NoAlign)
      warning(item.offset,
              "'No_Align' is not in the reference implementation's grammar (it refuses the "
              "file); here it means no alignment constraint",
              "leave it out: without an Align constraint there is none");
    if (item.constraint.kind == Kind::Align && item.constraint.bytes < 1)
      error(item.offset, "alignment must be a positive number of bytes, got " +
                             std::to_string(item.constraint.bytes));
    for (std::size_t j = 0; j < i; ++j) {
      Kind a = layout.constraints[j].constraint.kind, b = item.constraint.kind;
      for (const auto& [x, y] : conflicts) {
        if ((a == x && b == y) || (a == y && b == x))
          error(item.offset,
                "conflicting layout constraints '" + layout.constraints[j].constraint.word() +
                    "' and '" + item.constraint.word() + "'",
                a == Kind::Align || a == Kind::NoAlign
                    ? std::string("an instance has an alignment or none, not both")
                    : "an instance is either " +
                          std::string(a == Kind::SOA || a == Kind::AOS ? "SOA or AOS"
                                                                       : "C_order or F_order") +
                          ", not both");
      }
    }
  }
}

// The reference (DSLMapper branch main: parser.y, TaskSteal; dsl_mapper.cc,
// select_steal_targets and permit_steal_request) accepts SAME_NODE after one task or '*' and
// ANY_NODE after a list of two or more, and steals only within a node either way.
void Checker::check_task_steal(const TaskStealStmt& steal) {
  bool one = steal.tasks.size() == 1;
  if (steal.any_node) {
    warning(steal.scope_offset,
            "ANY_NODE steals only within a node, as SAME_NODE does (so does the reference "
            "implementation)",
            "write SAME_NODE to say what happens");
    if (one)
      warning(steal.scope_offset,
              "the reference implementation refuses ANY_NODE after a single task or '*'");
  } else if (!one) {
    warning(steal.scope_offset,
            "the reference implementation refuses SAME_NODE after a list of tasks",
            "write one TaskSteal statement per task");
  }
}

void Checker::check_print(PrintStmt& print) {
  std::size_t placeholders = count_placeholders(print.format);
  if (placeholders != print.args.size())
    error(print.format_offset,
          "print format has " + std::to_string(placeholders) + " '{}' but " +
              std::to_string(print.args.size()) +
              (print.args.size() == 1 ? " argument follows" : " arguments follow"));
  for (auto& arg : print.args) check(*arg);
}

void Checker::check_task_name(const Selector& task) {
  if (!options_.app.tasks || task.is_star()) return;
  const auto& tasks = *options_.app.tasks;
  if (std::find(tasks.begin(), tasks.end(), task.text) != tasks.end()) return;
  std::string close = closest_match(task.text, tasks);
  warning(
      task.offset, "unknown task '" + task.text + "'",
      close.empty() ? "the application has no task of that name" : "did you mean '" + close + "'?");
}

void Checker::check_region_name(const Selector& region) {
  if (!options_.app.regions || region.is_star() || region.index >= 0) return;
  const auto& regions = *options_.app.regions;
  if (std::find(regions.begin(), regions.end(), region.text) != regions.end()) return;
  std::string close = closest_match(region.text, regions);
  warning(region.offset, "unknown region '" + region.text + "'",
          close.empty() ? "the application passes no region argument of that name"
                        : "did you mean '" + close + "'?");
}

// ----- expressions -----

std::vector<std::string> Checker::visible_names() const {
  std::vector<std::string> names;
  if (scope_)
    for (const auto& [name, slot] : scope_->locals) names.push_back(name);
  for (const auto& [name, slot] : global_slots_)
    if (in_function_ || global_assigned_[static_cast<std::size_t>(slot)]) names.push_back(name);
  for (const auto& [name, index] : program_.function_index) names.push_back(name);
  for (ProcKind kind : kAllProcKinds) names.emplace_back(to_string(kind));
  for (MemKind kind : kAllMemKinds) names.emplace_back(to_string(kind));
  names.emplace_back("Machine");
  std::sort(names.begin(), names.end());
  return names;
}

Type Checker::check(Expr& expr) {
  switch (expr.kind) {
    case ExprKind::Int:
      return Type::Int;
    case ExprKind::Bool:
      return Type::Bool;
    case ExprKind::String:
      return Type::Any;
    case ExprKind::Name:
      return check_name(expr);
    case ExprKind::Neg: {
      Type type = check(*expr.kids[0]);
      if (type == Type::Int || type == Type::Tuple || type == Type::Any) return type;
      error(expr.offset, "unary '-' needs an int or a tuple, got " + a_type(type));
      return Type::Any;
    }
    case ExprKind::Binary:
      return check_binary(expr);
    case ExprKind::Ternary: {
      Type condition = check(*expr.kids[0]);
      if (!numeric(condition))
        error(expr.kids[0]->offset,
              "a condition must be a bool or an int, got " + a_type(condition));
      Type a = check(*expr.kids[1]);
      Type b = check(*expr.kids[2]);
      return a == b ? a : Type::Any;
    }
    case ExprKind::Call:
      return check_call(expr);
    case ExprKind::Index:
      return check_index(expr);
    case ExprKind::Member:
      return check_member(expr);
    case ExprKind::Tuple: {
      for (auto& item : expr.kids) {
        Type type = check(item->kind == ExprKind::Splat ? *item->kids[0] : *item);
        if (item->kind == ExprKind::Splat && !fits(type, Type::Tuple))
          error(item->offset, "'*' unpacks a tuple, got " + a_type(type));
        else if (item->kind != ExprKind::Splat && !fits(type, Type::Int))
          error(item->offset, "tuple elements are integers, got " + a_type(type));
      }
      return Type::Tuple;
    }
    case ExprKind::Generator:
      return check_generator(expr);
    case ExprKind::Slice:
    case ExprKind::Star:
    case ExprKind::Splat:
      error(expr.offset, "'*' and ':' are only allowed inside an index or argument list");
      return Type::Any;
  }
  return Type::Any;
}

Type Checker::check_name(Expr& expr) {
  const std::string& name = expr.text;
  if (scope_) {
    auto it = scope_->locals.find(name);
    if (it != scope_->locals.end()) {
      expr.binding = Binding{Binding::Scope::Local, it->second};
      return scope_->types[static_cast<std::size_t>(it->second)];
    }
  }
  if (auto it = global_slots_.find(name); it != global_slots_.end()) {
    auto slot = static_cast<std::size_t>(it->second);
    if (in_function_ || global_assigned_[slot]) {
      expr.binding = Binding{Binding::Scope::Global, it->second};
      return in_function_ ? Type::Any : global_types_[slot];
    }
    name_error(name, expr.offset, "'" + name + "' is used before it is assigned");
    return Type::Any;
  }
  if (auto it = program_.function_index.find(name); it != program_.function_index.end()) {
    expr.binding = Binding{Binding::Scope::Function, it->second};
    error(expr.offset, "function '" + name + "' can only be called, not used as a value",
          "call it: " + name + "(...)");
    return Type::Any;
  }
  if (auto kind = parse_proc_kind(name)) {
    expr.binding = Binding{Binding::Scope::ProcKindConst, static_cast<std::int32_t>(*kind)};
    return Type::ProcKindT;
  }
  if (auto kind = parse_mem_kind(name)) {
    expr.binding = Binding{Binding::Scope::MemKindConst, static_cast<std::int32_t>(*kind)};
    return Type::MemKindT;
  }
  if (name == "Machine") {
    expr.binding = Binding{Binding::Scope::MachineBuiltin, 0};
    error(expr.offset, "'Machine' must be called with a processor kind, e.g. Machine(GPU)");
    return Type::Any;
  }
  std::string close = closest_match(name, visible_names());
  name_error(name, expr.offset, "unknown name '" + name + "'",
             close.empty() ? "" : "did you mean '" + close + "'?");
  return Type::Any;
}

Type Checker::check_binary(Expr& expr) {
  Type a = check(*expr.kids[0]);
  Type b = check(*expr.kids[1]);
  std::string op(spelling(expr.op));
  auto mismatch = [&]() {
    error(expr.offset, "operator '" + op + "' cannot combine " + a_type(a) + " and " + a_type(b));
    return Type::Any;
  };
  switch (expr.op) {
    case BinOp::Or:
    case BinOp::And:
      if (!numeric(a) || !numeric(b)) return mismatch();
      return Type::Bool;
    case BinOp::Eq:
    case BinOp::Ne:
      if (!fits(a, b)) return mismatch();
      return Type::Bool;
    case BinOp::Lt:
    case BinOp::Gt:
    case BinOp::Le:
    case BinOp::Ge:
      if (!numeric(a) || !numeric(b)) return mismatch();
      return Type::Bool;
    case BinOp::Add:
    case BinOp::Sub:
    case BinOp::Mul:
    case BinOp::Div:
    case BinOp::Mod: {
      bool a_ok = a == Type::Int || a == Type::Tuple || a == Type::Any;
      bool b_ok = b == Type::Int || b == Type::Tuple || b == Type::Any;
      if (!a_ok || !b_ok) return mismatch();
      if (a == Type::Tuple || b == Type::Tuple) return Type::Tuple;
      if (a == Type::Any || b == Type::Any) return Type::Any;
      return Type::Int;
    }
  }
  return Type::Any;
}

void Checker::check_args(Expr& call, std::size_t first, const std::vector<Type>& params,
                         const std::string& what) {
  bool splat = false;
  std::vector<Type> types;
  for (std::size_t i = first; i < call.kids.size(); ++i) {
    Expr& arg = *call.kids[i];
    if (arg.kind == ExprKind::Splat) {
      splat = true;
      Type type = check(*arg.kids[0]);
      if (!fits(type, Type::Tuple)) error(arg.offset, "'*' unpacks a tuple, got " + a_type(type));
      continue;
    }
    types.push_back(check(arg));
  }
  if (splat) return;  // the count is known only when it runs
  if (types.size() != params.size()) {
    error(call.offset, what + " takes " + std::to_string(params.size()) + " argument" +
                           (params.size() == 1 ? "" : "s") + ", got " +
                           std::to_string(types.size()));
    return;
  }
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (fits(types[i], params[i])) continue;
    error(call.kids[first + i]->offset, "argument " + std::to_string(i + 1) + " of " + what +
                                            " must be " + a_type(params[i]) + ", got " +
                                            a_type(types[i]));
  }
}

Type Checker::check_call(Expr& expr) {
  Expr& callee = *expr.kids[0];
  if (callee.kind == ExprKind::Member) return check_method(expr, callee);
  if (callee.kind != ExprKind::Name) {
    check(callee);
    error(expr.offset, "only functions and methods can be called");
    return Type::Any;
  }
  const std::string& name = callee.text;
  bool local = scope_ && scope_->locals.count(name);
  if (!local && name == "Machine") {
    callee.binding = Binding{Binding::Scope::MachineBuiltin, 0};
    check_args(expr, 1, {Type::ProcKindT}, "Machine()");
    return Type::Machine;
  }
  auto it = program_.function_index.find(name);
  if (local || it == program_.function_index.end()) {
    if (!local && !global_slots_.count(name)) {
      std::vector<std::string> names;
      for (const auto& [function, index] : program_.function_index) names.push_back(function);
      names.emplace_back("Machine");
      std::string close = closest_match(name, names);
      name_error(name, callee.offset, "unknown function '" + name + "'",
                 close.empty() ? "" : "did you mean '" + close + "'?");
    } else {
      error(callee.offset, "'" + name + "' is not a function");
    }
    for (std::size_t i = 1; i < expr.kids.size(); ++i)
      check(expr.kids[i]->kind == ExprKind::Splat ? *expr.kids[i]->kids[0] : *expr.kids[i]);
    return Type::Any;
  }
  callee.binding = Binding{Binding::Scope::Function, it->second};
  const DefStmt& def = *program_.functions[static_cast<std::size_t>(it->second)];
  std::vector<Type> params;
  for (const auto& param : def.params) params.push_back(param_type(param.type));
  check_args(expr, 1, params, "'" + name + "'");
  check_function(it->second);
  return return_types_[static_cast<std::size_t>(it->second)];
}

Type Checker::check_method(Expr& call, Expr& member) {
  Type receiver = check(*member.kids[0]);
  const std::string& name = member.text;
  const MethodSpec* spec = nullptr;
  bool any_named = false;
  for (const auto& method : methods()) {
    if (method.name != name) continue;
    any_named = true;
    if (receiver == Type::Any || method.receiver == receiver) spec = &method;
  }
  if (!spec) {
    bool property = std::any_of(kProperties.begin(), kProperties.end(),
                                [&](const PropertySpec& p) { return p.name == name; });
    if (property)
      error(member.offset, "'" + name + "' is a property, not a method",
            "write ." + name + " without '()'");
    else if (any_named || receiver != Type::Any)
      error(member.offset, a_type(receiver) + " has no method '" + name + "'",
            members_of(receiver).empty() ? "" : "it has: " + members_of(receiver));
    else
      error(member.offset, "unknown method '" + name + "'");
    for (std::size_t i = 1; i < call.kids.size(); ++i)
      check(call.kids[i]->kind == ExprKind::Splat ? *call.kids[i]->kids[0] : *call.kids[i]);
    return Type::Any;
  }
  check_args(call, 1, spec->params, "'" + name + "'");
  return spec->result;
}

Type Checker::check_member(Expr& expr) {
  Type receiver = check(*expr.kids[0]);
  const std::string& name = expr.text;
  for (const auto& property : kProperties)
    if (property.name == name && (receiver == Type::Any || property.receiver == receiver))
      return receiver == Type::Any ? (name == "len" || name == "volume" ? Type::Int : Type::Any)
                                   : property.result;
  bool method = std::any_of(methods().begin(), methods().end(),
                            [&](const MethodSpec& m) { return m.name == name; });
  if (method && (receiver == Type::Any ||
                 std::any_of(methods().begin(), methods().end(), [&](const MethodSpec& m) {
                   return m.name == name && m.receiver == receiver;
                 }))) {
    error(expr.offset, "'" + name + "' is a method; call it with arguments",
          "write ." + name + "(...)");
    return Type::Any;
  }
  if (receiver == Type::Any) {
    error(expr.offset, "unknown property '" + name + "'");
    return Type::Any;
  }
  std::string members = members_of(receiver);
  error(expr.offset, a_type(receiver) + " has no property '" + name + "'",
        members.empty() ? "" : "it has: " + members);
  return Type::Any;
}

Type Checker::check_index(Expr& expr) {
  Type base = check(*expr.kids[0]);
  bool slice = false;
  for (std::size_t i = 1; i < expr.kids.size(); ++i) {
    Expr& item = *expr.kids[i];
    if (item.kind == ExprKind::Slice) {
      slice = true;
      for (auto& bound : item.kids)
        if (bound && !fits(check(*bound), Type::Int))
          error(bound->offset, "slice bounds must be integers");
    } else if (item.kind == ExprKind::Splat) {
      if (!fits(check(*item.kids[0]), Type::Tuple)) error(item.offset, "'*' unpacks a tuple");
    } else if (item.kind != ExprKind::Star) {
      Type type = check(item);
      if (!fits(type, Type::Int))
        error(item.offset, "an index must be an int, got " + a_type(type));
    }
  }
  std::size_t items = expr.kids.size() - 1;
  if (slice && items != 1) {
    error(expr.offset, "a slice must be the only item of an index");
    return Type::Any;
  }
  switch (base) {
    case Type::Tuple:
      if (slice) return Type::Tuple;
      if (items != 1 || expr.kids[1]->kind == ExprKind::Star) {
        error(expr.offset, "a tuple takes exactly one index, got " + std::to_string(items));
        return Type::Any;
      }
      if (expr.kids[1]->kind == ExprKind::Splat) return Type::Any;
      return Type::Int;
    case Type::Machine:
      return slice ? Type::Tuple : Type::Procs;
    case Type::Any:
      return slice ? Type::Tuple : Type::Any;
    default:
      error(expr.offset, a_type(base) + " cannot be indexed");
      return Type::Any;
  }
}

Type Checker::check_generator(Expr& expr) {
  Type iterable = check(*expr.kids[1]);
  if (!fits(iterable, Type::Tuple))
    error(expr.kids[1]->offset,
          "tuple(... for ... in x) needs x to be a tuple, got " + a_type(iterable));
  Scope* scope = scope_ ? scope_ : &top_scope_;
  Scope* saved = scope_;
  scope_ = scope;
  // The loop variable gets its own slot; it shadows an outer name only inside the element.
  auto previous = scope->locals.find(expr.text);
  std::optional<std::int32_t> shadowed;
  if (previous != scope->locals.end()) shadowed = previous->second;
  std::int32_t slot = new_local(expr.text, Type::Int);
  expr.binding = Binding{Binding::Scope::Local, slot};
  Type element = check(*expr.kids[0]);
  if (!fits(element, Type::Int))
    error(expr.kids[0]->offset, "tuple elements are integers, got " + a_type(element));
  if (shadowed)
    scope->locals[expr.text] = *shadowed;
  else
    scope->locals.erase(expr.text);
  scope_ = saved;
  return Type::Tuple;
}

}  // namespace

void check_program(Program& program, const CheckOptions& options,
                   std::vector<Diagnostic>& diagnostics, const std::set<std::string>& unparsed) {
  Checker checker(program, options, diagnostics, program.source, &unparsed);
  checker.run();
}

std::int32_t check_expression(const Program& program, Expr& expr,
                              std::vector<Diagnostic>& diagnostics, const Source& source) {
  CheckOptions options;
  Checker checker(const_cast<Program&>(program), options, diagnostics, source);
  return checker.run_expression(expr);
}

}  // namespace mapforge::dsl
