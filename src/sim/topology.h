// The machine's processors, memories and copy paths, numbered: which memory a processor sees,
// and the stages a copy between two memories goes through.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "machine/machine.h"

namespace mapforge::sim {

struct Proc {
  machine::ProcKind kind;
  int node = 0;
  int index = 0;  // among the processors of its kind on its node
  const machine::ProcessorSpec* spec = nullptr;
};

struct Mem {
  machine::MemKind kind;
  int node = 0;
  int index = 0;  // among the memories of its kind on its node (the GPU's index for FBMEM)
  double capacity = 0;
};

/// One stage of a copy: a channel instance (a link that copies share) and its parameters.
struct Stage {
  int resource = 0;
  machine::ChannelKind kind;
  double bandwidth = 1;
  double latency = 0;
  /// The far end of the previous stage's channel (a GPU's links from its peers after the
  /// source's links to them, the destination's adapter after the source's): the same copy on
  /// the same channel, so its per-copy time and its bytes count once, on the first end.
  bool far_end = false;
};

class Topology {
 public:
  explicit Topology(const machine::Machine& machine);

  const machine::Machine& machine() const { return machine_; }
  const std::vector<Proc>& procs() const { return procs_; }
  const std::vector<Mem>& mems() const { return mems_; }
  /// Global id of (kind, node, index); -1 when there is no such processor.
  int proc_id(machine::ProcKind kind, int node, int index) const;
  /// The memory of `kind` that processor `proc` would use: its own framebuffer, its socket's
  /// SOCKMEM, else its node's memory of that kind; -1 when the node has none.
  int memory_for(int proc, machine::MemKind kind) const;
  /// The processor's bandwidth to a memory, or nullptr when it cannot access it directly.
  const machine::Affinity* affinity(int proc, int mem) const;
  /// The stages of a copy from `src` to `dst` (empty for the same memory); `missing` names a
  /// channel kind the machine lacks when there is no path. The stages of one copy run at once
  /// (pipelined), each link shared by the copies on it.
  std::vector<Stage> route(int src, int dst, std::string& missing) const;
  int num_resources() const { return num_resources_; }
  /// Legion-style ids for messages: 1d00000000000003, 1e00000000000005.
  std::string proc_name(int proc) const;
  std::string mem_name(int mem) const;
  /// "FBMEM of GPU 2 on node 0", "SYSMEM on node 1".
  std::string describe_mem(int mem) const;
  std::string describe_proc(int proc) const;

 private:
  bool add_stage(std::vector<Stage>& stages, machine::ChannelKind kind, int resource,
                 std::string& missing) const;
  enum class GpuLink { ToDevice = 0, FromDevice = 1, ToPeers = 2, FromPeers = 3 };
  int gpu_link(int node, int gpu, GpuLink link) const;

  const machine::Machine& machine_;
  std::vector<Proc> procs_;
  std::vector<Mem> mems_;
  std::vector<int> proc_base_;                // per kind: first id, procs numbered node-major
  std::vector<std::vector<int>> mem_lookup_;  // [node * kinds + kind] -> memory ids
  int num_resources_ = 0;
  int gpus_per_node_ = 0;
  int sockets_ = 1;
};

}  // namespace mapforge::sim
