// Reading the tables of real measurements: a strict CSV reader (no quoting; the published tables
// have none), one row per line, every field checked.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "fidelity/fidelity.h"

namespace mapforge::fidelity {
namespace {

constexpr std::string_view kMapperHeader = "app,nodes,expert,dsl,default,unit,note";
constexpr std::string_view kStencilHeader =
    "nodes,gpus,domain_x,domain_y,o_tiles_x,o_tiles_y,c_tiles_x,c_tiles_y,t_o_s,t_c_s,speedup";
/// Rows a table may have: far more than any published sweep, small enough to run.
constexpr std::size_t kMaxRows = 100000;

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

class RowReader {
 public:
  RowReader(const std::string& file, int line, std::vector<std::string>& errors)
      : file_(file), line_(line), errors_(errors) {}

  bool failed() const { return failed_; }

  std::optional<double> number(std::string_view field, std::string_view column, double min) {
    field = trim(field);
    double value = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size() ||
        !std::isfinite(value) || value < min) {
      fail(std::string(column) + ": expected a number" + (min > 0 ? " above 0" : " >= 0") +
           ", found '" + std::string(field) + "'");
      return std::nullopt;
    }
    return value;
  }

  std::int64_t integer(std::string_view field, std::string_view column, std::int64_t max) {
    field = trim(field);
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size() || value < 1 ||
        value > max) {
      fail(std::string(column) + ": expected a whole number from 1 to " + std::to_string(max) +
           ", found '" + std::string(field) + "'");
      return 1;
    }
    return value;
  }

  void fail(const std::string& message) {
    errors_.push_back(file_ + ":" + std::to_string(line_) + ": " + message);
    failed_ = true;
  }

 private:
  const std::string& file_;
  int line_;
  std::vector<std::string>& errors_;
  bool failed_ = false;
};

void read_mapper_row(std::span<const std::string_view> f, RowReader& r, MapperRow& row) {
  row.app = std::string(trim(f[0]));
  if (row.app.empty()) r.fail("app: empty");
  row.nodes = static_cast<int>(r.integer(f[1], "nodes", 1 << 20));
  row.expert = r.number(f[2], "expert", 1e-300).value_or(0);
  row.dsl = r.number(f[3], "dsl", 1e-300).value_or(0);
  if (!trim(f[4]).empty()) row.by_default = r.number(f[4], "default", 1e-300);
  row.unit = std::string(trim(f[5]));
  row.note = std::string(trim(f[6]));
}

void read_stencil_row(std::span<const std::string_view> f, RowReader& r, StencilRow& row) {
  constexpr std::int64_t kMaxExtent = std::int64_t{1} << 40;
  row.nodes = static_cast<int>(r.integer(f[0], "nodes", 1 << 20));
  row.gpus = static_cast<int>(r.integer(f[1], "gpus", 1 << 24));
  row.domain_x = r.integer(f[2], "domain_x", kMaxExtent);
  row.domain_y = r.integer(f[3], "domain_y", kMaxExtent);
  row.o_tiles_x = r.integer(f[4], "o_tiles_x", 1 << 24);
  row.o_tiles_y = r.integer(f[5], "o_tiles_y", 1 << 24);
  row.c_tiles_x = r.integer(f[6], "c_tiles_x", 1 << 24);
  row.c_tiles_y = r.integer(f[7], "c_tiles_y", 1 << 24);
  row.t_o_s = r.number(f[8], "t_o_s", 1e-300).value_or(0);
  row.t_c_s = r.number(f[9], "t_c_s", 1e-300).value_or(0);
  row.speedup = r.number(f[10], "speedup", 1e-300).value_or(0);
  if (r.failed()) return;
  if (row.o_tiles_x * row.o_tiles_y != row.gpus || row.c_tiles_x * row.c_tiles_y != row.gpus)
    r.fail("the tile grids " + std::to_string(row.o_tiles_x) + "x" + std::to_string(row.o_tiles_y) +
           " and " + std::to_string(row.c_tiles_x) + "x" + std::to_string(row.c_tiles_y) +
           " must each have one tile per GPU (" + std::to_string(row.gpus) + ")");
  else if (row.o_tiles_x > row.domain_x || row.o_tiles_y > row.domain_y ||
           row.c_tiles_x > row.domain_x || row.c_tiles_y > row.domain_y)
    r.fail("a tile grid has more tiles than cells along a dimension");
}

}  // namespace

ReadResult read_table(std::string_view text, const std::string& file) {
  ReadResult result;
  std::size_t pos = 0;
  int line_number = 0;
  enum class Format { Unknown, Mapper, Stencil } format = Format::Unknown;
  std::size_t columns = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_number;
    line = trim(line);
    if (line.empty()) continue;
    if (format == Format::Unknown) {
      if (line == kMapperHeader) {
        format = Format::Mapper;
      } else if (line == kStencilHeader) {
        format = Format::Stencil;
      } else {
        result.errors.push_back(file + ":" + std::to_string(line_number) +
                                ": expected a header line '" + std::string(kMapperHeader) +
                                "' or '" + std::string(kStencilHeader) + "'");
        break;
      }
      columns = split_fields(line).size();
      continue;
    }
    std::vector<std::string_view> fields = split_fields(line);
    if (fields.size() != columns) {
      result.errors.push_back(file + ":" + std::to_string(line_number) + ": expected " +
                              std::to_string(columns) + " fields, found " +
                              std::to_string(fields.size()));
      continue;
    }
    if (result.tables.mapper.size() + result.tables.stencil.size() >= kMaxRows) {
      result.errors.push_back(file + ":" + std::to_string(line_number) + ": more than " +
                              std::to_string(kMaxRows) + " rows");
      break;
    }
    RowReader reader(file, line_number, result.errors);
    if (format == Format::Mapper) {
      MapperRow row;
      row.line = line_number;
      read_mapper_row(fields, reader, row);
      if (!reader.failed()) result.tables.mapper.push_back(std::move(row));
    } else {
      StencilRow row;
      row.line = line_number;
      read_stencil_row(fields, reader, row);
      if (!reader.failed()) result.tables.stencil.push_back(row);
    }
  }
  if (format == Format::Unknown && result.errors.empty())
    result.errors.push_back(file + ": empty table (no header line)");
  if (!result.errors.empty()) result.tables = {};
  return result;
}

}  // namespace mapforge::fidelity
