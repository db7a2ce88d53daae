// Reading back the settings a run was started with, for --resume.
#include <nlohmann/json.hpp>

#include "tune/tune.h"

namespace mapforge::tune {

std::optional<TuneSettings> settings_from_journal(const std::filesystem::path& dir,
                                                  std::string& error) {
  JournalResult read = read_journal(dir / "journal.jsonl");
  if (!read.ok) {
    error = read.error;
    return std::nullopt;
  }
  const RunHeader& h = read.journal.header;
  TuneSettings s;
  s.app = h.app;
  s.machine = h.machine;
  s.nodes = h.nodes.value_or(0);
  s.sizes = h.sizes;
  s.agent = h.agent;
  s.iterations = h.iterations.value_or(10);
  s.seed = h.seed.value_or(1);
  s.jobs = h.jobs.value_or(1);
  auto level = guide::parse_level(h.feedback.empty() ? "suggest" : h.feedback);
  if (!level) {
    error = (dir / "journal.jsonl").string() + ":1: unknown feedback level '" + h.feedback + "'";
    return std::nullopt;
  }
  s.feedback = *level;
  s.backend = h.backend.empty() ? "sim" : h.backend;
  s.command.command_template = h.command;
  s.command.metric_regex = h.metric_regex;
  s.command.timeout_s = h.timeout_s.value_or(0);
  s.command.objective = h.objective;
  s.command.metric_unit = h.metric_unit;
  s.llm_url = h.llm_url;
  s.llm_model = h.llm_model;
  // Keys the reader does not model are in the header line itself.
  auto raw = nlohmann::json::parse(h.json, nullptr, false);
  if (raw.is_object() && raw.contains("llm_variant") && raw["llm_variant"].is_string())
    s.llm_variant = raw["llm_variant"].get<std::string>();
  if (raw.is_object() && raw.contains("unset_env") && raw["unset_env"].is_array())
    for (const auto& name : raw["unset_env"])
      if (name.is_string()) s.command.unset_env.push_back(name.get<std::string>());
  if (raw.is_object() && raw.contains("start_policy") && raw["start_policy"].is_string())
    s.start_policy = raw["start_policy"].get<std::string>();
  if (s.agent.empty()) {
    error = (dir / "journal.jsonl").string() + ":1: the run header names no agent";
    return std::nullopt;
  }
  return s;
}

}  // namespace mapforge::tune
