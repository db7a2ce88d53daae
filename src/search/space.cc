#include "search/space.h"

#include <algorithm>
#include <map>
#include <set>

#include "search/policy_doc.h"

namespace mapforge::search {
namespace {

const std::vector<std::int64_t> kLimits = {0, 1, 2, 4};  // 0: no InstanceLimit

int rank(dsl::ProcKind kind) {
  switch (kind) {
    case dsl::ProcKind::GPU:
      return 0;
    case dsl::ProcKind::OMP:
      return 1;
    case dsl::ProcKind::CPU:
      return 2;
    default:
      return 3;
  }
}

std::vector<std::string> memory_labels(const dsl::MachineShape& m, dsl::ProcKind kind) {
  std::vector<std::string> labels;
  for (auto mem : m.visible_memories[static_cast<std::size_t>(kind)])
    labels.emplace_back(dsl::to_string(mem));
  return labels;
}

std::vector<std::string> template_labels() {
  std::vector<std::string> labels = {"default"};
  for (auto t : index_templates()) labels.emplace_back(to_string(t));
  return labels;
}

std::string kind_word(dsl::ProcKind kind) { return std::string(dsl::to_string(kind)); }

IndexTemplate template_named(const std::string& label) {
  for (auto t : index_templates())
    if (to_string(t) == label) return t;
  return IndexTemplate::Block;
}

}  // namespace

std::vector<dsl::ProcKind> runnable_kinds(const TaskInfo& task, const dsl::MachineShape& machine) {
  std::vector<dsl::ProcKind> kinds;
  for (auto kind : task.variants)
    if (machine.count(kind) > 0 && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
      kinds.push_back(kind);
  std::stable_sort(kinds.begin(), kinds.end(), [](auto a, auto b) { return rank(a) < rank(b); });
  if (kinds.empty() && !task.variants.empty()) kinds.push_back(task.variants.front());
  if (kinds.empty()) kinds.push_back(dsl::ProcKind::CPU);
  return kinds;
}

void Space::add(Param param, Slot slot) {
  params_.push_back(std::move(param));
  slots_.push_back(std::move(slot));
}

Space Space::build(const Problem& problem, Granularity granularity) {
  Space s;
  s.problem_ = problem;
  s.granularity_ = granularity;
  const auto& tasks = problem.app.tasks;
  const auto& machine = problem.machine;
  std::set<dsl::ProcKind> kinds_in_use;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    s.kind_options_.push_back(runnable_kinds(tasks[t], machine));
    for (auto k : s.kind_options_.back()) kinds_in_use.insert(k);
  }
  int ti = 0;
  for (const auto& task : tasks) {
    const auto& kinds = s.kind_options_[static_cast<std::size_t>(ti)];
    if (kinds.size() > 1 && granularity != Granularity::Small) {
      // 0: no statement (the runtime picks; templates assume the first runnable kind).
      Param p{"kind " + task.name, Param::Kind::Choice, {"default"}, 0, 0};
      for (auto k : kinds) p.labels.push_back(kind_word(k));
      s.add(std::move(p), Slot{Role::Kind, ti});
    }
    ++ti;
  }
  if (granularity == Granularity::Full) {
    for (int t = 0; t < int(tasks.size()); ++t) {
      const auto& task = tasks[static_cast<std::size_t>(t)];
      std::set<std::string> args_seen;
      for (int a = 0; a < int(task.region_args.size()); ++a) {
        const std::string& region = task.region_args[static_cast<std::size_t>(a)];
        if (!args_seen.insert(region).second) continue;
        for (auto k : s.kind_options_[static_cast<std::size_t>(t)]) {
          auto labels = memory_labels(machine, k);
          if (labels.size() < 2) continue;
          labels.insert(labels.begin(), "default");
          s.add(Param{"memory " + task.name + " " + region + " " + kind_word(k),
                      Param::Kind::Choice, labels, 0, 0},
                Slot{Role::Memory, t, a, region, k});
        }
        s.add(Param{"layout " + task.name + " " + region, Param::Kind::Choice, layout_choices(), 0,
                    0},
              Slot{Role::Layout, t, a, region});
        s.add(
            Param{"collect " + task.name + " " + region, Param::Kind::Choice, {"no", "yes"}, 0, 0},
            Slot{Role::Collect, t, a, region});
      }
      if (task.index) {
        s.add(Param{"limit " + task.name, Param::Kind::Choice, {"none", "1", "2", "4"}, 0, 0},
              Slot{Role::Limit, t});
        s.add(Param{"map " + task.name, Param::Kind::Choice, template_labels(), 0, 0},
              Slot{Role::IndexMap, t});
        s.add(Param{"block " + task.name, Param::Kind::Integer, {}, 1, 16}, Slot{Role::Block, t});
      }
      if (task.has_parent)
        s.add(Param{"map " + task.name, Param::Kind::Choice, {"default", "same_as_parent"}, 0, 0},
              Slot{Role::SingleMap, t});
    }
  } else if (granularity == Granularity::Small) {
    std::set<std::string> gpu_regions;
    std::set<int> dims;
    for (int t = 0; t < int(tasks.size()); ++t) {
      const auto& task = tasks[static_cast<std::size_t>(t)];
      if (s.kind_options_[static_cast<std::size_t>(t)].front() == dsl::ProcKind::GPU)
        for (const auto& region : task.region_args) gpu_regions.insert(region);
      if (task.index) dims.insert(task.launch_dims);
    }
    if (machine.sees(dsl::ProcKind::GPU, dsl::MemKind::FBMEM) &&
        machine.sees(dsl::ProcKind::GPU, dsl::MemKind::ZCMEM))
      for (const auto& region : gpu_regions)
        s.add(Param{"memory * " + region + " GPU", Param::Kind::Choice,
                    {"default", "FBMEM", "ZCMEM"}, 0, 0},
              Slot{Role::Memory, -1, -1, region, dsl::ProcKind::GPU});
    s.add(Param{"layout * *", Param::Kind::Choice, {"", "SOA C_order", "SOA F_order"}, 0, 0},
          Slot{Role::Layout});
    for (int d : dims) {
      Slot slot{Role::IndexMap};
      slot.dims = d;
      s.add(Param{"map " + std::to_string(d) + "-D launches", Param::Kind::Choice,
                  {"default", "block", "cyclic", "tiles"}, 0, 0},
            slot);
    }
    if (std::any_of(tasks.begin(), tasks.end(), [](const TaskInfo& t) { return t.has_parent; }))
      s.add(Param{"map single tasks", Param::Kind::Choice, {"default", "same_as_parent"}, 0, 0},
            Slot{Role::SingleMap});
  } else {
    // One memory per (region name, kind), one layout, one mapping function per dimensionality.
    std::map<std::pair<std::string, dsl::ProcKind>, bool> regions;
    std::set<int> dims;
    for (int t = 0; t < int(tasks.size()); ++t) {
      const auto& task = tasks[static_cast<std::size_t>(t)];
      for (const auto& region : task.region_args)
        for (auto k : s.kind_options_[static_cast<std::size_t>(t)]) regions[{region, k}] = true;
      if (task.index) dims.insert(task.launch_dims);
    }
    for (const auto& [key, unused] : regions) {
      auto labels = memory_labels(machine, key.second);
      if (labels.size() < 2) continue;
      labels.insert(labels.begin(), "default");
      s.add(Param{"memory * " + key.first + " " + kind_word(key.second), Param::Kind::Choice,
                  labels, 0, 0},
            Slot{Role::Memory, -1, -1, key.first, key.second});
    }
    s.add(Param{"layout * *", Param::Kind::Choice, layout_choices(), 0, 0}, Slot{Role::Layout});
    for (int d : dims) {
      Slot slot{Role::IndexMap};
      slot.dims = d;
      s.add(Param{"map " + std::to_string(d) + "-D launches", Param::Kind::Choice,
                  template_labels(), 0, 0},
            slot);
    }
    bool any_parent =
        std::any_of(tasks.begin(), tasks.end(), [](const TaskInfo& t) { return t.has_parent; });
    if (any_parent)
      s.add(Param{"map single tasks", Param::Kind::Choice, {"default", "same_as_parent"}, 0, 0},
            Slot{Role::SingleMap});
  }
  return s;
}

Point Space::origin() const {
  Point p;
  for (const auto& param : params_) p.push_back(param.kind == Param::Kind::Choice ? 0 : param.lo);
  return p;
}

double Space::size() const {
  double n = 1;
  for (const auto& p : params_) n *= static_cast<double>(p.count());
  return n;
}

std::string Space::render(const Point& raw) const {
  Point point = raw;
  point.resize(params_.size(), 0);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const auto& p = params_[i];
    std::int64_t lo = p.kind == Param::Kind::Choice ? 0 : p.lo;
    std::int64_t hi = p.kind == Param::Kind::Choice ? p.count() - 1 : p.hi;
    point[i] = std::clamp(point[i], lo, std::max(lo, hi));
  }
  const auto& tasks = problem_.app.tasks;
  // The kind each task runs on: its first runnable kind unless a parameter says otherwise.
  std::vector<dsl::ProcKind> kind(tasks.size());
  std::vector<int> block(tasks.size(), 1);
  for (std::size_t t = 0; t < tasks.size(); ++t) kind[t] = kind_options_[t].front();
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Slot& slot = slots_[i];
    if (slot.role == Role::Kind && point[i] > 0)
      kind[static_cast<std::size_t>(slot.task)] =
          kind_options_[static_cast<std::size_t>(slot.task)]
                       [static_cast<std::size_t>(point[i] - 1)];
    if (slot.role == Role::Block) block[static_cast<std::size_t>(slot.task)] = int(point[i]);
  }
  PolicyDoc doc;
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (slots_[i].role == Role::Kind && point[i] > 0) {
      auto t = static_cast<std::size_t>(slots_[i].task);
      doc.set("Task " + tasks[t].name + " " + kind_word(kind[t]) + ";");
    }
  std::set<dsl::ProcKind> used_kinds(kind.begin(), kind.end());
  // Index maps: function per task, grouped into one statement per function.
  std::map<std::string, std::vector<std::string>> index_maps, single_maps;
  auto place = [&](std::map<std::string, std::vector<std::string>>& maps, const MappingFunction& f,
                   const std::string& task) {
    doc.set(f.assignment);
    doc.set(f.definition);
    maps[f.name].push_back(task);
  };
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Slot& slot = slots_[i];
    std::int64_t v = point[i];
    const TaskInfo* task = slot.task >= 0 ? &tasks[static_cast<std::size_t>(slot.task)] : nullptr;
    switch (slot.role) {
      case Role::Kind:
      case Role::Block:
        break;
      case Role::Memory:
        if (v == 0) break;
        if (task) {
          if (kind[static_cast<std::size_t>(slot.task)] != slot.kind) break;
          doc.set("Region " + task->name + " " + slot.region + " " + kind_word(slot.kind) + " " +
                  params_[i].labels[static_cast<std::size_t>(v)] + ";");
        } else if (used_kinds.count(slot.kind)) {
          doc.set("Region * " + slot.region + " " + kind_word(slot.kind) + " " +
                  params_[i].labels[static_cast<std::size_t>(v)] + ";");
        }
        break;
      case Role::Layout:
        if (v == 0) break;
        doc.set("Layout " + (task ? task->name + " " + slot.region : std::string("* *")) + " * " +
                params_[i].labels[static_cast<std::size_t>(v)] + ";");
        break;
      case Role::Collect:
        if (v == 1) doc.set("CollectMemory " + task->name + " " + slot.region + ";");
        break;
      case Role::Limit:
        if (v > 0)
          doc.set("InstanceLimit " + task->name + " " +
                  std::to_string(kLimits[static_cast<std::size_t>(v)]) + ";");
        break;
      case Role::IndexMap: {
        if (v == 0) break;
        auto tmpl = template_named(params_[i].labels[static_cast<std::size_t>(v)]);
        if (task) {
          auto t = static_cast<std::size_t>(slot.task);
          place(index_maps, index_function(tmpl, kind[t], task->launch_dims, block[t]), task->name);
        } else {
          for (std::size_t t = 0; t < tasks.size(); ++t)
            if (tasks[t].index && tasks[t].launch_dims == slot.dims)
              place(index_maps, index_function(tmpl, kind[t], slot.dims, 4), tasks[t].name);
        }
        break;
      }
      case Role::SingleMap:
        if (v == 0) break;
        for (std::size_t t = 0; t < tasks.size(); ++t) {
          if (!tasks[t].has_parent || (task && static_cast<int>(t) != slot.task)) continue;
          place(single_maps, same_as_parent(kind[t]), tasks[t].name);
        }
        break;
    }
  }
  auto emit = [&](const char* keyword, const std::map<std::string, std::vector<std::string>>& m) {
    for (const auto& [function, names] : m) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ",") + n;
      doc.set(std::string(keyword) + " " + list + " " + function + ";");
    }
  };
  emit("IndexTaskMap", index_maps);
  emit("SingleTaskMap", single_maps);
  return doc.render();
}

}  // namespace mapforge::search
