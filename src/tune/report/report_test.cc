#include "tune/report/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "tune/report/test_util.h"

namespace mapforge::tune {
namespace {

using namespace testing;
using nlohmann::json;
namespace fs = std::filesystem;

/// Checks that the tags of an XML fragment are balanced (enough for SVG written by hand) and
/// returns "" or what is wrong.
std::string check_balanced(const std::string& xml) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  while ((i = xml.find('<', i)) != std::string::npos) {
    std::size_t end = xml.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    std::string tag = xml.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty()) return "empty tag";
    if (tag[0] == '?' || tag[0] == '!') continue;
    if (tag.back() == '/') continue;
    if (tag[0] == '/') {
      std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name)
        return "</" + name + "> closes " + (stack.empty() ? "nothing" : "<" + stack.back() + ">");
      stack.pop_back();
      continue;
    }
    std::string name = tag.substr(0, tag.find_first_of(" \t\n"));
    if (name == "meta" || name == "br") continue;  // void HTML elements
    stack.push_back(name);
  }
  if (!stack.empty()) return "<" + stack.back() + "> is not closed";
  return {};
}

/// Every numeric attribute (x, y, cx, width, d, ...) holds finite numbers.
std::string check_numbers(const std::string& svg) {
  static const std::regex attribute(
      R"re(\b(x|y|x1|y1|x2|y2|cx|cy|r|width|height|stroke-width)="([^"]*)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), attribute);
       it != std::sregex_iterator(); ++it) {
    std::string value = (*it)[2];
    char* end = nullptr;
    double number = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || !std::isfinite(number))
      return (*it)[1].str() + "=\"" + value + "\" is not a finite number";
  }
  if (svg.find("nan") != std::string::npos || svg.find("inf") != std::string::npos)
    return "nan or inf in the SVG";
  return {};
}

std::string svg_in(const std::string& html) {
  std::size_t start = html.find("<svg"), end = html.find("</svg>");
  if (start == std::string::npos || end == std::string::npos) return {};
  return html.substr(start, end + 6 - start);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t i = text.find(what); i != std::string::npos; i = text.find(what, i + 1)) ++n;
  return n;
}

const char* kExpert = "Task * GPU;\nRegion * * GPU FBMEM;\nLayout * * * SOA;\n";
const char* kBest = "Task * GPU;\nRegion * * GPU ZCMEM;\nLayout * * * SOA;\nInstanceLimit t 4;\n";

/// A time-objective run: iterations 0..5 with a failure, a timeout, a duplicate and a crash.
std::vector<json> time_run() {
  json h = header();
  h["expert_metric"] = 2.0;
  h["default_metric"] = 5.0;
  h["expert_policy"] = kExpert;
  std::vector<json> out{h};
  out.push_back(eval(0, 4.0, kExpert));
  json failed = eval(1, std::nullopt, "Task * CPU;\n");
  failed["feedback_text"] = "[compile error] unknown processor\n  why: bad\n";
  failed["output"] = "line 1\nerror: unknown processor kind 'QPU'\n";
  out.push_back(failed);
  json best = eval(2, 1.6, kBest);
  best["agent"] = {{"edit", "Region * * GPU ZCMEM;"}};
  out.push_back(best);
  json timeout = eval(3, std::nullopt);
  timeout["timed_out"] = true;
  timeout["exit_status"] = nullptr;
  timeout["signal"] = 15;
  out.push_back(timeout);
  json duplicate = eval(4, 1.6, kBest);
  duplicate["duplicate"] = true;
  out.push_back(duplicate);
  json crash = eval(5, std::nullopt);
  crash["exit_status"] = nullptr;
  crash["signal"] = 11;
  out.push_back(crash);
  return out;
}

TEST(Report, TimeRunWithFailuresAndDuplicates) {
  TempDir dir;
  write_file(dir.path() / "journal.jsonl", lines(time_run()));
  ReportResult r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.html_path, (dir.path() / "report.html").string());
  std::string html = read_file(dir.path() / "report.html");
  std::string svg = read_file(dir.path() / "convergence.svg");

  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("mapforge tune: circuit on lassen"), std::string::npos);
  EXPECT_NE(html.find("agent <b>guided</b>"), std::string::npos);
  EXPECT_NE(html.find("seed 7"), std::string::npos);
  // The best metric, and the ratios: expert 2.0 / best 1.6, default 5.0 / 1.6.
  EXPECT_NE(html.find("<div class=\"value\">1.6 s</div><div class=\"note\">iteration 2</div>"),
            std::string::npos);
  EXPECT_NE(html.find("1.250&times;"), std::string::npos);
  EXPECT_NE(html.find("3.125&times;"), std::string::npos);
  // Every iteration has a row; statuses.
  EXPECT_EQ(count(html, "<tr class=\"best\">") + count(html, "<tr><td class=\"num\">"), 6u);
  EXPECT_NE(html.find(">timed out</span>"), std::string::npos);
  EXPECT_NE(html.find(">signal 11</span>"), std::string::npos);
  EXPECT_NE(html.find(">exit 1</span>"), std::string::npos);
  EXPECT_EQ(count(html, "<span class=\"tag dup\">duplicate</span>"), 1u);
  EXPECT_NE(html.find("<details><summary>[compile error] unknown processor</summary>"),
            std::string::npos);
  EXPECT_NE(html.find("error: unknown processor kind &#39;QPU&#39;"), std::string::npos);
  EXPECT_NE(html.find(">Region * * GPU ZCMEM;</td>"), std::string::npos);  // the agent's note
  // The diff against the expert.
  EXPECT_NE(html.find("<div class=\"add\"><span class=\"g\">2</span>Region * * GPU ZCMEM;</div>"),
            std::string::npos);
  EXPECT_NE(html.find("<div class=\"del\"><span class=\"g\">2</span>Region * * GPU FBMEM;</div>"),
            std::string::npos);
  EXPECT_NE(html.find("InstanceLimit t 4;"), std::string::npos);
  EXPECT_NE(html.find("+2</span> lines only in the best"), std::string::npos);

  // The plot: one marker per successful evaluation, a cross per failure, references, steps.
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_EQ(check_balanced(svg), "");
  EXPECT_EQ(check_numbers(svg), "");
  EXPECT_EQ(count(svg, "failed ("), 3u);
  EXPECT_NE(svg.find("iteration 3: failed (timed out)"), std::string::npos);
  EXPECT_NE(svg.find("iteration 4: 1.6 s (duplicate)"), std::string::npos);
  EXPECT_NE(svg.find(">expert 2 s</text>"), std::string::npos);
  EXPECT_NE(svg.find(">default 5 s</text>"), std::string::npos);
  EXPECT_NE(svg.find(">best so far</text>"), std::string::npos);
  EXPECT_NE(svg.find("time (s)"), std::string::npos);
  std::string inline_svg = svg_in(html);
  EXPECT_EQ(check_balanced(inline_svg), "");
  EXPECT_EQ(check_balanced(html), "");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Nothing is loaded from anywhere (the SVG namespace is a name, not a resource).
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
}

TEST(Report, ThroughputRatiosAreBestOverExpert) {
  RunData run;
  run.header =
      JournalResult(parse_journal(lines({header("maximize", "GFLOPS")}), "j")).journal.header;
  run.header.expert_metric = 100;
  run.header.default_metric = 50;
  for (int i = 0; i < 4; ++i) {
    EvalRecord e;
    e.iteration = i;
    e.ok = true;
    e.metric = 80.0 + 30 * i;  // best 170 at iteration 3
    e.policy = "Task * GPU;\n";
    run.evals.push_back(e);
  }
  EXPECT_EQ(best_eval(run), 3u);
  std::string html = render_report_html(run);
  EXPECT_NE(html.find("best throughput"), std::string::npos);
  EXPECT_NE(html.find("170 GFLOPS"), std::string::npos);
  EXPECT_NE(html.find("1.700&times;"), std::string::npos);
  EXPECT_NE(html.find("3.400&times;"), std::string::npos);
  EXPECT_NE(html.find("(higher throughput)"), std::string::npos);
  std::string svg = run_convergence_svg(run);
  EXPECT_EQ(check_balanced(svg), "");
  EXPECT_EQ(check_numbers(svg), "");
  EXPECT_NE(svg.find("throughput (GFLOPS)"), std::string::npos);
  EXPECT_EQ(svg.find("log scale"), std::string::npos);
}

TEST(Report, NoExpertAndNoSuccess) {
  TempDir dir;
  write_file(dir.path() / "journal.jsonl",
             lines({header(), eval(0, std::nullopt), eval(1, std::nullopt)}));
  ReportResult r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  std::string html = read_file(dir.path() / "report.html");
  EXPECT_NE(html.find("No expert policy for this run."), std::string::npos);
  EXPECT_NE(html.find("no evaluation succeeded"), std::string::npos);
  EXPECT_NE(html.find("reference unknown"), std::string::npos);
  std::string svg = read_file(dir.path() / "convergence.svg");
  EXPECT_EQ(check_balanced(svg), "");
  EXPECT_EQ(check_numbers(svg), "");
  EXPECT_EQ(count(svg, "failed ("), 2u);
}

TEST(Report, HeaderOnlyRun) {
  TempDir dir;
  write_file(dir.path() / "journal.jsonl", lines({header()}));
  ReportResult r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  std::string html = read_file(dir.path() / "report.html");
  EXPECT_NE(html.find("No evaluations yet."), std::string::npos);
  EXPECT_EQ(check_numbers(read_file(dir.path() / "convergence.svg")), "");
}

TEST(Report, LogScaleForTimesSpanningMoreThanTenfold) {
  std::vector<json> run{header()};
  run.push_back(eval(0, 120.0));
  run.push_back(eval(1, 3.0));
  run.push_back(eval(2, 0.9));
  LoadRunResult loaded;
  TempDir dir;
  write_file(dir.path() / "journal.jsonl", lines(run));
  loaded = load_run(dir.path());
  ASSERT_TRUE(loaded.ok) << loaded.error;
  std::string svg = run_convergence_svg(loaded.run);
  EXPECT_NE(svg.find("time (s) (log scale)"), std::string::npos);
  EXPECT_NE(svg.find(">100</text>"), std::string::npos);
  EXPECT_EQ(check_numbers(svg), "");
}

TEST(Report, EscapesHtmlEverywhere) {
  std::vector<json> run{header()};
  json h = header();
  h["app"] = "<b>app</b>";
  h["expert_policy"] = "Task * GPU; # </pre><script>alert('expert')</script>\n";
  run[0] = h;
  json e = eval(0, 1.0, "Task * GPU; # <script>alert(\"x\")</script> & more\n");
  e["feedback_text"] = "<script>feedback</script>\n";
  e["agent"] = {{"edit", "<img src=x onerror=alert(1)>"}};
  run.push_back(e);
  json bad = eval(1, std::nullopt, "<script>");
  bad["output"] = "\x01<script>\n";
  run.push_back(bad);
  TempDir dir;
  write_file(dir.path() / "journal.jsonl", lines(run));
  ReportResult r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  std::string html = read_file(dir.path() / "report.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>app"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;app&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(check_balanced(html), "");
  std::string svg = read_file(dir.path() / "convergence.svg");
  EXPECT_EQ(check_balanced(svg), "");
  EXPECT_NE(svg.find("&lt;b&gt;app&lt;/b&gt;"), std::string::npos);
}

TEST(Report, ProfileOfTheBestRun) {
  TempDir dir;
  write_file(dir.path() / "journal.jsonl", lines(time_run()));
  json profile = {
      {"elapsed_s", 1.6},
      {"instances", {{"created", 12}, {"collected", 3}}},
      {"tasks", {{{"task", "calc_currents"}, {"busy_s", 1.0}}}},
      {"channels",
       {{{"channel", "PCIe"}, {"bytes", 2.5e9}, {"copies", 40}, {"busy_s", 0.2}},
        {{"channel", "NVLink"}, {"bytes", 9.0e9}, {"copies", 10}, {"busy_s", 0.1}},
        {{"channel", "weird"}}}},
      {"memories",
       {{{"memory", "node0 FBMEM 0"},
         {"kind", "FBMEM"},
         {"capacity_bytes", 16e9},
         {"high_water_bytes", 15e9},
         {"high_water_share", 0.9375}},
        {{"memory", "node0 SYSMEM"}, {"high_water_bytes", "lots"}}}},
      {"critical_path",
       {{"length_s", 1.6},
        {"tasks_on_path", 30},
        {"by_task",
         {{{"task", "distribute_charge"}, {"run_s", 0.2}, {"copy_wait_s", 0.1}, {"share", 0.19}},
          {{"task", "calc_<new>_currents"}, {"run_s", 0.9}, {"copy_wait_s", 0.3}, {"share", 0.75}},
          {{"run_s", "bad"}},
          7}}}}};
  write_file(dir.path() / "best.profile.json", profile.dump(2));
  ReportResult r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.warnings.empty());
  std::string html = read_file(dir.path() / "report.html");
  EXPECT_NE(html.find("Profile of the best run"), std::string::npos);
  std::size_t first = html.find("calc_&lt;new&gt;_currents"),
              second = html.find("distribute_charge");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);  // sorted by time on the path
  std::size_t nvlink = html.find(">NVLink<"), pcie = html.find(">PCIe<");
  ASSERT_NE(nvlink, std::string::npos);
  EXPECT_LT(nvlink, pcie);  // sorted by bytes
  EXPECT_NE(html.find("8.38 GiB"), std::string::npos);
  EXPECT_NE(html.find("node0 FBMEM 0"), std::string::npos);
  EXPECT_NE(html.find("94%"), std::string::npos);
  EXPECT_NE(html.find("12 created, 3 collected"), std::string::npos);
  EXPECT_EQ(check_balanced(html), "");
}

TEST(Report, BrokenProfileIsAWarningNotAnError) {
  TempDir dir;
  write_file(dir.path() / "journal.jsonl", lines(time_run()));
  write_file(dir.path() / "best.profile.json", "{\"tasks\": [");
  ReportResult r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].rfind("best.profile.json: not valid JSON", 0), 0u);
  EXPECT_NE(read_file(dir.path() / "report.html").find("best.profile.json: not valid JSON"),
            std::string::npos);
  write_file(dir.path() / "best.profile.json", "[1, 2]");
  r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  write_file(dir.path() / "best.profile.json", "{\"channels\": 3, \"memories\": [null]}");
  r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Report, BestMapThatDiffersIsAWarning) {
  TempDir dir;
  write_file(dir.path() / "journal.jsonl", lines(time_run()));
  write_file(dir.path() / "best.map", std::string(kBest) + "\n\n");
  ReportResult r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(read_file(dir.path() / "report.html").find("best.map differs"), std::string::npos);
  write_file(dir.path() / "best.map", "Task * CPU;\n");
  r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_NE(read_file(dir.path() / "report.html").find("best.map differs"), std::string::npos);
}

TEST(Report, TruncatedLastLineIsAWarning) {
  TempDir dir;
  std::string text = lines(time_run());
  text += eval(6, 1.0).dump().substr(0, 30);
  write_file(dir.path() / "journal.jsonl", text);
  ReportResult r = write_report(dir.path());
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("journal.jsonl:8: the last line is incomplete"), std::string::npos);
  EXPECT_NE(read_file(dir.path() / "report.html").find("the last line is incomplete"),
            std::string::npos);
}

TEST(Report, Errors) {
  TempDir dir;
  ReportResult r = write_report(dir.path() / "missing");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("missing: no such directory"), std::string::npos) << r.error;
  r = write_report(dir.path());
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("journal.jsonl: no such file"), std::string::npos) << r.error;

  std::string text = lines({header(), eval(0, 1.0)}) + "not json\n" + lines({eval(2, 1.0)});
  write_file(dir.path() / "journal.jsonl", text);
  r = write_report(dir.path());
  EXPECT_FALSE(r.ok);
  std::string expected = (dir.path() / "journal.jsonl").string() + ":3: not valid JSON: ";
  EXPECT_EQ(r.error.rfind(expected, 0), 0u) << r.error;
  EXPECT_FALSE(fs::exists(dir.path() / "report.html"));

  write_file(dir.path() / "journal.jsonl", lines({eval(0, 1.0)}));
  r = write_report(dir.path());
  EXPECT_NE(r.error.find("journal.jsonl:1: the first line is not a run header"), std::string::npos)
      << r.error;
}

TEST(ConvergenceSvg, SeveralSeriesWithLegend) {
  std::vector<Series> series{
      {"guided", {10.0, 8.0, 8.0, 5.0, 4.0}},
      {"random", {std::nullopt, 12.0, 9.0, 9.0, 9.0}},
      {"opentuner & co", {11.0, 11.0, 7.0, 7.0, 6.0}},
  };
  PlotOptions options;
  options.title = "circuit <lassen>";
  options.y_label = "time (s)";
  options.expert = 5.5;
  options.default_metric = 12.5;
  std::string svg = convergence_svg(series, options);
  EXPECT_EQ(check_balanced(svg), "");
  EXPECT_EQ(check_numbers(svg), "");
  EXPECT_NE(svg.find(">guided</text>"), std::string::npos);
  EXPECT_NE(svg.find(">opentuner &amp; co</text>"), std::string::npos);
  EXPECT_NE(svg.find("circuit &lt;lassen&gt;"), std::string::npos);
  for (const char* colour : {"#4e79a7", "#f28e2b", "#59a14f"})
    EXPECT_NE(svg.find(std::string("stroke=\"") + colour), std::string::npos) << colour;
  EXPECT_NE(svg.find(">expert 5.5</text>"), std::string::npos);
  EXPECT_EQ(count(svg, "<path "), 3u);
}

TEST(ConvergenceSvg, DegenerateInputsStayFinite) {
  PlotOptions options;
  for (const std::vector<Series>& series :
       {std::vector<Series>{}, std::vector<Series>{{"empty", {}}},
        std::vector<Series>{{"flat", {1.0, 1.0}}}, std::vector<Series>{{"zero", {0.0}}},
        std::vector<Series>{{"bad values", {std::nan(""), INFINITY, 3.0}}},
        std::vector<Series>{{"negative", {-1.0, -5.0}}}}) {
    std::string svg = convergence_svg(series, options);
    EXPECT_EQ(check_balanced(svg), "") << svg;
    EXPECT_EQ(check_numbers(svg), "") << svg;
  }
  options.scale = Scale::Log;
  std::string svg = convergence_svg({{"log", {1000.0, 10.0, 0.5}}}, options);
  EXPECT_NE(svg.find("(log scale)"), std::string::npos);
  EXPECT_EQ(check_numbers(svg), "");
}

TEST(DiffLines, LcsDiff) {
  auto diff = diff_lines("a\nb\nc\nd\n", "a\nc\nd\ne\n");
  ASSERT_EQ(diff.size(), 5u);
  EXPECT_EQ(diff[0].kind, DiffKind::Same);
  EXPECT_EQ(diff[1].kind, DiffKind::Removed);
  EXPECT_EQ(diff[1].text, "b");
  EXPECT_EQ(diff[2].kind, DiffKind::Same);
  EXPECT_EQ(diff[3].kind, DiffKind::Same);
  EXPECT_EQ(diff[4].kind, DiffKind::Added);
  EXPECT_EQ(diff[4].text, "e");
  EXPECT_TRUE(diff_lines("", "").empty());
  auto added = diff_lines("", "x\ny");
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[1].kind, DiffKind::Added);
  auto same = diff_lines("x\r\ny\n", "x\ny");
  ASSERT_EQ(same.size(), 2u);
  EXPECT_EQ(same[0].kind, DiffKind::Same);
  // The middle differs; the LCS keeps the common lines in order.
  auto middle = diff_lines("h\n1\n2\n3\nt\n", "h\n2\nx\n3\nt\n");
  std::string ops;
  for (const auto& line : middle)
    ops += line.kind == DiffKind::Same ? '=' : line.kind == DiffKind::Added ? '+' : '-';
  EXPECT_EQ(ops, "=-=+==");
}

TEST(HtmlEscape, EscapesAndRepairsText) {
  EXPECT_EQ(html_escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_escape("tab\tnl\n\x01"), "tab\tnl\n\xEF\xBF\xBD");
  EXPECT_EQ(html_escape("\xff\xc3("), "\xEF\xBF\xBD\xEF\xBF\xBD(");
  EXPECT_EQ(html_escape("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
  EXPECT_EQ(html_escape("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  std::string page = html_page("T <1>", "<p>x</p>");
  EXPECT_NE(page.find("<title>T &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_EQ(check_balanced(page), "");
}

TEST(Formatting, MetricsBytesAndRatios) {
  EXPECT_EQ(format_metric(1.6, "s"), "1.6 s");
  EXPECT_EQ(format_metric(5120, "GFLOPS"), "5120 GFLOPS");
  EXPECT_EQ(format_metric(0.00012, "s"), "1.200e-04 s");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1536), "1.50 KiB");
  EXPECT_EQ(format_bytes(16e9), "14.9 GiB");
  EXPECT_EQ(improvement_ratio(1.6, 2.0, Objective::Minimize), 1.25);
  EXPECT_EQ(improvement_ratio(150, 100, Objective::Maximize), 1.5);
  EXPECT_FALSE(improvement_ratio(0, 2.0, Objective::Minimize).has_value());
}

}  // namespace
}  // namespace mapforge::tune
