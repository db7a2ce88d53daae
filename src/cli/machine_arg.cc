// The --machine argument: a machine shape written as key=value pairs.
#include <algorithm>
#include <array>
#include <charconv>

#include "cli/command.h"

namespace mapforge::cli {
namespace {

constexpr int kMaxProcsPerNode = 4096;

struct ProcKey {
  std::string_view key;
  dsl::ProcKind kind;
};
constexpr std::array<ProcKey, 6> kProcKeys = {{{"cpu", dsl::ProcKind::CPU},
                                               {"gpu", dsl::ProcKind::GPU},
                                               {"omp", dsl::ProcKind::OMP},
                                               {"io", dsl::ProcKind::IO},
                                               {"py", dsl::ProcKind::PY},
                                               {"proc", dsl::ProcKind::PROC}}};

}  // namespace

std::optional<dsl::MachineShape> parse_machine(std::string_view spec, std::string& error) {
  std::array<int, dsl::kNumProcKinds> counts{};
  int nodes = 1;
  std::optional<std::vector<dsl::MemKind>> memories;
  if (spec.empty()) {
    error = "--machine: empty; write e.g. nodes=2,cpu=8,gpu=4,omp=0";
    return std::nullopt;
  }
  std::vector<std::string_view> seen;  // keys given so far
  std::size_t start = 0;
  while (start < spec.size()) {
    std::size_t end = spec.find(',', start);
    if (end == std::string_view::npos) end = spec.size();
    std::string_view item = spec.substr(start, end - start);
    start = end + 1;
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      error = "--machine: expected key=value, got '" + std::string(item) + "'";
      return std::nullopt;
    }
    std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      error = "--machine: '" + std::string(key) + "' is given twice";
      return std::nullopt;
    }
    seen.push_back(key);
    if (key == "mem") {
      memories.emplace();
      std::size_t from = 0;
      while (from <= value.size()) {
        std::size_t to = value.find('+', from);
        if (to == std::string_view::npos) to = value.size();
        auto kind = dsl::parse_mem_kind(value.substr(from, to - from));
        if (!kind) {
          error = "--machine: unknown memory kind '" + std::string(value.substr(from, to - from)) +
                  "'; kinds are SYSMEM, FBMEM, ZCMEM, RDMEM, SOCKMEM, VIRTUAL";
          return std::nullopt;
        }
        memories->push_back(*kind);
        from = to + 1;
      }
      continue;
    }
    int number = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || number < 0) {
      error = "--machine: '" + std::string(key) + "' needs an integer from " +
              std::string(key == "nodes" ? "1" : "0") + " to " +
              std::to_string(key == "nodes" ? kMaxNodes : kMaxProcsPerNode) + ", got '" +
              std::string(value) + "'";
      return std::nullopt;
    }
    if (key == "nodes") {
      if (number < 1 || number > kMaxNodes) {
        error = "--machine: nodes must be between 1 and " + std::to_string(kMaxNodes);
        return std::nullopt;
      }
      nodes = number;
      continue;
    }
    bool known = false;
    for (const auto& proc : kProcKeys) {
      if (proc.key != key) continue;
      if (number > kMaxProcsPerNode) {
        error = "--machine: at most " + std::to_string(kMaxProcsPerNode) + " " + std::string(key) +
                " processors per node";
        return std::nullopt;
      }
      counts[static_cast<std::size_t>(proc.kind)] = number;
      known = true;
    }
    if (!known) {
      error = "--machine: unknown key '" + std::string(key) +
              "'; keys are nodes, cpu, gpu, omp, io, py, proc, mem";
      return std::nullopt;
    }
  }
  using dsl::MemKind;
  std::vector<MemKind> mems =
      memories.value_or(std::vector<MemKind>{MemKind::SYSMEM, MemKind::FBMEM, MemKind::ZCMEM});
  auto shape = dsl::MachineShape::standard(nodes, counts[0], counts[1], counts[2], mems);
  shape.procs_per_node = counts;
  return shape;
}

}  // namespace mapforge::cli
