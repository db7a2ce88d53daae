// The syntax tree of a policy file. Nodes carry source offsets; the checker fills in name
// bindings and the slots of locals, which the evaluator then uses without any name lookup.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dsl/dsl.h"
#include "dsl/source.h"

namespace mapforge::dsl {

enum class BinOp : std::uint8_t { Or, And, Eq, Ne, Lt, Gt, Le, Ge, Add, Sub, Mul, Div, Mod };
std::string_view spelling(BinOp op);

enum class ExprKind : std::uint8_t {
  Int,        // value
  Bool,       // value (0 or 1)
  String,     // text (decoded); only as print's format
  Name,       // text, binding
  Neg,        // kids: operand
  Binary,     // op, kids: lhs, rhs
  Ternary,    // kids: condition, then, else
  Call,       // kids: callee, arguments...
  Index,      // kids: base, items... (items may be Slice, Star, Splat)
  Slice,      // kids: low, high (either may be null)
  Star,       // a bare '*' in a machine index: every processor along that dimension
  Splat,      // kids: operand ('*t' spliced into an argument, index or tuple list)
  Member,     // text (property or method name), kids: base
  Tuple,      // kids: items... (items may be Splat)
  Generator,  // text (loop variable), binding (its slot), kids: element, iterable
};

/// What a name refers to, decided by the checker.
struct Binding {
  enum class Scope : std::uint8_t {
    Unresolved,
    Local,
    Global,
    Function,
    ProcKindConst,
    MemKindConst,
    MachineBuiltin
  };
  Scope scope = Scope::Unresolved;
  std::int32_t slot = -1;  // local or global slot, function index, or the kind's enum value
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::Int;
  BinOp op = BinOp::Add;
  Offset offset = 0;
  std::int64_t value = 0;
  std::string text;
  Binding binding;
  std::vector<ExprPtr> kids;
};

/// A name or '*' in a statement's task/region position, or a region's argument index.
struct Selector {
  std::string text;  // "*" for the wildcard
  Offset offset = 0;
  int index = -1;  // region argument position when written as an integer
  bool is_star() const { return text == "*"; }
};

struct ProcKindRef {
  std::optional<ProcKind> kind;  // nullopt: '*'
  Offset offset = 0;
};
struct MemKindRef {
  std::optional<MemKind> kind;  // nullopt: '*'
  Offset offset = 0;
};

struct TaskStmt {
  std::vector<Selector> tasks;
  std::vector<ProcKindRef> kinds;
};
struct RegionStmt {
  Selector task, region;
  ProcKindRef proc;
  std::vector<MemKindRef> memories;
};
struct LayoutItem {
  LayoutConstraint constraint;
  Offset offset = 0;
};
struct LayoutStmt {
  Selector task, region;
  MemKindRef memory;
  std::vector<LayoutItem> constraints;
};
struct InstanceLimitStmt {
  Selector task;
  std::optional<ProcKindRef> kind;
  std::int64_t limit = 1;
  Offset limit_offset = 0;
};
struct CollectMemoryStmt {
  Selector task, region;
};
struct TaskMapStmt {
  bool index = true;                // IndexTaskMap; false: SingleTaskMap
  std::vector<Selector> tasks;      // task names, or empty when `kind` is set
  std::optional<ProcKindRef> kind;  // IndexTaskMap GPU f;
  Selector function;
  std::int32_t function_index = -1;  // set by the checker
};
struct ControlReplicateStmt {
  std::vector<Selector> tasks;
};
/// TaskSteal TASKS KIND SAME_NODE|ANY_NODE;
struct TaskStealStmt {
  std::vector<Selector> tasks;  // names, or one '*'
  ProcKindRef kind;
  bool any_node = false;  // ANY_NODE; false: SAME_NODE
  Offset scope_offset = 0;
};
struct AssignStmt {
  Selector target;
  ExprPtr value;
  Binding binding;  // Global or Local slot, set by the checker
};
struct ReturnStmt {
  ExprPtr value;
};
struct PrintStmt {
  std::string format;  // decoded
  Offset format_offset = 0;
  std::vector<ExprPtr> args;
};

enum class ParamType : std::uint8_t { Int, Bool, IPoint, ISpace, MSpace, Task };
std::string_view spelling(ParamType type);

struct Param {
  ParamType type = ParamType::Int;
  std::string name;
  Offset offset = 0;
};

struct Stmt;
struct DefStmt {
  Selector name;
  std::vector<Param> params;
  std::vector<Stmt> body;
  std::int32_t num_locals = 0;   // params first, then assigned names and generator variables
  bool body_incomplete = false;  // a body statement failed to parse (and was dropped)
};

struct Stmt {
  Offset offset = 0;  // first token
  Offset end = 0;     // last token (';' or '}')
  std::variant<TaskStmt, RegionStmt, LayoutStmt, InstanceLimitStmt, CollectMemoryStmt, TaskMapStmt,
               ControlReplicateStmt, TaskStealStmt, AssignStmt, DefStmt, ReturnStmt, PrintStmt>
      node;
};

/// A text dump of the tree without offsets or bindings (for tests and debugging).
std::string dump_program(const std::vector<Stmt>& statements);
/// Structural equality ignoring offsets and bindings: what "parses to the same program" means.
bool same_program(const std::vector<Stmt>& a, const std::vector<Stmt>& b);

}  // namespace mapforge::dsl
