// Internal: the SVG building blocks shared by the plots (plot.cc, run_plot.cc).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tune/report/report.h"

namespace mapforge::tune::plot {

inline constexpr const char* kExpertColour = "#d4670f";
inline constexpr const char* kDefaultColour = "#6e7781";

/// A coordinate with one decimal; never "nan" or "inf".
std::string num(double value);

struct Svg {
  double width = 0, height = 0;
  std::string body;
  void line(double x1, double y1, double x2, double y2, std::string_view stroke,
            double stroke_width, std::string_view dash = {});
  void text(double x, double y, std::string_view content, std::string_view anchor, double size,
            std::string_view fill, std::string_view extra = {});
  std::string finish(std::string_view title) const;
};

/// The plot area and the data-to-pixel mapping.
struct Frame {
  double width = 0, height = 0;
  double left = 70, right = 24, top = 40, bottom = 46;
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  bool log = false;
  double px(double x) const;
  double py(double y) const;
  bool y_inside(double y) const;
};

Frame make_frame(double width, double height, double top, int max_iteration,
                 const std::vector<double>& values, Objective objective, Scale scale);
void draw_axes(Svg& svg, const Frame& frame, std::string_view x_label, std::string_view y_label);

struct LegendItem {
  enum Symbol { Line, Dot, Ring, Cross } symbol;
  std::string colour;
  std::string dash;
  std::string label;
};
double legend_height(const std::vector<LegendItem>& items, double width);
void draw_legend(Svg& svg, const std::vector<LegendItem>& items, double y_start, double width);
void draw_cross(Svg& svg, double x, double y, std::string_view colour);
void draw_reference(Svg& svg, const Frame& frame, double value, std::string_view colour,
                    std::string_view dash, std::string_view label);
std::string step_path(const Frame& frame, const std::vector<std::pair<double, double>>& points,
                      double x_end);
const std::vector<std::string>& palette();

}  // namespace mapforge::tune::plot
