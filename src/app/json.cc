// The JSON app format (README.md), both ways. Loading checks shapes and types with the JSON path
// of every error, applies the size limits below, resolves names, then runs `validate`.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "app/model_support.h"

namespace mapforge::app {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Limits (README.md, "Limits"): a file past them is refused, never half-loaded.
constexpr std::size_t kMaxTextBytes = kMaxAppFileBytes;
constexpr int kMaxDepth = 64;
constexpr std::int64_t kMaxBlocks = 10'000'000;              // in all regions together
constexpr std::int64_t kMaxPieceBlocks = 10'000'000;         // block references in all pieces
constexpr double kMaxRegionBytes = 1e18;                     // elements x bytes of all fields
constexpr std::int64_t kMaxLaunchPoints = 1'000'000;         // points of one launch
constexpr std::int64_t kMaxLaunches = 10'000'000;            // launches after repeats
constexpr std::int64_t kMaxPointTasks = 100'000'000;         // point tasks after repeats
constexpr std::int64_t kMaxProjectionValue = 1'000'000'000;  // |matrix entry|, |offset|

template <class T>
struct Named {
  std::string_view name;
  T value;
};
constexpr Named<VariantKind> kVariantKinds[] = {
    {"CPU", VariantKind::CPU}, {"GPU", VariantKind::GPU}, {"OMP", VariantKind::OMP}};
constexpr Named<KernelClass> kKernelClasses[] = {{"dense", KernelClass::Dense},
                                                 {"streaming", KernelClass::Streaming},
                                                 {"irregular", KernelClass::Irregular}};
constexpr Named<Privilege> kPrivileges[] = {{"read_only", Privilege::ReadOnly},
                                            {"read_write", Privilege::ReadWrite},
                                            {"write_discard", Privilege::WriteDiscard},
                                            {"reduce", Privilege::Reduce}};
constexpr Named<ReduceOp> kReduceOps[] = {{"none", ReduceOp::None},
                                          {"sum", ReduceOp::Sum},
                                          {"min", ReduceOp::Min},
                                          {"max", ReduceOp::Max},
                                          {"prod", ReduceOp::Prod}};
constexpr Named<Access> kAccesses[] = {
    {"stream", Access::Stream}, {"gather", Access::Gather}, {"atomic", Access::Atomic}};
constexpr Named<Metric::Kind> kMetricKinds[] = {{"elapsed_time", Metric::Kind::ElapsedTime},
                                                {"throughput", Metric::Kind::Throughput}};
constexpr Named<LayoutRequirement::Failure> kFailures[] = {
    {"stride", LayoutRequirement::Failure::Stride},
    {"blas_parameter", LayoutRequirement::Failure::BlasParameter}};

template <class T, std::size_t N>
std::string_view name_of(const Named<T> (&table)[N], T value) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return "?";
}

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::string_view item : items) out += (out.empty() ? "" : ", ") + std::string(item);
  return out;
}

/// A short description of a JSON value for "got ..." (containers are not printed: they may be
/// huge or deep).
std::string describe(const json& value) {
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  constexpr std::size_t kMaxShown = 40;
  if (text.size() <= kMaxShown) return text;
  std::size_t cut = kMaxShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

std::string child(const std::string& path, std::string_view key) {
  return path + "/" + std::string(key);
}
std::string child(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  return a > kMax - b ? kMax : a + b;
}
std::int64_t saturating_mul(std::int64_t a, std::int64_t b) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (a <= 0 || b <= 0) return 0;
  return a > kMax / b ? kMax : a * b;
}

struct KeySpec {
  std::vector<std::string_view> required;
  std::vector<std::string_view> optional;
};

/// Reads one document into an App, collecting located errors.
class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  std::vector<std::string> take_errors() { return std::move(errors_); }
  bool failed() const { return !errors_.empty(); }

  void error(const std::string& path, const std::string& message) {
    if (errors_.size() > kMaxErrors) return;
    if (errors_.size() == kMaxErrors) {
      errors_.push_back(file_ + ": " + too_many_errors_message());
      return;
    }
    errors_.push_back(file_ + ": " + (path.empty() ? "" : path + ": ") + message);
  }
  bool full() const { return errors_.size() > kMaxErrors; }

  App read_app(const json& root) {
    App app;
    if (!object(root, "",
                {{"name", "phases"}, {"description", "regions", "partitions", "tasks", "metric"}}))
      return app;
    read_string(root, "name", "", app.name);
    read_string(root, "description", "", app.description);
    for_each(root, "regions", "", [&](const json& v, const std::string& p) {
      app.regions.push_back(read_region(v, p));
    });
    std::map<std::string, int, std::less<>> region_index = index_names(app.regions);
    for_each(root, "partitions", "", [&](const json& v, const std::string& p) {
      app.partitions.push_back(read_partition(v, p, region_index));
    });
    for_each(root, "tasks", "",
             [&](const json& v, const std::string& p) { app.tasks.push_back(read_task(v, p)); });
    partition_index_ = index_names(app.partitions);
    task_index_ = index_names(app.tasks);
    for_each(root, "phases", "", [&](const json& v, const std::string& p) {
      app.phases.push_back(read_phase(app, v, p));
    });
    if (root.contains("metric")) app.metric = read_metric(root["metric"], "/metric");
    check_totals(app);
    return app;
  }

 private:
  template <class T>
  static std::map<std::string, int, std::less<>> index_names(const std::vector<T>& items) {
    std::map<std::string, int, std::less<>> out;
    for (std::size_t i = 0; i < items.size(); ++i)
      out.emplace(items[i].name, static_cast<int>(i));  // the first of duplicates wins
    return out;
  }

  // ---- shapes and scalars ----

  /// Checks that `v` is an object with every required key and no unknown key.
  bool object(const json& v, const std::string& path, const KeySpec& keys) {
    if (!v.is_object()) {
      error(path, "expected an object, got " + describe(v));
      return false;
    }
    bool ok = true;
    for (const auto& item : v.items()) {
      const std::string& key = item.key();
      auto known = [&](const std::vector<std::string_view>& list) {
        return std::find(list.begin(), list.end(), key) != list.end();
      };
      if (known(keys.required) || known(keys.optional)) continue;
      std::vector<std::string_view> all = keys.required;
      all.insert(all.end(), keys.optional.begin(), keys.optional.end());
      error(path, "unknown key " + describe(json(key)) + "; valid keys are " + join(all));
      ok = false;
    }
    for (std::string_view key : keys.required)
      if (!v.contains(key)) {
        error(path, "missing key \"" + std::string(key) + "\"");
        ok = false;
      }
    return ok;
  }

  /// Calls `f(item, path)` for each item of the array at obj[key], if present.
  template <class F>
  void for_each(const json& obj, std::string_view key, const std::string& path, F f) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    std::string array_path = child(path, key);
    if (!it->is_array()) {
      error(array_path, "expected an array, got " + describe(*it));
      return;
    }
    for (std::size_t i = 0; i < it->size() && !full(); ++i) f((*it)[i], child(array_path, i));
  }

  std::optional<std::int64_t> integer(const json& v, const std::string& path,
                                      std::string_view expected = "an integer") {
    if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<std::int64_t>();
    if (v.is_number_unsigned() && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX))
      return static_cast<std::int64_t>(v.get<std::uint64_t>());
    error(path, "expected " + std::string(expected) + ", got " + describe(v));
    return std::nullopt;
  }

  std::optional<int> small_integer(const json& v, const std::string& path) {
    auto n = integer(v, path);
    if (!n) return std::nullopt;
    if (*n < INT32_MIN || *n > INT32_MAX) {
      error(path, "integer out of range, got " + describe(v));
      return std::nullopt;
    }
    return static_cast<int>(*n);
  }

  std::optional<std::int64_t> positive(const json& v, const std::string& path) {
    auto n = integer(v, path, "a positive integer");
    if (n && *n <= 0) {
      error(path, "expected a positive integer, got " + describe(v));
      return std::nullopt;
    }
    return n;
  }

  std::optional<double> number(const json& v, const std::string& path) {
    if (v.is_number()) return v.get<double>();
    error(path, "expected a number, got " + describe(v));
    return std::nullopt;
  }

  template <class T>
  void read_int(const json& obj, std::string_view key, const std::string& path, T& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if constexpr (std::is_same_v<T, int>) {
      if (auto n = small_integer(*it, child(path, key))) out = *n;
    } else {
      if (auto n = integer(*it, child(path, key))) out = *n;
    }
  }

  void read_number(const json& obj, std::string_view key, const std::string& path, double& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (auto x = number(*it, child(path, key))) out = *x;
  }

  void read_bool(const json& obj, std::string_view key, const std::string& path, bool& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (it->is_boolean()) {
      out = it->get<bool>();
      return;
    }
    error(child(path, key), "expected true or false, got " + describe(*it));
  }

  bool read_string(const json& obj, std::string_view key, const std::string& path,
                   std::string& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return false;
    if (it->is_string()) {
      out = it->get<std::string>();
      return true;
    }
    error(child(path, key), "expected a string, got " + describe(*it));
    return false;
  }

  template <class T, std::size_t N>
  void read_enum(const json& obj, std::string_view key, const std::string& path,
                 const Named<T> (&table)[N], std::string_view what, std::string_view plural,
                 T& out) {
    std::string text;
    if (!read_string(obj, key, path, text)) return;
    std::vector<std::string_view> names;
    for (const auto& entry : table) {
      if (entry.name == text) {
        out = entry.value;
        return;
      }
      names.push_back(entry.name);
    }
    error(child(path, key), "unknown " + std::string(what) + " " + describe(json(text)) + "; " +
                                std::string(plural) + " are " + join(names));
  }

  std::vector<std::int64_t> int_list(const json& v, const std::string& path,
                                     std::int64_t limit = 0) {
    std::vector<std::int64_t> out;
    if (!v.is_array()) {
      error(path, "expected an array, got " + describe(v));
      return out;
    }
    for (std::size_t i = 0; i < v.size() && !full(); ++i) {
      auto n = integer(v[i], child(path, i));
      if (!n) continue;
      if (limit > 0 && (*n > limit || *n < -limit)) {
        error(child(path, i), "expected an integer between " + std::to_string(-limit) + " and " +
                                  std::to_string(limit) + ", got " + describe(v[i]));
        continue;
      }
      out.push_back(*n);
    }
    return out;
  }

  /// A reference to a named item: its name, or its index (range-checked by validate).
  int reference(const json& v, const std::string& path,
                const std::map<std::string, int, std::less<>>& names, std::string_view what) {
    if (v.is_string()) {
      auto it = names.find(v.get<std::string>());
      if (it != names.end()) return it->second;
      error(path, "unknown " + std::string(what) + " " + describe(v));
      return -1;
    }
    if (v.is_number_integer()) {
      if (auto n = small_integer(v, path)) return *n;
      return -1;
    }
    error(path, "expected a " + std::string(what) + " name or index, got " + describe(v));
    return -1;
  }

  // ---- the model ----

  Region read_region(const json& v, const std::string& path) {
    Region region;
    if (!object(v, path, {{"name", "fields", "block_elements"}, {"dims"}})) return region;
    read_string(v, "name", path, region.name);
    read_int(v, "dims", path, region.dims);
    double bytes_per_element = 0;
    for_each(v, "fields", path, [&](const json& f, const std::string& p) {
      Field field;
      if (object(f, p, {{"name"}, {"bytes"}})) {
        read_string(f, "name", p, field.name);
        if (f.contains("bytes"))
          if (auto n = positive(f["bytes"], child(p, "bytes"))) field.bytes = *n;
      }
      bytes_per_element += static_cast<double>(field.bytes);
      region.fields.push_back(std::move(field));
    });
    read_blocks(v["block_elements"], child(path, "block_elements"), region);
    double elements = 0;
    for (std::int64_t n : region.block_elements) elements += static_cast<double>(n);
    if (elements * bytes_per_element > kMaxRegionBytes)
      error(path, "region of " + describe(json(elements)) + " elements of " +
                      describe(json(bytes_per_element)) + " bytes exceeds the limit of 1e18 bytes");
    return region;
  }

  /// block_elements: [n, n, ...] or {"count": c, "elements": n} (c blocks of n elements).
  void read_blocks(const json& v, const std::string& path, Region& region) {
    if (v.is_object()) {
      if (!object(v, path, {{"count", "elements"}, {}})) return;
      auto count = positive(v["count"], child(path, "count"));
      auto elements = positive(v["elements"], child(path, "elements"));
      if (!count || !elements || !add_blocks(*count, path)) return;
      region.block_elements.assign(static_cast<std::size_t>(*count), *elements);
      return;
    }
    if (!v.is_array()) {
      error(path, "expected an array or {\"count\", \"elements\"}, got " + describe(v));
      return;
    }
    if (!add_blocks(static_cast<std::int64_t>(v.size()), path)) return;
    for (std::size_t i = 0; i < v.size() && !full(); ++i)
      if (auto n = positive(v[i], child(path, i))) region.block_elements.push_back(*n);
  }

  bool add_blocks(std::int64_t count, const std::string& path) {
    blocks_ = saturating_add(blocks_, count);
    if (blocks_ <= kMaxBlocks) return true;
    error(path, "more than " + std::to_string(kMaxBlocks) + " blocks in all regions");
    return false;
  }

  bool add_piece_blocks(std::int64_t count, const std::string& path) {
    piece_blocks_ = saturating_add(piece_blocks_, count);
    if (piece_blocks_ <= kMaxPieceBlocks) return true;
    error(path,
          "more than " + std::to_string(kMaxPieceBlocks) + " block references in all partitions");
    return false;
  }

  Partition read_partition(const json& v, const std::string& path,
                           const std::map<std::string, int, std::less<>>& regions) {
    Partition partition;
    if (!object(v, path, {{"name", "region", "color_extents", "pieces"}, {"disjoint"}}))
      return partition;
    read_string(v, "name", path, partition.name);
    partition.region = reference(v["region"], child(path, "region"), regions, "region");
    partition.color_extents = int_list(v["color_extents"], child(path, "color_extents"));
    read_bool(v, "disjoint", path, partition.disjoint);
    for_each(v, "pieces", path, [&](const json& piece, const std::string& p) {
      partition.pieces.push_back(read_piece(piece, p));
    });
    return partition;
  }

  /// A piece: [block, ...] or {"first": f, "count": n} (blocks f to f + n - 1).
  std::vector<std::int32_t> read_piece(const json& v, const std::string& path) {
    std::vector<std::int32_t> blocks;
    if (v.is_object()) {
      if (!object(v, path, {{"first", "count"}, {}})) return blocks;
      auto first = integer(v["first"], child(path, "first"), "a non-negative integer");
      auto count = integer(v["count"], child(path, "count"), "a non-negative integer");
      for (auto [key, value] : {std::pair{"first", first}, {"count", count}})
        if (value && *value < 0)
          error(child(path, key), "expected a non-negative integer, got " + describe(v[key]));
      if (!first || !count || *first < 0 || *count < 0) return blocks;
      if (*first + std::min<std::int64_t>(*count, INT32_MAX) > std::int64_t{INT32_MAX} + 1) {
        error(path, "blocks past " + std::to_string(INT32_MAX));
        return blocks;
      }
      if (!add_piece_blocks(*count, path)) return blocks;
      for (std::int64_t b = 0; b < *count; ++b)
        blocks.push_back(static_cast<std::int32_t>(*first + b));
      return blocks;
    }
    if (!v.is_array()) {
      error(path, "expected an array or {\"first\", \"count\"}, got " + describe(v));
      return blocks;
    }
    if (!add_piece_blocks(static_cast<std::int64_t>(v.size()), path)) return blocks;
    for (std::size_t i = 0; i < v.size() && !full(); ++i)
      if (auto b = small_integer(v[i], child(path, i))) blocks.push_back(*b);
    return blocks;
  }

  Task read_task(const json& v, const std::string& path) {
    Task task;
    if (!object(v, path, {{"name", "variants"}, {"kernel", "arg_names"}})) return task;
    read_string(v, "name", path, task.name);
    read_enum(v, "kernel", path, kKernelClasses, "kernel class", "classes", task.kernel);
    for_each(v, "arg_names", path, [&](const json& name, const std::string& p) {
      if (name.is_string()) {
        task.arg_names.push_back(name.get<std::string>());
      } else {
        error(p, "expected a string, got " + describe(name));
      }
    });
    for_each(v, "variants", path, [&](const json& variant, const std::string& p) {
      task.variants.push_back(read_variant(variant, p));
    });
    return task;
  }

  Variant read_variant(const json& v, const std::string& path) {
    Variant variant;
    if (!object(v, path, {{"kind"}, {"layouts"}})) return variant;
    read_enum(v, "kind", path, kVariantKinds, "processor kind", "kinds", variant.kind);
    for_each(v, "layouts", path, [&](const json& layout, const std::string& p) {
      variant.layouts.push_back(read_layout(layout, p));
    });
    return variant;
  }

  std::optional<LayoutRequirement> read_layout(const json& v, const std::string& path) {
    if (v.is_null()) return std::nullopt;
    LayoutRequirement layout;
    if (!object(v, path, {{}, {"soa", "c_order", "failure", "blas_parameter"}})) return layout;
    for (auto [key, slot] : {std::pair{"soa", &layout.soa}, {"c_order", &layout.c_order}}) {
      if (!v.contains(key)) continue;
      bool value = false;
      read_bool(v, key, path, value);
      *slot = value;
    }
    read_enum(v, "failure", path, kFailures, "layout failure", "failures", layout.failure);
    read_int(v, "blas_parameter", path, layout.blas_parameter);
    return layout;
  }

  Phase read_phase(const App& app, const json& v, const std::string& path) {
    Phase phase;
    if (!object(v, path, {{"launches"}, {"name", "repeat", "timed"}})) return phase;
    read_string(v, "name", path, phase.name);
    read_int(v, "repeat", path, phase.repeat);
    read_bool(v, "timed", path, phase.timed);
    for_each(v, "launches", path, [&](const json& launch, const std::string& p) {
      phase.launches.push_back(read_launch(app, launch, p));
    });
    return phase;
  }

  Launch read_launch(const App& app, const json& v, const std::string& path) {
    Launch launch;
    if (!object(
            v, path,
            {{"task"}, {"domain", "args", "flops", "overhead_s", "parent_launch", "parent_block"}}))
      return launch;
    launch.task = reference(v["task"], child(path, "task"), task_index_, "task");
    if (v.contains("domain")) {
      launch.domain = int_list(v["domain"], child(path, "domain"));
      std::int64_t points = saturating_product(launch.domain);
      if (points > kMaxLaunchPoints)
        error(child(path, "domain"), std::to_string(points) + " points; the limit is " +
                                         std::to_string(kMaxLaunchPoints) + " per launch");
    }
    read_number(v, "flops", path, launch.flops);
    read_number(v, "overhead_s", path, launch.overhead_s);
    read_int(v, "parent_launch", path, launch.parent_launch);
    if (v.contains("parent_block"))
      launch.parent_block = int_list(v["parent_block"], child(path, "parent_block"));
    for_each(v, "args", path, [&](const json& arg, const std::string& p) {
      launch.args.push_back(read_arg(app, arg, p));
    });
    return launch;
  }

  RegionArg read_arg(const App& app, const json& v, const std::string& path) {
    RegionArg arg;
    if (!object(
            v, path,
            {{"partition", "projection", "privilege", "fields"}, {"reduce", "passes", "access"}}))
      return arg;
    std::string partition_path = child(path, "partition");
    arg.partition = reference(v["partition"], partition_path, partition_index_, "partition");
    read_projection(v["projection"], child(path, "projection"), arg.projection);
    read_enum(v, "privilege", path, kPrivileges, "privilege", "privileges", arg.privilege);
    read_enum(v, "reduce", path, kReduceOps, "reduction operator", "operators", arg.reduce);
    read_number(v, "passes", path, arg.passes);
    read_enum(v, "access", path, kAccesses, "access pattern", "patterns", arg.access);
    const Region* region = nullptr;
    bool partition_known =
        arg.partition >= 0 && static_cast<std::size_t>(arg.partition) < app.partitions.size();
    if (partition_known) {
      int r = app.partitions[arg.partition].region;
      if (r >= 0 && static_cast<std::size_t>(r) < app.regions.size()) region = &app.regions[r];
    }
    for_each(v, "fields", path, [&](const json& field, const std::string& p) {
      if (field.is_string()) {
        if (region == nullptr) {
          error(p, "field " + describe(field) +
                       " cannot be resolved: the argument's partition "
                       "is not valid");
          return;
        }
        auto& fields = region->fields;
        auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const Field& f) { return f.name == field.get<std::string>(); });
        if (it == fields.end()) {
          error(p,
                "unknown field " + describe(field) + " of region " + describe(json(region->name)));
          return;
        }
        arg.fields.push_back(static_cast<int>(it - fields.begin()));
        return;
      }
      if (field.is_number_integer()) {
        if (auto n = small_integer(field, p)) arg.fields.push_back(*n);
        return;
      }
      error(p, "expected a field name or index, got " + describe(field));
    });
    return arg;
  }

  void read_projection(const json& v, const std::string& path, Projection& projection) {
    if (!object(v, path, {{"matrix", "offset"}, {}})) return;
    projection.offset = int_list(v["offset"], child(path, "offset"), kMaxProjectionValue);
    for_each(v, "matrix", path, [&](const json& row, const std::string& p) {
      projection.matrix.push_back(int_list(row, p, kMaxProjectionValue));
    });
  }

  Metric read_metric(const json& v, const std::string& path) {
    Metric metric;
    if (!object(v, path, {{}, {"kind", "work", "work_unit"}})) return metric;
    read_enum(v, "kind", path, kMetricKinds, "metric kind", "kinds", metric.kind);
    read_number(v, "work", path, metric.work);
    read_string(v, "work_unit", path, metric.work_unit);
    return metric;
  }

  /// The limits on the whole program after repeats.
  void check_totals(const App& app) {
    std::int64_t launches = 0;
    std::int64_t points = 0;
    for (std::size_t p = 0; p < app.phases.size(); ++p) {
      const Phase& phase = app.phases[p];
      std::int64_t repeat = std::max<std::int64_t>(phase.repeat, 1);
      std::int64_t phase_points = 0;
      for (const Launch& launch : phase.launches)
        phase_points = saturating_add(
            phase_points, launch.domain.empty() ? 1 : saturating_product(launch.domain));
      launches = saturating_add(
          launches, saturating_mul(static_cast<std::int64_t>(phase.launches.size()), repeat));
      points = saturating_add(points, saturating_mul(phase_points, repeat));
      std::string path = child(child(std::string("/phases"), p), "repeat");
      if (launches > kMaxLaunches) {
        error(path, "more than " + std::to_string(kMaxLaunches) + " launches after repeats");
        return;
      }
      if (points > kMaxPointTasks) {
        error(path, "more than " + std::to_string(kMaxPointTasks) + " point tasks after repeats");
        return;
      }
    }
  }

  const std::string& file_;
  std::vector<std::string> errors_;
  std::int64_t blocks_ = 0;
  std::int64_t piece_blocks_ = 0;
  std::map<std::string, int, std::less<>> partition_index_;
  std::map<std::string, int, std::less<>> task_index_;
};

/// 1-based line and byte column of offset `at`.
std::string line_col(std::string_view text, std::size_t at) {
  at = std::min(at, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

/// The position of the first bracket nested deeper than kMaxDepth, if any. nlohmann's parser
/// does not recurse, but a shallow document is cheap to guarantee and keeps every later walk
/// bounded.
std::optional<std::size_t> too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

/// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error
/// while parsing ..." without its prefix.
std::string parse_error_detail(const char* what) {
  std::string_view text(what);
  if (auto column = text.find("column "); column != std::string_view::npos)
    if (auto colon = text.find(": ", column); colon != std::string_view::npos)
      return std::string(text.substr(colon + 2));
  if (auto bracket = text.find("] "); bracket != std::string_view::npos)
    return std::string(text.substr(bracket + 2));
  return std::string(text);
}

// ---- writing ----

ordered_json layout_json(const std::optional<LayoutRequirement>& layout) {
  if (!layout) return nullptr;
  ordered_json out = ordered_json::object();
  if (layout->soa) out["soa"] = *layout->soa;
  if (layout->c_order) out["c_order"] = *layout->c_order;
  out["failure"] = name_of(kFailures, layout->failure);
  out["blas_parameter"] = layout->blas_parameter;
  return out;
}

/// The name when it identifies the item unambiguously, else the index.
template <class T>
ordered_json ref_json(const std::vector<T>& items, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= items.size()) return index;
  const std::string& name = items[index].name;
  for (int i = 0; i < index; ++i)
    if (items[i].name == name) return index;
  if (name.empty()) return index;
  return name;
}

bool uniform(const std::vector<std::int64_t>& values) {
  return values.size() >= 2 &&
         std::all_of(values.begin(), values.end(), [&](auto v) { return v == values[0]; });
}

bool consecutive(const std::vector<std::int32_t>& blocks) {
  if (blocks.size() < 3 || blocks[0] < 0) return false;
  for (std::size_t i = 1; i < blocks.size(); ++i)
    if (blocks[i] != blocks[i - 1] + 1) return false;
  return true;
}

ordered_json region_json(const Region& region) {
  ordered_json out;
  out["name"] = region.name;
  ordered_json fields = ordered_json::array();
  for (const Field& f : region.fields) fields.push_back({{"name", f.name}, {"bytes", f.bytes}});
  out["fields"] = std::move(fields);
  if (uniform(region.block_elements)) {
    out["block_elements"] = {{"count", region.block_elements.size()},
                             {"elements", region.block_elements[0]}};
  } else {
    out["block_elements"] = region.block_elements;
  }
  out["dims"] = region.dims;
  return out;
}

ordered_json partition_json(const App& app, const Partition& partition) {
  ordered_json out;
  out["name"] = partition.name;
  out["region"] = ref_json(app.regions, partition.region);
  out["color_extents"] = partition.color_extents;
  ordered_json pieces = ordered_json::array();
  for (const auto& piece : partition.pieces) {
    if (consecutive(piece)) {
      pieces.push_back({{"first", piece[0]}, {"count", piece.size()}});
    } else {
      pieces.push_back(piece);
    }
  }
  out["pieces"] = std::move(pieces);
  out["disjoint"] = partition.disjoint;
  return out;
}

ordered_json task_json(const Task& task) {
  ordered_json out;
  out["name"] = task.name;
  out["kernel"] = to_string(task.kernel);
  ordered_json variants = ordered_json::array();
  for (const Variant& v : task.variants) {
    ordered_json variant;
    variant["kind"] = to_string(v.kind);
    ordered_json layouts = ordered_json::array();
    for (const auto& layout : v.layouts) layouts.push_back(layout_json(layout));
    variant["layouts"] = std::move(layouts);
    variants.push_back(std::move(variant));
  }
  out["variants"] = std::move(variants);
  out["arg_names"] = task.arg_names;
  return out;
}

ordered_json arg_json(const App& app, const RegionArg& arg) {
  ordered_json out;
  out["partition"] = ref_json(app.partitions, arg.partition);
  out["projection"] = {{"matrix", arg.projection.matrix}, {"offset", arg.projection.offset}};
  out["privilege"] = to_string(arg.privilege);
  out["reduce"] = to_string(arg.reduce);
  const Region* region = nullptr;
  if (arg.partition >= 0 && static_cast<std::size_t>(arg.partition) < app.partitions.size()) {
    int r = app.partitions[arg.partition].region;
    if (r >= 0 && static_cast<std::size_t>(r) < app.regions.size()) region = &app.regions[r];
  }
  ordered_json fields = ordered_json::array();
  for (int f : arg.fields) fields.push_back(region ? ref_json(region->fields, f) : ordered_json(f));
  out["fields"] = std::move(fields);
  out["passes"] = arg.passes;
  if (arg.access != Access::Stream) out["access"] = to_string(arg.access);
  return out;
}

ordered_json launch_json(const App& app, const Launch& launch) {
  ordered_json out;
  out["task"] = ref_json(app.tasks, launch.task);
  out["domain"] = launch.domain;
  out["flops"] = launch.flops;
  out["overhead_s"] = launch.overhead_s;
  out["parent_launch"] = launch.parent_launch;
  if (!launch.parent_block.empty()) out["parent_block"] = launch.parent_block;
  ordered_json args = ordered_json::array();
  for (const RegionArg& a : launch.args) args.push_back(arg_json(app, a));
  out["args"] = std::move(args);
  return out;
}

ordered_json app_json(const App& app) {
  ordered_json out;
  out["name"] = app.name;
  out["description"] = app.description;
  ordered_json regions = ordered_json::array();
  for (const Region& r : app.regions) regions.push_back(region_json(r));
  out["regions"] = std::move(regions);
  ordered_json partitions = ordered_json::array();
  for (const Partition& p : app.partitions) partitions.push_back(partition_json(app, p));
  out["partitions"] = std::move(partitions);
  ordered_json tasks = ordered_json::array();
  for (const Task& t : app.tasks) tasks.push_back(task_json(t));
  out["tasks"] = std::move(tasks);
  ordered_json phases = ordered_json::array();
  for (const Phase& p : app.phases) {
    ordered_json phase;
    phase["name"] = p.name;
    phase["repeat"] = p.repeat;
    phase["timed"] = p.timed;
    ordered_json launches = ordered_json::array();
    for (const Launch& l : p.launches) launches.push_back(launch_json(app, l));
    phase["launches"] = std::move(launches);
    phases.push_back(std::move(phase));
  }
  out["phases"] = std::move(phases);
  out["metric"] = {{"kind", name_of(kMetricKinds, app.metric.kind)},
                   {"work", app.metric.work},
                   {"work_unit", app.metric.work_unit}};
  return out;
}

std::string inline_json(const ordered_json& v) {
  if (v.is_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + inline_json(v[i]);
    return out + "]";
  }
  if (v.is_object()) {
    std::string out = "{";
    for (const auto& [key, value] : v.items())
      out +=
          (out.size() > 1 ? ", " : "") + inline_json(ordered_json(key)) + ": " + inline_json(value);
    return out + "}";
  }
  return v.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

/// Whether a value may go on one line: no object with more than two keys inside.
bool small(const ordered_json& v) {
  if (v.is_object() && v.size() > 2) return false;
  return !v.is_structured() ||
         std::all_of(v.begin(), v.end(), [](const ordered_json& x) { return small(x); });
}

constexpr std::size_t kWidth = 100;

/// Pretty-prints: small values on one line when they fit, long arrays of numbers wrapped,
/// everything else one item per line. The depth is bounded by the model's.
void print(const ordered_json& v, std::size_t indent, std::size_t column, std::string& out) {
  std::string flat = inline_json(v);
  if (!v.is_structured() || v.empty() || (small(v) && column + flat.size() <= kWidth)) {
    out += flat;
    return;
  }
  std::string pad(indent + 2, ' ');
  if (v.is_array() &&
      std::none_of(v.begin(), v.end(), [](const ordered_json& x) { return x.is_structured(); })) {
    out += "[\n" + pad;
    column = pad.size();
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string item = inline_json(v[i]) + (i + 1 < v.size() ? "," : "");
      if (column > pad.size() && column + 1 + item.size() > kWidth) {
        out += "\n" + pad;
        column = pad.size();
      } else if (column > pad.size()) {
        out += " ";
        ++column;
      }
      out += item;
      column += item.size();
    }
    out += "\n" + std::string(indent, ' ') + "]";
    return;
  }
  out += v.is_array() ? "[\n" : "{\n";
  std::size_t i = 0;
  for (const auto& [key, value] : v.items()) {
    std::string head = pad;
    if (v.is_object()) head += inline_json(ordered_json(key)) + ": ";
    out += head;
    print(value, indent + 2, head.size(), out);
    out += ++i < v.size() ? ",\n" : "\n";
  }
  out += std::string(indent, ' ') + (v.is_array() ? "]" : "}");
}

}  // namespace

LoadResult load_app(std::string_view json_text, const std::string& file_name) {
  LoadResult result;
  if (json_text.size() > kMaxTextBytes) {
    result.errors.push_back(file_name + ": file too large (" + std::to_string(json_text.size()) +
                            " bytes; the limit is " + std::to_string(kMaxTextBytes) + ")");
    return result;
  }
  if (auto at = too_deep(json_text)) {
    result.errors.push_back(file_name + ":" + line_col(json_text, *at) + ": nesting deeper than " +
                            std::to_string(kMaxDepth) + " levels");
    return result;
  }
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& e) {
    // e.byte counts the bytes read, the offending one included.
    std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
    result.errors.push_back(file_name + ":" + line_col(json_text, at) + ": " +
                            parse_error_detail(e.what()));
    return result;
  } catch (const json::exception& e) {  // e.g. a number too large for a double
    result.errors.push_back(file_name + ": " + parse_error_detail(e.what()));
    return result;
  }
  Reader reader(file_name);
  App app = reader.read_app(root);
  if (reader.failed()) {
    result.errors = reader.take_errors();
    return result;
  }
  for (std::string& e : validate(app)) result.errors.push_back(file_name + ": " + e);
  if (result.errors.empty()) result.app = std::move(app);
  return result;
}

std::string to_json(const App& app) {
  std::string out;
  print(app_json(app), 0, 0, out);
  return out + "\n";
}

}  // namespace mapforge::app
