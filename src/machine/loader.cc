// load_machine: size and nesting guards, JSON parsing with line:col syntax errors, and the
// per-field reading of the schema in README.md. Cross-entry checks live in validate.cc.
#include <algorithm>
#include <utility>

#include "machine/json_reader.h"
#include "machine/machine.h"
#include "machine/validate.h"

namespace mapforge::machine {
namespace {

using detail::child;
using detail::Json;
using detail::NumberRange;
using detail::Reader;

/// The schema nests four levels deep; anything much deeper is not a machine file, and refusing it
/// before parsing keeps recursion in the JSON library bounded.
constexpr int kMaxNesting = 32;

constexpr NumberRange kCapacityRange{0, true, 1e15, "1e15 bytes (1 PB)", true};
constexpr NumberRange kBandwidthRange{0, true, 1e15, "1e15 bytes/s", false};
constexpr NumberRange kSecondsRange{0, false, 1.0, "1 s", false};
constexpr NumberRange kThroughputRange{0, true, 1e18, "1e18 flop/s", false};
constexpr NumberRange kAosWeightRange{0, false, 1.0, "1", false};
constexpr NumberRange kStridedRange{1, false, 1000.0, "1000", false};
constexpr NumberRange kFractionRange{0, true, 1.0, "1", false};

const std::vector<std::string_view> kMachineFields = {
    "name",       "description", "nodes",      "processes_per_host",
    "processors", "memories",    "affinities", "channels"};
const std::vector<std::string_view> kProcessorFields = {
    "kind", "per_node", "launch_overhead_s", "throughput_flops", "aos_weight", "strided_factor"};
const std::vector<std::string_view> kMemoryFields = {"kind", "per_node", "capacity_bytes"};
const std::vector<std::string_view> kAffinityFields = {
    "proc", "mem", "bandwidth_Bps", "latency_s", "gather_fraction", "atomic_fraction"};
const std::vector<std::string_view> kChannelFields = {"kind", "bandwidth_Bps", "latency_s"};

template <class Kind, std::size_t N>
std::string kind_names(const std::array<Kind, N>& kinds) {
  std::vector<std::string_view> names;
  for (Kind kind : kinds) names.push_back(to_string(kind));
  return detail::join(names);
}

std::string physical_memory_names() {
  std::vector<std::string_view> names;
  for (MemKind kind : kAllMemKinds) {
    if (kind != MemKind::VIRTUAL) names.push_back(to_string(kind));
  }
  return detail::join(names);
}

/// Deeper than kMaxNesting, counting brackets outside strings.
bool nests_too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (depth > kMaxNesting) return true;
  }
  return false;
}

/// nlohmann reports the count of bytes read; the offending byte is the last one read.
LoadError syntax_error(const std::string& file, std::string_view text, std::size_t bytes_read,
                       std::string message) {
  const std::size_t offset = std::min(bytes_read == 0 ? 0 : bytes_read - 1, text.size());
  const std::string_view before = text.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const std::size_t line_start =
      before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  return LoadError{file, "", static_cast<int>(line), static_cast<int>(offset - line_start + 1),
                   "invalid JSON: " + std::move(message)};
}

/// The library's message without its "[json.exception.x.n] parse error at line L, column C: ".
std::string library_message(const std::string& what) {
  std::string message = what;
  const std::size_t tag_end = message.find("] ");
  if (message.rfind("[json.exception.", 0) == 0 && tag_end != std::string::npos) {
    message = message.substr(tag_end + 2);
  }
  if (message.rfind("parse error", 0) == 0 && message.find(": ") != std::string::npos) {
    message = message.substr(message.find(": ") + 2);
  }
  return message;
}

std::optional<ProcessorSpec> read_processor(Reader& reader, const Json& entry,
                                            const std::string& path) {
  if (!reader.check_object(entry, path, kProcessorFields)) return std::nullopt;
  auto kind = reader.read_kind<ProcKind>(entry, "kind", path, parse_proc_kind, "processor kind",
                                         kind_names(kAllProcKinds));
  auto per_node = reader.read_int(entry, "per_node", path, 1, kMaxPerNode);
  auto overhead = reader.read_sourced(entry, "launch_overhead_s", path, kSecondsRange);
  std::array<std::optional<Sourced>, kNumKernelClasses> throughput;
  bool throughput_ok = false;
  if (const Json* table = reader.require(entry, "throughput_flops", path)) {
    const std::string here = child(path, "throughput_flops");
    std::vector<std::string_view> classes;
    for (KernelClass kc : kAllKernelClasses) classes.push_back(to_string(kc));
    if (reader.check_object(*table, here, classes)) {
      throughput_ok = true;
      for (KernelClass kc : kAllKernelClasses) {
        auto& slot = throughput[static_cast<std::size_t>(kc)];
        slot = reader.read_sourced(*table, to_string(kc), here, kThroughputRange);
        throughput_ok = throughput_ok && slot.has_value();
      }
    }
  }
  auto aos = reader.read_sourced(entry, "aos_weight", path, kAosWeightRange);
  auto strided = reader.read_sourced(entry, "strided_factor", path, kStridedRange);
  if (!kind || !per_node || !overhead || !throughput_ok || !aos || !strided) return std::nullopt;
  ProcessorSpec spec{*kind, *per_node,       std::move(*overhead),
                     {},    std::move(*aos), std::move(*strided)};
  for (std::size_t i = 0; i < throughput.size(); ++i) spec.throughput_flops[i] = *throughput[i];
  return spec;
}

std::optional<MemorySpec> read_memory(Reader& reader, const Json& entry, const std::string& path) {
  if (!reader.check_object(entry, path, kMemoryFields)) return std::nullopt;
  auto kind = reader.read_kind<MemKind>(entry, "kind", path, parse_mem_kind, "memory kind",
                                        physical_memory_names());
  if (kind == MemKind::VIRTUAL) {
    reader.error(child(path, "kind"),
                 "VIRTUAL is not a physical memory; kinds are " + physical_memory_names());
    kind.reset();
  }
  auto per_node = reader.read_int(entry, "per_node", path, 1, kMaxPerNode);
  auto capacity = reader.read_sourced(entry, "capacity_bytes", path, kCapacityRange);
  if (!kind || !per_node || !capacity) return std::nullopt;
  return MemorySpec{*kind, *per_node, std::move(*capacity)};
}

std::optional<Affinity> read_affinity(Reader& reader, const Json& entry, const std::string& path) {
  if (!reader.check_object(entry, path, kAffinityFields)) return std::nullopt;
  auto proc = reader.read_kind<ProcKind>(entry, "proc", path, parse_proc_kind, "processor kind",
                                         kind_names(kAllProcKinds));
  auto mem = reader.read_kind<MemKind>(entry, "mem", path, parse_mem_kind, "memory kind",
                                       physical_memory_names());
  auto bandwidth = reader.read_sourced(entry, "bandwidth_Bps", path, kBandwidthRange);
  auto latency = reader.read_sourced(entry, "latency_s", path, kSecondsRange);
  // Optional (absent: as fast as streaming, what older files meant).
  Affinity affinity;
  bool fractions_ok = true;
  for (auto [key, out] : {std::pair{"gather_fraction", &affinity.gather_fraction},
                          std::pair{"atomic_fraction", &affinity.atomic_fraction}}) {
    if (!entry.is_object() || !entry.contains(key)) continue;
    auto fraction = reader.read_sourced(entry, key, path, kFractionRange);
    if (fraction)
      *out = std::move(*fraction);
    else
      fractions_ok = false;
  }
  if (!proc || !mem || !bandwidth || !latency || !fractions_ok) return std::nullopt;
  affinity.proc = *proc;
  affinity.mem = *mem;
  affinity.bandwidth_Bps = std::move(*bandwidth);
  affinity.latency_s = std::move(*latency);
  return affinity;
}

std::optional<Channel> read_channel(Reader& reader, const Json& entry, const std::string& path) {
  if (!reader.check_object(entry, path, kChannelFields)) return std::nullopt;
  auto kind = reader.read_kind<ChannelKind>(entry, "kind", path, parse_channel_kind, "channel kind",
                                            kind_names(kAllChannelKinds));
  auto bandwidth = reader.read_sourced(entry, "bandwidth_Bps", path, kBandwidthRange);
  auto latency = reader.read_sourced(entry, "latency_s", path, kSecondsRange);
  if (!kind || !bandwidth || !latency) return std::nullopt;
  return Channel{*kind, std::move(*bandwidth), std::move(*latency)};
}

/// Reads root[key] as a non-empty array of entries with `read_entry`, appending to `out`.
template <class Spec, class ReadEntry>
void read_list(Reader& reader, const Json& root, std::string_view key, ReadEntry read_entry,
               std::vector<Spec>& out) {
  const Json* array = reader.read_array(root, key, "");
  if (!array) return;
  const std::string path = child("", key);
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::optional<Spec> spec = read_entry(reader, (*array)[i], child(path, i));
    if (spec) out.push_back(std::move(*spec));
  }
}

Machine read_machine(Reader& reader, const Json& root) {
  Machine machine;
  machine.name = reader.read_string(root, "name", "", true).value_or("");
  machine.description = reader.read_string(root, "description", "", false).value_or("");
  machine.nodes = reader.read_int(root, "nodes", "", 1, kMaxNodes).value_or(1);
  if (root.contains("processes_per_host"))
    machine.processes_per_host =
        reader.read_int(root, "processes_per_host", "", 1, kMaxPerNode).value_or(1);
  read_list(reader, root, "processors", read_processor, machine.processors);
  read_list(reader, root, "memories", read_memory, machine.memories);
  read_list(reader, root, "affinities", read_affinity, machine.affinities);
  read_list(reader, root, "channels", read_channel, machine.channels);
  return machine;
}

}  // namespace

LoadResult load_machine(std::string_view json_text, std::string file_name) {
  if (json_text.size() > kMaxMachineFileBytes) {
    return std::vector<LoadError>{{file_name, "", 0, 0,
                                   "file is " + std::to_string(json_text.size()) +
                                       " bytes; machine files are limited to " +
                                       std::to_string(kMaxMachineFileBytes) + " bytes"}};
  }
  if (nests_too_deep(json_text)) {
    return std::vector<LoadError>{
        {file_name, "", 0, 0, "JSON nests deeper than " + std::to_string(kMaxNesting) + " levels"}};
  }
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const Json::parse_error& e) {
    return std::vector<LoadError>{
        syntax_error(file_name, json_text, e.byte, library_message(e.what()))};
  } catch (const Json::exception& e) {
    return std::vector<LoadError>{
        {file_name, "", 0, 0, "invalid JSON: " + library_message(e.what())}};
  }
  Reader reader(file_name);
  if (!reader.check_object(root, "", kMachineFields)) return reader.take_errors();
  Machine machine = read_machine(reader, root);
  if (!reader.has_errors()) detail::validate(machine, reader);
  if (reader.has_errors()) return reader.take_errors();
  return machine;
}

}  // namespace mapforge::machine
