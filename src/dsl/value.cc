#include "dsl/value.h"

namespace mapforge::dsl {
namespace {

std::string render_tuple(const Tuple& tuple) {
  std::string out = "(";
  for (std::size_t i = 0; i < tuple.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(tuple[i]);
  }
  // A one-element tuple keeps its comma, as in the language: (4,) is a tuple, (4) an int.
  if (tuple.size() == 1) out += ",";
  return out + ")";
}

std::string render_processor(const ProcessorId& proc) {
  return std::string(to_string(proc.kind)) + "(node " + std::to_string(proc.node) + ", " +
         std::to_string(proc.index) + ")";
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::string_view value_type_name(const Value& value) {
  static constexpr std::array<std::string_view, 9> kNames = {
      "nothing", "int",       "bool",           "tuple",      "machine",
      "task",    "processor", "processor kind", "memory kind"};
  return kNames[value.index()];
}

std::string render(const Value& value) {
  return std::visit(Overloaded{
                        [](std::monostate) { return std::string("nothing"); },
                        [](std::int64_t v) { return std::to_string(v); },
                        [](bool v) { return std::string(v ? "True" : "False"); },
                        [](const Tuple& t) { return render_tuple(t); },
                        [](const SpacePtr& m) {
                          return "Machine(" + std::string(to_string(m->kind())) + ", size " +
                                 render_tuple(m->sizes()) + ")";
                        },
                        [](const TaskContext* t) { return "Task(" + std::string(t->name) + ")"; },
                        [](const ProcSet& s) {
                          if (!s.is_set && s.procs.size() == 1) return render_processor(s.procs[0]);
                          std::string out = "{";
                          for (std::size_t i = 0; i < s.procs.size(); ++i)
                            out += (i ? ", " : "") + render_processor(s.procs[i]);
                          return out + "}";
                        },
                        [](ProcKind k) { return std::string(to_string(k)); },
                        [](MemKind k) { return std::string(to_string(k)); },
                    },
                    value);
}

EvalValue to_eval_value(const Value& value) {
  EvalValue out;
  out.text = render(value);
  std::visit(Overloaded{
                 [&](std::monostate) {},
                 [&](std::int64_t v) {
                   out.kind = EvalValue::Kind::Int;
                   out.integer = v;
                 },
                 [&](bool v) {
                   out.kind = EvalValue::Kind::Bool;
                   out.boolean = v;
                 },
                 [&](const Tuple& t) {
                   out.kind = EvalValue::Kind::Tuple;
                   out.tuple = t;
                 },
                 [&](const SpacePtr& m) {
                   out.kind = EvalValue::Kind::Machine;
                   out.tuple = m->sizes();
                 },
                 [&](const TaskContext*) { out.kind = EvalValue::Kind::Task; },
                 [&](const ProcSet& s) {
                   out.kind = EvalValue::Kind::Processors;
                   out.processors = s.procs;
                   out.is_set = s.is_set;
                 },
                 [&](ProcKind) { out.kind = EvalValue::Kind::ProcKindValue; },
                 [&](MemKind) { out.kind = EvalValue::Kind::MemKindValue; },
             },
             value);
  return out;
}

}  // namespace mapforge::dsl
