// `mapforge query FILE --machine ...`: the decisions a policy makes for one task, or the value
// of an expression, as text or JSON.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "cli/command.h"

namespace mapforge::cli {
namespace {

using nlohmann::json;

json processor_json(const dsl::ProcessorId& p) { return json::array({p.node, p.index}); }

std::string processor_text(const dsl::ProcessorId& p) {
  return "node " + std::to_string(p.node) + ", " + std::string(dsl::to_string(p.kind)) + " " +
         std::to_string(p.index);
}

std::string join_kinds(const auto& kinds) {
  std::string out;
  for (auto kind : kinds) out += (out.empty() ? "" : ",") + std::string(dsl::to_string(kind));
  return out;
}

json value_json(const dsl::EvalValue& value) {
  using Kind = dsl::EvalValue::Kind;
  switch (value.kind) {
    case Kind::Int:
      return value.integer;
    case Kind::Bool:
      return value.boolean;
    case Kind::Tuple:
      return value.tuple;
    case Kind::Processors: {
      json list = json::array();
      for (const auto& p : value.processors) list.push_back(processor_json(p));
      return value.is_set ? list : list[0];
    }
    default:
      return value.text;
  }
}

/// The memory the runtime uses when a policy names none: a GPU's framebuffer, else system memory.
dsl::MemKind native_memory(dsl::ProcKind kind) {
  return kind == dsl::ProcKind::GPU ? dsl::MemKind::FBMEM : dsl::MemKind::SYSMEM;
}

class QueryCommand final : public Command {
 public:
  std::string_view name() const override { return "query"; }
  std::string_view summary() const override {
    return "show the decisions a policy makes for a task on a machine, or evaluate an expression";
  }
  void configure(CLI::App& app) override {
    app.add_option("file", file_, "policy file ('-' reads standard input)")->required();
    app.add_option("--machine", machine_,
                   "machine shape, e.g. nodes=2,cpu=8,gpu=4,omp=0[,mem=SYSMEM+FBMEM+ZCMEM]")
        ->required();
    app.add_option("--task", task_, "task to query");
    app.add_option("--kind", kind_,
                   "processor kind to map the task to (default: its first "
                   "listed kind the machine has, else GPU > OMP > CPU)");
    app.add_option("--point", point_, "launch point of an index task, e.g. 3,1");
    app.add_option("--ispace", ispace_, "extents of the launch domain, e.g. 4,4");
    app.add_option("--parent-proc", parent_,
                   "the parent task's processor NODE,INDEX[,KIND] (default kind: the task's)");
    app.add_option("--region", region_,
                   "region argument to query: its name, or its 0-based position as in a Region "
                   "statement");
    app.add_option("--arg", arg_, "region argument position (0-based); same as --region INDEX")
        ->check(int_range(0, 1000000));
    app.add_option("--memory", memory_, "memory kind for the layout (default: the chosen one)");
    app.add_option("--eval", eval_, "an expression to evaluate in the policy's global scope");
    app.add_flag("--json", json_, "print one JSON object");
  }
  int run(Io& io) override;

 private:
  int bad(Io& io, const std::string& message) {
    io.err << "mapforge: error: " << message << "\n";
    return kExitBadInput;
  }
  std::optional<dsl::ProcKind> choose_kind(const dsl::Mapper& mapper,
                                           const dsl::MachineShape& shape);

  std::string file_, machine_, task_, kind_, point_, ispace_, parent_, region_, memory_, eval_;
  int arg_ = -1;
  bool json_ = false;
};

std::optional<dsl::ProcKind> QueryCommand::choose_kind(const dsl::Mapper& mapper,
                                                       const dsl::MachineShape& shape) {
  if (!kind_.empty()) return dsl::parse_proc_kind(kind_);
  auto listed = mapper.task_kinds(task_);
  for (dsl::ProcKind kind : listed)
    if (shape.count(kind) > 0) return kind;
  if (!listed.empty()) return std::nullopt;  // the policy names kinds this machine lacks
  for (dsl::ProcKind kind : {dsl::ProcKind::GPU, dsl::ProcKind::OMP, dsl::ProcKind::CPU})
    if (shape.count(kind) > 0) return kind;
  return std::nullopt;
}

int QueryCommand::run(Io& io) {
  std::string error;
  auto shape = parse_machine(machine_, error);
  if (!shape) return bad(io, error);
  if (task_.empty() && eval_.empty()) return bad(io, "query needs --task or --eval");
  // A number names the argument position, as in a Region statement (`Region t 1 GPU FBMEM;`).
  if (!region_.empty() && std::all_of(region_.begin(), region_.end(),
                                      [](unsigned char c) { return std::isdigit(c); })) {
    if (region_.size() > 7)
      return bad(io, "--region: argument position " + region_ + " is too large");
    int position = std::stoi(region_);
    if (arg_ >= 0 && arg_ != position)
      return bad(io, "--region " + region_ + " and --arg " + std::to_string(arg_) +
                         " name different argument positions");
    arg_ = position;
    region_.clear();
  }
  if (!kind_.empty() && !dsl::parse_proc_kind(kind_))
    return bad(io, "--kind: unknown processor kind '" + kind_ +
                       "'; kinds are CPU, GPU, OMP, IO, PY, PROC");
  FileText file = read_text(file_, io.in, kPolicyFile);
  if (!file.error.empty()) return bad(io, file.error);
  auto policy = dsl::Policy::load(file_ == "-" ? "<stdin>" : file_, file.text);
  if (!policy.ok()) {
    io.err << dsl::render_all(policy.errors());
    return kExitBadInput;
  }
  std::vector<std::string> printed;
  auto mapper = dsl::Mapper::create(policy.value(), *shape,
                                    [&](std::string_view line) { printed.emplace_back(line); });
  for (const auto& line : printed) io.err << line << "\n";
  if (!mapper.ok()) {
    io.err << dsl::render_all(mapper.errors());
    return kExitBadInput;
  }
  json out = json::object();
  std::string text;
  if (!eval_.empty()) {
    auto value = mapper->eval(eval_);
    if (!value.ok()) {
      io.err << dsl::render_all(value.errors());
      return kExitBadInput;
    }
    out["value"] = value_json(value.value());
    text += value->text + "\n";
  }
  if (!task_.empty()) {
    auto kind = choose_kind(mapper.value(), *shape);
    out["task"] = task_;
    out["kinds"] = json::array();
    for (auto k : mapper->task_kinds(task_)) out["kinds"].push_back(dsl::to_string(k));
    out["kind"] = kind ? json(dsl::to_string(*kind)) : json(nullptr);
    text += "task " + task_ + "\n";
    text += "  kinds: " +
            (out["kinds"].empty() ? "(runtime default)" : join_kinds(mapper->task_kinds(task_))) +
            "\n";
    text +=
        "  kind: " + (kind ? std::string(dsl::to_string(*kind)) : "(none on this machine)") + "\n";
    if (!kind) {
      io.out << (json_ ? out.dump() + "\n" : text);
      return kExitOk;
    }
    // Region argument: memories, layout, collect.
    if (!region_.empty() || arg_ >= 0) {
      dsl::RegionArg arg{region_, arg_};
      auto memories = mapper->region_memories(task_, arg, *kind);
      auto chosen = mapper->select_memory(task_, arg, *kind);
      out["memories"] = json::array();
      for (auto m : memories) out["memories"].push_back(dsl::to_string(m));
      out["memory"] = chosen ? json(dsl::to_string(*chosen)) : json(nullptr);
      dsl::MemKind layout_memory = chosen.value_or(native_memory(*kind));
      if (!memory_.empty()) {
        auto forced = dsl::parse_mem_kind(memory_);
        if (!forced) return bad(io, "--memory: unknown memory kind '" + memory_ + "'");
        layout_memory = *forced;
      }
      auto layout = mapper->layout(task_, arg, layout_memory);
      out["layout"] = json::array();
      std::string words;
      if (layout)
        for (const auto& c : *layout) {
          out["layout"].push_back(c.word());
          words += (words.empty() ? "" : " ") + c.word();
        }
      out["collect"] = mapper->collect_memory(task_, arg);
      std::string label = region_.empty() ? "argument " + std::to_string(arg_) : region_;
      text += "  region " + label + "\n";
      text +=
          "    memories: " + (memories.empty() ? "(runtime default)" : join_kinds(memories)) + "\n";
      text +=
          "    memory: " + (chosen ? std::string(dsl::to_string(*chosen)) : "(runtime default)") +
          "\n";
      text += "    layout (" + std::string(dsl::to_string(layout_memory)) +
              "): " + (layout ? words : "(runtime default)") + "\n";
      text += std::string("    collect: ") + (out["collect"].get<bool>() ? "yes" : "no") + "\n";
    }
    auto limit = mapper->instance_limit(task_, *kind);
    out["instance_limit"] = limit ? json(*limit) : json(nullptr);
    text += "  instance limit: " + (limit ? std::to_string(*limit) : "none") + "\n";
    if (auto replicate = mapper->control_replicate(task_)) {
      out["control_replicate"] = *replicate;
      text += std::string("  control replicate: ") + (*replicate ? "yes" : "no") + "\n";
    } else {
      out["control_replicate"] = nullptr;
    }
    // Placement: an index point, or a single task given its parent's processor.
    std::optional<dsl::ProcessorId> parent;
    if (!parent_.empty()) {
      std::string item_error;
      std::size_t last = parent_.rfind(',');
      std::string numbers = parent_;
      dsl::ProcKind parent_kind = *kind;
      if (last != std::string::npos && dsl::parse_proc_kind(parent_.substr(last + 1))) {
        parent_kind = *dsl::parse_proc_kind(parent_.substr(last + 1));
        numbers = parent_.substr(0, last);
      }
      auto values = parse_int_list(numbers, item_error);
      if (!values || values->size() != 2)
        return bad(io, "--parent-proc: expected NODE,INDEX[,KIND], got '" + parent_ + "'");
      if ((*values)[0] < 0 || (*values)[0] >= shape->nodes || (*values)[1] < 0 ||
          (*values)[1] >= std::max(1, shape->count(parent_kind)))
        return bad(io, "--parent-proc: processor " + parent_ + " is not on this machine");
      parent = dsl::ProcessorId{static_cast<int>((*values)[0]), static_cast<int>((*values)[1]),
                                parent_kind};
    }
    dsl::Result<std::optional<dsl::Placement>> placement = std::optional<dsl::Placement>{};
    if (point_.empty() != ispace_.empty())
      return bad(io, point_.empty() ? "--ispace needs --point" : "--point needs --ispace");
    if (!point_.empty()) {
      std::string list_error;
      auto point = parse_int_list(point_, list_error);
      if (!point) return bad(io, "--point: " + list_error);
      auto ispace = parse_int_list(ispace_, list_error);
      if (!ispace) return bad(io, "--ispace: " + list_error);
      if (point->size() != ispace->size())
        return bad(io, "--point has " + std::to_string(point->size()) + " coordinate" +
                           (point->size() == 1 ? "" : "s") + " but --ispace has " +
                           std::to_string(ispace->size()));
      for (std::size_t d = 0; d < point->size(); ++d)
        if ((*point)[d] < 0 || (*point)[d] >= (*ispace)[d])
          return bad(io, "--point " + point_ + " is outside the launch domain " + ispace_);
      placement = mapper->map_index_point(task_, *kind, dsl::IndexPoint{*point, *ispace}, parent);
    } else {
      // A single task; without --parent-proc its parent is the top-level task (node 0, CPU 0).
      dsl::ProcessorId top{0, 0, dsl::ProcKind::CPU};
      placement = mapper->map_single_task(task_, *kind, parent.value_or(top));
    }
    if (!placement.ok()) {
      io.err << dsl::render_all(placement.errors());
      return kExitBadInput;
    }
    const auto& where = placement.value();
    if (!where) {
      out["processor"] = nullptr;
      text += "  processor: (runtime default)\n";
    } else if (!where->is_set) {
      out["processor"] = processor_json(where->processors[0]);
      text += "  processor: " + processor_text(where->processors[0]) + "\n";
    } else {
      out["processors"] = json::array();
      text += "  processors:";
      for (const auto& p : where->processors) {
        out["processors"].push_back(processor_json(p));
        text += " (" + processor_text(p) + ")";
      }
      text += "\n";
    }
  }
  io.out << (json_ ? out.dump() + "\n" : text);
  return kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_query_command() { return std::make_unique<QueryCommand>(); }

}  // namespace mapforge::cli
