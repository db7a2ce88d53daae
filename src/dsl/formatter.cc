// The formatter: one canonical layout (one statement per line, four-space bodies, minimal
// parentheses, at most one blank line kept), with every comment kept.
#include <algorithm>

#include "dsl/parser.h"

namespace mapforge::dsl {
namespace {

// Binding strength of each expression form; an operand weaker than its context is parenthesised.
enum Prec { kTernary = 0, kOr, kAnd, kEq, kRel, kAdd, kMul, kUnary, kPostfix, kPrimary };

int precedence(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::Ternary:
      return kTernary;
    case ExprKind::Neg:
      return kUnary;
    case ExprKind::Call:
    case ExprKind::Index:
    case ExprKind::Member:
      return kPostfix;
    case ExprKind::Binary:
      switch (expr.op) {
        case BinOp::Or:
          return kOr;
        case BinOp::And:
          return kAnd;
        case BinOp::Eq:
        case BinOp::Ne:
          return kEq;
        case BinOp::Lt:
        case BinOp::Gt:
        case BinOp::Le:
        case BinOp::Ge:
          return kRel;
        case BinOp::Add:
        case BinOp::Sub:
          return kAdd;
        case BinOp::Mul:
        case BinOp::Div:
        case BinOp::Mod:
          return kMul;
      }
      return kMul;
    default:
      return kPrimary;
  }
}

std::string escape(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else
      out += c;
  }
  return out + "\"";
}

void print_expr(const Expr& expr, int min_prec, std::string& out);

void print_items(const std::vector<ExprPtr>& kids, std::size_t first, std::string& out) {
  for (std::size_t i = first; i < kids.size(); ++i) {
    if (i > first) out += ", ";
    print_expr(*kids[i], kTernary, out);
  }
}

void print_expr(const Expr& expr, int min_prec, std::string& out) {
  int prec = precedence(expr);
  bool parens = prec < min_prec;
  if (parens) out += '(';
  switch (expr.kind) {
    case ExprKind::Int:
      out += std::to_string(expr.value);
      break;
    case ExprKind::Bool:
      out += expr.value ? "True" : "False";
      break;
    case ExprKind::String:
      out += escape(expr.text);
      break;
    case ExprKind::Name:
      out += expr.text;
      break;
    case ExprKind::Neg:
      out += '-';
      print_expr(*expr.kids[0], kUnary, out);
      break;
    case ExprKind::Binary:
      print_expr(*expr.kids[0], prec, out);
      out += " " + std::string(spelling(expr.op)) + " ";
      print_expr(*expr.kids[1], prec + 1, out);
      break;
    case ExprKind::Ternary:
      print_expr(*expr.kids[0], kOr, out);
      out += " ? ";
      print_expr(*expr.kids[1], kTernary, out);
      out += " : ";
      print_expr(*expr.kids[2], kTernary, out);
      break;
    case ExprKind::Call:
      print_expr(*expr.kids[0], kPostfix, out);
      out += '(';
      print_items(expr.kids, 1, out);
      out += ')';
      break;
    case ExprKind::Index:
      print_expr(*expr.kids[0], kPostfix, out);
      out += '[';
      print_items(expr.kids, 1, out);
      out += ']';
      break;
    case ExprKind::Slice:
      if (expr.kids[0]) print_expr(*expr.kids[0], kTernary, out);
      out += ':';
      if (expr.kids[1]) print_expr(*expr.kids[1], kTernary, out);
      break;
    case ExprKind::Star:
      out += '*';
      break;
    case ExprKind::Splat:
      out += '*';
      print_expr(*expr.kids[0], kTernary, out);
      break;
    case ExprKind::Member:
      print_expr(*expr.kids[0], kPostfix, out);
      out += "." + expr.text;
      break;
    case ExprKind::Tuple:
      out += '(';
      print_items(expr.kids, 0, out);
      if (expr.kids.size() == 1 && expr.kids[0]->kind != ExprKind::Splat) out += ',';
      out += ')';
      break;
    case ExprKind::Generator:
      out += "tuple(";
      print_expr(*expr.kids[0], kTernary, out);
      out += " for " + expr.text + " in ";
      print_expr(*expr.kids[1], kTernary, out);
      out += ')';
      break;
  }
  if (parens) out += ')';
}

std::string join_selectors(const std::vector<Selector>& selectors) {
  std::string out;
  for (const auto& s : selectors) out += (out.empty() ? "" : ",") + s.text;
  return out;
}

std::string kind_text(const std::optional<ProcKind>& kind) {
  return kind ? std::string(to_string(*kind)) : "*";
}
std::string kind_text(const std::optional<MemKind>& kind) {
  return kind ? std::string(to_string(*kind)) : "*";
}

class Formatter {
 public:
  Formatter(const Source& source, std::vector<Comment> comments)
      : source_(source), comments_(std::move(comments)) {}

  std::string run(const std::vector<Stmt>& statements) {
    print_block(statements, 0, static_cast<Offset>(source_.text().size()) + 1);
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
    return out_;
  }

 private:
  void blank_line_before(std::uint32_t line) {
    if (!at_block_start_ && last_line_ != 0 && line > last_line_ + 1 && !out_.empty()) out_ += '\n';
    at_block_start_ = false;
  }
  void indent(int depth) { out_.append(static_cast<std::size_t>(depth) * 4, ' '); }

  /// Comments before `limit` (own line), each on its own line at this depth. Comments at or
  /// after `moved_from` come from inside a statement and count as being on its first line.
  void comments_before(Offset limit, int depth, Offset moved_from = UINT32_MAX) {
    while (next_comment_ < comments_.size() && comments_[next_comment_].offset < limit) {
      const Comment& comment = comments_[next_comment_++];
      std::uint32_t line = source_.line_of(std::min(comment.offset, moved_from));
      blank_line_before(line);
      indent(depth);
      out_ += comment.text + "\n";
      last_line_ = line;
    }
  }

  /// A comment on the same line right after `end` (and before `limit`) stays on that line.
  void trailing_comment(Offset end, Offset limit) {
    if (next_comment_ >= comments_.size()) return;
    const Comment& comment = comments_[next_comment_];
    if (comment.own_line || comment.offset >= limit) return;
    if (source_.line_of(comment.offset) != source_.line_of(end)) return;
    out_ += "  " + comment.text;
    ++next_comment_;
  }

  void print_block(const std::vector<Stmt>& statements, int depth, Offset block_end) {
    for (std::size_t i = 0; i < statements.size(); ++i) {
      const Stmt& stmt = statements[i];
      Offset next = i + 1 < statements.size() ? statements[i + 1].offset : block_end;
      bool is_def = std::holds_alternative<DefStmt>(stmt.node);
      // Comments inside a one-line statement move in front of it.
      comments_before(is_def ? stmt.offset : stmt.end, depth, stmt.offset);
      blank_line_before(source_.line_of(stmt.offset));
      indent(depth);
      print_statement(stmt, depth);
      trailing_comment(stmt.end, next);
      out_ += '\n';
      last_line_ = source_.line_of(stmt.end);
    }
    comments_before(block_end, depth);
  }

  void print_statement(const Stmt& stmt, int depth) {
    std::visit([&](const auto& node) { print(node, stmt, depth); }, stmt.node);
  }

  void print(const TaskStmt& s, const Stmt&, int) {
    out_ += "Task " + join_selectors(s.tasks) + " ";
    for (std::size_t i = 0; i < s.kinds.size(); ++i)
      out_ += (i ? "," : "") + kind_text(s.kinds[i].kind);
    out_ += ';';
  }
  void print(const RegionStmt& s, const Stmt&, int) {
    out_ += "Region " + s.task.text + " " + s.region.text + " " + kind_text(s.proc.kind) + " ";
    for (std::size_t i = 0; i < s.memories.size(); ++i)
      out_ += (i ? "," : "") + kind_text(s.memories[i].kind);
    out_ += ';';
  }
  void print(const LayoutStmt& s, const Stmt&, int) {
    out_ += "Layout " + s.task.text + " " + s.region.text + " " + kind_text(s.memory.kind);
    for (const auto& item : s.constraints) out_ += " " + item.constraint.word();
    out_ += ';';
  }
  void print(const InstanceLimitStmt& s, const Stmt&, int) {
    out_ += "InstanceLimit " + s.task.text;
    if (s.kind) out_ += " " + kind_text(s.kind->kind);
    out_ += " " + std::to_string(s.limit) + ";";
  }
  void print(const CollectMemoryStmt& s, const Stmt&, int) {
    out_ += "CollectMemory " + s.task.text + " " + s.region.text + ";";
  }
  void print(const TaskMapStmt& s, const Stmt&, int) {
    out_ += s.index ? "IndexTaskMap " : "SingleTaskMap ";
    out_ += s.kind ? kind_text(s.kind->kind) : join_selectors(s.tasks);
    out_ += " " + s.function.text + ";";
  }
  void print(const ControlReplicateStmt& s, const Stmt&, int) {
    out_ += "ControlReplicate " + join_selectors(s.tasks) + ";";
  }
  void print(const TaskStealStmt& s, const Stmt&, int) {
    out_ += "TaskSteal " + join_selectors(s.tasks) + " " + kind_text(s.kind.kind) +
            (s.any_node ? " ANY_NODE;" : " SAME_NODE;");
  }
  void print(const AssignStmt& s, const Stmt&, int) {
    out_ += s.target.text + " = ";
    print_expr(*s.value, kTernary, out_);
    out_ += ';';
  }
  void print(const ReturnStmt& s, const Stmt&, int) {
    out_ += "return ";
    print_expr(*s.value, kTernary, out_);
    out_ += ';';
  }
  void print(const PrintStmt& s, const Stmt&, int) {
    out_ += "print(" + escape(s.format);
    for (const auto& arg : s.args) {
      out_ += ", ";
      print_expr(*arg, kTernary, out_);
    }
    out_ += ");";
  }
  void print(const DefStmt& s, const Stmt& stmt, int depth) {
    out_ += "def " + s.name.text + "(";
    for (std::size_t i = 0; i < s.params.size(); ++i)
      out_ += (i ? ", " : "") + std::string(spelling(s.params[i].type)) + " " + s.params[i].name;
    out_ += ") {";
    // A comment on the header line belongs to the header.
    Offset body_start = s.body.empty() ? stmt.end : s.body.front().offset;
    trailing_comment(stmt.offset, body_start);
    out_ += '\n';
    at_block_start_ = true;  // no blank line right after '{'
    print_block(s.body, depth + 1, stmt.end);
    at_block_start_ = false;
    indent(depth);
    out_ += '}';
  }

  const Source& source_;
  std::vector<Comment> comments_;
  std::size_t next_comment_ = 0;
  std::uint32_t last_line_ = 0;
  bool at_block_start_ = false;
  std::string out_;
};

}  // namespace

Result<std::string> format(std::string file, std::string_view text) {
  if (text.size() > kMaxSourceBytes) return too_large_diagnostic(file, text.size());
  Source source(std::move(file), std::string(text));
  ParsedFile parsed = parse(source);
  if (has_errors(parsed.errors)) return parsed.errors;
  Formatter formatter(source, std::move(parsed.comments));
  return formatter.run(parsed.statements);
}

}  // namespace mapforge::dsl
