// Profile analysis: see profile_analysis.h. Every figure comes from the profile; every rule
// names the decision that produced the cost and, at the suggest level, the statement to change.
#include "guide/profile_analysis.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace mapforge::guide {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxRecords = 8;

// ---- reading the profile defensively ----

double num(const json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return 0;
  double v = it->get<double>();
  if (!std::isfinite(v) || v < 0) return 0;
  return v;
}

std::string str(const json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  std::string s = it->get<std::string>();
  if (s.size() > 200) s.resize(200);
  return s;
}

const json& arr(const json& j, const char* key) {
  static const json empty = json::array();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return empty;
  return *it;
}

const json& obj(const json& j, const char* key) {
  static const json empty = json::object();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return empty;
  return *it;
}

// A DSL identifier (task and region names go into statements verbatim only when they are names).
bool is_identifier(const std::string& s) {
  if (s.empty() || s.size() > 100) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

struct Arg {
  std::string region, memory, layout, memory_by, layout_by;
  double bytes = 0, data_s = 0, bandwidth = 0, copied_in = 0;
};

struct Task {
  std::string name, kind, kind_by, placement_by;
  double points = 0, busy_s = 0, compute_s = 0, data_s = 0;
  std::vector<Arg> args;
};

struct PathEntry {
  std::string task;
  double run_s = 0, wait_s = 0, share = 0;
};

struct Channel {
  std::string name;
  double bytes = 0, copies = 0, busy_s = 0;
};

struct Memory {
  std::string name, kind;
  double capacity = 0, high_water = 0, share = 0;
};

struct Proc {
  std::string name;
  double busy_s = 0, utilisation = 0;
};

struct Profile {
  std::string machine;
  double nodes = 1, elapsed_s = 0, total_s = 0, path_s = 0;
  std::vector<Task> tasks;
  std::vector<PathEntry> path;
  std::vector<Channel> channels;
  std::vector<Memory> memories;
  std::vector<Proc> procs;

  const Task* task(const std::string& name) const {
    for (const Task& t : tasks)
      if (t.name == name) return &t;
    return nullptr;
  }
  double run_time() const { return total_s > 0 ? total_s : elapsed_s > 0 ? elapsed_s : path_s; }
};

Profile read(const json& j) {
  Profile p;
  p.machine = str(j, "machine");
  p.nodes = std::max(1.0, num(j, "nodes"));
  p.elapsed_s = num(j, "elapsed_s");
  p.total_s = num(j, "total_s");
  for (const json& t : arr(j, "tasks")) {
    Task task{str(t, "task"),
              str(t, "kind"),
              str(t, "kind_decided_by"),
              str(t, "placement_decided_by"),
              num(t, "points"),
              num(t, "busy_s"),
              num(t, "compute_s"),
              num(t, "data_s"),
              {}};
    if (task.name.empty()) continue;
    for (const json& a : arr(t, "args")) {
      Arg arg{str(a, "region"),
              str(a, "memory"),
              str(a, "layout"),
              str(a, "memory_decided_by"),
              str(a, "layout_decided_by"),
              num(a, "bytes"),
              num(a, "data_s"),
              num(a, "bandwidth_Bps"),
              num(a, "copied_in_bytes")};
      if (!arg.region.empty()) task.args.push_back(std::move(arg));
    }
    p.tasks.push_back(std::move(task));
  }
  const json& cp = obj(j, "critical_path");
  p.path_s = num(cp, "length_s");
  for (const json& b : arr(cp, "by_task")) {
    PathEntry e{str(b, "task"), num(b, "run_s"), num(b, "copy_wait_s"),
                std::min(1.0, num(b, "share"))};
    if (!e.task.empty()) p.path.push_back(std::move(e));
  }
  std::stable_sort(p.path.begin(), p.path.end(),
                   [](const PathEntry& a, const PathEntry& b) { return a.share > b.share; });
  for (const json& c : arr(j, "channels")) {
    Channel ch{str(c, "channel"), num(c, "bytes"), num(c, "copies"), num(c, "busy_s")};
    if (!ch.name.empty()) p.channels.push_back(std::move(ch));
  }
  for (const json& m : arr(j, "memories")) {
    Memory mem{str(m, "memory"), str(m, "kind"), num(m, "capacity_bytes"),
               num(m, "high_water_bytes"), num(m, "high_water_share")};
    if (mem.share == 0 && mem.capacity > 0) mem.share = mem.high_water / mem.capacity;
    if (!mem.name.empty()) p.memories.push_back(std::move(mem));
  }
  for (const json& q : arr(j, "processors")) {
    Proc proc{str(q, "processor"), num(q, "busy_s"), num(q, "utilisation")};
    if (!proc.name.empty()) p.procs.push_back(std::move(proc));
  }
  return p;
}

// ---- numbers for people ----

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string bytes_str(double b) {
  if (b >= 1e9) return fmt("%.1f GB", b / 1e9);
  if (b >= 1e6) return fmt(b >= 1e7 ? "%.0f MB" : "%.1f MB", b / 1e6);
  if (b >= 1e3) return fmt("%.0f KB", b / 1e3);
  return fmt("%.0f B", b);
}

std::string seconds_str(double s) {
  if (s >= 1000) return fmt("%.0f s", s);
  return fmt("%.3g s", s);
}

std::string share_str(double share) {
  double pct = share * 100;
  if (pct > 0 && pct < 1) return fmt("%.1f%%", pct);
  return fmt("%.0f%%", pct);
}

std::string bandwidth_str(double bps) { return fmt("%.3g GB/s", bps / 1e9); }

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

// GPUs per node of the built-in machines (`mapforge machines`): lets the analysis see GPUs that a
// policy left unused (the profile lists only the processors that ran something).
double known_gpus_per_node(const std::string& machine) {
  if (machine == "p100-node" || machine == "lassen") return 4;
  if (machine == "h100-node") return 1;
  return 0;
}

bool is_gpu_proc(const std::string& name) { return name.rfind("GPU", 0) == 0; }

// A block mapping function keeping neighbouring launch points on one node (1-D launches: the
// linear block over all GPUs; n-D launches: block over nodes along dimension 0, over GPUs along
// the last dimension).
const char* kBlockFunction =
    "mgpu = Machine(GPU);\n"
    "def block_nodes(Task task) {\n"
    "    ip = task.ipoint;\n"
    "    n = task.ispace;\n"
    "    gpu = n.len > 1 ? ip[-1] * mgpu.size[1] / n[-1] : ip[0] * mgpu.volume / n[0] % "
    "mgpu.size[1];\n"
    "    return mgpu[ip[0] * mgpu.size[0] / n[0], gpu];\n"
    "}";

struct Scored {
  double score = 0;
  Record record;
};

Record make(const char* rule) {
  Record r;
  r.category = Category::Performance;
  r.rule = rule;
  return r;
}

// Region arguments of a task merged by name (a task may take the same region twice).
std::vector<Arg> merged_args(const Task& t) {
  std::vector<Arg> out;
  for (const Arg& a : t.args) {
    auto it =
        std::find_if(out.begin(), out.end(), [&a](const Arg& o) { return o.region == a.region; });
    if (it == out.end()) {
      out.push_back(a);
    } else {
      it->bytes += a.bytes;
      it->data_s += a.data_s;
      it->copied_in += a.copied_in;
      it->bandwidth = it->data_s > 0 ? it->bytes / it->data_s : 0;
    }
  }
  return out;
}

// ---- the rules ----

// The critical path: its top tasks, and what each one's time is made of.
void critical_path(const Profile& p, std::vector<Scored>& out) {
  int shown = 0;
  for (const PathEntry& e : p.path) {
    if (shown >= 2 || e.share < (shown == 0 ? 0.0 : 0.15)) break;
    ++shown;
    Record r = make("profile.critical_path");
    r.fields["task"] = e.task;
    r.fields["share"] = share_str(e.share);
    r.fields["seconds"] = seconds_str(e.run_s + e.wait_s);
    r.fact = share_str(e.share) + " of the critical path (" + seconds_str(p.path_s) + ") is " +
             e.task + " (" + seconds_str(e.run_s) + " run, " + seconds_str(e.wait_s) +
             " waiting for copies).";
    const Task* t = p.task(e.task);
    if (t) {
      r.fields["processor_kind"] = t->kind;
      if (t->compute_s >= t->data_s)
        r.explanation = e.task + " is compute-bound on " + t->kind + " (" +
                        seconds_str(t->compute_s) + " of kernel compute against " +
                        seconds_str(t->data_s) +
                        " of data access over all its points): its memory placement matters "
                        "little; the processor "
                        "kind and how its points are spread over processors decide its time.";
      else
        r.explanation = e.task + " is bound by data access on " + t->kind + " (" +
                        seconds_str(t->data_s) + " reading and writing its arguments against " +
                        seconds_str(t->compute_s) +
                        " of compute): where its region arguments live (Region) and their layout "
                        "(Layout) decide "
                        "its time.";
      r.explanation += " Its processor kind was chosen by the " +
                       (t->kind_by.empty() ? std::string("runtime") : t->kind_by) +
                       ", its placement by the " +
                       (t->placement_by.empty() ? std::string("runtime") : t->placement_by) + ".";
    } else {
      r.explanation =
          "The critical path is the chain of tasks and copies that decides the run's length; "
          "shortening anything else does not shorten the run.";
    }
    if (e.wait_s > 0.2 * (e.run_s + e.wait_s))
      r.explanation += " Much of its time on the path is spent waiting for copies of its inputs.";
    r.suggestion =
        "Work on " + e.task + " first: it decides " + share_str(e.share) + " of the run's length.";
    out.push_back({shown == 1 ? 10.0 : e.share, std::move(r)});
  }
}

// Data-bound GPU tasks on the path reading arguments from host-side memory (ZCMEM, SYSMEM).
void slow_memory(const Profile& p, std::vector<Scored>& out) {
  for (const PathEntry& e : p.path) {
    if (e.share < 0.1) continue;
    const Task* t = p.task(e.task);
    if (!t || t->kind != "GPU" || t->data_s <= 0) continue;
    if (t->data_s < t->compute_s || t->data_s < 0.25 * t->busy_s) continue;
    std::vector<Arg> slow;
    double slow_s = 0;
    for (const Arg& a : merged_args(*t))
      if ((a.memory == "ZCMEM" || a.memory == "SYSMEM" || a.memory == "SOCKMEM") && a.data_s > 0) {
        slow.push_back(a);
        slow_s += a.data_s;
      }
    if (slow.empty() || slow_s < 0.1 * t->data_s) continue;
    std::stable_sort(slow.begin(), slow.end(),
                     [](const Arg& a, const Arg& b) { return a.data_s > b.data_s; });
    Record r = make("profile.slow_memory");
    std::vector<std::string> names, parts, memories;
    for (const Arg& a : slow) {
      names.push_back(a.region);
      parts.push_back(a.region + " from " + a.memory + " at " + bandwidth_str(a.bandwidth) + " (" +
                      seconds_str(a.data_s) + ")");
      if (std::find(memories.begin(), memories.end(), a.memory) == memories.end())
        memories.push_back(a.memory);
    }
    double frac = slow_s / t->data_s;
    r.fields["task"] = t->name;
    r.fields["region"] = join(names, ",");
    r.fields["memory"] = join(memories, ",");
    r.fields["seconds"] = seconds_str(slow_s);
    r.fields["share"] = share_str(frac);
    r.fact = t->name + " (" + share_str(e.share) + " of the critical path) spends " +
             share_str(frac) + " of its data time reading " + join(parts, ", ") + ".";
    r.explanation =
        t->name + " runs on GPUs and is bound by data access; " + join(names, " and ") +
        (slow.size() > 1 ? " live" : " lives") + " in host-side memory (" + join(memories, ",") +
        "), which the GPU reaches over the bus at a fraction of its framebuffer bandwidth. "
        "Zero-copy memory saves copies between GPUs for data many tasks share, but costs on every "
        "access.";
    r.suggestion =
        "Place " + join(names, " and ") + " of " + t->name +
        " in the GPU framebuffer (expect copies between GPUs where the data is shared; measure).";
    r.statement_kind = "Region";
    for (const Arg& a : slow)
      if (is_identifier(t->name) && is_identifier(a.region))
        r.statements.push_back("Region " + t->name + " " + a.region + " GPU FBMEM;");
    out.push_back({0.5 + e.share + 0.01 * frac, std::move(r)});
  }
}

// Tasks (on the path) that copied data in, most bytes first.
std::vector<const Task*> receiving_tasks(const Profile& p) {
  std::vector<const Task*> out;
  for (const PathEntry& e : p.path) {
    const Task* t = p.task(e.task);
    if (!t) continue;
    double in = 0;
    for (const Arg& a : t->args) in += a.copied_in;
    if (in > 0 && is_identifier(t->name)) out.push_back(t);
    if (out.size() >= 4) break;
  }
  return out;
}

std::vector<std::string> index_map_statements(const std::vector<const Task*>& tasks) {
  std::vector<std::string> names;
  for (const Task* t : tasks)
    if (t->kind == "GPU") names.push_back(t->name);
  if (names.empty()) return {};
  return {kBlockFunction, "IndexTaskMap " + join(names, ",") + " block_nodes;"};
}

// Copy waits on the path, and the channel that carries the bytes.
void copy_waits(const Profile& p, const Channel* busiest, std::vector<Scored>& out) {
  for (const PathEntry& e : p.path) {
    double len = p.path_s > 0 ? p.path_s : p.run_time();
    if (e.wait_s < 0.2 * (e.run_s + e.wait_s) || len <= 0 || e.wait_s < 0.05 * len) continue;
    Record r = make("profile.copy_wait");
    r.fields["task"] = e.task;
    r.fields["seconds"] = seconds_str(e.wait_s);
    r.fields["share"] = share_str(e.wait_s / len);
    r.fact = e.task + " waits " + seconds_str(e.wait_s) + " for copies on the critical path (" +
             share_str(e.wait_s / len) + " of it)";
    const Task* t = p.task(e.task);
    std::vector<std::string> ins, copied;
    if (t)
      for (const Arg& a : merged_args(*t))
        if (a.copied_in > 0) {
          ins.push_back(a.region + " " + bytes_str(a.copied_in));
          copied.push_back(a.region);
        }
    if (!ins.empty()) {
      r.fact += "; it copies in " + join(ins, ", ");
      r.fields["copied_regions"] = join(copied, ",");
    }
    if (busiest) {
      r.fields["channel"] = busiest->name;
      r.fields["bytes"] = bytes_str(busiest->bytes);
      r.fact += "; the busiest channel is " + busiest->name + " (" + bytes_str(busiest->bytes) +
                ", " + seconds_str(busiest->busy_s) + " busy)";
    }
    r.fact += ".";
    r.explanation =
        "A task waits for copies when the instances it needs are valid only in another memory: "
        "the placement of the tasks that produce and consume the data (IndexTaskMap, Region) "
        "decides "
        "how many bytes move and over which link.";
    if (busiest && busiest->name == "Network") {
      r.suggestion = "Keep the producer and consumer points of the same data on one node.";
      r.statement_kind = "IndexTaskMap";
      if (t) r.statements = index_map_statements({t});
    } else if (busiest && busiest->name == "FBToFB") {
      r.suggestion =
          "Map the tasks that share data to the same GPU with one IndexTaskMap function, or keep "
          "the "
          "shared region in zero-copy memory (ZCMEM) so no copies between GPUs are needed.";
      r.statement_kind = "IndexTaskMap";
      // The zero-copy alternative, for every task that takes the copied regions.
      for (const auto& region : copied)
        r.statements.push_back("Region * " + region + " GPU ZCMEM;");
    } else {
      r.suggestion =
          "Place the copied arguments where their producer wrote them, or the producer next to "
          "them.";
      r.statement_kind = "Region";
    }
    out.push_back({0.4 + std::min(1.0, e.wait_s / len) * 0.5, std::move(r)});
  }
}

// The biggest copy channels.
void channels(const Profile& p, std::vector<Scored>& out) {
  double run = p.run_time();
  std::vector<const Channel*> order;
  for (const Channel& c : p.channels) order.push_back(&c);
  std::stable_sort(order.begin(), order.end(), [](const Channel* a, const Channel* b) {
    return a->busy_s != b->busy_s ? a->busy_s > b->busy_s : a->bytes > b->bytes;
  });
  const Channel* network = nullptr;
  for (const Channel* c : order)
    if (c->name == "Network") network = c;

  if (network && network->bytes > 0 && p.nodes > 1 &&
      (network->bytes >= 1e8 || (run > 0 && network->busy_s >= 0.01 * run))) {
    Record r = make("profile.network");
    r.fields["channel"] = "Network";
    r.fields["bytes"] = bytes_str(network->bytes);
    r.fields["seconds"] = seconds_str(network->busy_s);
    if (run > 0) r.fields["share"] = share_str(network->busy_s / run);
    r.fact = bytes_str(network->bytes) + " crosses the network between nodes in " +
             fmt("%.0f", network->copies) + " copies (" + seconds_str(network->busy_s) +
             " of network time" +
             (run > 0 ? ", " + share_str(network->busy_s / run) + " of the run" : std::string()) +
             ").";
    std::vector<const Task*> tasks = receiving_tasks(p);
    std::vector<std::string> names;
    for (const Task* t : tasks)
      names.push_back(t->name + (t->placement_by == "default" ? " (default placement)" : ""));
    r.explanation =
        "Data moves between nodes when the points that write a piece and the points that read it "
        "(or its neighbours' ghost data) are placed on different nodes: the placement of the index "
        "launches" +
        (names.empty() ? std::string() : " of " + join(names, ", ")) +
        " decides it. The default placement deals blocks round-robin over nodes, so neighbouring "
        "points land on different nodes.";
    r.suggestion =
        "Place neighbouring launch points on the same node with a block mapping function, and use "
        "the "
        "same function for every task that touches the same data.";
    r.statement_kind = "IndexTaskMap";
    r.statements = index_map_statements(tasks);
    if (!tasks.empty()) r.fields["task"] = tasks.front()->name;
    out.push_back({run > 0 ? 0.3 + std::min(1.0, network->busy_s / run) : 0.3, std::move(r)});
  }

  for (const Channel* c : order) {
    if (c->name == "Network") continue;
    if (!(c->bytes >= 1e9 || (run > 0 && c->busy_s >= 0.05 * run))) break;
    Record r = make("profile.channel");
    r.fields["channel"] = c->name;
    r.fields["bytes"] = bytes_str(c->bytes);
    r.fields["seconds"] = seconds_str(c->busy_s);
    double all_bytes = 0;
    for (const Channel& o : p.channels) all_bytes += o.bytes;
    if (all_bytes > 0) r.fields["share"] = share_str(c->bytes / all_bytes);
    r.fact = c->name + ": " + bytes_str(c->bytes) + " in " + fmt("%.0f", c->copies) + " copies, " +
             seconds_str(c->busy_s) + " of link time summed over its links" +
             (all_bytes > 0 ? " (" + share_str(c->bytes / all_bytes) + " of all bytes copied)"
                            : std::string()) +
             ".";
    // The GPU task argument that received the most bytes.
    const Task* best_t = nullptr;
    Arg best_a;
    for (const Task& t : p.tasks)
      if (t.kind == "GPU")
        for (const Arg& a : merged_args(t))
          if (a.copied_in > best_a.copied_in) {
            best_a = a;
            best_t = &t;
          }
    bool host_to_fb = c->name == "PageableToFB" || c->name == "HostToFB";
    if (host_to_fb) {
      r.explanation =
          "Host-to-GPU copies: data written or kept in host memory is copied into the framebuffer "
          "before GPU tasks run (pageable host memory is the slowest source).";
      if (best_t) {
        r.fields["task"] = best_t->name;
        r.fields["region"] = best_a.region;
        r.explanation += " The largest receiver is " + best_t->name + "'s " + best_a.region + " (" +
                         bytes_str(best_a.copied_in) + " copied into " + best_a.memory + ").";
        bool cpu_shares = false;  // a CPU task on the critical path uses the same region
        for (const PathEntry& e : p.path) {
          const Task* t = p.task(e.task);
          if (t && t->kind != "GPU")
            for (const Arg& a : t->args) cpu_shares = cpu_shares || a.region == best_a.region;
        }
        if (is_identifier(best_t->name) && is_identifier(best_a.region)) {
          r.statement_kind = "Region";
          if (best_a.memory != "FBMEM") {
            r.suggestion = "Keep " + best_a.region + " of " + best_t->name + " in the framebuffer.";
            r.statements.push_back("Region " + best_t->name + " " + best_a.region + " GPU FBMEM;");
          } else if (cpu_shares) {
            r.suggestion = "CPU tasks also use " + best_a.region +
                           ": zero-copy memory, which both reach, avoids "
                           "copying it back and forth.";
            r.statements.push_back("Region " + best_t->name + " " + best_a.region + " GPU ZCMEM;");
          } else {
            r.suggestion = "No CPU task on the critical path uses " + best_a.region +
                           ": the copies bring data initialised on the host into the framebuffer "
                           "(outside the timed "
                           "loop if the run has one); no change is needed.";
            r.statement_kind.clear();
          }
        }
      }
    } else if (c->name == "FBToFB") {
      r.explanation =
          "Copies between GPUs: consecutive tasks on the same data run on different GPUs, or share "
          "ghost data kept in framebuffers.";
      r.suggestion =
          "Give the tasks that touch the same pieces one IndexTaskMap function, or put shared data "
          "in "
          "ZCMEM.";
      r.statement_kind = "IndexTaskMap";
    } else {
      r.explanation = "Copies over " + c->name +
                      ": data is valid in one memory and needed in another, a result of "
                      "where the producing and consuming tasks put it (Region) and where they run "
                      "(IndexTaskMap).";
    }
    out.push_back({run > 0 ? 0.2 + std::min(1.0, c->busy_s / run) * 0.2 : 0.2, std::move(r)});
    break;  // the biggest one only
  }
}

// Memories close to full.
void memory_pressure(const Profile& p, std::vector<Scored>& out) {
  const Memory* worst = nullptr;
  int count = 0;
  for (const Memory& m : p.memories)
    if (m.share > 0.9) {
      ++count;
      if (!worst || m.share > worst->share) worst = &m;
    }
  if (!worst) return;
  Record r = make("profile.memory_pressure");
  r.fields["memory"] = worst->name;
  r.fields["bytes"] = bytes_str(worst->high_water);
  r.fields["share"] = share_str(worst->share);
  std::string cap = worst->capacity > 0 ? fmt("%.1f", worst->capacity / 1e9) : std::string("?");
  r.fact =
      worst->name + " peaks at " + fmt("%.1f", worst->high_water / 1e9) + " of " + cap + " GB (" +
      share_str(worst->share) + ")" +
      (count > 1 ? "; " + std::to_string(count - 1) + " more memories above 90%" : std::string()) +
      ".";
  // The largest argument placed in memories of that kind.
  const Task* best_t = nullptr;
  Arg best_a;
  double best = -1;
  for (const Task& t : p.tasks)
    for (const Arg& a : merged_args(t)) {
      double per_point = t.points > 0 ? a.bytes / t.points : a.bytes;
      if (a.memory == worst->kind && per_point > best && is_identifier(t.name) &&
          is_identifier(a.region)) {
        best = per_point;
        best_a = a;
        best_t = &t;
      }
    }
  r.explanation =
      "The memory is nearly full at its peak: one more or larger instance fails the run with an "
      "out-of-memory error, and the runtime cannot keep copies it could reuse. Instances stay "
      "until "
      "collected; every mapped but unfinished point holds its own.";
  r.suggestion =
      "Let read-only instances be collected when their task ends, or limit how many points of the "
      "task hold instances at once (less overlap), or move a large argument to zero-copy memory.";
  if (best_t) {
    r.fields["task"] = best_t->name;
    r.fields["region"] = best_a.region;
    r.explanation += " The largest argument there is " + best_t->name + "'s " + best_a.region +
                     " (" + bytes_str(best_a.bytes) + " over its points).";
    r.statement_kind = "CollectMemory";
    r.statements.push_back("CollectMemory " + best_t->name + " " + best_a.region + ";");
    r.statements.push_back("InstanceLimit " + best_t->name + " 1;");
    if (worst->kind == "FBMEM")
      r.statements.push_back("Region " + best_t->name + " " + best_a.region + " GPU ZCMEM;");
  }
  out.push_back({5.0 + worst->share, std::move(r)});
}

// Uneven GPU busy time, unused GPUs, CPU-bound paths on machines with GPUs.
void load_balance(const Profile& p, std::vector<Scored>& out) {
  std::vector<const Proc*> gpus;
  std::set<std::string> nodes_used;
  for (const Proc& q : p.procs)
    if (is_gpu_proc(q.name)) {
      gpus.push_back(&q);
      auto at = q.name.find(" on node ");
      nodes_used.insert(at == std::string::npos ? std::string() : q.name.substr(at));
    }
  double expected = known_gpus_per_node(p.machine) * p.nodes;
  const PathEntry* top = p.path.empty() ? nullptr : &p.path.front();
  const Task* top_t = top ? p.task(top->task) : nullptr;

  // The path's top task on CPUs while the machine has GPUs.
  if (top_t && top->share >= 0.3 && (top_t->kind == "CPU" || top_t->kind == "OMP") &&
      is_identifier(top_t->name) && (expected > 0 || !gpus.empty())) {
    Record r = make("profile.cpu_bound");
    r.fields["task"] = top_t->name;
    r.fields["share"] = share_str(top->share);
    r.fields["seconds"] = seconds_str(top->run_s);
    double gpu_busy = 0;
    for (const Proc* g : gpus) gpu_busy += g->busy_s;
    r.fact = top_t->name + " runs on " + top_t->kind + " and is " + share_str(top->share) +
             " of the critical path, while the machine's GPUs " +
             (gpus.empty() ? std::string("run nothing")
                           : "are busy " + seconds_str(gpu_busy) + " in all") +
             ".";
    r.statement_kind = "Task";
    if (top_t->kind_by == "default") {
      r.explanation =
          "The runtime's default ranks GPU first, so " + top_t->name +
          " has no GPU variant here; an OpenMP variant would use a socket's cores at once.";
      r.suggestion = "Run " + top_t->name + " on OpenMP processors where it has that variant.";
      r.statements.push_back("Task " + top_t->name + " OMP,CPU;");
    } else {
      r.explanation = "The policy's Task statement put " + top_t->name + " on " + top_t->kind +
                      "; the GPUs sit idle while it takes most of the time.";
      r.suggestion = "Run " + top_t->name +
                     " on GPUs (the list falls back to CPU where it has no GPU variant).";
      r.statements.push_back("Task " + top_t->name + " GPU,CPU;");
    }
    out.push_back({4.0 + top->share, std::move(r)});
  }

  if (gpus.empty()) return;
  double max_busy = 0, sum = 0;
  const Proc* busiest = nullptr;
  for (const Proc* g : gpus) {
    sum += g->busy_s;
    if (g->busy_s > max_busy) {
      max_busy = g->busy_s;
      busiest = g;
    }
  }
  double used = static_cast<double>(gpus.size());
  double mean = sum / std::max(used, expected);  // unused GPUs count as idle
  double run = p.run_time();
  bool unused = expected > used;
  bool uneven = mean > 0 && max_busy >= 1.5 * mean && (run <= 0 || max_busy >= 0.2 * run);
  if (!uneven || !busiest) return;
  Record r = make("profile.load_imbalance");
  r.fields["processor"] = busiest->name;
  r.fields["seconds"] = seconds_str(max_busy);
  r.fields["share"] = share_str(sum > 0 ? max_busy / sum : 0);
  std::vector<const Task*> gpu_tasks;
  for (const PathEntry& e : p.path) {
    const Task* t = p.task(e.task);
    if (t && t->kind == "GPU" && is_identifier(t->name) && e.share >= 0.001) gpu_tasks.push_back(t);
    if (gpu_tasks.size() >= 4) break;
  }
  r.fact = busiest->name + " is busy " + seconds_str(max_busy) + " (" +
           share_str(busiest->utilisation > 0 ? busiest->utilisation : 0) +
           " of the run), against " + seconds_str(mean) + " per GPU on average";
  if (unused)
    r.fact += "; " + fmt("%.0f", used) + " of the machine's " + fmt("%.0f", expected) +
              " GPUs ran anything";
  r.fact += ".";
  if (!gpu_tasks.empty()) r.fields["task"] = gpu_tasks.front()->name;
  std::vector<std::string> deciders;
  for (const Task* t : gpu_tasks)
    deciders.push_back(t->name + " (placed by the " + t->placement_by + ")");
  r.explanation = "The GPU work is not spread evenly: the placement of the index launches" +
                  (deciders.empty() ? std::string() : " of " + join(deciders, ", ")) +
                  " puts more points on some GPUs than on others" +
                  (unused ? ", and leaves GPUs without work" : "") + ".";
  r.suggestion =
      "Spread the launch points over all GPUs with a block mapping function (or drop the "
      "IndexTaskMap "
      "statement to get the runtime's even default).";
  r.statement_kind = "IndexTaskMap";
  r.statements = index_map_statements(gpu_tasks);
  out.push_back({3.0 + (sum > 0 ? max_busy / sum : 0), std::move(r)});
}

// AOS instances with a large data time.
void layout(const Profile& p, std::vector<Scored>& out) {
  std::map<std::string, double> path_share;
  for (const PathEntry& e : p.path) path_share[e.task] = e.share;
  for (const Task& t : p.tasks) {
    auto it = path_share.find(t.name);
    if (it == path_share.end() || it->second < 0.05 || t.data_s <= 0 || t.data_s < t.compute_s)
      continue;
    for (const Arg& a : merged_args(t)) {
      if (a.layout.find("AOS") == std::string::npos || a.data_s < 0.1 * t.data_s) continue;
      if (!is_identifier(t.name) || !is_identifier(a.region)) continue;
      Record r = make("profile.layout_aos");
      r.fields["task"] = t.name;
      r.fields["region"] = a.region;
      r.fields["memory"] = a.memory;
      r.fields["seconds"] = seconds_str(a.data_s);
      r.fields["share"] = share_str(a.data_s / t.data_s);
      r.fact = t.name + " reads " + a.region + " laid out " + a.layout + " in " + a.memory + ": " +
               seconds_str(a.data_s) + " (" + share_str(a.data_s / t.data_s) +
               " of its data time) at " + bandwidth_str(a.bandwidth) + ".";
      r.explanation =
          "An array-of-structs instance interleaves all fields, so a kernel reading a few of them "
          "moves the others too (on GPUs the loads are not coalesced). The layout was chosen by "
          "the " +
          (a.layout_by.empty() ? std::string("runtime") : a.layout_by) + ".";
      r.suggestion = "Store " + a.region + " of " + t.name + " struct-of-arrays.";
      r.statement_kind = "Layout";
      r.statements.push_back("Layout " + t.name + " " + a.region + " * SOA;");
      out.push_back({it->second * a.data_s / t.data_s + 0.45, std::move(r)});
    }
  }
}

void trim(Record& r, Level level) {
  if (level == Level::Suggest) return;
  r.suggestion.clear();
  r.statement_kind.clear();
  r.statements.clear();
  if (level == Level::Execution) r.explanation.clear();
}

}  // namespace

std::vector<Record> analyze_profile(std::string_view profile_json, Level level) {
  json j =
      json::parse(profile_json.begin(), profile_json.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    Record r = make("profile.unreadable");
    r.fact = "The profile could not be read: it is not a JSON object.";
    r.explanation = "Without a profile only the run's own output can be analysed.";
    r.suggestion = "Rerun with --profile to get per-task, per-channel and per-memory figures.";
    trim(r, level);
    return {r};
  }
  std::vector<Scored> found;
  try {
    Profile p = read(j);
    const Channel* busiest = nullptr;
    for (const Channel& c : p.channels)
      if (c.busy_s > 0 && (!busiest || c.busy_s > busiest->busy_s)) busiest = &c;
    critical_path(p, found);
    slow_memory(p, found);
    copy_waits(p, busiest, found);
    channels(p, found);
    memory_pressure(p, found);
    load_balance(p, found);
    layout(p, found);
  } catch (const std::exception&) {
    // Defensive: nothing above should throw on any input; if it does, report what was found.
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const Scored& a, const Scored& b) { return a.score > b.score; });
  std::vector<Record> out;
  for (Scored& s : found) {
    if (out.size() >= kMaxRecords) break;
    trim(s.record, level);
    out.push_back(std::move(s.record));
  }
  return out;
}

}  // namespace mapforge::guide
