// The public interface of the machine model: nodes, processors, memories, affinities and copy
// channels, each number with its source; loading, validating and writing machine JSON files; and
// the built-in profiles.
//
// This is the only header other modules include. A `Machine` is plain data: the simulator reads it
// and the loader guarantees its invariants (see `load_machine`), so a loaded machine never needs
// re-checking.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace mapforge::machine {

// ---------------------------------------------------------------------------------------------
// Kinds. Each list is kept in one table (kinds.cc); the names are the JSON spellings.
enum class ProcKind : std::uint8_t { CPU, GPU, OMP, IO, PY, PROC };
enum class MemKind : std::uint8_t { SYSMEM, FBMEM, ZCMEM, RDMEM, SOCKMEM, VIRTUAL };
/// How a task variant spends its time: dense linear algebra, bandwidth-bound streaming, or
/// irregular (gathers, branches).
enum class KernelClass : std::uint8_t { Dense, Streaming, Irregular };
/// Copy paths between memories.
enum class ChannelKind : std::uint8_t {
  IntraFB,       ///< within one framebuffer
  FBToFB,        ///< GPU to GPU on one node (NVLink or PCIe)
  HostToFB,      ///< pinned/zero-copy host memory to a framebuffer
  FBToHost,      ///< a framebuffer to pinned/zero-copy host memory
  PageableToFB,  ///< SYSMEM to a framebuffer
  FBToPageable,  ///< a framebuffer to SYSMEM
  HostToHost,    ///< between host memories of one node
  Network,       ///< host to host across nodes
};

inline constexpr int kNumProcKinds = 6;
inline constexpr int kNumMemKinds = 6;
inline constexpr int kNumKernelClasses = 3;
inline constexpr int kNumChannelKinds = 8;
inline constexpr std::array<ProcKind, kNumProcKinds> kAllProcKinds = {
    ProcKind::CPU, ProcKind::GPU, ProcKind::OMP, ProcKind::IO, ProcKind::PY, ProcKind::PROC};
inline constexpr std::array<MemKind, kNumMemKinds> kAllMemKinds = {
    MemKind::SYSMEM, MemKind::FBMEM,   MemKind::ZCMEM,
    MemKind::RDMEM,  MemKind::SOCKMEM, MemKind::VIRTUAL};
inline constexpr std::array<KernelClass, kNumKernelClasses> kAllKernelClasses = {
    KernelClass::Dense, KernelClass::Streaming, KernelClass::Irregular};
inline constexpr std::array<ChannelKind, kNumChannelKinds> kAllChannelKinds = {
    ChannelKind::IntraFB,    ChannelKind::FBToFB,       ChannelKind::HostToFB,
    ChannelKind::FBToHost,   ChannelKind::PageableToFB, ChannelKind::FBToPageable,
    ChannelKind::HostToHost, ChannelKind::Network};

std::string_view to_string(ProcKind kind);
std::string_view to_string(MemKind kind);
std::string_view to_string(KernelClass kind);
std::string_view to_string(ChannelKind kind);
/// Exact, case-sensitive spellings as above; nullopt for anything else.
std::optional<ProcKind> parse_proc_kind(std::string_view word);
std::optional<MemKind> parse_mem_kind(std::string_view word);
std::optional<KernelClass> parse_kernel_class(std::string_view word);
std::optional<ChannelKind> parse_channel_kind(std::string_view word);

/// True for the memories that live in host DRAM (SYSMEM, SOCKMEM, ZCMEM, RDMEM).
bool is_host_memory(MemKind kind);
/// Whether a processor of kind `proc` may have an affinity to `mem`: a GPU reaches FBMEM and
/// ZCMEM only; every other kind reaches host memories only.
bool can_access(ProcKind proc, MemKind mem);

// ---------------------------------------------------------------------------------------------
// Model

/// A number and where it comes from: a measurement ("calib/h100-node/gpu.jsonl: copy h2d_pinned
/// 268435456 B: 55.2 GB/s"), a vendor specification, or an estimate that says so.
struct Sourced {
  double value = 0;
  std::string source;
  bool operator==(const Sourced&) const = default;
};

/// One kind of processor on every node.
struct ProcessorSpec {
  ProcKind kind = ProcKind::CPU;
  int per_node = 0;           ///< >= 1
  Sourced launch_overhead_s;  ///< seconds added to every task, in [0, 1]
  /// Sustained flop/s of one processor per kernel class, indexed by KernelClass.
  std::array<Sourced, kNumKernelClasses> throughput_flops;
  /// AOS penalty weight w in [0, 1]: see aos_penalty.
  Sourced aos_weight;
  /// Multiplier on data time when iterating against the storage order, in [1, 1000].
  Sourced strided_factor;

  const Sourced& throughput(KernelClass kernel) const {
    return throughput_flops[static_cast<std::size_t>(kernel)];
  }
  /// Data-time multiplier for reading `fields_read` of the `fields_total` fields of an AOS
  /// instance: 1 + w (F/k - 1). w = 1 is the pure traffic ratio F/k; SOA instances cost 1.
  /// Requires 1 <= fields_read <= fields_total.
  double aos_penalty(int fields_read, int fields_total) const;
  bool operator==(const ProcessorSpec&) const = default;
};

/// One kind of memory on every node: per_node instances of capacity_bytes each.
struct MemorySpec {
  MemKind kind = MemKind::SYSMEM;
  int per_node = 0;        ///< 1 for SYSMEM/ZCMEM/RDMEM, one per socket (SOCKMEM) or GPU (FBMEM)
  Sourced capacity_bytes;  ///< a whole number in (0, 1e15]
  bool operator==(const MemorySpec&) const = default;
};

/// The source of an absent `gather_fraction` / `atomic_fraction`: irregular access as fast as
/// streaming (what files written before these keys existed meant).
inline constexpr std::string_view kStreamingFractionSource =
    "default: not measured, taken as fast as streaming";

/// A processor kind can read and write a memory kind directly at this bandwidth and latency.
struct Affinity {
  ProcKind proc = ProcKind::CPU;
  MemKind mem = MemKind::SYSMEM;
  Sourced bandwidth_Bps;  ///< bytes/s of one processor, streaming, in (0, 1e15]
  Sourced latency_s;      ///< seconds, in [0, 1]
  /// Useful bytes/s of random element-sized gathers over streaming bytes/s, in (0, 1].
  Sourced gather_fraction{1.0, std::string(kStreamingFractionSource)};
  /// Useful bytes/s of random element-sized atomic updates (read-modify-write) over streaming
  /// bytes/s, in (0, 1].
  Sourced atomic_fraction{1.0, std::string(kStreamingFractionSource)};
  bool operator==(const Affinity&) const = default;
};

/// A copy path; concurrent copies on one channel share its bandwidth.
struct Channel {
  ChannelKind kind = ChannelKind::HostToHost;
  Sourced bandwidth_Bps;  ///< bytes/s, counting each copied byte once, in (0, 1e15]
  Sourced latency_s;      ///< seconds per copy, in [0, 1]
  bool operator==(const Channel&) const = default;
};

/// `nodes` identical nodes. Vectors keep file order; each kind appears at most once.
struct Machine {
  std::string name;
  std::string description;
  int nodes = 1;
  /// Nodes (processes: Legion address spaces) that share one physical host, consecutive by
  /// index; nodes must be a multiple of it. Copies between processes of one host take the host's
  /// own paths (GPU peer links through CUDA IPC, shared host memory), not the network.
  int processes_per_host = 1;
  std::vector<ProcessorSpec> processors;
  std::vector<MemorySpec> memories;
  std::vector<Affinity> affinities;
  std::vector<Channel> channels;

  /// 0 when the machine has no processor of that kind.
  int processors_per_node(ProcKind kind) const;
  int total_processors(ProcKind kind) const { return nodes * processors_per_node(kind); }
  /// 0 when the machine has no memory of that kind.
  int memories_per_node(MemKind kind) const;
  int total_memories(MemKind kind) const { return nodes * memories_per_node(kind); }
  /// nullptr when absent.
  const ProcessorSpec* processor(ProcKind kind) const;
  const MemorySpec* memory(MemKind kind) const;
  const Affinity* affinity(ProcKind proc, MemKind mem) const;
  const Channel* channel(ChannelKind kind) const;
  bool operator==(const Machine&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Loading and writing

/// Machine files larger than this are rejected before parsing.
inline constexpr std::size_t kMaxMachineFileBytes = 1 << 20;
/// A load stops collecting errors after this many.
inline constexpr std::size_t kMaxLoadErrors = 50;
/// Plausibility limits: larger values are rejected as absurd.
inline constexpr int kMaxNodes = 1'000'000;
inline constexpr int kMaxPerNode = 4096;

/// One problem with a machine file. `path` is the JSON pointer of the offending field ("" for the
/// whole document); `line`/`col` (1-based, columns count bytes) are set for JSON syntax errors.
struct LoadError {
  std::string file;
  std::string path;
  int line = 0;
  int col = 0;
  std::string message;
  /// `file:line:col: message`, `file: /path: message` or `file: message`.
  std::string render() const;
  bool operator==(const LoadError&) const = default;
};

/// render() of each error, one per line.
std::string render_all(const std::vector<LoadError>& errors);

/// A machine or the errors that explain why there is none (never an empty list).
class [[nodiscard]] LoadResult {
 public:
  LoadResult(Machine machine) : state_(std::move(machine)) {}               // NOLINT: implicit
  LoadResult(std::vector<LoadError> errors) : state_(std::move(errors)) {}  // NOLINT: implicit
  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  Machine& value() { return std::get<0>(state_); }
  const Machine& value() const { return std::get<0>(state_); }
  const Machine* operator->() const { return &value(); }
  const std::vector<LoadError>& errors() const { return std::get<1>(state_); }

 private:
  std::variant<Machine, std::vector<LoadError>> state_;
};

/// Parses and validates a machine file (schema in src/machine/README.md). `file_name` only
/// labels the errors. Never throws, crashes or hangs, whatever the input.
LoadResult load_machine(std::string_view json_text, std::string file_name);

/// Pretty JSON in the schema load_machine reads; load_machine(to_json(m)) == m for any machine
/// that loads.
std::string to_json(const Machine& machine);

/// The built-in profiles in a fixed order: p100-node, lassen, h100-node.
std::vector<std::string> builtin_names();

/// A built-in profile. `nodes` = 0 keeps the profile's node count (1 for all three); any other
/// value from 1 to kMaxNodes overrides it, and inter-node copies then use the profile's Network
/// channel. Unknown names and out-of-range node counts are errors.
LoadResult builtin_machine(std::string_view name, int nodes = 0);

}  // namespace mapforge::machine
