// A position-free dump of the syntax tree, used to compare programs structurally.
#include "dsl/ast.h"

#include <array>

namespace mapforge::dsl {
namespace {

void dump(const Expr* expr, std::string& out) {
  if (!expr) {
    out += "_";
    return;
  }
  static constexpr std::array<std::string_view, 15> kNames = {
      "int",   "bool",  "str",  "name",  "neg",    "bin",   "?:", "call",
      "index", "slice", "star", "splat", "member", "tuple", "gen"};
  out += "(" + std::string(kNames[static_cast<std::size_t>(expr->kind)]);
  if (expr->kind == ExprKind::Binary) out += " " + std::string(spelling(expr->op));
  if (expr->kind == ExprKind::Int || expr->kind == ExprKind::Bool)
    out += " " + std::to_string(expr->value);
  if (!expr->text.empty()) out += " '" + expr->text + "'";
  for (const auto& kid : expr->kids) {
    out += ' ';
    dump(kid.get(), out);
  }
  out += ")";
}

std::string selectors(const std::vector<Selector>& list) {
  std::string out;
  for (const auto& s : list) out += s.text + ",";
  return out;
}

template <class Kind>
std::string kind(const std::optional<Kind>& k) {
  return k ? std::string(to_string(*k)) : "*";
}

void dump(const std::vector<Stmt>& statements, std::string& out);

void dump(const Stmt& stmt, std::string& out) {
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, TaskStmt>) {
          out += "Task " + selectors(node.tasks);
          for (const auto& k : node.kinds) out += " " + kind(k.kind);
        } else if constexpr (std::is_same_v<T, RegionStmt>) {
          out += "Region " + node.task.text + " " + node.region.text + " " + kind(node.proc.kind);
          for (const auto& m : node.memories) out += " " + kind(m.kind);
        } else if constexpr (std::is_same_v<T, LayoutStmt>) {
          out += "Layout " + node.task.text + " " + node.region.text + " " + kind(node.memory.kind);
          for (const auto& c : node.constraints) out += " " + c.constraint.word();
        } else if constexpr (std::is_same_v<T, InstanceLimitStmt>) {
          out += "InstanceLimit " + node.task.text + " " +
                 (node.kind ? kind(node.kind->kind) : "-") + " " + std::to_string(node.limit);
        } else if constexpr (std::is_same_v<T, CollectMemoryStmt>) {
          out += "CollectMemory " + node.task.text + " " + node.region.text;
        } else if constexpr (std::is_same_v<T, TaskMapStmt>) {
          out += std::string(node.index ? "IndexTaskMap " : "SingleTaskMap ") +
                 (node.kind ? kind(node.kind->kind) : selectors(node.tasks)) + " " +
                 node.function.text;
        } else if constexpr (std::is_same_v<T, ControlReplicateStmt>) {
          out += "ControlReplicate " + selectors(node.tasks);
        } else if constexpr (std::is_same_v<T, TaskStealStmt>) {
          out += "TaskSteal " + selectors(node.tasks) + " " + kind(node.kind.kind) +
                 (node.any_node ? " ANY_NODE" : " SAME_NODE");
        } else if constexpr (std::is_same_v<T, AssignStmt>) {
          out += "Assign " + node.target.text + " ";
          dump(node.value.get(), out);
        } else if constexpr (std::is_same_v<T, DefStmt>) {
          out += "Def " + node.name.text + "(";
          for (const auto& p : node.params)
            out += std::string(spelling(p.type)) + " " + p.name + ",";
          out += ") {";
          dump(node.body, out);
          out += "}";
        } else if constexpr (std::is_same_v<T, ReturnStmt>) {
          out += "Return ";
          dump(node.value.get(), out);
        } else if constexpr (std::is_same_v<T, PrintStmt>) {
          out += "Print '" + node.format + "'";
          for (const auto& arg : node.args) {
            out += ' ';
            dump(arg.get(), out);
          }
        }
      },
      stmt.node);
  out += ";\n";
}

void dump(const std::vector<Stmt>& statements, std::string& out) {
  for (const auto& stmt : statements) dump(stmt, out);
}

}  // namespace

std::string_view spelling(BinOp op) {
  static constexpr std::array<std::string_view, 13> kSpellings = {
      "||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"};
  return kSpellings[static_cast<std::size_t>(op)];
}

std::string_view spelling(ParamType type) {
  static constexpr std::array<std::string_view, 6> kSpellings = {"int",    "bool",   "IPoint",
                                                                 "ISpace", "MSpace", "Task"};
  return kSpellings[static_cast<std::size_t>(type)];
}

std::string dump_program(const std::vector<Stmt>& statements) {
  std::string out;
  dump(statements, out);
  return out;
}

bool same_program(const std::vector<Stmt>& a, const std::vector<Stmt>& b) {
  return dump_program(a) == dump_program(b);
}

}  // namespace mapforge::dsl
