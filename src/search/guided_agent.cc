// `guided` (DESIGN.md §6): the built-in agent that reads AutoGuide's structured feedback. It keeps
// the best policy found so far, turns each feedback record's suggested statements (and its own
// metadata-derived edits: mapping-function templates, same-as-parent placement, layouts) into
// candidate edits of that policy, ranks them by expected gain, and never proposes a policy it
// has measured or proposed before. A failed run's repair suggestions come first.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "search/search.h"

namespace mapforge::search {
namespace {

struct Edit {
  std::string category;    // repair, feedback, placement, kind, memory, layout, single
  std::string what;        // for the journal: which statement(s) and why
  std::string statements;  // text to set on the base policy
  double gain = 0;         // expected gain, comparable across sources
  std::string base;        // policy text the edit applies to
  std::vector<std::string> remove = {};  // keys of statements to drop
};

/// The share a record's fact or fields give (e.g. "25%"), as a fraction; `fallback` if none.
double share_of(const guide::Record& r, double fallback) {
  auto parse = [](const std::string& s) -> double {
    std::size_t pct = s.find('%');
    if (pct == std::string::npos) return -1;
    std::size_t b = pct;
    while (b > 0 && (std::isdigit(static_cast<unsigned char>(s[b - 1])) || s[b - 1] == '.')) --b;
    if (b == pct) return -1;
    try {
      return std::stod(s.substr(b, pct - b)) / 100.0;
    } catch (...) {
      return -1;
    }
  };
  if (auto it = r.fields.find("share"); it != r.fields.end())
    if (double v = parse(it->second); v >= 0) return v;
  if (double v = parse(r.fact); v >= 0) return v;
  return fallback;
}

bool is_support(const std::string& key) {
  return key.rfind("def ", 0) == 0 || key.rfind("= ", 0) == 0;
}

bool is_complete(const StatementText& s) {
  return !s.key.empty() && (s.text.back() == ';' || s.text.back() == '}');
}

/// A record's statements as edits: functions and globals go with every statement that is not
/// one; alternatives become separate edits.
std::vector<std::string> record_edits(const guide::Record& r) {
  std::string support;
  std::vector<std::string> actions;
  for (const auto& statement : r.statements) {
    for (const auto& item : split_statements(statement)) {
      if (!is_complete(item)) return {};  // a fragment to fill in by hand: not for this agent
      if (is_support(item.key))
        support += item.text + "\n";
      else
        actions.push_back(item.text);
    }
  }
  std::vector<std::string> edits;
  for (const auto& a : actions) edits.push_back(support + a + "\n");
  // Several memories for one cause (e.g. every region a task waits to copy): all of them too.
  bool all_regions =
      actions.size() > 1 && std::all_of(actions.begin(), actions.end(), [](const std::string& a) {
        return statement_key(a).rfind("Region ", 0) == 0;
      });
  if (all_regions) {
    std::string together = support;
    for (const auto& a : actions) together += a + "\n";
    edits.push_back(together);
  }
  return edits;
}

/// "Layout T R M c...;" as "Layout T * M c...;"; "" when the statement is not such a Layout.
std::string every_argument(const std::string& text) {
  auto items = split_statements(text);
  if (items.size() != 1 || items[0].key.rfind("Layout ", 0) != 0) return "";
  std::istringstream words(items[0].key);
  std::string kw, task, region, memory;
  words >> kw >> task >> region >> memory;
  if (region == "*") return "";
  std::string code = items[0].text;
  std::size_t at = code.find(" " + region + " ");
  if (at == std::string::npos) return "";
  return code.substr(0, at) + " * " + code.substr(at + region.size() + 2) + "\n";
}

/// "Layout T * M c...;" as "Layout * * M c...;"; "" when T is already `*`.
std::string every_task(const std::string& text) {
  auto items = split_statements(text);
  if (items.size() != 1 || items[0].key.rfind("Layout ", 0) != 0) return "";
  std::istringstream words(items[0].key);
  std::string kw, task;
  words >> kw >> task;
  if (task == "*") return "";
  const std::string& code = items[0].text;
  std::size_t at = code.find(task);
  if (at == std::string::npos) return "";
  return code.substr(0, at) + "*" + code.substr(at + task.size()) + "\n";
}

double template_prior(IndexTemplate t, int dims) {
  switch (t) {
    case IndexTemplate::Tiles:
      return dims > 1 ? 1.0 : 0.7;
    case IndexTemplate::TilesBlock:
      return dims > 1 ? 0.8 : 0.6;
    case IndexTemplate::Block:
      return dims > 1 ? 0.6 : 1.0;
    case IndexTemplate::NodeBlock:
      return 0.55;
    case IndexTemplate::Cyclic:
      return 0.5;
    case IndexTemplate::BlockCyclic:
      return 0.4;
  }
  return 0.1;
}

class GuidedAgent final : public Agent {
 public:
  explicit GuidedAgent(const Problem& problem) : problem_(problem), rng_(problem.seed) {}
  std::string_view name() const override { return "guided"; }
  std::vector<Proposal> propose(int count) override;
  void observe(const std::vector<Observation>& batch) override;

 private:
  std::vector<Edit> candidates() const;
  void structural_edits(std::vector<Edit>& out, double copy_share) const;

  Problem problem_;
  Rng rng_;
  bool started_ = false;
  bool have_best_ = false;
  double best_score_ = 0;
  std::string best_policy_;
  std::vector<guide::Record> best_feedback_;
  std::vector<Observation> last_;
  std::set<std::string> proposed_;  // rendered policies already proposed (never again)
  std::map<std::string, double> category_weight_;  // learnt: edits of a kind that help
  std::set<std::string> unhelpful_;                // edits (by description) that did not help
};

std::vector<Proposal> GuidedAgent::propose(int count) {
  std::vector<Proposal> out;
  if (!started_) {
    started_ = true;
    std::string start = PolicyDoc::parse(problem_.start_policy).render();
    proposed_.insert(start);
    out.push_back(
        {start,
         {{"edit", start.empty() ? "start from the runtime's default mapping (empty policy)"
                                 : "start from the given policy"}},
         std::nullopt});
    if (count <= 1) return out;
  }
  std::vector<Edit> edits = candidates();
  for (auto& e : edits) {
    // Moving data to zero-copy memory is one kind of edit wherever it was suggested: what is
    // learnt from one applies to the others.
    if (e.category != "repair" && e.statements.find(" GPU ZCMEM;") != std::string::npos &&
        e.statements.rfind("Task ", 0) != 0)
      e.category = "zcmem";
    auto w = category_weight_.find(e.category);
    if (w != category_weight_.end() && e.category != "repair") e.gain *= w->second;
    if (unhelpful_.count(e.what)) e.gain *= 0.3;
    // Independent runs (seeds) rank near-equal edits differently: best-of-N explores more.
    if (e.gain < 5) e.gain *= 0.75 + 0.5 * rng_.unit();
  }
  // Equal expected gains are ordered by the seed, so independent runs explore differently.
  std::vector<std::pair<double, std::uint64_t>> keys;
  for (std::size_t i = 0; i < edits.size(); ++i) keys.push_back({edits[i].gain, rng_.next()});
  std::vector<std::size_t> order(edits.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (keys[a].first != keys[b].first) return keys[a].first > keys[b].first;
    return keys[a].second < keys[b].second;
  });
  for (std::size_t i : order) {
    if (int(out.size()) >= count) break;
    const Edit& e = edits[i];
    PolicyDoc doc = PolicyDoc::parse(e.base);
    doc.set(e.statements);
    for (const auto& key : e.remove) doc.remove(key);
    std::string text = doc.render();
    if (!proposed_.insert(text).second) continue;
    out.push_back({text,
                   {{"edit", e.what}, {"category", e.category}, {"expected_gain", e.gain}},
                   std::nullopt});
  }
  // Nothing left to try from feedback: a random draw of the space, merged onto the best.
  if (int(out.size()) >= count) return out;
  Space space = Space::build(problem_, Space::Granularity::Reduced);
  for (int attempt = 0; int(out.size()) < count && attempt < 64; ++attempt) {
    PolicyDoc doc = PolicyDoc::parse(best_policy_);
    doc.set(space.render(random_point(space, rng_)));
    std::string text = doc.render();
    if (!proposed_.insert(text).second) continue;
    out.push_back(
        {text, {{"edit", "random draw of the reduced space on top of the best"}}, std::nullopt});
  }
  return out;
}

void GuidedAgent::observe(const std::vector<Observation>& batch) {
  last_ = batch;
  double best_before = best_score_;
  for (const auto& o : batch) {
    // Edits of a category that helped are tried first next time; ones that did not, later.
    if (o.note.is_object() && o.note.contains("category") && o.note["category"].is_string()) {
      std::string category = o.note["category"].get<std::string>();
      double& w = category_weight_.try_emplace(category, 1.0).first->second;
      bool helped = o.ok && o.score > best_before * 1.0005;
      w *= helped ? 1.5 : 0.6;
      // The same edit on a newer best rarely does what it did not do before.
      if (!helped && o.note.contains("edit") && o.note["edit"].is_string())
        unhelpful_.insert(o.note["edit"].get<std::string>());
    }
  }
  for (const auto& o : batch) {
    proposed_.insert(o.policy);
    if (o.ok && o.score > best_score_) {
      have_best_ = true;
      best_score_ = o.score;
      best_policy_ = o.policy;
      best_feedback_ = o.feedback;
    }
  }
}

std::vector<Edit> GuidedAgent::candidates() const {
  std::vector<Edit> out;
  // Repairs of failed runs: a failure with a concrete fix comes first while nothing works yet,
  // and still ranks high afterwards (the failed edit may be good once repaired).
  for (const auto& o : last_) {
    if (o.ok) continue;
    // Once something works, a failed edit gets one round of repairs, not a chain of them.
    bool was_repair = o.note.is_object() && o.note.value("category", "") == "repair";
    if (have_best_ && was_repair) continue;
    // All of a failure's repairs together first (e.g. the layout of every argument of the
    // kernel that failed), then each alone.
    std::string all;
    int parts = 0;
    for (const auto& r : o.feedback) {
      if (r.category != guide::Category::ExecutionError &&
          r.category != guide::Category::CompileError)
        continue;
      for (auto& text : record_edits(r)) {
        out.push_back({"repair", "repair (" + r.rule + "): " + text, text, have_best_ ? 0.15 : 10.0,
                       o.policy});
        // A kernel that needs one layout for one argument usually needs it for all of them
        // (the runtime reports one argument per run): the same layout for every argument.
        if (std::string general = every_argument(text); !general.empty()) {
          out.push_back({"repair", "repair (" + r.rule + ") for every argument: " + general,
                         general, have_best_ ? 0.17 : 10.2, o.policy});
          // Kernels of one library share their layout needs (BLAS: C order everywhere).
          if (std::string everywhere = every_task(general); !everywhere.empty())
            out.push_back({"repair", "repair (" + r.rule + ") for every task: " + everywhere,
                           everywhere, have_best_ ? 0.18 : 10.3, o.policy});
        }
        all += text;
        ++parts;
      }
    }
    if (parts > 1)
      out.push_back({"repair", "repair all reported failures: " + all, all,
                     have_best_ ? 0.16 : 10.5, o.policy});
  }
  if (!have_best_) {
    // Nothing ran yet: without a working base the metadata edits apply to the empty policy.
    structural_edits(out, 0.2);
    return out;
  }
  double copy_share = 0;
  for (const auto& r : best_feedback_) {
    if (r.category != guide::Category::Performance) continue;
    double share = share_of(r, 0.05);
    if (r.rule.find("copy") != std::string::npos || r.rule.find("network") != std::string::npos ||
        r.rule.find("channel") != std::string::npos)
      copy_share = std::max(copy_share, share);
    for (auto& text : record_edits(r))
      // AutoGuide's statements name the task and region the profile blames: they come before
      // the agent's own, less specific edits of the same expected share.
      out.push_back(
          {"feedback", "feedback (" + r.rule + "): " + text, text, share + 0.3, best_policy_});
  }
  structural_edits(out, copy_share);
  return out;
}

void GuidedAgent::structural_edits(std::vector<Edit>& out, double copy_share) const {
  const auto& tasks = problem_.app.tasks;
  const std::string& base = best_policy_;
  // Mapping functions: one per launch dimensionality and kind, for all those tasks together, so
  // tasks that touch the same pieces land on the same processors.
  std::map<std::pair<int, dsl::ProcKind>, std::vector<std::string>> groups;
  std::map<dsl::ProcKind, std::vector<std::string>> children;
  for (const auto& t : tasks) {
    dsl::ProcKind kind = runnable_kinds(t, problem_.machine).front();
    if (t.index) groups[{t.launch_dims, kind}].push_back(t.name);
    if (t.has_parent) children[kind].push_back(t.name);
  }
  double placement = 0.1 + 0.5 * copy_share;
  for (const auto& [key, names] : groups) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ",") + n;
    for (auto tmpl : index_templates()) {
      if (key.first == 1 && tmpl == IndexTemplate::TilesBlock) continue;  // same as Block in 1-D
      MappingFunction f = index_function(tmpl, key.second, key.first, 4);
      std::string text =
          f.assignment + "\n" + f.definition + "\nIndexTaskMap " + list + " " + f.name + ";\n";
      // Launches on more processors gain more from placement.
      double weight = key.second == dsl::ProcKind::GPU ? 1.0 : 0.5;
      out.push_back({"placement",
                     "place the " + std::to_string(key.first) + "-D " +
                         std::string(dsl::to_string(key.second)) + " launches with " +
                         std::string(to_string(tmpl)),
                     text, placement * template_prior(tmpl, key.first) * weight, base});
    }
  }
  for (const auto& [kind, names] : children) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ",") + n;
    MappingFunction f = same_as_parent(kind);
    out.push_back(
        {"single", "run " + list + " where the parent runs",
         f.assignment + "\n" + f.definition + "\nSingleTaskMap " + list + " " + f.name + ";\n",
         0.2 + copy_share * 0.5, base});
    out.push_back({"memory", "reclaim " + list + "'s read-only instances early",
                   "CollectMemory " + list + " *;\n", 0.03, base});
  }
  out.push_back({"kind", "prefer GPUs everywhere", "Task * GPU,OMP,CPU;\n", 0.03, base});
  out.push_back({"layout", "SOA, C order everywhere", "Layout * * * SOA C_order;\n", 0.02, base});
  out.push_back(
      {"layout", "SOA, Fortran order everywhere", "Layout * * * SOA F_order;\n", 0.015, base});
  // Processor kinds: the tasks off the critical path may run elsewhere, leaving the busy
  // processors to the task that decides the run's length.
  std::string dominant;
  for (const auto& r : best_feedback_)
    if (r.rule == "profile.critical_path" && r.fields.count("task")) {
      dominant = r.fields.at("task");
      break;
    }
  std::map<dsl::ProcKind, std::vector<std::string>> movable;
  for (const auto& t : tasks) {
    auto kinds = runnable_kinds(t, problem_.machine);
    if (kinds.size() < 2 || t.name == dominant || !t.index) continue;
    for (std::size_t k = 1; k < kinds.size(); ++k) {
      std::string kind(dsl::to_string(kinds[k]));
      movable[kinds[k]].push_back(t.name);
      // A mapping function of the old kind would now name the wrong processors: the task gets
      // its own (a later IndexTaskMap for the task wins over a list that names it).
      std::string own_map;
      if (base.find("IndexTaskMap") != std::string::npos) {
        MappingFunction f = index_function(IndexTemplate::Block, kinds[k], t.launch_dims);
        own_map =
            f.assignment + "\n" + f.definition + "\nIndexTaskMap " + t.name + " " + f.name + ";\n";
      }
      out.push_back({"kind", "run " + t.name + " on " + kind,
                     "Task " + t.name + " " + kind + ";\n" + own_map, 0.04, base});
      // A producer on the host writing into zero-copy memory: its consumers on GPUs read the
      // data where it is, without copies.
      if (problem_.machine.sees(kinds[k], dsl::MemKind::ZCMEM) &&
          problem_.machine.sees(dsl::ProcKind::GPU, dsl::MemKind::ZCMEM))
        out.push_back({"kind",
                       "run " + t.name + " on " + kind + " with its data in zero-copy memory",
                       "Task " + t.name + " " + kind + ";\nRegion " + t.name + " * " + kind +
                           " ZCMEM;\n" + own_map,
                       0.05 + 0.2 * copy_share, base});
    }
  }
  if (!dominant.empty())
    for (const auto& [kind, names] : movable) {
      if (names.size() < 2) continue;
      std::string text;
      for (const auto& n : names)
        text += "Task " + n + " " + std::string(dsl::to_string(kind)) + ";\n";
      out.push_back({"kind",
                     "run the tasks other than " + dominant + " on " +
                         std::string(dsl::to_string(kind)) + ", leaving its processors to it",
                     text, 0.08, base});
    }
  // Dropping a statement gives that decision back to the runtime: the way out of a bad start.
  const PolicyDoc base_doc = PolicyDoc::parse(base);  // range-for would not keep a temporary
  for (const auto& item : base_doc.items()) {
    if (item.key.empty() || item.key.rfind("def ", 0) == 0 || item.key.rfind("= ", 0) == 0)
      continue;
    // From a given starting policy (often a bad one to improve), dropping its decisions ranks
    // high; otherwise it is a last resort.
    double gain = problem_.start_policy.empty() ? 0.05 : 0.25;
    Edit e{"remove", "drop `" + item.key + "` (leave it to the runtime)", "", gain, base};
    e.remove.push_back(item.key);
    out.push_back(std::move(e));
  }
  // Memories: the framebuffer or zero-copy memory per region name for GPU tasks.
  std::set<std::string> regions;
  for (const auto& t : tasks)
    if (runnable_kinds(t, problem_.machine).front() == dsl::ProcKind::GPU)
      for (const auto& r : t.region_args) regions.insert(r);
  // Once zero-copy memory helped one region, the others are worth trying too.
  bool zc_helped = base.find(" GPU ZCMEM;") != std::string::npos;
  if (problem_.machine.sees(dsl::ProcKind::GPU, dsl::MemKind::ZCMEM))
    for (const auto& r : regions)
      out.push_back({"zcmem", "keep " + r + " in zero-copy memory for GPU tasks",
                     "Region * " + r + " GPU ZCMEM;\n", zc_helped ? 0.25 : 0.03, base});
}

}  // namespace

std::unique_ptr<Agent> make_guided_agent(const Problem& problem) {
  return std::make_unique<GuidedAgent>(problem);
}

}  // namespace mapforge::search
