// The tuning loop (DESIGN.md §7): asks the agent for a batch of policies, runs them (in parallel
// with -j), turns each run into AutoGuide feedback, journals every evaluation the moment it
// finishes, and keeps best.map. Resuming replays the journal through a fresh agent.
#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "tune/journal_writer.h"
#include "tune/report/journal_reader.h"
#include "tune/tune.h"

namespace mapforge::tune {
namespace {

using nlohmann::ordered_json;
constexpr std::size_t kMaxJournalOutput = 64 * 1024;

std::string truncated(const std::string& output) {
  if (output.size() <= kMaxJournalOutput) return output;
  std::size_t half = kMaxJournalOutput / 2;
  return output.substr(0, half) + "\n[mapforge: " + std::to_string(output.size() - 2 * half) +
         " bytes of output left out of the journal]\n" + output.substr(output.size() - half);
}

ordered_json optional_number(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

/// One evaluation, as journalled and as the agent sees it.
struct Evaluation {
  int iteration = 0;
  int batch = 0;
  search::Proposal proposal;
  RunResult run;
  std::vector<guide::Record> feedback;
  std::string feedback_text;
  bool duplicate = false;
  std::string started, finished;
  double duration_s = 0;
  bool from_journal = false;
};

/// `proposed` (iteration, batch, proposal) answered with the result of `measured`, which ran
/// the same policy: not run again, but an iteration of its own.
Evaluation duplicate_of(const Evaluation& measured, const Evaluation& proposed) {
  Evaluation e = measured;
  e.iteration = proposed.iteration;
  e.batch = proposed.batch;
  e.proposal = proposed.proposal;
  e.duplicate = true;
  e.from_journal = false;
  e.started = e.finished = utc_now();
  e.duration_s = 0;
  return e;
}

double score_of(const Evaluation& e, Objective objective) {
  if (!e.run.ok || !e.run.metric || *e.run.metric <= 0) return 0;
  return objective == Objective::Maximize ? *e.run.metric : 1.0 / *e.run.metric;
}

std::string header_line(const TuneSettings& s, const Backend& backend, const Reference& ref) {
  ordered_json h = {{"type", "run"},
                    {"version", 1},
                    {"app", s.app},
                    {"machine", s.machine},
                    {"nodes", s.nodes},
                    {"sizes", s.sizes},
                    {"agent", s.agent},
                    {"iterations", s.iterations},
                    {"seed", s.seed},
                    {"jobs", s.jobs},
                    {"feedback", guide::to_string(s.feedback)},
                    {"backend", s.backend}};
  if (s.backend == "command") {
    h["command"] = s.command.command_template;
    h["metric_regex"] = s.command.metric_regex;
    h["timeout_s"] = s.command.timeout_s;
    h["unset_env"] = s.command.unset_env;  // names only: the values stay out of the journal
  }
  h["objective"] = backend.objective() == Objective::Maximize ? "maximize" : "minimize";
  h["metric_unit"] = backend.metric_unit();
  h["expert_metric"] = optional_number(ref.expert_metric);
  h["default_metric"] = optional_number(ref.default_metric);
  h["expert_policy"] = ref.expert_policy;
  h["start_policy"] = s.start_policy;
  h["started"] = utc_now();
  if (s.agent == "llm") {
    h["llm_url"] = s.llm_url;
    h["llm_model"] = s.llm_model;
    h["llm_variant"] = s.llm_variant;
  }
  return h.dump();
}

class Loop {
 public:
  Loop(const TuneSettings& settings, search::Agent& agent, const Backend& backend,
       const Reference& reference, std::filesystem::path dir,
       const std::function<void(const Progress&)>& on_progress)
      : settings_(settings),
        agent_(agent),
        backend_(backend),
        reference_(reference),
        dir_(std::move(dir)),
        on_progress_(on_progress),
        objective_(backend.objective()) {}

  TuneResult run(bool resume);

 private:
  bool start(bool resume, std::string& error);
  bool run_batch(int batch, int first, int count, std::string& error);
  void evaluate(Evaluation& e);
  bool record(const Evaluation& e, std::string& error);
  search::Observation observation(const Evaluation& e) const;
  Evaluation from_record(const EvalRecord& r) const;

  const TuneSettings& settings_;
  search::Agent& agent_;
  const Backend& backend_;
  const Reference& reference_;
  std::filesystem::path dir_;
  const std::function<void(const Progress&)>& on_progress_;
  Objective objective_;

  JournalWriter journal_;
  std::map<int, EvalRecord> recorded_;          // from the journal being resumed
  std::map<std::string, Evaluation> measured_;  // policy text -> its evaluation
  std::mutex mutex_;                            // journal, best, progress
  TuneResult result_;
  double best_score_ = 0;
  bool stopped_early_ = false;  // the agent had nothing more to propose
  int evaluated_now_ = 0;       // this session's evaluations (for the ETA)
  double evaluated_seconds_ = 0;
  std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
};

bool Loop::start(bool resume, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    error = "cannot create " + dir_.string() + ": " + ec.message();
    return false;
  }
  std::filesystem::path file = dir_ / "journal.jsonl";
  if (!resume) {
    if (std::filesystem::exists(file)) {
      error =
          file.string() + " already exists: continue that run with --resume, or give another --out";
      return false;
    }
    if (!journal_.open(file, error)) return false;
    return journal_.append(header_line(settings_, backend_, reference_), error);
  }
  JournalResult read = read_journal(file);
  if (!read.ok) {
    error = read.error;
    return false;
  }
  for (auto& e : read.journal.evals) recorded_[e.iteration] = e;
  // Cut a half-written last line; make sure the last kept line ends its line.
  if (!journal_.open(file, error, read.journal.valid_bytes)) return false;
  if (read.journal.last_line_unterminated) {
    // The last complete line lacks its newline: re-append it whole after cutting it off.
    // (valid_bytes includes it; writing "" + "\n" terminates it.)
    if (!journal_.append("", error)) return false;
  }
  return true;
}

search::Observation Loop::observation(const Evaluation& e) const {
  search::Observation o;
  o.iteration = e.iteration;
  o.policy = e.proposal.policy;
  o.ok = e.run.ok;
  o.metric = e.run.metric;
  o.score = score_of(e, objective_);
  o.feedback = e.feedback;
  o.feedback_text = e.feedback_text;
  o.duplicate = e.duplicate;
  o.note = e.proposal.note;
  return o;
}

Evaluation Loop::from_record(const EvalRecord& r) const {
  Evaluation e;
  e.iteration = r.iteration;
  e.batch = r.batch.value_or(0);
  e.proposal.policy = r.policy;
  if (!r.agent_json.empty()) e.proposal.note = nlohmann::json::parse(r.agent_json, nullptr, false);
  if (e.proposal.note.is_object() && e.proposal.note.contains("error") &&
      e.proposal.note["error"].is_string())
    e.proposal.error = e.proposal.note["error"].get<std::string>();
  e.run.ok = r.ok;
  e.run.metric = r.metric;
  e.run.output = r.output;
  e.run.exit_status = r.exit_status;
  e.run.signal = r.signal;
  e.run.timed_out = r.timed_out;
  e.feedback = guide::records_from_json(r.feedback_json);
  e.feedback_text = r.feedback_text;
  e.duplicate = r.duplicate;
  e.started = r.started;
  e.finished = r.finished;
  e.duration_s = r.duration_s.value_or(0);
  e.from_journal = true;
  return e;
}

void Loop::evaluate(Evaluation& e) {
  auto t0 = std::chrono::steady_clock::now();
  e.started = utc_now();
  if (e.proposal.error) {
    e.run.output = "mapforge: the agent produced no policy: " + *e.proposal.error + "\n";
  } else {
    e.run = backend_.run(e.proposal.policy);
  }
  guide::RunOutput how;
  how.exit_status = e.run.exit_status;
  // A run stopped at its timeout was killed by us: the timeout is the fact, not the signal.
  if (!e.run.timed_out) how.signal = e.run.signal;
  how.timed_out = e.run.timed_out;
  if (!e.run.profile_json.empty()) how.profile_json = e.run.profile_json;
  e.feedback = guide::analyze(e.run.output, how, settings_.feedback);
  e.feedback_text = guide::render_text(e.feedback, settings_.feedback);
  if (e.proposal.error) e.feedback_text = e.run.output + e.feedback_text;
  e.finished = utc_now();
  e.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool Loop::record(const Evaluation& e, std::string& error) {
  std::lock_guard lock(mutex_);
  double score = score_of(e, objective_);
  bool improved = score > best_score_;
  if (improved) {
    best_score_ = score;
    result_.best_metric = e.run.metric;
    result_.best_policy = e.proposal.policy;
    result_.best_iteration = e.iteration;
  }
  ++result_.evaluations;
  if (e.from_journal) return true;
  ordered_json agent_note =
      e.proposal.note.is_null() ? ordered_json::object() : ordered_json(e.proposal.note);
  if (e.proposal.error) agent_note["error"] = *e.proposal.error;
  ordered_json line = {
      {"type", "eval"},
      {"iteration", e.iteration},
      {"batch", e.batch},
      {"policy", e.proposal.policy},
      {"ok", e.run.ok},
      {"metric", optional_number(e.run.ok ? e.run.metric : std::nullopt)},
      {"normalized", optional_number(normalized(e.run.ok ? e.run.metric : std::nullopt,
                                                reference_.expert_metric, objective_))},
      {"best_metric", optional_number(result_.best_metric)},
      {"output", settings_.journal_outputs ? truncated(e.run.output) : std::string()},
      {"exit_status", e.run.exit_status ? ordered_json(*e.run.exit_status) : ordered_json()},
      {"signal", e.run.signal ? ordered_json(*e.run.signal) : ordered_json()},
      {"timed_out", e.run.timed_out},
      {"feedback_text", settings_.journal_outputs ? e.feedback_text : std::string()},
      {"feedback", settings_.journal_outputs
                       ? ordered_json::parse(guide::render_json(e.feedback, settings_.feedback))
                       : ordered_json::array()},
      {"agent", agent_note},
      {"duplicate", e.duplicate},
      {"started", e.started},
      {"finished", e.finished},
      {"duration_s", e.duration_s}};
  if (!journal_.append(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), error))
    return false;
  if (improved) {
    const std::string best_text =
        e.proposal.policy.empty() ? std::string(kDefaultsWereBest) : e.proposal.policy;
    if (!write_file_atomically(dir_ / "best.map", best_text, error)) return false;
    if (!e.run.profile_json.empty() &&
        !write_file_atomically(dir_ / "best.profile.json", e.run.profile_json, error))
      return false;
  }
  if (!e.duplicate) {
    ++evaluated_now_;
    evaluated_seconds_ += e.duration_s;
  }
  if (on_progress_) {
    Progress p;
    p.iteration = result_.evaluations;
    p.iterations = settings_.iterations;
    p.metric = e.run.ok ? e.run.metric : std::nullopt;
    p.best_metric = result_.best_metric;
    if (result_.best_metric && reference_.expert_metric)
      p.best_vs_expert = normalized(result_.best_metric, reference_.expert_metric, objective_);
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at_).count();
    p.seconds_per_eval = evaluated_now_ > 0 ? evaluated_seconds_ / evaluated_now_ : 0;
    int done_now = std::max(1, evaluated_now_);
    p.eta_s = elapsed / done_now * std::max(0, settings_.iterations - result_.evaluations);
    on_progress_(p);
  }
  return true;
}

bool Loop::run_batch(int batch, int first, int count, std::string& error) {
  // The batch's proposals: the agent's own, or (non-deterministic agents resuming) the journal's.
  std::vector<search::Proposal> proposals;
  std::vector<int> iterations;
  if (!agent_.deterministic()) {
    // Proposals that were made and journalled are handed back; only the missing ones are new.
    std::vector<search::Proposal> adopted;
    std::vector<int> missing;
    for (int i = first; i < first + count; ++i) {
      if (recorded_.count(i)) {
        adopted.push_back(from_record(recorded_.at(i)).proposal);
        iterations.push_back(i);
      } else {
        missing.push_back(i);
      }
    }
    if (!adopted.empty()) agent_.adopt(adopted);
    proposals = adopted;
    if (!missing.empty()) {
      auto fresh = agent_.propose(static_cast<int>(missing.size()));
      for (std::size_t k = 0; k < fresh.size(); ++k) {
        proposals.push_back(std::move(fresh[k]));
        iterations.push_back(missing[k]);
      }
    }
  } else {
    proposals = agent_.propose(count);
    for (std::size_t k = 0; k < proposals.size(); ++k)
      iterations.push_back(first + static_cast<int>(k));
  }
  std::vector<Evaluation> evals(proposals.size());
  std::vector<std::size_t> to_run;
  for (std::size_t k = 0; k < proposals.size(); ++k) {
    int iteration = iterations[k];
    auto it = recorded_.find(iteration);
    if (it != recorded_.end()) {
      if (it->second.policy != proposals[k].policy) {
        error = "cannot resume exactly: iteration " + std::to_string(iteration) +
                " of the journal ran a different policy than the agent proposes now (was the "
                "journal edited, or mapforge changed since the run started?)";
        return false;
      }
      evals[k] = from_record(it->second);
      continue;
    }
    Evaluation& e = evals[k];
    e.iteration = iteration;
    e.batch = batch;
    e.proposal = proposals[k];
    if (!e.proposal.error) {
      auto seen = measured_.find(e.proposal.policy);
      if (seen != measured_.end()) {
        // Measured before: not re-run, but it counts as an iteration.
        e = duplicate_of(seen->second, e);
        if (!record(e, error)) return false;
        continue;
      }
    }
    to_run.push_back(k);
  }
  // Policies repeated inside the batch run once.
  std::map<std::string, std::size_t> first_of;
  std::vector<std::size_t> unique, repeats;
  for (std::size_t k : to_run) {
    if (!evals[k].proposal.error && first_of.count(evals[k].proposal.policy)) {
      repeats.push_back(k);
      continue;
    }
    first_of[evals[k].proposal.policy] = k;
    unique.push_back(k);
  }
  std::string thread_error;
  auto work = [&](std::size_t k) {
    evaluate(evals[k]);
    std::string e;
    if (!record(evals[k], e)) {
      std::lock_guard lock(mutex_);
      thread_error = e;
    }
  };
  for (std::size_t k = 0; k < evals.size(); ++k)
    if (evals[k].from_journal) record(evals[k], error);
  if (settings_.jobs <= 1 || unique.size() <= 1) {
    for (std::size_t k : unique) work(k);
  } else {
    std::vector<std::thread> threads;
    for (std::size_t k : unique) threads.emplace_back(work, k);
    for (auto& t : threads) t.join();
  }
  if (!thread_error.empty()) {
    error = thread_error;
    return false;
  }
  for (std::size_t k : repeats) {
    evals[k] = duplicate_of(evals[first_of.at(evals[k].proposal.policy)], evals[k]);
    if (!record(evals[k], error)) return false;
  }
  std::vector<search::Observation> observations;
  for (auto& e : evals) {
    if (!e.proposal.error && !measured_.count(e.proposal.policy)) measured_[e.proposal.policy] = e;
    observations.push_back(observation(e));
  }
  agent_.observe(observations);
  if (proposals.size() < static_cast<std::size_t>(count)) stopped_early_ = true;
  return true;
}

TuneResult Loop::run(bool resume) {
  std::string error;
  if (!start(resume, error)) {
    result_.error = error;
    return result_;
  }
  int jobs = std::max(1, settings_.jobs);
  for (int batch = 0, first = 0; first < settings_.iterations && !stopped_early_; ++batch) {
    int count = std::min(jobs, settings_.iterations - first);
    if (!run_batch(batch, first, count, error)) {
      result_.error = error;
      return result_;
    }
    first += count;
  }
  result_.ok = true;
  return result_;
}

}  // namespace

TuneResult run_tune(const TuneSettings& settings, search::Agent& agent, const Backend& backend,
                    const Reference& reference, const std::filesystem::path& dir, bool resume,
                    const std::function<void(const Progress&)>& on_progress) {
  Loop loop(settings, agent, backend, reference, dir, on_progress);
  return loop.run(resume);
}

}  // namespace mapforge::tune
