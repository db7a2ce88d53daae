#include "search/llm/llm_agent.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dsl/dsl.h"
#include "search/llm/dsl_primer.h"
#include "search/llm/optoprime.h"
#include "search/llm/sections.h"

namespace mapforge::search::llm {
namespace {

using nlohmann::json;

constexpr std::size_t kNoteBytes = 4096;

constexpr std::string_view kCode =
    "policy = join(task_placement, region_memory, layout, instance_limit, index_task_map,\n"
    "              single_task_map)\n"
    "diagnostics = check(policy, app)\n"
    "output = run(app, machine, policy)\n"
    "feedback = autoguide(output)";

constexpr std::string_view kFunctions =
    "join: writes the six variables one after another, in this order, into one policy file in "
    "the mapping language described below. An empty variable leaves its decisions to the "
    "runtime's default heuristics.\n"
    "check: parses and checks the policy against the app's task and region names; an error "
    "stops the run and is reported as feedback.\n"
    "run: runs the app on the machine with the policy as its mapper; gives the metric, or the "
    "error that stopped the run.\n"
    "autoguide: reads the run's output and explains it, and at its highest level suggests "
    "changes to the policy.\n";

/// At most `limit` bytes of `text`, cut at a character boundary, with invalid UTF-8 bytes
/// replaced by '?', so that notes always serialise as JSON.
std::string clean_utf8(std::string_view text, std::size_t limit = std::string::npos) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x06 ? 2
                         : (lead >> 4) == 0x0E ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k)
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    std::size_t take = valid ? length : 1;
    if (out.size() + take > limit) break;
    if (valid)
      out.append(text.substr(i, length));
    else
      out.push_back('?');
    i += take;
  }
  return out;
}

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string trimmed(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

/// Accepts the names a model tends to send back: "region_memory", "(code) region_memory",
/// "Region_Memory", "#Variables.region_memory".
std::optional<Section> suggested_section(std::string_view key) {
  std::string name;
  for (char c : key) name.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  std::string_view view = name;
  if (view.starts_with("(code)")) view.remove_prefix(6);
  if (std::size_t dot = view.rfind('.'); dot != std::string_view::npos) view.remove_prefix(dot + 1);
  return parse_section_name(trimmed(view));
}

std::map<std::string, std::string> named_sections(const Sections& sections) {
  std::map<std::string, std::string> out;
  for (Section section : kAllSections)
    out[std::string(section_name(section))] = sections[static_cast<int>(section)];
  return out;
}

/// A proposal waiting for its observation.
struct Pending {
  int iteration = 0;
  Proposal proposal;
};

/// What one iteration taught, as the next prompts show it.
struct Outcome {
  int iteration = 0;
  std::optional<std::string> policy;  // none when the agent produced no policy
  std::string result;                 // one line for #Outputs
  std::string feedback;               // the paragraph for #Feedback and the history
};

class LlmAgent final : public search::Agent {
 public:
  LlmAgent(const search::Problem& problem, const LlmSettings& settings)
      : problem_(problem), settings_(settings), client_(settings.chat) {
    if (problem_.app.tasks.size() > 0) {
      std::vector<std::string> tasks;
      std::vector<std::string> regions;
      for (const auto& task : problem_.app.tasks) {
        tasks.push_back(task.name);
        for (const auto& region : task.region_args)
          if (std::find(regions.begin(), regions.end(), region) == regions.end())
            regions.push_back(region);
      }
      check_options_.app.tasks = std::move(tasks);
      check_options_.app.regions = std::move(regions);
    }
  }

  std::string_view name() const override {
    return settings_.variant == Variant::Opro ? "llm-opro" : "llm";
  }
  bool deterministic() const override { return false; }

  std::vector<Proposal> propose(int count) override {
    std::vector<Proposal> batch;
    for (int i = 0; i < count; ++i) {
      Proposal proposal = proposed_ == 0 ? initial_proposal() : ask();
      record(proposal);
      batch.push_back(std::move(proposal));
    }
    return batch;
  }

  void adopt(const std::vector<Proposal>& recorded) override {
    for (const auto& proposal : recorded) record(proposal);
  }

  void observe(const std::vector<Observation>& batch) override {
    std::vector<Pending> pending = std::move(pending_);
    pending_.clear();
    latest_.clear();
    // Observations come in proposal order; a loop may leave out the proposals that carried an
    // error (nothing ran), so those are matched only when the counts agree.
    bool one_to_one = batch.size() == pending.size();
    std::size_t next = 0;
    for (std::size_t k = 0; k < pending.size(); ++k) {
      const Observation* observation = nullptr;
      if (one_to_one)
        observation = &batch[k];
      else if (!pending[k].proposal.error && next < batch.size())
        observation = &batch[next++];
      if (observation) note_best(*observation, pending[k].iteration);
      Outcome outcome = describe(pending[k], observation);
      history_.push_back(outcome);
      latest_.push_back(std::move(outcome));
    }
  }

 private:
  Proposal initial_proposal() const {
    Proposal proposal;
    proposal.policy = problem_.start_policy;
    proposal.note = {{"start", problem_.start_policy.empty()
                                   ? "the empty policy: every decision is left to the runtime's "
                                     "default heuristics (no endpoint call)"
                                   : "the given starting policy (no endpoint call)"}};
    return proposal;
  }

  void record(const Proposal& proposal) {
    pending_.push_back(Pending{proposed_, proposal});
    ++proposed_;
    if (proposal.note.is_object() && proposal.note.contains("call") &&
        proposal.note["call"].is_number_integer())
      calls_ = std::max(calls_, proposal.note["call"].get<int>() + 1);
  }

  void note_best(const Observation& observation, int iteration) {
    if (!observation.ok || !observation.metric) return;
    if (best_iteration_ >= 0 && observation.score <= best_score_) return;
    best_policy_ = observation.policy;
    best_metric_ = observation.metric;
    best_score_ = observation.score;
    best_iteration_ = iteration;
  }

  std::string metric_text(double value) const {
    return number_text(value) + (problem_.metric_unit.empty() ? "" : " " + problem_.metric_unit);
  }

  std::string direction() const {
    return problem_.maximize ? "higher is better" : "lower is better";
  }

  Outcome describe(const Pending& pending, const Observation* observation) const {
    const Proposal& proposal = pending.proposal;
    const json& note = proposal.note;
    Outcome outcome;
    outcome.iteration = pending.iteration;
    std::string label = "Iteration " + std::to_string(pending.iteration);
    if (proposal.error) {
      outcome.result = "no policy: " + *proposal.error;
      outcome.feedback =
          label + " produced no policy and counted as a failed iteration: " + *proposal.error +
          ". Reply with the JSON object described in the system message, giving "
          "complete values for the variables you change.";
      return outcome;
    }
    outcome.policy = observation ? observation->policy : proposal.policy;
    std::string what = pending.iteration == 0 && proposal.policy.empty()
                           ? " (the empty policy: the runtime's default heuristics)"
                           : "";
    if (!observation) {
      outcome.result = "not run";
    } else if (observation->ok && observation->metric) {
      outcome.result =
          "ran; metric " + metric_text(*observation->metric) + " (" + direction() + ")";
    } else {
      outcome.result = "failed (counts as zero)";
    }
    std::string text = label + what + ": " + outcome.result + ".";
    if (best_metric_)
      text += " Best so far: " + metric_text(*best_metric_) + " (iteration " +
              std::to_string(best_iteration_) + ").";
    if (note.is_object() && note.value("terminated", false))
      text += "\nYou replied TERMINATE, so the best policy so far was run again.";
    if (observation && observation->duplicate)
      text += "\nThis policy had been measured before; it was not run again.";
    std::string feedback_text = observation ? trimmed(observation->feedback_text) : "";
    if (note.is_object() && note.contains("check") && note["check"].is_string()) {
      std::string check = trimmed(note["check"].get<std::string>());
      std::string first_line = check.substr(0, check.find('\n'));
      if (!check.empty() && feedback_text.find(first_line) == std::string::npos)
        text += "\nThe mapping-language checker reported:\n" + check;
    }
    if (!feedback_text.empty()) text += "\nAutoGuide feedback:\n" + feedback_text;
    outcome.feedback = std::move(text);
    return outcome;
  }

  Sections current_sections() const { return split_sections(best_policy_); }

  std::string instruction() const {
    std::string metric =
        problem_.maximize
            ? "a throughput in " + problem_.metric_unit + ", higher is better"
            : "a time in " +
                  (problem_.metric_unit.empty() ? std::string("s") : problem_.metric_unit) +
                  ", lower is better";
    return "Improve the mapping policy of the application `" + problem_.app.name +
           "` on the machine described in #Inputs. The policy is the six variables in "
           "#Variables, joined into one file (see #Code). The metric is " +
           metric +
           "; a policy that fails to run scores zero. Change the variables, guided by "
           "#Feedback, to improve the metric. #Variables hold the best policy found so far; an "
           "empty variable leaves those decisions to the runtime's default heuristics.";
  }

  std::string documentation() const {
    return std::string(kFunctions) + "\n" + std::string(dsl_primer());
  }

  std::vector<NamedValue> variables(const Sections& sections) const {
    std::vector<NamedValue> out;
    for (Section section : kAllSections)
      out.push_back(NamedValue{"code", std::string(section_name(section)),
                               sections[static_cast<int>(section)],
                               std::string(section_constraint(section))});
    return out;
  }

  std::vector<NamedValue> inputs() const {
    return {NamedValue{"json", "app", problem_.app_description, ""},
            NamedValue{"text", "machine", problem_.machine_description, ""}};
  }

  std::string latest_feedback() const {
    if (latest_.empty()) return "Nothing has run yet.";
    std::string out;
    for (const auto& outcome : latest_) {
      if (!out.empty()) out += "\n\n";
      out += outcome.feedback;
    }
    return out;
  }

  MemoryEntry memory_entry(const Outcome& outcome) const {
    MemoryEntry entry;
    if (outcome.policy) entry.variables = named_sections(split_sections(*outcome.policy));
    entry.feedback = outcome.feedback;
    return entry;
  }

  Prompt optoprime() const {
    ProblemInstance problem;
    problem.instruction = instruction();
    problem.code = std::string(kCode);
    problem.documentation = documentation();
    problem.variables = variables(current_sections());
    problem.inputs = inputs();
    std::string results;
    for (const auto& outcome : latest_) {
      if (outcome.policy && trimmed(*outcome.policy) != trimmed(best_policy_))
        problem.others.push_back(
            NamedValue{"code", "policy_of_iteration_" + std::to_string(outcome.iteration),
                       *outcome.policy, ""});
      if (!results.empty()) results += '\n';
      results += "iteration " + std::to_string(outcome.iteration) + ": " + outcome.result;
    }
    if (!results.empty()) problem.outputs.push_back(NamedValue{"text", "result", results, ""});
    problem.feedback = latest_feedback();
    std::vector<MemoryEntry> memory;
    if (settings_.memory_size > 0) {
      std::size_t older = history_.size() - latest_.size();
      std::size_t keep =
          std::min<std::size_t>(older, static_cast<std::size_t>(settings_.memory_size));
      for (std::size_t i = older - keep; i < older; ++i)
        memory.push_back(memory_entry(history_[i]));
    }
    return optoprime_prompt(problem, memory);
  }

  Prompt opro() const {
    ProblemInstance context;
    context.code = std::string(kCode);
    context.documentation = documentation();
    context.variables = variables(Sections{});
    context.inputs = inputs();
    std::string text =
        "The variables are the six sections of a mapping policy for a task-based program "
        "(names below); their values are source text in the mapping language.\n\n#Code\n" +
        context.code + "\n\n#Documentation\n" + context.documentation + "\n#Constraints\n";
    for (const auto& variable : context.variables)
      text += "(code) " + variable.name + ": " + variable.constraint + "\n";
    text += "\n#Inputs\n(json) app=\n" + problem_.app_description + "\n(text) machine=\n" +
            problem_.machine_description + "\n";
    std::vector<MemoryEntry> history;
    for (const auto& outcome : history_) history.push_back(memory_entry(outcome));
    if (history.empty())
      history.push_back(MemoryEntry{named_sections(current_sections()), "Nothing has run yet."});
    std::string ask = instruction();
    ask += " Come up with new values of the variables, in accordance with the feedback.";
    return opro_prompt(text, ask, history);
  }

  Proposal ask() {
    Prompt prompt = settings_.variant == Variant::Opro ? opro() : optoprime();
    int call = calls_++;
    json note = {{"call", call}, {"variant", to_string(settings_.variant)}};
    ChatResult result = client_.complete({{"system", prompt.system}, {"user", prompt.user}},
                                         problem_.seed + static_cast<std::uint64_t>(call));
    const std::string& key = settings_.chat.api_key;
    Proposal proposal;
    if (!result) {
      std::string error = clean_utf8(redact(result.error(), key));
      note["error"] = error;
      proposal.note = std::move(note);
      proposal.error = std::move(error);
      return proposal;
    }
    std::string content = clean_utf8(redact(result.reply().content, key));
    note["attempts"] = result.reply().attempts;
    note["json_mode"] = result.reply().json_mode;
    if (!result.reply().finish_reason.empty()) note["finish_reason"] = result.reply().finish_reason;
    note["raw_reply"] = clean_utf8(content, kNoteBytes);
    ParsedReply parsed = parse_reply(content);
    note["reasoning"] = clean_utf8(parsed.reasoning, kNoteBytes);
    note["parsed_by"] = parsed.parsed_by;
    if (parsed.terminate) {
      note["terminated"] = true;
      note["sections_changed"] = json::array();
      proposal.policy = best_policy_;
      proposal.note = std::move(note);
      return proposal;
    }
    Sections sections = current_sections();
    json changed = json::array();
    json ignored = json::array();
    bool any = false;
    for (const auto& [name, value] : parsed.suggestion) {
      auto section = suggested_section(name);
      if (!section) {
        ignored.push_back(clean_utf8(name, 200));
        continue;
      }
      any = true;
      std::string& text = sections[static_cast<int>(*section)];
      std::string fresh = trimmed(value) + "\n";
      if (trimmed(fresh) == trimmed(text)) continue;
      text = std::move(fresh);
      changed.push_back(section_name(*section));
    }
    note["sections_changed"] = changed;
    if (!ignored.empty()) note["ignored_keys"] = ignored;
    if (!any) {
      std::string why = parsed.parsed_by.empty()
                            ? "reply has no JSON object with a \"suggestion\" and no TERMINATE"
                            : "reply suggests none of the variables task_placement, "
                              "region_memory, layout, instance_limit, index_task_map, "
                              "single_task_map";
      if (!ignored.empty()) why += " (it named " + ignored.dump() + ")";
      note["error"] = why;
      proposal.note = std::move(note);
      proposal.error = std::move(why);
      return proposal;
    }
    proposal.policy = join_sections(sections);
    auto diagnostics = dsl::check("policy.map", proposal.policy, check_options_);
    if (!diagnostics.empty()) {
      note["check"] = clean_utf8(dsl::render_all(diagnostics), kNoteBytes);
      note["check_errors"] = dsl::has_errors(diagnostics);
    }
    proposal.note = std::move(note);
    return proposal;
  }

  search::Problem problem_;
  LlmSettings settings_;
  ChatClient client_;
  dsl::CheckOptions check_options_;
  int proposed_ = 0;
  int calls_ = 0;
  std::vector<Pending> pending_;
  std::vector<Outcome> history_;
  std::vector<Outcome> latest_;
  std::string best_policy_;  // the empty policy until something runs
  std::optional<double> best_metric_;
  double best_score_ = -std::numeric_limits<double>::infinity();
  int best_iteration_ = -1;
};

}  // namespace

std::string_view to_string(Variant variant) {
  return variant == Variant::Opro ? "opro" : "optoprime";
}

std::optional<Variant> parse_variant(std::string_view word) {
  if (word == "optoprime") return Variant::OptoPrime;
  if (word == "opro") return Variant::Opro;
  return std::nullopt;
}

void apply_environment(LlmSettings& settings) {
  auto from_env = [](std::string& field, const char* name) {
    if (!field.empty()) return;
    if (const char* value = std::getenv(name); value && *value) field = value;
  };
  from_env(settings.chat.base_url, "OPENAI_BASE_URL");
  from_env(settings.chat.model, "OPENAI_MODEL");
  from_env(settings.chat.api_key, "OPENAI_API_KEY");
  if (settings.chat.base_url.empty()) settings.chat.base_url = std::string(kDefaultBaseUrl);
}

std::optional<std::string> settings_problem(const LlmSettings& settings) {
  const ChatSettings& chat = settings.chat;
  if (chat.base_url.empty()) return "llm agent: no endpoint: pass --llm-url or set OPENAI_BASE_URL";
  if (!chat.base_url.starts_with("http://") && !chat.base_url.starts_with("https://"))
    return "llm agent: endpoint " + redact(chat.base_url, chat.api_key) +
           " is not an http:// or https:// URL";
  if (chat.model.empty()) return "llm agent: no model: pass --llm-model or set OPENAI_MODEL";
  if (chat.timeout_s <= 0 || chat.connect_timeout_s <= 0)
    return std::string("llm agent: timeouts must be positive");
  if (chat.max_reply_bytes == 0) return std::string("llm agent: the reply cap must be positive");
  if (chat.retries < 0) return std::string("llm agent: retries cannot be negative");
  return std::nullopt;
}

std::unique_ptr<search::Agent> make_llm_agent(const search::Problem& problem,
                                              const LlmSettings& settings) {
  return std::make_unique<LlmAgent>(problem, settings);
}

}  // namespace mapforge::search::llm
