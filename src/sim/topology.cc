#include "sim/topology.h"

#include <cstdio>

namespace mapforge::sim {
namespace {

using machine::ChannelKind;
using machine::MemKind;
using machine::ProcKind;

constexpr int kKinds = machine::kNumMemKinds;

bool pinned(MemKind kind) { return kind == MemKind::ZCMEM || kind == MemKind::RDMEM; }

}  // namespace

// Channel resources (the links copies share): per GPU its host-to-device and device-to-host
// links (PCIe or the NVLink bricks to the CPU) and its links to peer GPUs, one way each; per
// node its host memory path and its network adapter, one resource each way (a rank's adapter
// sends and receives at the link rate at once).
namespace {
constexpr int kPerGpu = 4;   // to device, from device, to peers, from peers
constexpr int kPerNode = 3;  // host path, network out, network in
}  // namespace

Topology::Topology(const machine::Machine& machine) : machine_(machine) {
  gpus_per_node_ = machine.processors_per_node(ProcKind::GPU);
  sockets_ = std::max(1, machine.memories_per_node(MemKind::SOCKMEM));
  for (ProcKind kind : machine::kAllProcKinds) {
    proc_base_.push_back(static_cast<int>(procs_.size()));
    const machine::ProcessorSpec* spec = machine.processor(kind);
    if (!spec) continue;
    for (int node = 0; node < machine.nodes; ++node)
      for (int i = 0; i < spec->per_node; ++i) procs_.push_back(Proc{kind, node, i, spec});
  }
  mem_lookup_.assign(static_cast<std::size_t>(machine.nodes) * kKinds, {});
  for (int node = 0; node < machine.nodes; ++node) {
    for (const auto& spec : machine.memories) {
      for (int i = 0; i < spec.per_node; ++i) {
        mem_lookup_[static_cast<std::size_t>(node * kKinds + static_cast<int>(spec.kind))]
            .push_back(static_cast<int>(mems_.size()));
        mems_.push_back(Mem{spec.kind, node, i, spec.capacity_bytes.value});
      }
    }
  }
  num_resources_ = machine.nodes * (kPerGpu * gpus_per_node_ + kPerNode);
}

int Topology::proc_id(ProcKind kind, int node, int index) const {
  int per_node = machine_.processors_per_node(kind);
  if (node < 0 || node >= machine_.nodes || index < 0 || index >= per_node) return -1;
  return proc_base_[static_cast<std::size_t>(kind)] + node * per_node + index;
}

int Topology::memory_for(int proc, MemKind kind) const {
  const Proc& p = procs_[static_cast<std::size_t>(proc)];
  const auto& list =
      mem_lookup_[static_cast<std::size_t>(p.node * kKinds + static_cast<int>(kind))];
  if (list.empty()) return -1;
  if (kind == MemKind::FBMEM) {
    if (p.kind != ProcKind::GPU) return list.front();  // not visible; the caller checks affinity
    return p.index < static_cast<int>(list.size()) ? list[static_cast<std::size_t>(p.index)] : -1;
  }
  if (kind == MemKind::SOCKMEM) {
    int per_node = std::max(1, machine_.processors_per_node(p.kind));
    std::size_t socket =
        static_cast<std::size_t>(p.index * static_cast<int>(list.size()) / per_node);
    return list[std::min(socket, list.size() - 1)];
  }
  return list.front();
}

const machine::Affinity* Topology::affinity(int proc, int mem) const {
  const Proc& p = procs_[static_cast<std::size_t>(proc)];
  const Mem& m = mems_[static_cast<std::size_t>(mem)];
  if (p.node != m.node) return nullptr;
  if (m.kind == MemKind::FBMEM && (p.kind != ProcKind::GPU || p.index != m.index)) return nullptr;
  return machine_.affinity(p.kind, m.kind);
}

int Topology::gpu_link(int node, int gpu, GpuLink link) const {
  return node * (kPerGpu * gpus_per_node_ + kPerNode) + gpu * kPerGpu + static_cast<int>(link);
}

bool Topology::add_stage(std::vector<Stage>& stages, ChannelKind kind, int resource,
                         std::string& missing) const {
  const machine::Channel* channel = machine_.channel(kind);
  if (!channel) {
    missing = std::string(machine::to_string(kind));
    return false;
  }
  stages.push_back(Stage{resource, kind, channel->bandwidth_Bps.value, channel->latency_s.value});
  return true;
}

std::vector<Stage> Topology::route(int src, int dst, std::string& missing) const {
  std::vector<Stage> stages;
  if (src == dst) return stages;
  const Mem& s = mems_[static_cast<std::size_t>(src)];
  const Mem& d = mems_[static_cast<std::size_t>(dst)];
  auto node_resource = [&](int node, int which) {
    return node * (kPerGpu * gpus_per_node_ + kPerNode) + kPerGpu * gpus_per_node_ + which;
  };
  const bool s_fb = s.kind == MemKind::FBMEM, d_fb = d.kind == MemKind::FBMEM;
  bool ok = true;
  const int per_host = std::max(1, machine_.processes_per_host);
  if (s.node / per_host == d.node / per_host) {  // one host: its own paths
    if (s_fb && d_fb) {
      // Peer to peer: out of the source GPU's links to its peers, into the destination's.
      ok = add_stage(stages, ChannelKind::FBToFB, gpu_link(s.node, s.index, GpuLink::ToPeers),
                     missing) &&
           add_stage(stages, ChannelKind::FBToFB, gpu_link(d.node, d.index, GpuLink::FromPeers),
                     missing);
      if (ok) stages.back().far_end = true;
    } else if (s_fb) {
      ok = add_stage(stages, pinned(d.kind) ? ChannelKind::FBToHost : ChannelKind::FBToPageable,
                     gpu_link(s.node, s.index, GpuLink::FromDevice), missing);
    } else if (d_fb) {
      ok = add_stage(stages, pinned(s.kind) ? ChannelKind::HostToFB : ChannelKind::PageableToFB,
                     gpu_link(d.node, d.index, GpuLink::ToDevice), missing);
    } else {
      ok = add_stage(stages, ChannelKind::HostToHost, node_resource(s.node, 0), missing);
    }
    if (!ok) stages.clear();
    return stages;
  }
  // Across nodes: a framebuffer is staged through pinned host memory on its side; the bytes
  // leave through the source node's adapter and enter through the destination's. Realm
  // pipelines the stages (intermediate buffers), so they run at once, at the slowest's rate.
  if (s_fb)
    ok = add_stage(stages, ChannelKind::FBToHost, gpu_link(s.node, s.index, GpuLink::FromDevice),
                   missing);
  ok = ok && add_stage(stages, ChannelKind::Network, node_resource(s.node, 1), missing);
  ok = ok && add_stage(stages, ChannelKind::Network, node_resource(d.node, 2), missing);
  if (ok) stages.back().far_end = true;
  if (ok && d_fb)
    ok = add_stage(stages, ChannelKind::HostToFB, gpu_link(d.node, d.index, GpuLink::ToDevice),
                   missing);
  if (!ok) stages.clear();
  return stages;
}

std::string Topology::proc_name(int proc) const {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "1d%014x", static_cast<unsigned>(proc));
  return buffer;
}

std::string Topology::mem_name(int mem) const {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "1e%014x", static_cast<unsigned>(mem));
  return buffer;
}

std::string Topology::describe_mem(int mem) const {
  const Mem& m = mems_[static_cast<std::size_t>(mem)];
  std::string out(machine::to_string(m.kind));
  if (m.kind == MemKind::FBMEM) out += " of GPU " + std::to_string(m.index);
  if (m.kind == MemKind::SOCKMEM) out += " of socket " + std::to_string(m.index);
  return out + " on node " + std::to_string(m.node);
}

std::string Topology::describe_proc(int proc) const {
  const Proc& p = procs_[static_cast<std::size_t>(proc)];
  return std::string(machine::to_string(p.kind)) + " " + std::to_string(p.index) + " on node " +
         std::to_string(p.node);
}

}  // namespace mapforge::sim
