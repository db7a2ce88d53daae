// The HTML report of a tuning run (DESIGN.md §7, `mapforge report DIR`): a self-contained
// DIR/report.html (inline CSS and SVG, no scripts, no external resources) and DIR/convergence.svg,
// read from the run directory described in src/tune/JOURNAL.md. The plot, diff and HTML helpers
// are public so that `mapforge bench` builds its pages from the same pieces.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tune/report/journal_reader.h"

namespace mapforge::tune {

// ---- the run -------------------------------------------------------------------------------

/// What a run directory holds.
struct RunData {
  std::filesystem::path dir;
  RunHeader header;
  std::vector<EvalRecord> evals;            // sorted by iteration (stable)
  std::optional<std::string> best_map;      // DIR/best.map when present
  std::optional<std::string> profile_json;  // DIR/best.profile.json when present
  std::vector<std::string> warnings;        // from the journal and the other files
};

struct LoadRunResult {
  bool ok = false;
  std::string error;  // names the file (and line) and what is wrong
  RunData run;
};

/// Reads DIR/journal.jsonl (required), DIR/best.map and DIR/best.profile.json (optional).
LoadRunResult load_run(const std::filesystem::path& dir);

/// The index in run.evals of the best successful evaluation (the earliest of equals), if any.
std::optional<std::size_t> best_eval(const RunData& run);

/// How `metric` compares to `reference` as "bigger is better": reference / metric for a time
/// (minimize), metric / reference for a throughput (maximize); nullopt unless both are > 0.
std::optional<double> improvement_ratio(double metric, double reference, Objective objective);

/// The whole page (pure: reads no files).
std::string render_report_html(const RunData& run);
/// The run's convergence plot: every evaluation, failures on the axis, the best-so-far steps,
/// the expert and default reference lines.
std::string run_convergence_svg(const RunData& run);

struct ReportResult {
  bool ok = false;
  std::string error;
  std::vector<std::string> warnings;
  std::string html_path, svg_path;
};

/// Writes DIR/report.html and DIR/convergence.svg (each replaced atomically).
ReportResult write_report(const std::filesystem::path& dir);

// ---- plots (for bench too) ---------------------------------------------------------------------

/// One line of a convergence plot: per iteration the best metric so far (nullopt while none).
struct Series {
  std::string name;
  std::vector<std::optional<double>> values;
};

enum class Scale { Auto, Linear, Log };

struct PlotOptions {
  std::string title;
  std::string x_label = "iteration";
  std::string y_label;  // e.g. "time (s)", "GFLOPS", "throughput / expert"
  /// Minimize: lower is better (Auto may choose a log scale when the values span > 10x).
  Objective objective = Objective::Minimize;
  Scale scale = Scale::Auto;
  std::optional<double> expert, default_metric;  // horizontal reference lines
  int width = 760, height = 380;
};

/// A standalone SVG document (also fine inline in HTML): one step line per series in distinct
/// colours, a legend, axes with ticks and labels, and the reference lines.
std::string convergence_svg(const std::vector<Series>& series, const PlotOptions& options);

// ---- diff ------------------------------------------------------------------------------------

enum class DiffKind { Same, Added, Removed };
struct DiffLine {
  DiffKind kind;
  std::string text;
};
/// A line-based LCS diff from `from` to `to`: Removed lines are only in `from`, Added only in
/// `to`. Large inputs fall back to a coarser (still correct) diff.
std::vector<DiffLine> diff_lines(std::string_view from, std::string_view to);

// ---- HTML helpers ------------------------------------------------------------------------------

/// Escapes & < > " ' for HTML and XML text and attributes; invalid UTF-8 and control characters
/// (other than tab, newline, carriage return) become U+FFFD, so the result is always well-formed.
std::string html_escape(std::string_view text);
/// The shared stylesheet (no external fonts or resources).
std::string_view report_css();
/// A complete page: doctype, charset, title, the stylesheet (plus `extra_css`), and `body`.
std::string html_page(std::string_view title, std::string_view body,
                      std::string_view extra_css = {});
/// A number with 4 significant digits and the unit ("1.234 s", "5120 GFLOPS").
std::string format_metric(double value, std::string_view unit);
/// Bytes in B, KiB, MiB, GiB, TiB.
std::string format_bytes(double bytes);

}  // namespace mapforge::tune
