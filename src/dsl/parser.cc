#include "dsl/parser.h"

#include <array>
#include <deque>
#include <set>
#include <string>

namespace mapforge::dsl {
namespace {

constexpr std::array<std::string_view, 9> kStatementKeywords = {
    "Task",         "Region",        "Layout",           "InstanceLimit", "CollectMemory",
    "IndexTaskMap", "SingleTaskMap", "ControlReplicate", "TaskSteal"};
constexpr std::array<std::string_view, 16> kOtherKeywords = {
    "def",   "return", "print", "Machine", "tuple",  "for",    "in",   "True",
    "False", "int",    "bool",  "IPoint",  "ISpace", "MSpace", "Task", "Task"};

/// Thrown inside the parser only, after the error is recorded, to abandon a statement.
/// `recovered`: the parser already skipped to where the next statement starts.
struct ParseAbort {
  bool recovered = false;
};

std::string valid_proc_kinds() {
  std::string out;
  for (ProcKind kind : kAllProcKinds)
    out += (out.empty() ? "" : ", ") + std::string(to_string(kind));
  return out;
}
std::string valid_mem_kinds() {
  std::string out;
  for (MemKind kind : kAllMemKinds) out += (out.empty() ? "" : ", ") + std::string(to_string(kind));
  return out;
}

template <class Range>
std::vector<std::string> to_strings(const Range& range) {
  std::vector<std::string> out;
  for (const auto& item : range) out.emplace_back(item);
  return out;
}

std::string kind_hint(std::string_view word, std::vector<std::string> names,
                      const std::string& all) {
  std::string close = closest_match(word, names);
  std::string hint = close.empty() ? "" : "did you mean '" + close + "'? ";
  return hint + "valid kinds: " + all;
}

class Parser {
 public:
  Parser(const Source& source, std::vector<Diagnostic>& errors)
      : source_(source), lexer_(source, errors), errors_(errors) {}

  std::vector<Stmt> parse_file();
  ExprPtr parse_single_expression();
  std::vector<Comment> take_comments() { return lexer_.take_comments(); }
  std::set<std::string> take_unparsed_names() { return std::move(unparsed_names_); }

 private:
  // Token stream with arbitrary lookahead.
  const Token& peek(std::size_t ahead = 0) {
    while (buffer_.size() <= ahead) buffer_.push_back(lexer_.next());
    return buffer_[ahead];
  }
  Token take() {
    Token token = peek();
    buffer_.pop_front();
    previous_end_ = token.offset + static_cast<Offset>(token.text.size());
    return token;
  }
  bool at(Tok kind) { return peek().kind == kind; }
  bool at_word(std::string_view word) { return peek().kind == Tok::Ident && peek().text == word; }
  bool accept(Tok kind) {
    if (!at(kind)) return false;
    take();
    return true;
  }
  Token expect(Tok kind, std::string_view what);
  [[noreturn]] void fail(Offset offset, std::string message, std::string hint = {});
  std::string describe_next();
  bool starts_line(const Token& token) const;
  std::uint32_t column_of(const Token& token) const { return source_.location(token.offset).col; }
  void synchronize(bool in_body);

  Stmt parse_statement(bool in_body);
  Selector parse_selector(bool allow_star, bool allow_index, std::string_view what);
  std::vector<Selector> parse_selector_list(bool allow_star, std::string_view what);
  ProcKindRef parse_proc_kind(bool allow_star);
  MemKindRef parse_mem_kind(bool allow_star);
  void parse_task(Stmt& stmt);
  void parse_region(Stmt& stmt);
  void parse_layout(Stmt& stmt);
  void parse_instance_limit(Stmt& stmt);
  void parse_collect(Stmt& stmt);
  void parse_task_map(Stmt& stmt, bool index);
  void parse_index_map(Stmt& stmt) { parse_task_map(stmt, true); }
  void parse_single_map(Stmt& stmt) { parse_task_map(stmt, false); }
  void parse_control_replicate(Stmt& stmt);
  void parse_task_steal(Stmt& stmt);
  void parse_def(Stmt& stmt);
  void parse_print(Stmt& stmt);
  void end_statement(Stmt& stmt);

  ExprPtr parse_expr();
  ExprPtr parse_ternary();
  ExprPtr parse_binary(int level);
  ExprPtr parse_unary();
  ExprPtr parse_postfix();
  ExprPtr parse_primary();
  ExprPtr parse_list_item(bool allow_star, bool allow_slice);
  std::vector<ExprPtr> parse_list(Tok close, bool allow_star, bool allow_slice);
  ExprPtr make(ExprKind kind, Offset offset) {
    auto expr = std::make_unique<Expr>();
    expr->kind = kind;
    expr->offset = offset;
    return expr;
  }

  struct DepthGuard {
    Parser& parser;
    explicit DepthGuard(Parser& p, Offset offset) : parser(p) {
      if (++parser.depth_ > kMaxNestingDepth)
        parser.fail(offset, "expression nested too deeply (more than " +
                                std::to_string(kMaxNestingDepth) + " levels)");
    }
    ~DepthGuard() { --parser.depth_; }
  };

  /// Depth added by a chain of operators at one level; released when the chain ends.
  struct ChainDepth {
    Parser& parser;
    int added = 0;
    explicit ChainDepth(Parser& p) : parser(p) {}
    void deepen(Offset offset) {
      ++added;
      if (++parser.depth_ > kMaxNestingDepth)
        parser.fail(offset, "expression nested too deeply (more than " +
                                std::to_string(kMaxNestingDepth) + " levels)");
    }
    ~ChainDepth() { parser.depth_ -= added; }
  };

  const Source& source_;
  Lexer lexer_;
  std::vector<Diagnostic>& errors_;
  std::deque<Token> buffer_;
  Offset previous_end_ = 0;
  int depth_ = 0;
  std::set<std::string> unparsed_names_;
};

void Parser::fail(Offset offset, std::string message, std::string hint) {
  if (errors_.size() < kMaxDiagnostics)
    errors_.push_back(
        source_.diagnose(Severity::Error, offset, std::move(message), std::move(hint)));
  throw ParseAbort{};
}

std::string Parser::describe_next() {
  Token token = peek();
  switch (token.kind) {
    case Tok::Ident:
      return "'" + std::string(token.text) + "'";
    case Tok::Int:
      return "integer " + std::string(token.text);
    case Tok::String:
      return "a string";
    default:
      return std::string(describe(token.kind));
  }
}

Token Parser::expect(Tok kind, std::string_view what) {
  if (at(kind)) return take();
  std::string message = "expected " + std::string(describe(kind));
  if (!what.empty()) message += " " + std::string(what);
  message += ", got " + describe_next();
  // A missing ';' is best shown right after the text it should end.
  Offset where = kind == Tok::Semi ? previous_end_ : peek().offset;
  fail(where, message);
}

bool Parser::starts_line(const Token& token) const {
  std::string_view text = source_.text();
  for (Offset i = token.offset; i > 0; --i) {
    char c = text[i - 1];
    if (c == '\n') return true;
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

void Parser::synchronize(bool in_body) {
  // Skip to the end of the broken statement: a ';' or a whole '{ ... }' block at this level,
  // or a line that starts a new statement.
  int depth = 0;
  for (;;) {
    const Token& token = peek();
    if (token.kind == Tok::End) return;
    if (token.kind == Tok::LBrace) ++depth;
    if (token.kind == Tok::RBrace) {
      if (depth == 0 && in_body) return;  // the enclosing function's '}'
      take();
      if (depth <= 1) return;
      --depth;
      continue;
    }
    if (depth == 0 && token.kind == Tok::Semi) {
      take();
      return;
    }
    if (depth == 0 && token.kind == Tok::Ident && starts_line(token) && previous_end_ != 0 &&
        (is_keyword(token.text) || peek(1).kind == Tok::Assign)) {
      return;
    }
    take();
  }
}

std::vector<Stmt> Parser::parse_file() {
  std::vector<Stmt> statements;
  while (!at(Tok::End)) {
    if (errors_.size() >= kMaxDiagnostics) {
      errors_.push_back(file_diagnostic(source_.name(), "too many errors; stopping here"));
      break;
    }
    Offset start = peek().offset;
    Token first = peek(), second = peek(1);
    try {
      statements.push_back(parse_statement(false));
    } catch (const ParseAbort& abort) {
      // Remember what the failed statement would have defined, so the checker does not call
      // its uses undefined.
      if (first.kind == Tok::Ident && first.text == "def" && second.kind == Tok::Ident)
        unparsed_names_.insert(std::string(second.text));
      if (first.kind == Tok::Ident && second.kind == Tok::Assign)
        unparsed_names_.insert(std::string(first.text));
      if (abort.recovered) continue;
      // A statement that failed on its first token is skipped whole.
      if (peek().offset == start && !at(Tok::End)) take();
      synchronize(false);
    }
  }
  return statements;
}

ExprPtr Parser::parse_single_expression() {
  try {
    ExprPtr expr = parse_expr();
    if (!at(Tok::End)) fail(peek().offset, "expected end of expression, got " + describe_next());
    return expr;
  } catch (const ParseAbort&) {
    return nullptr;
  }
}

void Parser::end_statement(Stmt& stmt) {
  Token semi = expect(Tok::Semi, "at the end of the statement");
  stmt.end = semi.offset;
}

Stmt Parser::parse_statement(bool in_body) {
  Stmt stmt;
  Token first = peek();
  stmt.offset = first.offset;
  if (first.kind == Tok::Ident) {
    std::string_view word = first.text;
    bool statement_keyword = false;
    for (auto keyword : kStatementKeywords) statement_keyword |= word == keyword;
    if (statement_keyword && in_body)
      fail(first.offset, "'" + std::string(word) + "' statements are only allowed at the top level",
           "function bodies hold assignments, 'return' and 'print'");
    using Handler = void (Parser::*)(Stmt&);
    static constexpr std::array<std::pair<std::string_view, Handler>, 9> kHandlers = {
        {{"Task", &Parser::parse_task},
         {"Region", &Parser::parse_region},
         {"Layout", &Parser::parse_layout},
         {"InstanceLimit", &Parser::parse_instance_limit},
         {"CollectMemory", &Parser::parse_collect},
         {"IndexTaskMap", &Parser::parse_index_map},
         {"SingleTaskMap", &Parser::parse_single_map},
         {"ControlReplicate", &Parser::parse_control_replicate},
         {"TaskSteal", &Parser::parse_task_steal}}};
    for (const auto& [keyword, handler] : kHandlers) {
      if (word != keyword) continue;
      (this->*handler)(stmt);
      return stmt;
    }
    if (word == "def") {
      if (in_body)
        fail(first.offset, "functions cannot be defined inside functions",
             "define it at the top level and call it");
      parse_def(stmt);
      return stmt;
    }
    if (word == "print") {
      parse_print(stmt);
      return stmt;
    }
    if (word == "return") {
      if (!in_body) fail(first.offset, "'return' outside a function");
      take();
      stmt.node = ReturnStmt{parse_expr()};
      end_statement(stmt);
      return stmt;
    }
    if (peek(1).kind == Tok::Assign) {
      Token name = take();
      if (is_keyword(name.text))
        fail(name.offset, "cannot assign to '" + std::string(name.text) + "': it is a keyword");
      take();
      AssignStmt assign;
      assign.target = Selector{std::string(name.text), name.offset, -1};
      assign.value = parse_expr();
      stmt.node = std::move(assign);
      end_statement(stmt);
      return stmt;
    }
    std::string close = closest_match(word, to_strings(kStatementKeywords));
    if (close.empty() && !in_body) close = closest_match(word, {"def", "print"});
    fail(first.offset, "expected a statement, got '" + std::string(word) + "'",
         close.empty() ? "statements start with a keyword (Task, Region, Layout, ...) or 'name ='"
                       : "did you mean '" + close + "'?");
  }
  fail(first.offset, "expected a statement, got " + describe_next());
}

Selector Parser::parse_selector(bool allow_star, bool allow_index, std::string_view what) {
  Token token = peek();
  if (token.kind == Tok::Star && allow_star) {
    take();
    return Selector{"*", token.offset, -1};
  }
  if (token.kind == Tok::Int && allow_index) {
    Token number = take();
    if (number.value > 1'000'000)
      fail(number.offset, "region argument index " + std::string(number.text) + " is too large");
    return Selector{std::string(number.text), number.offset, static_cast<int>(number.value)};
  }
  if (token.kind == Tok::Ident) {
    Token name = take();
    return Selector{std::string(name.text), name.offset, -1};
  }
  fail(token.offset, "expected " + std::string(what) + ", got " + describe_next());
}

std::vector<Selector> Parser::parse_selector_list(bool allow_star, std::string_view what) {
  std::vector<Selector> list;
  list.push_back(parse_selector(allow_star, false, what));
  if (list.back().is_star()) return list;
  while (accept(Tok::Comma)) list.push_back(parse_selector(false, false, what));
  return list;
}

ProcKindRef Parser::parse_proc_kind(bool allow_star) {
  Token token = peek();
  if (token.kind == Tok::Star && allow_star) return ProcKindRef{std::nullopt, take().offset};
  if (token.kind != Tok::Ident)
    fail(token.offset, "expected a processor kind, got " + describe_next(),
         "valid kinds: " + valid_proc_kinds());
  auto kind = dsl::parse_proc_kind(token.text);
  if (!kind) {
    std::vector<std::string> names;
    for (ProcKind k : kAllProcKinds) names.emplace_back(to_string(k));
    fail(token.offset, "unknown processor kind '" + std::string(token.text) + "'",
         kind_hint(token.text, names, valid_proc_kinds()));
  }
  return ProcKindRef{kind, take().offset};
}

MemKindRef Parser::parse_mem_kind(bool allow_star) {
  Token token = peek();
  if (token.kind == Tok::Star && allow_star) return MemKindRef{std::nullopt, take().offset};
  if (token.kind != Tok::Ident)
    fail(token.offset, "expected a memory kind, got " + describe_next(),
         "valid kinds: " + valid_mem_kinds());
  auto kind = dsl::parse_mem_kind(token.text);
  if (!kind) {
    std::vector<std::string> names;
    for (MemKind k : kAllMemKinds) names.emplace_back(to_string(k));
    fail(token.offset, "unknown memory kind '" + std::string(token.text) + "'",
         kind_hint(token.text, names, valid_mem_kinds()));
  }
  return MemKindRef{kind, take().offset};
}

void Parser::parse_task(Stmt& stmt) {
  take();
  TaskStmt task;
  task.tasks = parse_selector_list(true, "a task name or '*'");
  task.kinds.push_back(parse_proc_kind(false));
  while (accept(Tok::Comma)) task.kinds.push_back(parse_proc_kind(false));
  stmt.node = std::move(task);
  end_statement(stmt);
}

void Parser::parse_region(Stmt& stmt) {
  take();
  RegionStmt region;
  region.task = parse_selector(true, false, "a task name or '*'");
  region.region = parse_selector(true, true, "a region name, argument index or '*'");
  region.proc = parse_proc_kind(true);
  region.memories.push_back(parse_mem_kind(false));
  while (accept(Tok::Comma)) region.memories.push_back(parse_mem_kind(false));
  stmt.node = std::move(region);
  end_statement(stmt);
}

void Parser::parse_layout(Stmt& stmt) {
  take();
  LayoutStmt layout;
  layout.task = parse_selector(true, false, "a task name or '*'");
  layout.region = parse_selector(true, true, "a region name, argument index or '*'");
  layout.memory = parse_mem_kind(true);
  using Kind = LayoutConstraint::Kind;
  static constexpr std::array<std::pair<std::string_view, Kind>, 8> kWords = {
      {{"SOA", Kind::SOA},
       {"AOS", Kind::AOS},
       {"C_order", Kind::C_order},
       {"F_order", Kind::F_order},
       {"Compact", Kind::Compact},
       {"Exact", Kind::Exact},
       {"Align", Kind::Align},
       {"No_Align", Kind::NoAlign}}};
  while (!at(Tok::Semi)) {
    Token token = peek();
    LayoutItem item;
    item.offset = token.offset;
    bool known = false;
    if (token.kind == Tok::Ident) {
      for (const auto& [word, kind] : kWords) {
        if (token.text != word) continue;
        item.constraint.kind = kind;
        known = true;
      }
    }
    if (!known) {
      std::vector<std::string> names;
      for (const auto& entry : kWords) names.emplace_back(entry.first);
      std::string close = token.kind == Tok::Ident ? closest_match(token.text, names) : "";
      fail(token.offset, "expected a layout constraint, got " + describe_next(),
           (close.empty() ? "" : "did you mean '" + close + "'? ") +
               "constraints: SOA, AOS, C_order, F_order, Compact, Exact, Align OP N, No_Align");
    }
    take();
    if (item.constraint.kind == Kind::Align) {
      using Cmp = LayoutConstraint::Cmp;
      static constexpr std::array<std::pair<Tok, Cmp>, 6> kCmps = {{{Tok::EqEq, Cmp::EQ},
                                                                    {Tok::NotEq, Cmp::NE},
                                                                    {Tok::Lt, Cmp::LT},
                                                                    {Tok::Le, Cmp::LE},
                                                                    {Tok::Gt, Cmp::GT},
                                                                    {Tok::Ge, Cmp::GE}}};
      bool found = false;
      for (const auto& [tok, cmp] : kCmps) {
        if (!at(tok)) continue;
        item.constraint.cmp = cmp;
        found = true;
      }
      if (!found)
        fail(peek().offset, "expected a comparison after 'Align', got " + describe_next(),
             "write e.g. 'Align==128'");
      take();
      Token bytes = expect(Tok::Int, "(alignment in bytes)");
      item.constraint.bytes = bytes.value;
    }
    layout.constraints.push_back(item);
  }
  if (layout.constraints.empty())
    fail(peek().offset, "expected a layout constraint, got ';'",
         "constraints: SOA, AOS, C_order, F_order, Compact, Exact, Align OP N, No_Align");
  stmt.node = std::move(layout);
  end_statement(stmt);
}

void Parser::parse_instance_limit(Stmt& stmt) {
  take();
  InstanceLimitStmt limit;
  limit.task = parse_selector(true, false, "a task name or '*'");
  if (!at(Tok::Int) && !at(Tok::Minus)) limit.kind = parse_proc_kind(true);
  Offset offset = peek().offset;
  bool negative = accept(Tok::Minus);
  Token number = expect(Tok::Int, "(the instance limit)");
  limit.limit = negative ? -number.value : number.value;
  limit.limit_offset = offset;
  stmt.node = std::move(limit);
  end_statement(stmt);
}

void Parser::parse_collect(Stmt& stmt) {
  take();
  CollectMemoryStmt collect;
  collect.task = parse_selector(true, false, "a task name or '*'");
  collect.region = parse_selector(true, true, "a region name, argument index or '*'");
  stmt.node = std::move(collect);
  end_statement(stmt);
}

void Parser::parse_task_map(Stmt& stmt, bool index) {
  take();
  TaskMapStmt map;
  map.index = index;
  if (at(Tok::Ident) && dsl::parse_proc_kind(peek().text)) {
    map.kind = parse_proc_kind(false);
  } else {
    map.tasks = parse_selector_list(true, "a task name, a processor kind or '*'");
  }
  if (!at(Tok::Ident))
    fail(peek().offset, "expected the name of a mapping function, got " + describe_next(),
         index ? "write 'IndexTaskMap task_name function_name;'"
               : "write 'SingleTaskMap task_name function_name;'");
  Token function = take();
  map.function = Selector{std::string(function.text), function.offset, -1};
  stmt.node = std::move(map);
  end_statement(stmt);
}

void Parser::parse_control_replicate(Stmt& stmt) {
  take();
  ControlReplicateStmt replicate;
  replicate.tasks = parse_selector_list(true, "a task name or '*'");
  stmt.node = std::move(replicate);
  end_statement(stmt);
}

void Parser::parse_task_steal(Stmt& stmt) {
  take();
  TaskStealStmt steal;
  steal.tasks = parse_selector_list(true, "a task name or '*'");
  steal.kind = parse_proc_kind(false);
  Token scope = peek();
  if (scope.kind != Tok::Ident || (scope.text != "SAME_NODE" && scope.text != "ANY_NODE"))
    fail(scope.offset, "expected SAME_NODE or ANY_NODE, got " + describe_next(),
         "write e.g. 'TaskSteal * GPU SAME_NODE;'");
  steal.any_node = scope.text == "ANY_NODE";
  steal.scope_offset = take().offset;
  stmt.node = std::move(steal);
  end_statement(stmt);
}

void Parser::parse_def(Stmt& stmt) {
  take();
  DefStmt def;
  if (!at(Tok::Ident))
    fail(peek().offset, "expected a function name after 'def', got " + describe_next());
  Token name = take();
  if (is_keyword(name.text))
    fail(name.offset, "cannot name a function '" + std::string(name.text) + "': it is a keyword");
  def.name = Selector{std::string(name.text), name.offset, -1};
  expect(Tok::LParen, "after the function name");
  static constexpr std::array<std::pair<std::string_view, ParamType>, 6> kTypes = {
      {{"int", ParamType::Int},
       {"bool", ParamType::Bool},
       {"IPoint", ParamType::IPoint},
       {"ISpace", ParamType::ISpace},
       {"MSpace", ParamType::MSpace},
       {"Task", ParamType::Task}}};
  if (!at(Tok::RParen)) {
    do {
      Token type = peek();
      Param param;
      bool known = false;
      for (const auto& [word, kind] : kTypes) {
        if (type.kind != Tok::Ident || type.text != word) continue;
        param.type = kind;
        known = true;
      }
      if (!known) {
        std::vector<std::string> names;
        for (const auto& entry : kTypes) names.emplace_back(entry.first);
        std::string close = type.kind == Tok::Ident ? closest_match(type.text, names) : "";
        fail(type.offset, "expected a parameter type, got " + describe_next(),
             (close.empty() ? "" : "did you mean '" + close + "'? ") +
                 "types: int, bool, IPoint, ISpace, MSpace, Task");
      }
      take();
      if (!at(Tok::Ident)) fail(peek().offset, "expected a parameter name, got " + describe_next());
      Token param_name = take();
      if (is_keyword(param_name.text))
        fail(param_name.offset,
             "cannot name a parameter '" + std::string(param_name.text) + "': it is a keyword");
      param.name = std::string(param_name.text);
      param.offset = param_name.offset;
      def.params.push_back(std::move(param));
    } while (accept(Tok::Comma));
  }
  expect(Tok::RParen, "after the parameters");
  if (at(Tok::Colon)) {
    // A Python-style body: report once, then skip its indented lines.
    Offset colon = take().offset;
    if (errors_.size() < kMaxDiagnostics)
      errors_.push_back(source_.diagnose(
          Severity::Error, colon, "expected '{' to start the function body, got ':'",
          "function bodies are in braces: def f(Task task) { ...; }"));
    while (!at(Tok::End) && !(starts_line(peek()) && column_of(peek()) == 1)) take();
    if (at(Tok::RBrace)) take();  // a closing brace at the margin ends the same body
    throw ParseAbort{true};
  }
  Token open = expect(Tok::LBrace, "to start the function body");
  while (!at(Tok::RBrace)) {
    if (at(Tok::End))
      fail(peek().offset, "expected '}' to close function '" + def.name.text + "' opened at line " +
                              std::to_string(source_.line_of(open.offset)));
    if (errors_.size() >= kMaxDiagnostics) throw ParseAbort{};
    Offset start = peek().offset;
    try {
      def.body.push_back(parse_statement(true));
    } catch (const ParseAbort&) {
      def.body_incomplete = true;
      if (peek().offset == start && !at(Tok::End) && !at(Tok::RBrace)) take();
      synchronize(true);
    }
  }
  stmt.end = take().offset;
  stmt.node = std::move(def);
}

void Parser::parse_print(Stmt& stmt) {
  take();
  expect(Tok::LParen, "after 'print'");
  if (!at(Tok::String))
    fail(peek().offset, "expected a format string, got " + describe_next(),
         "write print(\"x = {}\", x);");
  Token format = take();
  PrintStmt print;
  print.format = decode_string(format.text);
  print.format_offset = format.offset;
  while (accept(Tok::Comma)) print.args.push_back(parse_expr());
  expect(Tok::RParen, "to close 'print('");
  stmt.node = std::move(print);
  end_statement(stmt);
}

// ----- expressions -----

ExprPtr Parser::parse_expr() {
  DepthGuard guard(*this, peek().offset);
  return parse_ternary();
}

ExprPtr Parser::parse_ternary() {
  ExprPtr condition = parse_binary(0);
  if (!at(Tok::Question)) return condition;
  Offset offset = take().offset;
  auto expr = make(ExprKind::Ternary, offset);
  expr->kids.push_back(std::move(condition));
  expr->kids.push_back(parse_expr());
  expect(Tok::Colon, "in a conditional expression");
  expr->kids.push_back(parse_expr());
  return expr;
}

struct BinaryLevel {
  std::array<std::pair<Tok, BinOp>, 4> ops;
  int count;
};
constexpr std::array<BinaryLevel, 6> kLevels = {{
    {{{{Tok::OrOr, BinOp::Or}}}, 1},
    {{{{Tok::AndAnd, BinOp::And}}}, 1},
    {{{{Tok::EqEq, BinOp::Eq}, {Tok::NotEq, BinOp::Ne}}}, 2},
    {{{{Tok::Lt, BinOp::Lt}, {Tok::Gt, BinOp::Gt}, {Tok::Le, BinOp::Le}, {Tok::Ge, BinOp::Ge}}}, 4},
    {{{{Tok::Plus, BinOp::Add}, {Tok::Minus, BinOp::Sub}}}, 2},
    {{{{Tok::Star, BinOp::Mul}, {Tok::Slash, BinOp::Div}, {Tok::Percent, BinOp::Mod}}}, 3},
}};

ExprPtr Parser::parse_binary(int level) {
  if (level == static_cast<int>(kLevels.size())) return parse_unary();
  ExprPtr lhs = parse_binary(level + 1);
  // Each operator of a chain deepens the (left-leaning) tree by one: count it, so that every
  // later pass over the tree recurses at most kMaxNestingDepth levels.
  ChainDepth chain(*this);
  for (;;) {
    const BinaryLevel& ops = kLevels[static_cast<std::size_t>(level)];
    std::optional<BinOp> op;
    for (int i = 0; i < ops.count; ++i)
      if (at(ops.ops[static_cast<std::size_t>(i)].first))
        op = ops.ops[static_cast<std::size_t>(i)].second;
    if (!op) return lhs;
    Offset offset = take().offset;
    chain.deepen(offset);
    auto expr = make(ExprKind::Binary, offset);
    expr->op = *op;
    expr->kids.push_back(std::move(lhs));
    expr->kids.push_back(parse_binary(level + 1));
    lhs = std::move(expr);
  }
}

ExprPtr Parser::parse_unary() {
  if (!at(Tok::Minus)) return parse_postfix();
  Offset offset = take().offset;
  DepthGuard guard(*this, offset);
  auto expr = make(ExprKind::Neg, offset);
  expr->kids.push_back(parse_unary());
  return expr;
}

ExprPtr Parser::parse_postfix() {
  ExprPtr expr = parse_primary();
  ChainDepth chain(*this);
  for (;;) {
    if (at(Tok::LParen) || at(Tok::LBracket) || at(Tok::Dot)) chain.deepen(peek().offset);
    if (at(Tok::LParen)) {
      Offset offset = take().offset;
      auto call = make(ExprKind::Call, offset);
      call->kids.push_back(std::move(expr));
      for (auto& arg : parse_list(Tok::RParen, false, false)) call->kids.push_back(std::move(arg));
      expr = std::move(call);
    } else if (at(Tok::LBracket)) {
      Offset offset = take().offset;
      auto index = make(ExprKind::Index, offset);
      index->kids.push_back(std::move(expr));
      auto items = parse_list(Tok::RBracket, true, true);
      if (items.empty()) fail(offset, "expected an index inside '[]'");
      for (auto& item : items) index->kids.push_back(std::move(item));
      expr = std::move(index);
    } else if (at(Tok::Dot)) {
      take();
      if (!at(Tok::Ident))
        fail(peek().offset, "expected a property or method name after '.', got " + describe_next());
      Token name = take();
      auto member = make(ExprKind::Member, name.offset);
      member->text = std::string(name.text);
      member->kids.push_back(std::move(expr));
      expr = std::move(member);
    } else {
      return expr;
    }
  }
}

ExprPtr Parser::parse_list_item(bool allow_star, bool allow_slice) {
  if (at(Tok::Star)) {
    Offset offset = take().offset;
    if (allow_star && (at(Tok::Comma) || at(Tok::RBracket))) return make(ExprKind::Star, offset);
    auto splat = make(ExprKind::Splat, offset);
    splat->kids.push_back(parse_expr());
    return splat;
  }
  if (allow_slice && at(Tok::Colon)) {
    auto slice = make(ExprKind::Slice, take().offset);
    slice->kids.push_back(nullptr);
    slice->kids.push_back(at(Tok::RBracket) || at(Tok::Comma) ? nullptr : parse_expr());
    return slice;
  }
  ExprPtr item = parse_expr();
  if (!allow_slice || !at(Tok::Colon)) return item;
  auto slice = make(ExprKind::Slice, take().offset);
  slice->kids.push_back(std::move(item));
  slice->kids.push_back(at(Tok::RBracket) || at(Tok::Comma) ? nullptr : parse_expr());
  return slice;
}

std::vector<ExprPtr> Parser::parse_list(Tok close, bool allow_star, bool allow_slice) {
  std::vector<ExprPtr> items;
  if (accept(close)) return items;
  for (;;) {
    items.push_back(parse_list_item(allow_star, allow_slice));
    if (accept(close)) return items;
    if (!at(Tok::Comma)) {
      std::string message =
          "expected ',' or " + std::string(describe(close)) + ", got " + describe_next();
      fail(peek().offset, message);
    }
    take();
  }
}

ExprPtr Parser::parse_primary() {
  Token token = peek();
  switch (token.kind) {
    case Tok::Int: {
      auto expr = make(ExprKind::Int, token.offset);
      expr->value = take().value;
      return expr;
    }
    case Tok::String:
      fail(token.offset, "strings are only allowed as the format of print(...)");
    case Tok::LParen: {
      Offset offset = take().offset;  // the items' parse_expr counts this level
      if (accept(Tok::RParen)) return make(ExprKind::Tuple, offset);
      ExprPtr first = parse_list_item(false, false);
      if (first->kind != ExprKind::Splat && accept(Tok::RParen)) return first;
      auto tuple = make(ExprKind::Tuple, offset);
      tuple->kids.push_back(std::move(first));
      while (accept(Tok::Comma)) {
        if (at(Tok::RParen)) break;
        tuple->kids.push_back(parse_list_item(false, false));
      }
      expect(Tok::RParen, "to close the tuple");
      return tuple;
    }
    case Tok::Ident: {
      if (token.text == "True" || token.text == "False") {
        auto expr = make(ExprKind::Bool, token.offset);
        expr->value = token.text == "True" ? 1 : 0;
        take();
        return expr;
      }
      if (token.text == "tuple") {
        Offset offset = take().offset;
        expect(Tok::LParen, "after 'tuple'");
        auto generator = make(ExprKind::Generator, offset);
        generator->kids.push_back(parse_expr());
        if (!at_word("for"))
          fail(peek().offset, "expected 'for' in tuple(...), got " + describe_next(),
               "write tuple(expression for name in tuple_value)");
        take();
        if (!at(Tok::Ident) || is_keyword(peek().text))
          fail(peek().offset, "expected a loop variable name, got " + describe_next());
        generator->text = std::string(take().text);
        if (!at_word("in"))
          fail(peek().offset, "expected 'in' in tuple(...), got " + describe_next());
        take();
        generator->kids.push_back(parse_expr());
        expect(Tok::RParen, "to close 'tuple('");
        return generator;
      }
      auto expr = make(ExprKind::Name, token.offset);
      expr->text = std::string(take().text);
      return expr;
    }
    default:
      fail(token.offset, "expected an expression, got " + describe_next());
  }
}

}  // namespace

bool is_keyword(std::string_view word) {
  for (auto keyword : kStatementKeywords)
    if (word == keyword) return true;
  for (auto keyword : kOtherKeywords)
    if (word == keyword) return true;
  return false;
}

ParsedFile parse(const Source& source) {
  ParsedFile file;
  Parser parser(source, file.errors);
  file.statements = parser.parse_file();
  file.comments = parser.take_comments();
  file.unparsed_names = parser.take_unparsed_names();
  return file;
}

ExprPtr parse_expression(const Source& source, std::vector<Diagnostic>& errors) {
  Parser parser(source, errors);
  return parser.parse_single_expression();
}

}  // namespace mapforge::dsl
