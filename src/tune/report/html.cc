// html_escape, the page skeleton and number formatting (report.h).
#include <cmath>
#include <cstdio>

#include "tune/report/report.h"

namespace mapforge::tune {
namespace {

constexpr const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD

/// The length of the valid UTF-8 sequence starting at text[i], or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length;
  unsigned min;
  unsigned code;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, code = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, code = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, code = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  if (code == 0xFFFE || code == 0xFFFF) return 0;  // not allowed in XML
  return length;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&#39;";
          break;
        case '\t':
        case '\n':
        case '\r':
          out += c;
          break;
        default:
          if (u < 0x20 || u == 0x7F)
            out += kReplacement;
          else
            out += c;
      }
      ++i;
      continue;
    }
    std::size_t length = utf8_length(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string_view report_css() {
  return R"css(
:root { --fg:#1f2328; --muted:#656d76; --line:#d0d7de; --bg-soft:#f6f8fa; --accent:#0969da;
  --good:#1a7f37; --bad:#cf222e; --add-bg:#dafbe1; --del-bg:#ffebe9; --best-bg:#fff8c5; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); margin: 0; padding: 24px 32px 48px; line-height: 1.45; font-size: 14px;
  max-width: 1280px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 16px 0 6px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.muted { color: var(--muted); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px; }
pre { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px;
  overflow-x: auto; margin: 4px 0; white-space: pre-wrap; word-break: break-word; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 170px;
  background: #fff; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 20px; font-weight: 600; }
.card .note { font-size: 12px; color: var(--muted); }
.good { color: var(--good); } .bad { color: var(--bad); }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; font-size: 12.5px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kv { width: auto; } table.kv th { background: none; color: var(--muted); font-weight: normal; }
tr.best td { background: var(--best-bg); }
.tag { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.tag.ok { background: var(--add-bg); color: var(--good); }
.tag.fail { background: var(--del-bg); color: var(--bad); }
.tag.dup { background: #eaeef2; color: var(--muted); }
details > summary { cursor: pointer; color: var(--accent); }
details pre { max-height: 360px; overflow: auto; }
.plot { border: 1px solid var(--line); border-radius: 8px; padding: 8px; background: #fff;
  display: inline-block; max-width: 100%; }
.plot svg { max-width: 100%; height: auto; }
.policies { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 14px; }
.policy { border: 1px solid var(--line); border-radius: 8px; overflow: hidden; min-width: 0; }
.policy .head { background: var(--bg-soft); padding: 6px 10px; border-bottom: 1px solid var(--line);
  font-weight: 600; }
.policy .head .muted { font-weight: normal; }
.code { margin: 0; padding: 4px 0; overflow-x: auto; }
.code div { white-space: pre-wrap; word-break: break-word; padding: 0 10px 0 0;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px; min-height: 1.45em; }
.code .g { display: inline-block; width: 2.2em; text-align: right; color: var(--muted); user-select: none;
  padding-right: .6em; }
.code .add { background: var(--add-bg); } .code .del { background: var(--del-bg); }
.code .add .g::after { content: "+"; color: var(--good); }
.code .del .g::after { content: "\2212"; color: var(--bad); }
.bar { background: var(--bg-soft); border-radius: 3px; height: 10px; min-width: 120px; position: relative; }
.bar span { display: block; height: 10px; border-radius: 3px; background: #54aeff; }
.bar.warn span { background: #fb8f44; } .bar.full span { background: #e5534b; }
.warnings { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 6px 12px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
)css";
}

std::string html_page(std::string_view title, std::string_view body, std::string_view extra_css) {
  std::string out;
  out.reserve(body.size() + 8192);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + html_escape(title) + "</title>\n<style>";
  out += report_css();
  out += extra_css;
  out += "</style>\n</head>\n<body>\n";
  out += body;
  out += "\n</body>\n</html>\n";
  return out;
}

std::string format_metric(double value, std::string_view unit) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  double magnitude = std::fabs(value);
  if (magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-3))
    std::snprintf(buffer, sizeof buffer, "%.3e", value);
  else
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
  std::string out = buffer;
  if (!unit.empty()) {
    out += ' ';
    out += unit;
  }
  return out;
}

std::string format_bytes(double bytes) {
  if (!std::isfinite(bytes)) return "n/a";
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  std::size_t unit = 0;
  double value = bytes;
  while (std::fabs(value) >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char buffer[64];
  if (unit == 0)
    std::snprintf(buffer, sizeof buffer, "%.0f B", value);
  else
    std::snprintf(buffer, sizeof buffer,
                  std::fabs(value) < 10    ? "%.2f %s"
                  : std::fabs(value) < 100 ? "%.1f %s"
                                           : "%.0f %s",
                  value, kUnits[unit]);
  return buffer;
}

}  // namespace mapforge::tune
