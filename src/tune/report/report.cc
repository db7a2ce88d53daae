// load_run, render_report_html and write_report (report.h).
#include "tune/report/report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace mapforge::tune {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::string> read_text(const fs::path& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path.string() + ": cannot be read";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool write_atomically(const fs::path& path, std::string_view text, std::string& error) {
  fs::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      error = temporary.string() + ": cannot be written";
      std::error_code ignored;
      fs::remove(temporary, ignored);
      return false;
    }
  }
  std::error_code code;
  fs::rename(temporary, path, code);
  if (code) {
    error = path.string() + ": cannot be written (" + code.message() + ")";
    fs::remove(temporary, code);
    return false;
  }
  return true;
}

std::string esc(std::string_view text) { return html_escape(text); }

/// At most `limit` bytes of `text`, cut at a UTF-8 boundary, with an ellipsis when cut.
std::string shorten(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\u2026";
}

std::string first_line(std::string_view text) {
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  text.remove_prefix(start);
  return std::string(text.substr(0, text.find('\n')));
}

std::string last_lines(std::string_view text, std::size_t count) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::size_t position = text.size();
  for (std::size_t n = 0; n < count && position != std::string_view::npos && position > 0; ++n)
    position = text.rfind('\n', position - 1);
  if (position == std::string_view::npos || position == 0) return std::string(text);
  return std::string(text.substr(position + 1));
}

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string percent(double share) { return fixed(100 * share, share < 0.1 ? 1 : 0) + "%"; }

std::string bar(double share, bool memory = false) {
  if (!std::isfinite(share)) share = 0;
  double clamped = std::clamp(share, 0.0, 1.0);
  std::string cls = "bar";
  if (memory && share >= 1)
    cls += " full";
  else if (memory && share >= 0.8)
    cls += " warn";
  return "<div class=\"" + cls + "\"><span style=\"width:" + fixed(100 * clamped, 1) +
         "%\"></span></div>";
}

/// What the agent said about a proposal: a short text from its JSON note.
std::string agent_note(const std::string& agent_json) {
  if (agent_json.empty()) return {};
  json value;
  try {
    value = json::parse(agent_json);
  } catch (const json::exception&) {
    return agent_json;
  }
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object()) {
    for (const char* key : {"note", "edit", "summary", "change", "reasoning", "description",
                            "explanation", "action", "reason"}) {
      auto it = value.find(key);
      if (it != value.end() && it->is_string() && !it->get<std::string>().empty())
        return it->get<std::string>();
    }
    for (const auto& item : value.items())
      if (item.value().is_string() && !item.value().get<std::string>().empty())
        return item.key() + ": " + item.value().get<std::string>();
    if (value.empty()) return {};
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string outcome(const EvalRecord& eval) {
  if (eval.ok && eval.metric) return "ok";
  if (eval.timed_out) return "timed out";
  if (eval.signal) return "signal " + std::to_string(*eval.signal);
  if (eval.exit_status && *eval.exit_status != 0)
    return "exit " + std::to_string(*eval.exit_status);
  return "failed";
}

// ---- profile ------------------------------------------------------------------------------

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}
std::optional<double> number(const json& object, const char* key) {
  const json* value = member(object, key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  double v = value->get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}
std::string text(const json& object, const char* key) {
  const json* value = member(object, key);
  if (value == nullptr) return {};
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number()) return value->dump();
  return {};
}
std::vector<const json*> objects(const json& object, const char* key) {
  std::vector<const json*> out;
  const json* list = member(object, key);
  if (list == nullptr || !list->is_array()) return out;
  for (const json& item : *list)
    if (item.is_object()) out.push_back(&item);
  return out;
}
std::string seconds_cell(std::optional<double> value) {
  return "<td class=\"num\">" + (value ? format_metric(*value, "s") : std::string("&ndash;")) +
         "</td>";
}

std::string profile_section(const std::string& profile_text, std::vector<std::string>& warnings) {
  json profile;
  try {
    profile = json::parse(profile_text);
  } catch (const json::exception& error) {
    warnings.push_back("best.profile.json: not valid JSON (" + std::string(error.what()) +
                       "); profile skipped");
    return {};
  }
  if (!profile.is_object()) {
    warnings.push_back("best.profile.json: not a JSON object; profile skipped");
    return {};
  }
  constexpr std::size_t kTop = 10;
  std::string out = "<h2 id=\"profile\">Profile of the best run</h2>\n";
  std::string facts;
  if (auto elapsed = number(profile, "elapsed_s"))
    facts += "<tr><th>elapsed</th><td>" + format_metric(*elapsed, "s") + "</td></tr>";
  if (auto total = number(profile, "total_s"))
    facts +=
        "<tr><th>total (with untimed phases)</th><td>" + format_metric(*total, "s") + "</td></tr>";
  if (auto points = number(profile, "point_tasks"))
    facts += "<tr><th>point tasks</th><td>" + fixed(*points, 0) + "</td></tr>";
  if (const json* instances = member(profile, "instances")) {
    auto created = number(*instances, "created"), collected = number(*instances, "collected");
    if (created || collected)
      facts += "<tr><th>instances</th><td>" + (created ? fixed(*created, 0) : "?") + " created, " +
               (collected ? fixed(*collected, 0) : "?") + " collected</td></tr>";
  }
  if (!facts.empty()) out += "<table class=\"kv\">" + facts + "</table>\n";

  bool any = !facts.empty();
  const json* path = member(profile, "critical_path");
  std::vector<const json*> on_path = path ? objects(*path, "by_task") : std::vector<const json*>{};
  if (!on_path.empty()) {
    any = true;
    std::stable_sort(on_path.begin(), on_path.end(), [](const json* a, const json* b) {
      return number(*a, "run_s").value_or(0) + number(*a, "copy_wait_s").value_or(0) >
             number(*b, "run_s").value_or(0) + number(*b, "copy_wait_s").value_or(0);
    });
    out += "<h3>Critical path: top tasks by time</h3>\n<p class=\"muted\">";
    if (auto length = number(*path, "length_s")) out += "length " + format_metric(*length, "s");
    if (auto count = number(*path, "tasks_on_path"))
      out += ", " + fixed(*count, 0) + " point tasks on the path";
    out +=
        "</p>\n<table><tr><th>task</th><th class=\"num\">running</th>"
        "<th class=\"num\">waiting for copies</th><th class=\"num\">share</th><th></th></tr>\n";
    for (std::size_t i = 0; i < std::min(kTop, on_path.size()); ++i) {
      const json& t = *on_path[i];
      auto share = number(t, "share");
      out += "<tr><td class=\"mono\">" + esc(text(t, "task")) + "</td>" +
             seconds_cell(number(t, "run_s")) + seconds_cell(number(t, "copy_wait_s")) +
             "<td class=\"num\">" + (share ? percent(*share) : "&ndash;") + "</td><td>" +
             bar(share.value_or(0)) + "</td></tr>\n";
    }
    out += "</table>\n";
  } else if (std::vector<const json*> tasks = objects(profile, "tasks"); !tasks.empty()) {
    any = true;
    std::stable_sort(tasks.begin(), tasks.end(), [](const json* a, const json* b) {
      return number(*a, "busy_s").value_or(0) > number(*b, "busy_s").value_or(0);
    });
    double top = number(*tasks.front(), "busy_s").value_or(0);
    out +=
        "<h3>Top tasks by busy time</h3>\n<table><tr><th>task</th><th>kind</th>"
        "<th class=\"num\">points</th><th class=\"num\">busy</th><th class=\"num\">compute</th>"
        "<th class=\"num\">data</th><th></th></tr>\n";
    for (std::size_t i = 0; i < std::min(kTop, tasks.size()); ++i) {
      const json& t = *tasks[i];
      double busy = number(t, "busy_s").value_or(0);
      out += "<tr><td class=\"mono\">" + esc(text(t, "task")) + "</td><td>" + esc(text(t, "kind")) +
             "</td><td class=\"num\">" + esc(text(t, "points")) + "</td>" +
             seconds_cell(number(t, "busy_s")) + seconds_cell(number(t, "compute_s")) +
             seconds_cell(number(t, "data_s")) + "<td>" + bar(top > 0 ? busy / top : 0) +
             "</td></tr>\n";
    }
    out += "</table>\n";
  }

  if (std::vector<const json*> channels = objects(profile, "channels"); !channels.empty()) {
    any = true;
    std::stable_sort(channels.begin(), channels.end(), [](const json* a, const json* b) {
      return number(*a, "bytes").value_or(0) > number(*b, "bytes").value_or(0);
    });
    double top = number(*channels.front(), "bytes").value_or(0);
    out +=
        "<h3>Copies by channel</h3>\n<table><tr><th>channel</th><th class=\"num\">bytes</th>"
        "<th class=\"num\">copies</th><th class=\"num\">busy</th><th></th></tr>\n";
    for (std::size_t i = 0; i < std::min(kTop, channels.size()); ++i) {
      const json& c = *channels[i];
      auto bytes = number(c, "bytes");
      out += "<tr><td>" + esc(text(c, "channel")) + "</td><td class=\"num\">" +
             (bytes ? format_bytes(*bytes) : "&ndash;") + "</td><td class=\"num\">" +
             esc(text(c, "copies")) + "</td>" + seconds_cell(number(c, "busy_s")) + "<td>" +
             bar(top > 0 ? bytes.value_or(0) / top : 0) + "</td></tr>\n";
    }
    out += "</table>\n";
  }

  if (std::vector<const json*> memories = objects(profile, "memories"); !memories.empty()) {
    any = true;
    auto share_of = [](const json& m) {
      if (auto share = number(m, "high_water_share")) return *share;
      auto high = number(m, "high_water_bytes"), capacity = number(m, "capacity_bytes");
      return high && capacity && *capacity > 0 ? *high / *capacity : 0.0;
    };
    std::stable_sort(memories.begin(), memories.end(),
                     [&](const json* a, const json* b) { return share_of(*a) > share_of(*b); });
    out +=
        "<h3>Memory high-water marks</h3>\n<table><tr><th>memory</th><th>kind</th>"
        "<th class=\"num\">high water</th><th class=\"num\">capacity</th>"
        "<th class=\"num\">used</th><th></th></tr>\n";
    for (std::size_t i = 0; i < std::min(kTop, memories.size()); ++i) {
      const json& m = *memories[i];
      auto high = number(m, "high_water_bytes"), capacity = number(m, "capacity_bytes");
      double share = share_of(m);
      out += "<tr><td class=\"mono\">" + esc(text(m, "memory")) + "</td><td>" +
             esc(text(m, "kind")) + "</td><td class=\"num\">" +
             (high ? format_bytes(*high) : "&ndash;") + "</td><td class=\"num\">" +
             (capacity ? format_bytes(*capacity) : "&ndash;") + "</td><td class=\"num\">" +
             percent(share) + "</td><td>" + bar(share, true) + "</td></tr>\n";
    }
    if (memories.size() > kTop)
      out += "<tr><td colspan=\"6\" class=\"muted\">" + std::to_string(memories.size() - kTop) +
             " more</td></tr>\n";
    out += "</table>\n";
  }
  if (!any) out += "<p class=\"muted\">The profile holds nothing this report shows.</p>\n";
  return out;
}

// ---- policies -------------------------------------------------------------------------------

std::string code_line(const char* cls, std::size_t number, std::string_view line) {
  std::string out = "<div";
  if (cls[0] != '\0') out += std::string(" class=\"") + cls + "\"";
  out += "><span class=\"g\">" + std::to_string(number) + "</span>" + esc(line) + "</div>\n";
  return out;
}

std::string plain_code(std::string_view text) {
  std::string out = "<div class=\"code\">\n";
  std::size_t number = 0, start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out += code_line("", ++number, text.substr(start, end - start));
    start = end + 1;
  }
  return out + "</div>\n";
}

std::string policies_section(const RunData& run, const EvalRecord* best) {
  const RunHeader& h = run.header;
  const std::string& unit = h.metric_unit;
  std::string out = "<h2 id=\"policies\">Best policy, expert and default</h2>\n";
  std::string best_text = best ? best->policy : std::string();
  if (!best) {
    out += "<p class=\"muted\">No evaluation succeeded, so there is no best policy.</p>\n";
  }
  const bool has_expert = !h.expert_policy.empty();
  std::vector<DiffLine> diff;
  std::size_t added = 0, removed = 0;
  if (best && has_expert) {
    diff = diff_lines(h.expert_policy, best_text);
    for (const DiffLine& line : diff) {
      added += line.kind == DiffKind::Added;
      removed += line.kind == DiffKind::Removed;
    }
    out += "<p>Against the expert: <span class=\"good\">+" + std::to_string(added) +
           "</span> lines only in the best, <span class=\"bad\">&minus;" + std::to_string(removed) +
           "</span> lines only in the expert" +
           (added + removed == 0 ? " (the same policy)" : std::string()) + ".</p>\n";
  }
  out += "<div class=\"policies\">\n";
  if (best) {
    out += "<div class=\"policy\"><div class=\"head\">Best <span class=\"muted\">iteration " +
           std::to_string(best->iteration) + " &middot; " +
           esc(format_metric(best->metric.value_or(NAN), unit)) + "</span></div>\n";
    if (best_text.empty()) {
      out +=
          "<p class=\"muted\" style=\"padding:0 10px\">The empty policy: every decision is the "
          "runtime&#39;s default.</p>\n";
    } else if (has_expert) {
      out += "<div class=\"code\">\n";
      std::size_t number = 0;
      for (const DiffLine& line : diff)
        if (line.kind != DiffKind::Removed)
          out += code_line(line.kind == DiffKind::Added ? "add" : "", ++number, line.text);
      out += "</div>\n";
    } else {
      out += plain_code(best_text);
    }
    out += "</div>\n";
  }
  out += "<div class=\"policy\"><div class=\"head\">Expert <span class=\"muted\">" +
         (h.expert_metric ? esc(format_metric(*h.expert_metric, unit))
                          : std::string("metric unknown")) +
         "</span></div>\n";
  if (!has_expert) {
    out += "<p class=\"muted\" style=\"padding:0 10px\">No expert policy for this run.</p>\n";
  } else if (best) {
    out += "<div class=\"code\">\n";
    std::size_t number = 0;
    for (const DiffLine& line : diff)
      if (line.kind != DiffKind::Added)
        out += code_line(line.kind == DiffKind::Removed ? "del" : "", ++number, line.text);
    out += "</div>\n";
  } else {
    out += plain_code(h.expert_policy);
  }
  out += "</div>\n";
  out += "<div class=\"policy\"><div class=\"head\">Default <span class=\"muted\">" +
         (h.default_metric ? esc(format_metric(*h.default_metric, unit))
                           : std::string("metric unknown")) +
         "</span></div>\n<p class=\"muted\" style=\"padding:0 10px\">The empty policy: every "
         "decision is left to the runtime&#39;s default mapper.</p></div>\n";
  out += "</div>\n";
  if (best && has_expert && added + removed > 0) {
    out += "<details><summary>Unified diff, expert &rarr; best</summary><div class=\"code\">\n";
    for (const DiffLine& line : diff) {
      const char* cls = line.kind == DiffKind::Added     ? "add"
                        : line.kind == DiffKind::Removed ? "del"
                                                         : "";
      out += "<div";
      if (cls[0] != '\0') out += std::string(" class=\"") + cls + "\"";
      out += "><span class=\"g\"></span>" + esc(line.text) + "</div>\n";
    }
    out += "</div></details>\n";
  }
  return out;
}

// ---- header --------------------------------------------------------------------------------

std::string ratio_card(const char* label, const std::optional<double>& reference,
                       const EvalRecord* best, const RunHeader& h) {
  std::string out = "<div class=\"card\"><div class=\"label\">" + std::string(label) + "</div>";
  const std::string& unit = h.metric_unit;
  if (!reference) {
    return out +
           "<div class=\"value muted\">&ndash;</div><div class=\"note\">reference unknown"
           "</div></div>\n";
  }
  std::optional<double> ratio = best && best->metric
                                    ? improvement_ratio(*best->metric, *reference, h.objective)
                                    : std::nullopt;
  if (!ratio) {
    return out + "<div class=\"value muted\">&ndash;</div><div class=\"note\">reference " +
           esc(format_metric(*reference, unit)) + "</div></div>\n";
  }
  const bool minimize = h.objective == Objective::Minimize;
  const char* cls = *ratio > 1 + 1e-9 ? "good" : *ratio < 1 - 1e-9 ? "bad" : "";
  out += "<div class=\"value " + std::string(cls) + "\">" + fixed(*ratio, *ratio < 10 ? 3 : 1) +
         "&times;</div><div class=\"note\">";
  if (minimize)
    out += esc(format_metric(*reference, unit)) + " / " + esc(format_metric(*best->metric, unit)) +
           (*ratio >= 1 ? " (speed-up)" : " (slower)");
  else
    out += esc(format_metric(*best->metric, unit)) + " / " + esc(format_metric(*reference, unit)) +
           (*ratio >= 1 ? " (higher throughput)" : " (lower throughput)");
  return out + "</div></div>\n";
}

std::string kv(std::string_view key, std::string_view value_html) {
  return "<tr><th>" + std::string(key) + "</th><td>" + std::string(value_html) + "</td></tr>\n";
}

std::string header_section(const RunData& run, const EvalRecord* best) {
  const RunHeader& h = run.header;
  std::string out = "<h1>mapforge tune: " + esc(h.app.empty() ? "?" : h.app) + " on " +
                    esc(h.machine.empty() ? "?" : h.machine) + "</h1>\n<p class=\"sub\">";
  std::vector<std::string> parts;
  if (!h.agent.empty()) parts.push_back("agent <b>" + esc(h.agent) + "</b>");
  if (h.seed) parts.push_back("seed " + std::to_string(*h.seed));
  parts.push_back(std::to_string(run.evals.size()) +
                  (h.iterations ? " of " + std::to_string(*h.iterations) : "") + " iterations");
  if (!h.backend.empty()) parts.push_back("backend " + esc(h.backend));
  if (!h.started.empty()) parts.push_back("started " + esc(h.started));
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " &middot; " : "") + parts[i];
  out += "</p>\n";

  std::size_t ok = 0, failed = 0, duplicates = 0;
  double duration = 0;
  for (const EvalRecord& eval : run.evals) {
    (eval.ok && eval.metric ? ok : failed) += 1;
    duplicates += eval.duplicate;
    duration += eval.duration_s.value_or(0);
  }

  out += "<div class=\"cards\">\n<div class=\"card\"><div class=\"label\">best " +
         std::string(h.objective == Objective::Minimize ? "time" : "throughput") + "</div>";
  if (best)
    out += "<div class=\"value\">" + esc(format_metric(*best->metric, h.metric_unit)) +
           "</div><div class=\"note\">iteration " + std::to_string(best->iteration) + "</div>";
  else
    out += "<div class=\"value bad\">none</div><div class=\"note\">no evaluation succeeded</div>";
  out += "</div>\n";
  out += ratio_card("vs expert", h.expert_metric, best, h);
  out += ratio_card("vs default", h.default_metric, best, h);
  out += "<div class=\"card\"><div class=\"label\">evaluations</div><div class=\"value\">" +
         std::to_string(run.evals.size()) + "</div><div class=\"note\">" + std::to_string(ok) +
         " ok &middot; " + std::to_string(failed) + " failed &middot; " +
         std::to_string(duplicates) + " duplicate</div></div>\n</div>\n";

  std::string rows;
  rows += kv("app", esc(h.app));
  rows += kv("machine",
             esc(h.machine) + (h.nodes ? " &times; " + std::to_string(*h.nodes) + " nodes" : ""));
  if (!h.sizes.empty()) {
    std::string sizes;
    for (const std::string& size : h.sizes) sizes += (sizes.empty() ? "" : ", ") + esc(size);
    rows += kv("sizes", "<span class=\"mono\">" + sizes + "</span>");
  }
  rows +=
      kv("objective", std::string(h.objective == Objective::Minimize ? "minimize" : "maximize") +
                          (h.metric_unit.empty() ? "" : " (" + esc(h.metric_unit) + ")"));
  if (!h.feedback.empty()) rows += kv("feedback", esc(h.feedback));
  if (h.jobs) rows += kv("jobs", std::to_string(*h.jobs));
  if (!h.command.empty()) rows += kv("command", "<code>" + esc(h.command) + "</code>");
  if (!h.metric_regex.empty())
    rows += kv("metric regex", "<code>" + esc(h.metric_regex) + "</code>");
  if (h.timeout_s) rows += kv("timeout", esc(format_metric(*h.timeout_s, "s")));
  if (!h.llm_model.empty())
    rows += kv("model", esc(h.llm_model) + (h.llm_url.empty() ? "" : " at " + esc(h.llm_url)));
  if (duration > 0) rows += kv("evaluation time", esc(format_metric(duration, "s")) + " in total");
  rows += kv("run directory", "<code>" + esc(run.dir.string()) + "</code>");
  out += "<table class=\"kv\">\n" + rows + "</table>\n";
  return out;
}

// ---- iterations ----------------------------------------------------------------------------

std::string iterations_section(const RunData& run, const EvalRecord* best) {
  const std::string& unit = run.header.metric_unit;
  std::string out = "<h2 id=\"iterations\">Iterations</h2>\n";
  if (run.evals.empty()) return out + "<p class=\"muted\">No evaluations yet.</p>\n";
  out +=
      "<table class=\"iterations\"><tr><th class=\"num\">#</th><th class=\"num\">metric</th>"
      "<th class=\"num\">normalized</th><th>status</th><th>agent&#39;s note</th>"
      "<th>feedback</th></tr>\n";
  for (const EvalRecord& eval : run.evals) {
    const bool ok = eval.ok && eval.metric.has_value();
    out += &eval == best ? "<tr class=\"best\">" : "<tr>";
    out += "<td class=\"num\">" + std::to_string(eval.iteration) + "</td>";
    out += "<td class=\"num\">" +
           (eval.metric ? esc(format_metric(*eval.metric, unit)) : std::string("&ndash;")) +
           (&eval == best ? " &#9733;" : "") + "</td>";
    out +=
        "<td class=\"num\">" + (eval.normalized ? fixed(*eval.normalized, 3) : "&ndash;") + "</td>";
    out += "<td><span class=\"tag " + std::string(ok ? "ok" : "fail") + "\">" + esc(outcome(eval)) +
           "</span>";
    if (eval.duplicate) out += " <span class=\"tag dup\">duplicate</span>";
    out += "</td>";
    std::string note = agent_note(eval.agent_json);
    out += "<td title=\"" + esc(shorten(note, 2000)) + "\">" + esc(shorten(note, 140)) + "</td>";
    out += "<td>";
    std::string summary = first_line(eval.feedback_text);
    bool has_details =
        !eval.feedback_text.empty() || !eval.policy.empty() || (!ok && !eval.output.empty());
    if (has_details) {
      out += "<details><summary>" +
             esc(summary.empty() ? std::string("details") : shorten(summary, 90)) + "</summary>";
      if (!eval.feedback_text.empty()) out += "<pre>" + esc(eval.feedback_text) + "</pre>";
      if (!ok && !eval.output.empty())
        out += "<div class=\"muted\">output, last lines</div><pre>" +
               esc(last_lines(eval.output, 30)) + "</pre>";
      if (!eval.policy.empty())
        out += "<div class=\"muted\">policy</div><pre>" + esc(eval.policy) + "</pre>";
      out += "</details>";
    } else {
      out += "<span class=\"muted\">&ndash;</span>";
    }
    out += "</td></tr>\n";
  }
  return out + "</table>\n";
}

}  // namespace

// ---- public ----------------------------------------------------------------------------------

LoadRunResult load_run(const fs::path& dir) {
  LoadRunResult result;
  std::error_code code;
  if (!fs::is_directory(dir, code)) {
    result.error = dir.string() + ": no such directory";
    return result;
  }
  JournalResult journal = read_journal(dir / "journal.jsonl");
  if (!journal.ok) {
    result.error = journal.error;
    return result;
  }
  RunData& run = result.run;
  run.dir = dir;
  run.header = std::move(journal.journal.header);
  run.evals = std::move(journal.journal.evals);
  run.warnings = std::move(journal.journal.warnings);
  std::stable_sort(
      run.evals.begin(), run.evals.end(),
      [](const EvalRecord& a, const EvalRecord& b) { return a.iteration < b.iteration; });
  for (const char* name : {"best.map", "best.profile.json"}) {
    fs::path path = dir / name;
    if (!fs::exists(path, code)) continue;
    std::string error;
    std::optional<std::string> text = read_text(path, error);
    if (!text) {
      run.warnings.push_back(error);
      continue;
    }
    (std::string_view(name) == "best.map" ? run.best_map : run.profile_json) = std::move(text);
  }
  result.ok = true;
  return result;
}

std::optional<std::size_t> best_eval(const RunData& run) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < run.evals.size(); ++i) {
    const EvalRecord& eval = run.evals[i];
    if (!eval.ok || !eval.metric || !std::isfinite(*eval.metric)) continue;
    if (!best) {
      best = i;
      continue;
    }
    double current = *run.evals[*best].metric;
    bool better = run.header.objective == Objective::Minimize ? *eval.metric < current
                                                              : *eval.metric > current;
    if (better) best = i;
  }
  return best;
}

std::optional<double> improvement_ratio(double metric, double reference, Objective objective) {
  if (!(metric > 0) || !(reference > 0) || !std::isfinite(metric) || !std::isfinite(reference))
    return std::nullopt;
  return objective == Objective::Minimize ? reference / metric : metric / reference;
}

std::string render_report_html(const RunData& run) {
  std::optional<std::size_t> best_index = best_eval(run);
  const EvalRecord* best = best_index ? &run.evals[*best_index] : nullptr;
  std::vector<std::string> warnings = run.warnings;
  if (best && run.best_map) {
    auto trimmed = [](std::string_view text) {
      while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
      return text;
    };
    const bool defaults = trimmed(best->policy).empty() && *run.best_map == kDefaultsWereBest;
    if (!defaults && trimmed(*run.best_map) != trimmed(best->policy))
      warnings.push_back("best.map differs from the policy of the best evaluation (iteration " +
                         std::to_string(best->iteration) + "); the report shows the latter");
  }

  std::string body;
  body += header_section(run, best);
  std::string profile;
  if (run.profile_json) profile = profile_section(*run.profile_json, warnings);
  if (!warnings.empty()) {
    body += "<div class=\"warnings\"><b>Warnings</b><ul>\n";
    for (const std::string& warning : warnings) body += "<li>" + esc(warning) + "</li>\n";
    body += "</ul></div>\n";
  }
  body += "<h2 id=\"convergence\">Convergence</h2>\n<div class=\"plot\">\n" +
          run_convergence_svg(run) + "</div>\n";
  body += policies_section(run, best);
  body += profile;
  body += iterations_section(run, best);
  body += "<footer>Written by <code>mapforge report</code> from <code>" +
          esc((run.dir / "journal.jsonl").string()) + "</code>.</footer>";
  std::string title = "mapforge tune: " + run.header.app + " on " + run.header.machine;
  return html_page(title, body);
}

ReportResult write_report(const fs::path& dir) {
  ReportResult result;
  LoadRunResult loaded = load_run(dir);
  if (!loaded.ok) {
    result.error = loaded.error;
    return result;
  }
  result.warnings = loaded.run.warnings;
  std::string html = render_report_html(loaded.run);
  std::string svg = run_convergence_svg(loaded.run);
  if (loaded.run.profile_json) {
    std::vector<std::string> profile_warnings;
    profile_section(*loaded.run.profile_json, profile_warnings);
    result.warnings.insert(result.warnings.end(), profile_warnings.begin(), profile_warnings.end());
  }
  fs::path svg_path = dir / "convergence.svg", html_path = dir / "report.html";
  if (!write_atomically(svg_path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg,
                        result.error) ||
      !write_atomically(html_path, html, result.error))
    return result;
  result.ok = true;
  result.html_path = html_path.string();
  result.svg_path = svg_path.string();
  return result;
}

}  // namespace mapforge::tune
