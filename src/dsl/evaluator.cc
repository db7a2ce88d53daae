#include "dsl/evaluator.h"

#include <algorithm>

namespace mapforge::dsl {
namespace {

[[noreturn]] void fail(Offset offset, std::string message) {
  throw EvalError{offset, std::move(message)};
}

std::string a_type(const Value& value) { return "a " + std::string(value_type_name(value)); }

std::int64_t as_int(const Value& value, Offset offset, std::string_view what) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (const auto* b = std::get_if<bool>(&value)) return *b ? 1 : 0;
  fail(offset, std::string(what) + " must be an int, got " + a_type(value));
}

bool truthy(const Value& value, Offset offset) { return as_int(value, offset, "a condition") != 0; }

const Tuple& as_tuple(const Value& value, Offset offset, std::string_view what) {
  if (const auto* t = std::get_if<Tuple>(&value)) return *t;
  fail(offset, std::string(what) + " must be a tuple, got " + a_type(value));
}

const SpacePtr& as_machine(const Value& value, Offset offset, std::string_view what) {
  if (const auto* m = std::get_if<SpacePtr>(&value)) return *m;
  fail(offset, std::string(what) + " must be a machine, got " + a_type(value));
}

std::int64_t arithmetic(BinOp op, std::int64_t a, std::int64_t b, Offset offset) {
  std::int64_t out = 0;
  switch (op) {
    case BinOp::Add:
      if (__builtin_add_overflow(a, b, &out)) fail(offset, "integer overflow in '+'");
      return out;
    case BinOp::Sub:
      if (__builtin_sub_overflow(a, b, &out)) fail(offset, "integer overflow in '-'");
      return out;
    case BinOp::Mul:
      if (__builtin_mul_overflow(a, b, &out)) fail(offset, "integer overflow in '*'");
      return out;
    case BinOp::Div:
    case BinOp::Mod:
      if (b == 0) fail(offset, op == BinOp::Div ? "division by zero" : "modulo by zero");
      if (a == INT64_MIN && b == -1)
        fail(offset, "integer overflow in '" + std::string(spelling(op)) + "'");
      return op == BinOp::Div ? a / b : a % b;  // C semantics: truncation toward zero
    default:
      break;
  }
  return 0;
}

std::int64_t checked_volume(const Tuple& tuple, Offset offset) {
  std::int64_t volume = 1;
  for (std::int64_t v : tuple)
    if (__builtin_mul_overflow(volume, v, &volume)) fail(offset, "integer overflow in volume");
  return volume;
}

Value compare(BinOp op, const Value& a, const Value& b, Offset offset) {
  bool a_num = std::holds_alternative<std::int64_t>(a) || std::holds_alternative<bool>(a);
  bool b_num = std::holds_alternative<std::int64_t>(b) || std::holds_alternative<bool>(b);
  if (a_num && b_num) {
    std::int64_t x = as_int(a, offset, "operand"), y = as_int(b, offset, "operand");
    switch (op) {
      case BinOp::Eq:
        return x == y;
      case BinOp::Ne:
        return x != y;
      case BinOp::Lt:
        return x < y;
      case BinOp::Gt:
        return x > y;
      case BinOp::Le:
        return x <= y;
      case BinOp::Ge:
        return x >= y;
      default:
        break;
    }
  }
  if (op != BinOp::Eq && op != BinOp::Ne)
    fail(offset, "operator '" + std::string(spelling(op)) + "' compares integers, got " +
                     a_type(a) + " and " + a_type(b));
  bool equal = false;
  if (a.index() != b.index()) {
    fail(offset, "cannot compare " + a_type(a) + " with " + a_type(b));
  } else if (const auto* t = std::get_if<Tuple>(&a)) {
    equal = *t == std::get<Tuple>(b);
  } else if (const auto* s = std::get_if<ProcSet>(&a)) {
    equal = s->procs == std::get<ProcSet>(b).procs;
  } else if (const auto* k = std::get_if<ProcKind>(&a)) {
    equal = *k == std::get<ProcKind>(b);
  } else if (const auto* mk = std::get_if<MemKind>(&a)) {
    equal = *mk == std::get<MemKind>(b);
  } else {
    fail(offset, "cannot compare values of type " + std::string(value_type_name(a)));
  }
  return op == BinOp::Eq ? equal : !equal;
}

}  // namespace

Evaluator::Evaluator(const Program& program, const MachineShape& machine, const PrintSink& print)
    : program_(program), shape_(machine), print_(print), globals_(program.global_names.size()) {}

const SpacePtr& Evaluator::machine(ProcKind kind) {
  auto& space = machines_[static_cast<std::size_t>(kind)];
  if (!space) space = MachineSpace::base(kind, shape_.nodes, shape_.count(kind));
  return space;
}

void Evaluator::run_globals() {
  start();
  Frame frame(static_cast<std::size_t>(program_.top_level_locals));
  for (const auto& stmt : program_.statements) {
    if (const auto* assign = std::get_if<AssignStmt>(&stmt.node)) {
      globals_[static_cast<std::size_t>(assign->binding.slot)] = eval(*assign->value, frame);
    } else if (const auto* print = std::get_if<PrintStmt>(&stmt.node)) {
      exec_print(*print, frame);
    }
  }
}

Value Evaluator::call_mapping_function(std::int32_t index, const TaskContext& task) {
  start();
  const DefStmt& def = *program_.functions[static_cast<std::size_t>(index)];
  return call(index, {Value(&task)}, def.name.offset);
}

Value Evaluator::eval_expression(const Expr& expr, std::int32_t num_locals) {
  start();
  Frame frame(static_cast<std::size_t>(num_locals));
  return eval(expr, frame);
}

void Evaluator::exec_print(const PrintStmt& print, Frame& frame) {
  std::string line;
  std::size_t arg = 0;
  const std::string& format = print.format;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '{' && i + 1 < format.size() && format[i + 1] == '}' &&
        arg < print.args.size()) {
      line += render(eval(*print.args[arg++], frame));
      ++i;
      continue;
    }
    line.push_back(format[i]);
  }
  if (print_) print_(line);
}

Value Evaluator::call(std::int32_t index, std::vector<Value> args, Offset offset) {
  const DefStmt& def = *program_.functions[static_cast<std::size_t>(index)];
  if (args.size() != def.params.size())
    fail(offset, "'" + def.name.text + "' takes " + std::to_string(def.params.size()) +
                     " arguments, got " + std::to_string(args.size()));
  struct CallScope {
    int& depth;
    explicit CallScope(int& d) : depth(d) { ++depth; }
    ~CallScope() { --depth; }
  } scope(call_depth_);
  if (call_depth_ > kMaxCallDepth)
    fail(offset, "calls nested too deeply (more than " + std::to_string(kMaxCallDepth) +
                     "); does '" + def.name.text + "' recurse without end?");
  Frame frame(static_cast<std::size_t>(std::max<std::int32_t>(def.num_locals, 1)));
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Param& param = def.params[i];
    const Value& arg = args[i];
    bool ok = false;
    switch (param.type) {
      case ParamType::Int:
      case ParamType::Bool:
        ok = std::holds_alternative<std::int64_t>(arg) || std::holds_alternative<bool>(arg);
        break;
      case ParamType::IPoint:
      case ParamType::ISpace:
        ok = std::holds_alternative<Tuple>(arg);
        break;
      case ParamType::MSpace:
        ok = std::holds_alternative<SpacePtr>(arg);
        break;
      case ParamType::Task:
        ok = std::holds_alternative<const TaskContext*>(arg);
        break;
    }
    if (!ok)
      fail(offset, "argument " + std::to_string(i + 1) + " of '" + def.name.text + "' must be " +
                       std::string(spelling(param.type)) + ", got " + a_type(arg));
    frame[i] = arg;
  }
  for (const auto& stmt : def.body) {
    if (const auto* assign = std::get_if<AssignStmt>(&stmt.node)) {
      frame[static_cast<std::size_t>(assign->binding.slot)] = eval(*assign->value, frame);
    } else if (const auto* print = std::get_if<PrintStmt>(&stmt.node)) {
      exec_print(*print, frame);
    } else if (const auto* ret = std::get_if<ReturnStmt>(&stmt.node)) {
      return eval(*ret->value, frame);
    }
  }
  fail(def.name.offset, "function '" + def.name.text + "' ended without returning a value");
}

Value Evaluator::eval(const Expr& expr, Frame& frame) {
  if (++steps_ > kMaxSteps)
    fail(expr.offset, "evaluation takes too long (more than " + std::to_string(kMaxSteps) +
                          " steps); does a function recurse without end?");
  if (depth_ >= kMaxEvalDepth) fail(expr.offset, "evaluation nested too deeply");
  struct DepthScope {
    int& depth;
    explicit DepthScope(int& d) : depth(d) { ++depth; }
    ~DepthScope() { --depth; }
  } scope(depth_);

  switch (expr.kind) {
    case ExprKind::Int:
      return expr.value;
    case ExprKind::Bool:
      return expr.value != 0;
    case ExprKind::Name:
      return eval_name(expr, frame);
    case ExprKind::Neg: {
      Value operand = eval(*expr.kids[0], frame);
      if (auto* tuple = std::get_if<Tuple>(&operand)) {
        for (auto& v : *tuple) v = arithmetic(BinOp::Sub, 0, v, expr.offset);
        return operand;
      }
      return arithmetic(BinOp::Sub, 0, as_int(operand, expr.offset, "the operand of '-'"),
                        expr.offset);
    }
    case ExprKind::Binary:
      return eval_binary(expr, frame);
    case ExprKind::Ternary:
      return truthy(eval(*expr.kids[0], frame), expr.kids[0]->offset) ? eval(*expr.kids[1], frame)
                                                                      : eval(*expr.kids[2], frame);
    case ExprKind::Call:
      return eval_call(expr, frame);
    case ExprKind::Index:
      return eval_index(expr, frame);
    case ExprKind::Member:
      return eval_member(expr, frame);
    case ExprKind::Tuple: {
      Tuple tuple;
      for (const auto& item : expr.kids) {
        if (item->kind == ExprKind::Splat) {
          const Value spliced = eval(*item->kids[0], frame);
          const Tuple& part = as_tuple(spliced, item->offset, "the operand of '*'");
          tuple.insert(tuple.end(), part.begin(), part.end());
        } else {
          tuple.push_back(as_int(eval(*item, frame), item->offset, "a tuple element"));
        }
        if (tuple.size() > kMaxTupleLength) fail(expr.offset, "tuple too long");
      }
      return tuple;
    }
    case ExprKind::Generator:
      return eval_generator(expr, frame);
    case ExprKind::String:
    case ExprKind::Slice:
    case ExprKind::Star:
    case ExprKind::Splat:
      break;
  }
  fail(expr.offset, "this expression cannot be evaluated here");
}

Value Evaluator::eval_name(const Expr& expr, Frame& frame) {
  const Binding& binding = expr.binding;
  switch (binding.scope) {
    case Binding::Scope::Local: {
      const Value& value = frame[static_cast<std::size_t>(binding.slot)];
      if (std::holds_alternative<std::monostate>(value))
        fail(expr.offset, "'" + expr.text + "' is used before it is assigned");
      return value;
    }
    case Binding::Scope::Global: {
      const Value& value = globals_[static_cast<std::size_t>(binding.slot)];
      if (std::holds_alternative<std::monostate>(value))
        fail(expr.offset, "global '" + expr.text + "' is used before it is assigned");
      return value;
    }
    case Binding::Scope::ProcKindConst:
      return static_cast<ProcKind>(binding.slot);
    case Binding::Scope::MemKindConst:
      return static_cast<MemKind>(binding.slot);
    default:
      break;
  }
  fail(expr.offset, "'" + expr.text + "' is not a value");
}

Value Evaluator::eval_binary(const Expr& expr, Frame& frame) {
  BinOp op = expr.op;
  if (op == BinOp::Or || op == BinOp::And) {  // short-circuit, as in C
    bool lhs = truthy(eval(*expr.kids[0], frame), expr.kids[0]->offset);
    if (op == BinOp::Or && lhs) return true;
    if (op == BinOp::And && !lhs) return false;
    return truthy(eval(*expr.kids[1], frame), expr.kids[1]->offset);
  }
  Value a = eval(*expr.kids[0], frame);
  Value b = eval(*expr.kids[1], frame);
  if (op == BinOp::Eq || op == BinOp::Ne || op == BinOp::Lt || op == BinOp::Gt || op == BinOp::Le ||
      op == BinOp::Ge)
    return compare(op, a, b, expr.offset);
  const auto* ta = std::get_if<Tuple>(&a);
  const auto* tb = std::get_if<Tuple>(&b);
  if (!ta && !tb)
    return arithmetic(
        op, as_int(a, expr.offset, "the left operand of '" + std::string(spelling(op)) + "'"),
        as_int(b, expr.offset, "the right operand of '" + std::string(spelling(op)) + "'"),
        expr.offset);
  if (ta && tb && ta->size() != tb->size())
    fail(expr.offset, "tuple length mismatch in '" + std::string(spelling(op)) + "': " + render(a) +
                          " has " + std::to_string(ta->size()) + " elements, " + render(b) +
                          " has " + std::to_string(tb->size()));
  std::size_t n = ta ? ta->size() : tb->size();
  std::int64_t sa = ta ? 0 : as_int(a, expr.offset, "an operand");
  std::int64_t sb = tb ? 0 : as_int(b, expr.offset, "an operand");
  Tuple out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = arithmetic(op, ta ? (*ta)[i] : sa, tb ? (*tb)[i] : sb, expr.offset);
  return out;
}

std::vector<Value> Evaluator::eval_args(const Expr& call, std::size_t first, Frame& frame) {
  std::vector<Value> args;
  for (std::size_t i = first; i < call.kids.size(); ++i) {
    const Expr& arg = *call.kids[i];
    if (arg.kind != ExprKind::Splat) {
      args.push_back(eval(arg, frame));
      continue;
    }
    const Value spliced = eval(*arg.kids[0], frame);
    for (std::int64_t v : as_tuple(spliced, arg.offset, "the operand of '*'")) args.emplace_back(v);
    if (args.size() > kMaxTupleLength) fail(arg.offset, "too many arguments");
  }
  return args;
}

Value Evaluator::eval_call(const Expr& expr, Frame& frame) {
  const Expr& callee = *expr.kids[0];
  if (callee.kind == ExprKind::Member) return eval_method(expr, callee, frame);
  std::vector<Value> args = eval_args(expr, 1, frame);
  if (callee.binding.scope == Binding::Scope::MachineBuiltin) {
    if (args.size() != 1)
      fail(expr.offset, "Machine() takes 1 argument, got " + std::to_string(args.size()));
    const auto* kind = std::get_if<ProcKind>(&args[0]);
    if (!kind) fail(expr.offset, "Machine() takes a processor kind, got " + a_type(args[0]));
    return machine(*kind);
  }
  if (callee.binding.scope != Binding::Scope::Function)
    fail(expr.offset, "'" + callee.text + "' is not a function");
  return call(callee.binding.slot, std::move(args), expr.offset);
}

Value Evaluator::eval_method(const Expr& call, const Expr& member, Frame& frame) {
  Value receiver = eval(*member.kids[0], frame);
  std::vector<Value> args = eval_args(call, 1, frame);
  const std::string& name = member.text;
  auto arity = [&](std::size_t n) {
    if (args.size() != n)
      fail(call.offset, "'" + name + "' takes " + std::to_string(n) + " argument" +
                            (n == 1 ? "" : "s") + ", got " + std::to_string(args.size()));
  };
  auto int_arg = [&](std::size_t i) {
    return as_int(args[i], call.kids[std::min(i + 1, call.kids.size() - 1)]->offset,
                  "argument " + std::to_string(i + 1) + " of '" + name + "'");
  };
  if (name == "has") {
    arity(1);
    const auto* mem = std::get_if<MemKind>(&args[0]);
    if (!mem) fail(call.offset, "'has' takes a memory kind, got " + a_type(args[0]));
    if (const auto* m = std::get_if<SpacePtr>(&receiver)) return shape_.sees((*m)->kind(), *mem);
    if (const auto* s = std::get_if<ProcSet>(&receiver))
      return !s->procs.empty() && shape_.sees(s->procs.front().kind, *mem);
    fail(member.offset, "'has' needs a machine or processors, got " + a_type(receiver));
  }
  if (name == "processor") {
    arity(1);
    const auto* task = std::get_if<const TaskContext*>(&receiver);
    if (!task) fail(member.offset, "'processor' needs a task, got " + a_type(receiver));
    const SpacePtr& space = as_machine(args[0], call.offset, "argument 1 of 'processor'");
    if (!(*task)->processor)
      fail(member.offset, "the processor of task '" + std::string((*task)->name) +
                              "' is not known yet; only a parent's processor can be asked for");
    ProcessorId proc = *(*task)->processor;
    if (proc.kind != space->kind())
      fail(call.offset, "wrong processor kind: task '" + std::string((*task)->name) + "' runs on " +
                            std::string(to_string(proc.kind)) + " but the machine is of " +
                            std::string(to_string(space->kind())) + " processors");
    auto coordinates = space->from_processor(proc);
    if (!coordinates)
      fail(call.offset, "the processor of task '" + std::string((*task)->name) + "' (node " +
                            std::to_string(proc.node) + ", " + std::string(to_string(proc.kind)) +
                            " " + std::to_string(proc.index) + ") is not in this machine");
    return Tuple(coordinates->begin(), coordinates->end());
  }
  const SpacePtr& space = as_machine(receiver, member.offset, "the receiver of '" + name + "'");
  Fallible<SpacePtr> result = Failure{"unknown method '" + name + "'"};
  if (name == "split" || name == "merge" || name == "swap" || name == "balance_split") {
    arity(2);
    std::int64_t a = int_arg(0), b = int_arg(1);
    result = name == "split"   ? space->split(a, b)
             : name == "merge" ? space->merge(a, b)
             : name == "swap"  ? space->swap(a, b)
                               : space->balance_split(a, b);
  } else if (name == "slice") {
    arity(3);
    result = space->slice(int_arg(0), int_arg(1), int_arg(2));
  } else if (name == "reverse") {
    arity(1);
    result = space->reverse(int_arg(0));
  } else if (name == "decompose" || name == "auto_split" || name == "greedy_split") {
    arity(2);
    std::int64_t dim = int_arg(0);
    const Tuple& extents = as_tuple(args[1], call.offset, "argument 2 of '" + name + "'");
    result =
        name == "greedy_split" ? space->greedy_split(dim, extents) : space->decompose(dim, extents);
  }
  if (!result.ok()) fail(call.offset, result.message());
  return result.value();
}

Value Evaluator::eval_index(const Expr& expr, Frame& frame) {
  Value base = eval(*expr.kids[0], frame);
  const Expr& first = *expr.kids[1];
  if (first.kind == ExprKind::Slice) {
    Tuple sizes;
    if (const auto* m = std::get_if<SpacePtr>(&base))
      sizes = (*m)->sizes();
    else
      sizes = as_tuple(base, expr.offset, "a sliced value");
    auto n = static_cast<std::int64_t>(sizes.size());
    auto bound = [&](const ExprPtr& e, std::int64_t fallback) {
      if (!e) return fallback;
      std::int64_t v = as_int(eval(*e, frame), e->offset, "a slice bound");
      if (v < 0) v += n;  // Python semantics: negative counts from the end, then clamp
      return std::clamp<std::int64_t>(v, 0, n);
    };
    std::int64_t lo = bound(first.kids[0], 0), hi = bound(first.kids[1], n);
    if (hi < lo) hi = lo;
    return Tuple(sizes.begin() + lo, sizes.begin() + hi);
  }
  // Flatten the items: splices expand, '*' stays a wildcard (nullopt).
  std::vector<std::optional<std::int64_t>> items;
  for (std::size_t i = 1; i < expr.kids.size(); ++i) {
    const Expr& item = *expr.kids[i];
    if (item.kind == ExprKind::Star) {
      items.emplace_back(std::nullopt);
    } else if (item.kind == ExprKind::Splat) {
      const Value spliced = eval(*item.kids[0], frame);
      for (std::int64_t v : as_tuple(spliced, item.offset, "the operand of '*'"))
        items.emplace_back(v);
    } else if (item.kind == ExprKind::Slice) {
      fail(item.offset, "a slice must be the only item of an index");
    } else {
      items.emplace_back(as_int(eval(item, frame), item.offset, "an index"));
    }
  }
  if (const auto* tuple = std::get_if<Tuple>(&base)) {
    if (items.size() != 1 || !items[0])
      fail(expr.offset, "a tuple takes exactly one index, got " + std::to_string(items.size()));
    auto n = static_cast<std::int64_t>(tuple->size());
    std::int64_t i = *items[0];
    std::int64_t at = i < 0 ? i + n : i;
    if (at < 0 || at >= n)
      fail(expr.kids[1]->offset, "index " + std::to_string(i) +
                                     " out of bound for a tuple of length " + std::to_string(n));
    return (*tuple)[static_cast<std::size_t>(at)];
  }
  const SpacePtr& space = as_machine(base, expr.offset, "an indexed value");
  const auto& sizes = space->sizes();
  if (items.size() > sizes.size())
    fail(expr.offset, "expected at most " + std::to_string(sizes.size()) +
                          " indices for a machine of " + std::to_string(sizes.size()) +
                          " dimensions, got " + std::to_string(items.size()));
  bool whole = items.size() == sizes.size() &&
               std::all_of(items.begin(), items.end(), [](const auto& v) { return v.has_value(); });
  std::vector<std::int64_t> point(sizes.size(), 0);
  for (std::size_t d = 0; d < items.size(); ++d) {
    if (!items[d]) continue;
    if (*items[d] < 0 || *items[d] >= sizes[d])
      fail(expr.offset, "index " + std::to_string(*items[d]) + " out of bound for dimension " +
                            std::to_string(d) + " of size " + std::to_string(sizes[d]));
    point[d] = *items[d];
  }
  if (whole) {
    Fallible<ProcessorId> proc = space->to_processor(point);
    if (!proc.ok()) fail(expr.offset, proc.message());
    return ProcSet{{proc.value()}, false};
  }
  // A set: every combination of the wildcard dimensions (and those left out).
  std::vector<std::size_t> free_dims;
  std::int64_t count = 1;
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    if (d < items.size() && items[d]) continue;
    free_dims.push_back(d);
    if (__builtin_mul_overflow(count, sizes[d], &count) ||
        count > static_cast<std::int64_t>(kMaxTupleLength))
      fail(expr.offset, "processor set too large");
  }
  ProcSet set{{}, true};
  if (count == 0) return set;
  for (;;) {
    Fallible<ProcessorId> proc = space->to_processor(point);
    if (!proc.ok()) fail(expr.offset, proc.message());
    set.procs.push_back(proc.value());
    std::size_t k = 0;
    for (; k < free_dims.size(); ++k) {
      std::size_t d = free_dims[k];
      if (++point[d] < sizes[d]) break;
      point[d] = 0;
    }
    if (k == free_dims.size()) break;
  }
  return set;
}

Value Evaluator::eval_member(const Expr& expr, Frame& frame) {
  Value base = eval(*expr.kids[0], frame);
  const std::string& name = expr.text;
  if (const auto* task = std::get_if<const TaskContext*>(&base)) {
    const TaskContext& t = **task;
    if (name == "ipoint" || name == "ispace") {
      if (!t.is_index)
        fail(expr.offset, "task '" + std::string(t.name) + "' is a single task; it has no " + name);
      auto span = name == "ipoint" ? t.ipoint : t.ispace;
      return Tuple(span.begin(), span.end());
    }
    if (name == "parent") {
      if (!t.parent) fail(expr.offset, "task '" + std::string(t.name) + "' has no parent here");
      return t.parent;
    }
    fail(expr.offset, "a task has no property '" + name + "'");
  }
  Tuple sizes;
  if (const auto* m = std::get_if<SpacePtr>(&base))
    sizes = (*m)->sizes();
  else if (const auto* t = std::get_if<Tuple>(&base))
    sizes = *t;
  else
    fail(expr.offset, a_type(base) + " has no property '" + name + "'");
  if (name == "len") return static_cast<std::int64_t>(sizes.size());
  if (name == "volume") return checked_volume(sizes, expr.offset);
  if (name == "size") return sizes;
  fail(expr.offset, a_type(base) + " has no property '" + name + "'");
}

Value Evaluator::eval_generator(const Expr& expr, Frame& frame) {
  const Value iterable = eval(*expr.kids[1], frame);
  const Tuple& items = as_tuple(iterable, expr.kids[1]->offset, "the iterable of tuple(...)");
  auto slot = static_cast<std::size_t>(expr.binding.slot);
  Value saved = frame[slot];
  Tuple out;
  out.reserve(items.size());
  for (std::int64_t item : items) {
    frame[slot] = item;
    out.push_back(as_int(eval(*expr.kids[0], frame), expr.kids[0]->offset, "a tuple element"));
  }
  frame[slot] = saved;
  return out;
}

}  // namespace mapforge::dsl
