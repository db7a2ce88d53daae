// to_json: a Machine as pretty JSON in the schema load_machine reads, fields in schema order.
#include <cmath>

#include <nlohmann/json.hpp>

#include "machine/machine.h"

namespace mapforge::machine {
namespace {

using Ordered = nlohmann::ordered_json;

/// Whole values within the exactly-representable range are written as integers (capacities
/// read better as 85017493504 than 85017493504.0); others in the shortest form that reads back
/// to the same double.
Ordered number(double value) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < kExactIntegers) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

Ordered sourced(const Sourced& s) {
  Ordered j;
  j["value"] = number(s.value);
  j["source"] = s.source;
  return j;
}

Ordered processor_json(const ProcessorSpec& p) {
  Ordered j;
  j["kind"] = to_string(p.kind);
  j["per_node"] = p.per_node;
  j["launch_overhead_s"] = sourced(p.launch_overhead_s);
  Ordered throughput = Ordered::object();
  for (KernelClass kc : kAllKernelClasses)
    throughput[std::string(to_string(kc))] = sourced(p.throughput(kc));
  j["throughput_flops"] = throughput;
  j["aos_weight"] = sourced(p.aos_weight);
  j["strided_factor"] = sourced(p.strided_factor);
  return j;
}

Ordered memory_json(const MemorySpec& m) {
  Ordered j;
  j["kind"] = to_string(m.kind);
  j["per_node"] = m.per_node;
  j["capacity_bytes"] = sourced(m.capacity_bytes);
  return j;
}

Ordered affinity_json(const Affinity& a) {
  Ordered j;
  j["proc"] = to_string(a.proc);
  j["mem"] = to_string(a.mem);
  j["bandwidth_Bps"] = sourced(a.bandwidth_Bps);
  j["latency_s"] = sourced(a.latency_s);
  // Written only when given, so files without them stay as they were.
  const Sourced streaming{1.0, std::string(kStreamingFractionSource)};
  if (a.gather_fraction != streaming) j["gather_fraction"] = sourced(a.gather_fraction);
  if (a.atomic_fraction != streaming) j["atomic_fraction"] = sourced(a.atomic_fraction);
  return j;
}

Ordered channel_json(const Channel& c) {
  Ordered j;
  j["kind"] = to_string(c.kind);
  j["bandwidth_Bps"] = sourced(c.bandwidth_Bps);
  j["latency_s"] = sourced(c.latency_s);
  return j;
}

template <class Spec, class ToJson>
Ordered array_of(const std::vector<Spec>& specs, ToJson to_json_one) {
  Ordered array = Ordered::array();
  for (const Spec& spec : specs) array.push_back(to_json_one(spec));
  return array;
}

}  // namespace

std::string to_json(const Machine& machine) {
  Ordered j;
  j["name"] = machine.name;
  j["description"] = machine.description;
  j["nodes"] = machine.nodes;
  if (machine.processes_per_host != 1) j["processes_per_host"] = machine.processes_per_host;
  j["processors"] = array_of(machine.processors, processor_json);
  j["memories"] = array_of(machine.memories, memory_json);
  j["affinities"] = array_of(machine.affinities, affinity_json);
  j["channels"] = array_of(machine.channels, channel_json);
  return j.dump(2, ' ', false, Ordered::error_handler_t::replace) + "\n";
}

}  // namespace mapforge::machine
