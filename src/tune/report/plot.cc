// Convergence plots as SVG: convergence_svg (series, for bench) and run_convergence_svg (one
// run's evaluations) share the frame, axes, ticks and legend code here.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tune/report/plot_frame.h"
#include "tune/report/report.h"

namespace mapforge::tune {
namespace plot {

std::string num(double value) {
  if (!std::isfinite(value)) value = 0;  // never emit nan or inf
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

namespace {

double nice_step(double range, int target) {
  if (!(range > 0)) return 1;
  double raw = range / target;
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  double fraction = raw / power;
  double nice = fraction <= 1     ? 1
                : fraction <= 2   ? 2
                : fraction <= 2.5 ? 2.5
                : fraction <= 5   ? 5
                                  : 10;
  return nice * power;
}

std::string tick_label(double value, double step) {
  char buffer[32];
  double magnitude = std::max(std::fabs(value), step);
  if (magnitude >= 1e6 || (magnitude < 1e-3 && value != 0)) {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  } else {
    int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    if (std::fabs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) >
        1e-6)
      ++decimals;  // e.g. 2.5
    std::snprintf(buffer, sizeof buffer, "%.*f", std::clamp(decimals, 0, 6), value);
  }
  std::string out = buffer;
  if (out == "-0") out = "0";
  return out;
}

}  // namespace

void Svg::line(double x1, double y1, double x2, double y2, std::string_view stroke,
               double stroke_width, std::string_view dash) {
  body += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
          num(y2) + "\" stroke=\"" + std::string(stroke) + "\" stroke-width=\"" +
          num(stroke_width) + "\"";
  if (!dash.empty()) body += " stroke-dasharray=\"" + std::string(dash) + "\"";
  body += "/>\n";
}

void Svg::text(double x, double y, std::string_view content, std::string_view anchor, double size,
               std::string_view fill, std::string_view extra) {
  body += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(size) +
          "\" text-anchor=\"" + std::string(anchor) + "\" fill=\"" + std::string(fill) + "\"";
  if (!extra.empty()) body += " " + std::string(extra);
  body += ">" + html_escape(content) + "</text>\n";
}

std::string Svg::finish(std::string_view title) const {
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) +
                    "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " +
                    num(height) +
                    "\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, "
                    "sans-serif\" role=\"img\">\n";
  out += "<title>" + html_escape(title) + "</title>\n";
  out += "<rect x=\"0\" y=\"0\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" fill=\"#ffffff\"/>\n";
  out += body;
  out += "</svg>\n";
  return out;
}

double Frame::px(double x) const {
  double t = (x - x_lo) / (x_hi - x_lo);
  return left + t * (width - left - right);
}

double Frame::py(double y) const {
  double t;
  if (log) {
    t = (std::log10(y) - std::log10(y_lo)) / (std::log10(y_hi) - std::log10(y_lo));
  } else {
    t = (y - y_lo) / (y_hi - y_lo);
  }
  return height - bottom - t * (height - top - bottom);
}

bool Frame::y_inside(double y) const {
  return std::isfinite(y) && (!log || y > 0) && y >= y_lo * (1 - 1e-12) && y <= y_hi * (1 + 1e-12);
}

Frame make_frame(double width, double height, double top, int max_iteration,
                 const std::vector<double>& values, Objective objective, Scale scale) {
  Frame f;
  f.width = width;
  f.height = height;
  f.top = top;
  f.x_lo = -0.5;
  f.x_hi = std::max(1, max_iteration) + 0.5;

  std::vector<double> finite;
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  double lo = finite.empty() ? 0 : *std::min_element(finite.begin(), finite.end());
  double hi = finite.empty() ? 1 : *std::max_element(finite.begin(), finite.end());
  bool all_positive = !finite.empty() && lo > 0;
  f.log = scale == Scale::Log ? all_positive
                              : scale == Scale::Auto && objective == Objective::Minimize &&
                                    all_positive && hi / lo > 10;
  if (f.log) {
    double llo = std::log10(lo), lhi = std::log10(hi);
    double pad = std::max(0.05 * (lhi - llo), 0.02);
    f.y_lo = std::pow(10.0, llo - pad);
    f.y_hi = std::pow(10.0, lhi + pad);
    return f;
  }
  if (hi - lo <= 1e-12 * std::max(1.0, std::fabs(hi))) {
    double pad = std::fabs(hi) > 0 ? std::fabs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
    if (finite.empty() || finite.front() >= 0) lo = std::max(lo, 0.0);
  } else {
    double pad = 0.06 * (hi - lo);
    bool non_negative = lo >= 0;
    lo -= pad;
    hi += pad;
    if (non_negative) lo = std::max(lo, 0.0);
  }
  f.y_lo = lo;
  f.y_hi = hi;
  return f;
}

void draw_axes(Svg& svg, const Frame& f, std::string_view x_label, std::string_view y_label) {
  const double x0 = f.left, x1 = f.width - f.right, y0 = f.height - f.bottom, y1 = f.top;
  const char* grid = "#eaeef2";
  const char* axis = "#57606a";
  const char* label = "#424a53";

  // y ticks and grid lines
  std::vector<std::pair<double, std::string>> ticks;
  if (f.log) {
    int first = static_cast<int>(std::floor(std::log10(f.y_lo)));
    int last = static_cast<int>(std::ceil(std::log10(f.y_hi)));
    int decades = last - first;
    std::vector<double> multipliers =
        decades <= 3 ? std::vector<double>{1, 2, 5} : std::vector<double>{1};
    for (int d = first; d <= last; ++d)
      for (double m : multipliers) {
        double v = m * std::pow(10.0, d);
        if (v < f.y_lo || v > f.y_hi) continue;
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%g", v);
        ticks.emplace_back(v, buffer);
      }
  } else {
    double step = nice_step(f.y_hi - f.y_lo, 6);
    for (double v = std::ceil(f.y_lo / step) * step; v <= f.y_hi + step * 1e-9; v += step)
      ticks.emplace_back(v, tick_label(std::fabs(v) < step * 1e-9 ? 0 : v, step));
  }
  for (const auto& [v, text] : ticks) {
    double y = f.py(v);
    svg.line(x0, y, x1, y, grid, 1);
    svg.line(x0 - 4, y, x0, y, axis, 1);
    svg.text(x0 - 7, y + 4, text, "end", 11, label);
  }

  // x ticks: integers
  double span = f.x_hi - f.x_lo - 1;
  double step = std::max(1.0, std::round(nice_step(std::max(span, 1.0), 10)));
  for (double v = 0; v <= f.x_hi; v += step) {
    double x = f.px(v);
    svg.line(x, y0, x, y0 + 4, axis, 1);
    svg.text(x, y0 + 17, tick_label(v, 1), "middle", 11, label);
  }

  svg.line(x0, y0, x1, y0, axis, 1);
  svg.line(x0, y0, x0, y1, axis, 1);
  svg.text((x0 + x1) / 2, f.height - 10, x_label, "middle", 12, label);
  std::string rotate = "transform=\"rotate(-90 " + num(16) + " " + num((y0 + y1) / 2) + ")\"";
  std::string y_text(y_label);
  if (f.log) y_text += " (log scale)";
  svg.text(16, (y0 + y1) / 2, y_text, "middle", 12, label, rotate);
}

double legend_height(const std::vector<LegendItem>& items, double width) {
  double x = 70, rows = items.empty() ? 0 : 1;
  for (const LegendItem& item : items) {
    double w = 42 + 6.5 * static_cast<double>(item.label.size());
    if (x + w > width - 10 && x > 70) {
      ++rows;
      x = 70;
    }
    x += w;
  }
  return rows * 18;
}

void draw_legend(Svg& svg, const std::vector<LegendItem>& items, double y_start, double width) {
  double x = 70, y = y_start;
  for (const LegendItem& item : items) {
    double w = 42 + 6.5 * static_cast<double>(item.label.size());
    if (x + w > width - 10 && x > 70) {
      x = 70;
      y += 18;
    }
    const double cy = y - 4;
    switch (item.symbol) {
      case LegendItem::Line:
        svg.line(x, cy, x + 20, cy, item.colour, 2.5, item.dash);
        break;
      case LegendItem::Dot:
        svg.body += "<circle cx=\"" + num(x + 10) + "\" cy=\"" + num(cy) + "\" r=\"4\" fill=\"" +
                    item.colour + "\"/>\n";
        break;
      case LegendItem::Ring:
        svg.body += "<circle cx=\"" + num(x + 10) + "\" cy=\"" + num(cy) +
                    "\" r=\"4\" fill=\"#ffffff\" stroke=\"" + item.colour +
                    "\" stroke-width=\"1.5\"/>\n";
        break;
      case LegendItem::Cross:
        draw_cross(svg, x + 10, cy, item.colour);
        break;
    }
    svg.text(x + 26, y, item.label, "start", 11.5, "#24292f");
    x += w;
  }
}

void draw_cross(Svg& svg, double x, double y, std::string_view colour) {
  svg.line(x - 4, y - 4, x + 4, y + 4, colour, 2);
  svg.line(x - 4, y + 4, x + 4, y - 4, colour, 2);
}

void draw_reference(Svg& svg, const Frame& f, double value, std::string_view colour,
                    std::string_view dash, std::string_view label) {
  if (!f.y_inside(value)) return;
  double y = f.py(value);
  svg.line(f.left, y, f.width - f.right, y, colour, 1.5, dash);
  svg.text(f.width - f.right - 4, y - 4, label, "end", 11, colour);
}

/// A step line through (x, value) points in x order: horizontal to the next x, then vertical.
std::string step_path(const Frame& f, const std::vector<std::pair<double, double>>& points,
                      double x_end) {
  std::string d;
  double last_y = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    double x = f.px(points[i].first), y = f.py(points[i].second);
    if (i == 0) {
      d += "M" + num(x) + " " + num(y);
    } else {
      d += " H" + num(x);
      if (y != last_y) d += " V" + num(y);
    }
    last_y = y;
  }
  if (!points.empty()) d += " H" + num(f.px(x_end));
  return d;
}

const std::vector<std::string>& palette() {
  static const std::vector<std::string> colours = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                                   "#b07aa1", "#76b7b2", "#edc948", "#9c755f",
                                                   "#ff9da7", "#bab0ac"};
  return colours;
}

}  // namespace plot

std::string convergence_svg(const std::vector<Series>& series, const PlotOptions& options) {
  using namespace plot;
  const double width = std::max(options.width, 200), height = std::max(options.height, 150);
  std::vector<double> values;
  int max_iteration = 0;
  for (const Series& s : series) {
    max_iteration = std::max(max_iteration, static_cast<int>(s.values.size()) - 1);
    for (const auto& v : s.values)
      if (v && std::isfinite(*v)) values.push_back(*v);
  }
  if (options.expert && std::isfinite(*options.expert)) values.push_back(*options.expert);
  if (options.default_metric && std::isfinite(*options.default_metric))
    values.push_back(*options.default_metric);

  std::vector<LegendItem> legend;
  for (std::size_t i = 0; i < series.size(); ++i)
    legend.push_back({LegendItem::Line, palette()[i % palette().size()], "", series[i].name});
  if (options.expert) legend.push_back({LegendItem::Line, kExpertColour, "6 4", "expert"});
  if (options.default_metric)
    legend.push_back({LegendItem::Line, kDefaultColour, "2 3", "default"});
  double title_height = options.title.empty() ? 8 : 26;
  double top = title_height + legend_height(legend, width) + 14;

  Frame f = make_frame(width, height, top, max_iteration, values, options.objective, options.scale);
  Svg svg;
  svg.width = width;
  svg.height = height;
  if (!options.title.empty())
    svg.text(f.left, 18, options.title, "start", 14, "#1f2328", "font-weight=\"600\"");
  draw_legend(svg, legend, title_height + 14, width);
  draw_axes(svg, f, options.x_label, options.y_label);
  if (options.default_metric)
    draw_reference(svg, f, *options.default_metric, kDefaultColour, "2 3",
                   "default " + format_metric(*options.default_metric, ""));
  if (options.expert)
    draw_reference(svg, f, *options.expert, kExpertColour, "6 4",
                   "expert " + format_metric(*options.expert, ""));

  for (std::size_t i = 0; i < series.size(); ++i) {
    const std::string& colour = palette()[i % palette().size()];
    std::vector<std::pair<double, double>> points;
    for (std::size_t k = 0; k < series[i].values.size(); ++k) {
      const auto& v = series[i].values[k];
      if (!v || !f.y_inside(*v)) continue;
      if (points.empty() || points.back().second != *v)
        points.emplace_back(static_cast<double>(k), *v);
    }
    if (points.empty()) continue;
    double x_end = static_cast<double>(series[i].values.size() - 1);
    svg.body += "<g><title>" + html_escape(series[i].name) + "</title>\n";
    svg.body += "<path d=\"" + step_path(f, points, x_end) + "\" fill=\"none\" stroke=\"" + colour +
                "\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n";
    for (const auto& [x, y] : points)
      svg.body += "<circle cx=\"" + num(f.px(x)) + "\" cy=\"" + num(f.py(y)) +
                  "\" r=\"2.5\" fill=\"" + colour + "\"/>\n";
    svg.body += "</g>\n";
  }
  if (values.empty())
    svg.text((f.left + width - f.right) / 2, (f.top + height - f.bottom) / 2, "no data", "middle",
             13, "#656d76");
  return svg.finish(options.title.empty() ? "convergence" : options.title);
}

}  // namespace mapforge::tune
