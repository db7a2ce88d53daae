// Text and JSON renderings of a fidelity report.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "fidelity/fidelity.h"

namespace mapforge::fidelity {
namespace {

std::string fixed(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string ratio(const std::optional<double>& v) { return v ? fixed(*v, 3) : "fail"; }

std::string summary_line(const std::string& name, const Summary& s) {
  std::string line = name + ": direction agrees on " + std::to_string(s.agree) + " of " +
                     std::to_string(s.clear) + " clear effects";
  if (s.clear > 0) line += " (" + fixed(100.0 * s.agree / s.clear, 0) + "%)";
  line += ", median |ln(sim/real)| " + fixed(s.median_abs_log_error, 3) + " over " +
          std::to_string(s.compared);
  line += ", Spearman " + (s.spearman ? fixed(*s.spearman, 3) : std::string("n/a"));
  return line + "\n";
}

nlohmann::ordered_json summary_json(const Summary& s) {
  return {{"clear", s.clear},
          {"agree", s.agree},
          {"direction_agreement",
           s.clear > 0 ? nlohmann::json(double(s.agree) / s.clear) : nlohmann::json(nullptr)},
          {"median_abs_log_error", s.median_abs_log_error},
          {"compared", s.compared},
          {"spearman", s.spearman ? nlohmann::json(*s.spearman) : nlohmann::json(nullptr)}};
}

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

std::string render_text(const Report& report) {
  std::string out;
  bool mapper_header = false, stencil_header = false;
  for (const Comparison& c : report.comparisons) {
    if (c.table == "mapper" && !mapper_header) {
      out +=
          "mapper comparison: throughput ratio default/expert (fail = out of memory or failed)\n";
      out += "  app        nodes   real    sim  clear agree\n";
      mapper_header = true;
    }
    if (c.table == "stencil" && !stencil_header) {
      out += "stencil sweep: speedup t_c/t_o of the decompose grid over the near-square grid\n";
      out += "  nodes  domain: o vs c                 real    sim  clear agree\n";
      stencil_header = true;
    }
    char line[256];
    if (c.table == "mapper")
      std::snprintf(line, sizeof line, "  %-9s %6d %6s %6s  %5s %5s", c.app.c_str(), c.nodes,
                    ratio(c.real).c_str(), ratio(c.simulated).c_str(), c.clear ? "yes" : "-",
                    c.clear ? (c.agrees ? "yes" : "NO") : "-");
    else
      std::snprintf(line, sizeof line, "  %5d  %-30s %6s %6s  %5s %5s", c.nodes, c.what.c_str(),
                    ratio(c.real).c_str(), ratio(c.simulated).c_str(), c.clear ? "yes" : "-",
                    c.clear ? (c.agrees ? "yes" : "NO") : "-");
    out += line;
    if (!c.sim_error.empty()) out += "  (" + c.sim_error.substr(0, 120) + ")";
    out += "\n";
  }
  if (!report.throughput.empty()) {
    out += "expert throughput per node (real vs simulated)\n";
    out += "  app        nodes        real         sim  sim/real  unit\n";
    for (const Throughput& t : report.throughput) {
      char line[256];
      std::snprintf(line, sizeof line, "  %-9s %6d %11.4g %11s %9s  %s\n", t.app.c_str(), t.nodes,
                    t.real, t.simulated ? fixed(*t.simulated, 4).c_str() : "fail",
                    t.simulated ? fixed(*t.simulated / t.real, 3).c_str() : "-", t.unit.c_str());
      out += line;
    }
  }
  out += "summary, rows at " + std::to_string(report.max_nodes) + " nodes or fewer\n";
  out += "  " + summary_line("mapper default/expert", report.mapper);
  out += "  " + summary_line("stencil decompose/near-square", report.stencil);
  int within = 0, counted = 0;
  for (const Throughput& t : report.throughput) {
    if (t.nodes > report.max_nodes) continue;
    ++counted;
    if (t.simulated && std::abs(std::log(*t.simulated / t.real)) <= std::log(1.5)) ++within;
  }
  if (counted > 0)
    out += "  expert throughput per node within 1.5x of real: " + std::to_string(within) + " of " +
           std::to_string(counted) + "\n";
  return out;
}

std::string render_json(const Report& report) {
  nlohmann::ordered_json out;
  out["max_nodes"] = report.max_nodes;
  out["mapper"] = summary_json(report.mapper);
  out["stencil"] = summary_json(report.stencil);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const Comparison& c : report.comparisons)
    rows.push_back({{"table", c.table},
                    {"line", c.line},
                    {"app", c.app},
                    {"nodes", c.nodes},
                    {"what", c.what},
                    {"real", optional_number(c.real)},
                    {"simulated", optional_number(c.simulated)},
                    {"clear", c.clear},
                    {"agrees", c.agrees},
                    {"sim_error", c.sim_error}});
  out["comparisons"] = rows;
  nlohmann::ordered_json throughput = nlohmann::ordered_json::array();
  for (const Throughput& t : report.throughput)
    throughput.push_back({{"line", t.line},
                          {"app", t.app},
                          {"nodes", t.nodes},
                          {"unit", t.unit},
                          {"real", t.real},
                          {"simulated", optional_number(t.simulated)}});
  out["throughput"] = throughput;
  return out.dump(2) + "\n";
}

}  // namespace mapforge::fidelity
