// The public interface of the mapping language: check, format and interpret `.map` policy files.
//
// This is the only header other modules include. `Policy` is a parsed and statically checked
// program, independent of any machine; `Mapper` binds a policy to a machine shape and answers the
// mapping questions that the simulator and the Legion plugin ask, through one narrow API.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace mapforge::dsl {

// ---------------------------------------------------------------------------------------------
// Kinds
enum class ProcKind : std::uint8_t { CPU, GPU, OMP, IO, PY, PROC };
enum class MemKind : std::uint8_t { SYSMEM, FBMEM, ZCMEM, RDMEM, SOCKMEM, VIRTUAL };
inline constexpr int kNumProcKinds = 6;
inline constexpr int kNumMemKinds = 6;
inline constexpr std::array<ProcKind, kNumProcKinds> kAllProcKinds = {
    ProcKind::CPU, ProcKind::GPU, ProcKind::OMP, ProcKind::IO, ProcKind::PY, ProcKind::PROC};
inline constexpr std::array<MemKind, kNumMemKinds> kAllMemKinds = {
    MemKind::SYSMEM, MemKind::FBMEM,   MemKind::ZCMEM,
    MemKind::RDMEM,  MemKind::SOCKMEM, MemKind::VIRTUAL};

std::string_view to_string(ProcKind kind);
std::string_view to_string(MemKind kind);
std::optional<ProcKind> parse_proc_kind(std::string_view word);
std::optional<MemKind> parse_mem_kind(std::string_view word);

// ---------------------------------------------------------------------------------------------
// Diagnostics
enum class Severity { Error, Warning };

/// A 1-based position in a named source. Columns count bytes.
struct Location {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
};

/// One located message. `render()` gives `file:line:col: error: message`, the source line, a
/// caret under the column and, when there is one, a `hint:` line.
struct Diagnostic {
  Severity severity = Severity::Error;
  Location loc;
  std::string message;
  std::string hint;
  std::string snippet;    // the source line, made printable and cut to a window around col
  std::size_t caret = 0;  // display column of the caret within snippet (0-based)
  std::string render() const;
};

std::string render_all(const std::vector<Diagnostic>& diagnostics);
bool has_errors(const std::vector<Diagnostic>& diagnostics);

/// A value or the diagnostics that explain why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Diagnostic error) : state_(std::vector<Diagnostic>{std::move(error)}) {}  // NOLINT
  Result(std::vector<Diagnostic> errors) : state_(std::move(errors)) {}            // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::vector<Diagnostic>& errors() const { return std::get<1>(state_); }
  const Diagnostic& error() const { return errors().front(); }

 private:
  std::variant<T, std::vector<Diagnostic>> state_;
};

// ---------------------------------------------------------------------------------------------
// Static checking and formatting

/// What is known of the application: its task names and region (argument) names. Statements
/// that name a task (region) not in a known list draw a warning; an unknown list checks nothing.
struct AppNames {
  std::optional<std::vector<std::string>> tasks;
  std::optional<std::vector<std::string>> regions;
};

struct CheckOptions {
  AppNames app;
};

/// Largest policy file accepted, and deepest expression nesting (documented in DSL notes).
inline constexpr std::size_t kMaxSourceBytes = 4u << 20;
inline constexpr int kMaxNestingDepth = 256;

/// Every diagnostic (errors and warnings, in source order) for one file.
std::vector<Diagnostic> check(std::string file, std::string_view text,
                              const CheckOptions& options = {});

/// The canonical layout of a syntactically valid file (comments kept); syntax errors otherwise.
Result<std::string> format(std::string file, std::string_view text);

// ---------------------------------------------------------------------------------------------
// Interpretation

struct Program;  // parsed, resolved and checked AST (internal)

/// A parsed and checked policy; cheap to copy (shares the program).
class Policy {
 public:
  /// Parses and checks; fails with every error found. Warnings stay available on success.
  static Result<Policy> load(std::string file, std::string_view text,
                             const CheckOptions& options = {});
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  const Program& program() const { return *program_; }

 private:
  friend class Mapper;
  std::shared_ptr<const Program> program_;
  std::vector<Diagnostic> warnings_;
};

/// The shape of a machine as the language sees it: nodes, processors of each kind per node, and
/// which memory kinds each processor kind has affinity to.
struct MachineShape {
  int nodes = 1;
  std::array<int, kNumProcKinds> procs_per_node{};
  std::array<std::vector<MemKind>, kNumProcKinds> visible_memories{};

  /// A Legion-like node: CPUs and OMPs see SYSMEM, SOCKMEM, ZCMEM and RDMEM, GPUs their FBMEM
  /// and ZCMEM; only kinds listed in `memories` exist.
  static MachineShape standard(int nodes, int cpus, int gpus, int omps,
                               std::vector<MemKind> memories = {MemKind::SYSMEM, MemKind::FBMEM,
                                                                MemKind::ZCMEM});
  int count(ProcKind kind) const { return procs_per_node[static_cast<int>(kind)]; }
  bool sees(ProcKind proc, MemKind mem) const;
};

/// One processor: node, index among the processors of its kind on that node.
struct ProcessorId {
  int node = 0;
  int index = 0;
  ProcKind kind = ProcKind::CPU;
  friend bool operator==(const ProcessorId&, const ProcessorId&) = default;
};

/// Where a task runs: one processor, or a set of processors on one node.
struct Placement {
  std::vector<ProcessorId> processors;
  bool is_set = false;
};

/// A region argument of a task: its name at the call site and/or its 0-based position.
struct RegionArg {
  std::string_view name;
  int index = -1;
};

struct LayoutConstraint {
  // NoAlign (`No_Align`): no alignment constraint, as the paper's published mappers write it.
  enum class Kind { SOA, AOS, C_order, F_order, Compact, Exact, Align, NoAlign };
  enum class Cmp { EQ, NE, LT, LE, GT, GE };
  Kind kind = Kind::SOA;
  Cmp cmp = Cmp::EQ;         // Align only
  std::int64_t bytes = 0;    // Align only
  std::string word() const;  // "SOA", "Align==128", ...
  friend bool operator==(const LayoutConstraint&, const LayoutConstraint&) = default;
};

/// A launch point being mapped: the point, its launch domain's extents.
struct IndexPoint {
  std::span<const std::int64_t> point;
  std::span<const std::int64_t> ispace;
};

/// A value computed by `Mapper::eval`, in a form other modules can read.
struct EvalValue {
  enum class Kind { Int, Bool, Tuple, Machine, Processors, Task, ProcKindValue, MemKindValue };
  Kind kind = Kind::Int;
  std::int64_t integer = 0;
  bool boolean = false;
  std::vector<std::int64_t> tuple;      // Tuple, and the sizes of a Machine
  std::vector<ProcessorId> processors;  // Processors
  bool is_set = false;                  // Processors named with '*' (even if just one)
  std::string text;                     // canonical rendering, e.g. "(2, 1, 2)"
};

using PrintSink = std::function<void(std::string_view line)>;

class MapperState;  // internal

/// A policy bound to a machine: evaluates the global statements once, then answers mapping
/// questions. Placement answers are cached per (task, kind, point, launch domain). Not safe for
/// concurrent use: give each thread (each Legion mapper instance) its own Mapper.
class Mapper {
 public:
  static Result<Mapper> create(const Policy& policy, const MachineShape& machine,
                               PrintSink print = {});
  Mapper(Mapper&&) noexcept;
  Mapper& operator=(Mapper&&) noexcept;
  ~Mapper();

  const MachineShape& machine() const;

  /// The processor-kind priority list of a task as the policy states it (empty: policy silent).
  std::vector<ProcKind> task_kinds(std::string_view task) const;
  /// The first kind of the list the task has a variant for and the machine has processors of;
  /// nullopt when the policy is silent or no listed kind qualifies.
  std::optional<ProcKind> select_kind(std::string_view task,
                                      std::span<const ProcKind> variants) const;

  /// The memory-kind priority list for a region argument on a processor kind (empty: silent):
  /// the lists of every matching level joined, most specific first, as the reference does (a
  /// kind listed again is dropped).
  std::vector<MemKind> region_memories(std::string_view task, RegionArg arg, ProcKind kind) const;
  /// The first listed memory kind with affinity to `kind` (VIRTUAL, when listed before any such
  /// kind, ends the search); nullopt when none.
  std::optional<MemKind> select_memory(std::string_view task, RegionArg arg, ProcKind kind) const;
  /// Layout constraints for instances in memory kind `mem`; nullopt when the policy is silent.
  std::optional<std::vector<LayoutConstraint>> layout(std::string_view task, RegionArg arg,
                                                      MemKind mem) const;
  std::optional<std::int64_t> instance_limit(std::string_view task, ProcKind kind) const;
  bool collect_memory(std::string_view task, RegionArg arg) const;
  /// Whether the task is control-replicated; nullopt when the policy has no ControlReplicate.
  std::optional<bool> control_replicate(std::string_view task) const;

  /// Whether a TaskSteal statement lets idle processors of `kind` on the task's node steal it
  /// when it runs on a `kind` processor (the first TaskSteal naming the task, else the `*` one).
  bool task_steal(std::string_view task, ProcKind kind) const;
  /// Whether any TaskSteal statement names `kind`: those processors then look for work to steal.
  bool steals_on(ProcKind kind) const;
  /// Whether the policy has any TaskSteal statement.
  bool has_task_steal() const;

  /// Whether an IndexTaskMap / SingleTaskMap function applies to the task on `kind`.
  bool has_index_map(std::string_view task, ProcKind kind) const;
  bool has_single_map(std::string_view task, ProcKind kind) const;
  /// Where a point of an index launch runs; nullopt when no function applies (runtime default).
  Result<std::optional<Placement>> map_index_point(std::string_view task, ProcKind kind,
                                                   IndexPoint point,
                                                   std::optional<ProcessorId> parent = {}) const;
  /// Where a single task runs given its parent's processor; nullopt when no function applies.
  Result<std::optional<Placement>> map_single_task(std::string_view task, ProcKind kind,
                                                   ProcessorId parent) const;

  /// Evaluates an expression in the policy's global scope.
  Result<EvalValue> eval(std::string_view expression) const;

 private:
  explicit Mapper(std::unique_ptr<MapperState> state);
  std::unique_ptr<MapperState> state_;
};

}  // namespace mapforge::dsl
