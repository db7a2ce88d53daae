// run_convergence_svg: one run's evaluations, failures, best-so-far steps and references.
#include <algorithm>
#include <cmath>

#include "tune/report/plot_frame.h"
#include "tune/report/report.h"

namespace mapforge::tune {
namespace {

constexpr const char* kEvalColour = "#4e79a7";
constexpr const char* kFailColour = "#cf222e";
constexpr const char* kBestColour = "#1a7f37";

bool better(double a, double b, Objective objective) {
  return objective == Objective::Minimize ? a < b : a > b;
}

std::string failure_reason(const EvalRecord& eval) {
  if (eval.timed_out) return "timed out";
  if (eval.signal) return "killed by signal " + std::to_string(*eval.signal);
  if (eval.exit_status && *eval.exit_status != 0)
    return "exit status " + std::to_string(*eval.exit_status);
  return "no metric";
}

}  // namespace

std::string run_convergence_svg(const RunData& run) {
  using namespace plot;
  const RunHeader& h = run.header;
  const double width = 820, height = 400;
  const std::string& unit = h.metric_unit;

  std::vector<double> values;
  int max_iteration = h.iterations ? *h.iterations - 1 : 0;
  for (const EvalRecord& eval : run.evals) {
    max_iteration = std::max(max_iteration, eval.iteration);
    if (eval.ok && eval.metric) values.push_back(*eval.metric);
  }
  if (h.expert_metric) values.push_back(*h.expert_metric);
  if (h.default_metric) values.push_back(*h.default_metric);

  bool any_duplicate = false, any_failed = false;
  for (const EvalRecord& eval : run.evals) {
    any_duplicate |= eval.duplicate && eval.ok;
    any_failed |= !eval.ok || !eval.metric;
  }
  std::vector<LegendItem> legend{{LegendItem::Dot, kEvalColour, "", "evaluation"}};
  if (any_duplicate)
    legend.push_back({LegendItem::Ring, kEvalColour, "", "duplicate (not re-run)"});
  if (any_failed) legend.push_back({LegendItem::Cross, kFailColour, "", "failed"});
  legend.push_back({LegendItem::Line, kBestColour, "", "best so far"});
  if (h.expert_metric) legend.push_back({LegendItem::Line, kExpertColour, "6 4", "expert"});
  if (h.default_metric) legend.push_back({LegendItem::Line, kDefaultColour, "2 3", "default"});

  std::string title = "Convergence";
  if (!h.app.empty()) title += ": " + h.app;
  if (!h.machine.empty()) title += " on " + h.machine;
  if (!h.agent.empty()) title += " (" + h.agent + ")";
  const double title_height = 26;
  const double top = title_height + legend_height(legend, width) + 14;
  Frame f = make_frame(width, height, top, max_iteration, values, h.objective, Scale::Auto);

  Svg svg;
  svg.width = width;
  svg.height = height;
  svg.text(f.left, 18, title, "start", 14, "#1f2328", "font-weight=\"600\"");
  draw_legend(svg, legend, title_height + 14, width);
  std::string y_label = h.objective == Objective::Minimize ? "time" : "throughput";
  if (!unit.empty()) y_label += " (" + unit + ")";
  draw_axes(svg, f, "iteration", y_label);
  if (h.default_metric)
    draw_reference(svg, f, *h.default_metric, kDefaultColour, "2 3",
                   "default " + format_metric(*h.default_metric, unit));
  if (h.expert_metric)
    draw_reference(svg, f, *h.expert_metric, kExpertColour, "6 4",
                   "expert " + format_metric(*h.expert_metric, unit));

  // Best so far: a step at every improvement.
  std::vector<std::pair<double, double>> steps;
  std::optional<double> best;
  std::optional<std::pair<double, double>> best_point;
  int last_iteration = 0;
  for (const EvalRecord& eval : run.evals) {
    last_iteration = std::max(last_iteration, eval.iteration);
    if (!eval.ok || !eval.metric || !std::isfinite(*eval.metric)) continue;
    if (!best || better(*eval.metric, *best, h.objective)) {
      best = *eval.metric;
      steps.emplace_back(eval.iteration, *best);
      best_point = steps.back();
    }
  }
  if (!steps.empty()) {
    svg.body += "<path d=\"" + step_path(f, steps, last_iteration) + "\" fill=\"none\" stroke=\"" +
                kBestColour +
                "\" stroke-width=\"2.2\" stroke-linejoin=\"round\" opacity=\"0.9\"/>\n";
  }

  // Every evaluation.
  const double axis_y = f.height - f.bottom;
  for (const EvalRecord& eval : run.evals) {
    double x = f.px(eval.iteration);
    std::string label = "iteration " + std::to_string(eval.iteration) + ": ";
    if (eval.ok && eval.metric && f.y_inside(*eval.metric)) {
      label += format_metric(*eval.metric, unit);
      if (eval.duplicate) label += " (duplicate)";
      svg.body += "<circle cx=\"" + num(x) + "\" cy=\"" + num(f.py(*eval.metric)) + "\" r=\"4\"";
      if (eval.duplicate)
        svg.body +=
            std::string(" fill=\"#ffffff\" stroke=\"") + kEvalColour + "\" stroke-width=\"1.5\"";
      else
        svg.body += std::string(" fill=\"") + kEvalColour + "\" fill-opacity=\"0.85\"";
      svg.body += "><title>" + html_escape(label) + "</title></circle>\n";
    } else {
      label += "failed (" + failure_reason(eval) + ")";
      svg.body += "<g><title>" + html_escape(label) + "</title>\n";
      draw_cross(svg, x, axis_y, kFailColour);
      svg.body += "</g>\n";
    }
  }
  if (best_point) {
    svg.body += "<circle cx=\"" + num(f.px(best_point->first)) + "\" cy=\"" +
                num(f.py(best_point->second)) + "\" r=\"7.5\" fill=\"none\" stroke=\"" +
                kBestColour + "\" stroke-width=\"2\"><title>" +
                html_escape("best: " + format_metric(best_point->second, unit) + " at iteration " +
                            std::to_string(static_cast<int>(best_point->first))) +
                "</title></circle>\n";
  }
  if (run.evals.empty())
    svg.text((f.left + width - f.right) / 2, (f.top + height - f.bottom) / 2, "no evaluations yet",
             "middle", 13, "#656d76");
  return svg.finish(title);
}

}  // namespace mapforge::tune
