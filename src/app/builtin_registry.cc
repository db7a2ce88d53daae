// The table of built-in apps (APPS.md): name, summary, size parameters and generator. The
// generators live in builtin/; their expert mappers are compiled in from builtin/experts/.
#include <algorithm>

#include "app/app.h"
#include "app/builtin/generators.h"
#include "app/builtin/matmul_common.h"
#include "app/embedded.h"

namespace mapforge::app {
namespace {

using Generator = LoadResult (*)(const MachineFacts&, const Sizes&);

struct BuiltinEntry {
  std::string_view name;
  std::string_view summary;
  std::vector<std::pair<std::string, std::string>> parameters;  // name, default and meaning
  Generator generate;
};

constexpr std::string_view kMatmulN = "20000 x sqrt(nodes): the matrix order (C = A x B)";

const std::vector<BuiltinEntry>& registry() {
  static const std::vector<BuiltinEntry> kApps = {
      {"circuit",
       "electrical circuit simulation (Regent circuit_sparse), one point per piece",
       {{"pieces", "4 x GPUs (CPUs without GPUs): circuit pieces, one launch point each"},
        {"nodes_per_piece", "5000: circuit nodes per piece"},
        {"wires_per_piece", "20000: wires per piece"},
        {"pct_in_piece", "95: percentage of wires inside their piece"},
        {"loops", "50: time-step iterations (timed)"},
        {"steps", "10000: inner RLC solver steps per wire"}},
       generate_circuit},
      {"stencil",
       "PRK 2-D star stencil of radius 2 (Regent stencil_fast), tiled",
       {{"nx", "15000 x tiles in x (+ halo): grid points in x"},
        {"ny", "15000 x tiles in y (+ halo): grid points in y"},
        {"ntx", "a factor of the GPU count: tiles in x"},
        {"nty", "GPUs / ntx: tiles in y"},
        {"steps", "50: time steps (timed)"}},
       generate_stencil},
      {"pennant",
       "Lagrangian hydrodynamics on an unstructured mesh (Regent pennant)",
       {{"pieces", "4 x GPUs (CPUs without GPUs): mesh pieces, one launch point each"},
        {"nzx", "zones in x (scaled with the pieces)"},
        {"nzy", "zones in y (scaled with the pieces)"},
        {"cycles", "50: hydro cycles (timed)"}},
       generate_pennant},
      {"cannon",
       "Cannon's systolic matrix multiplication (DISTAL)",
       {{"n", std::string(kMatmulN)},
        {"gx", "from the node count (the larger side): node grid rows"},
        {"gy", "from the node count: node grid columns"}},
       generate_cannon},
      {"summa",
       "SUMMA broadcast matrix multiplication (DISTAL)",
       {{"n", std::string(kMatmulN)},
        {"gx", "from the node count (the smaller side): node grid rows"},
        {"gy", "from the node count: node grid columns"}},
       generate_summa},
      {"pumma",
       "PUMMA: Cannon's skew between nodes, SUMMA within them (DISTAL)",
       {{"n", std::string(kMatmulN)},
        {"gx", "from the node count (the smaller side): node grid rows"},
        {"gy", "from the node count: node grid columns"}},
       generate_pumma},
      {"johnson",
       "Johnson's 3-D matrix multiplication (DISTAL)",
       {{"n", std::string(kMatmulN)}, {"g", "from the GPU count: the g x g x g grid side"}},
       generate_johnson},
      {"solomonik",
       "Solomonik's 2.5-D matrix multiplication (DISTAL)",
       {{"n", std::string(kMatmulN)},
        {"rpoc", "from the GPU count: the rpoc x rpoc grid side of a layer"},
        {"c", "from the GPU count: replicated layers"}},
       generate_solomonik},
      {"cosma",
       "COSMA-style 3-D matrix multiplication (DISTAL)",
       {{"n", std::string(kMatmulN)},
        {"gx", "from the GPU count (published choices): grid x"},
        {"gy", "from the GPU count: grid y"},
        {"gz", "from the GPU count: grid z"}},
       generate_cosma},
  };
  return kApps;
}

std::vector<std::string> machine_errors(const MachineFacts& machine) {
  std::vector<std::string> errors;
  if (machine.nodes < 1)
    errors.push_back("machine: nodes must be at least 1, got " + std::to_string(machine.nodes));
  if (machine.gpus_per_node < 0)
    errors.push_back("machine: gpus_per_node must not be negative, got " +
                     std::to_string(machine.gpus_per_node));
  if (machine.cpus_per_node < 1)
    errors.push_back("machine: cpus_per_node must be at least 1, got " +
                     std::to_string(machine.cpus_per_node));
  return errors;
}

}  // namespace

std::vector<BuiltinSpec> builtin_apps() {
  std::vector<BuiltinSpec> out;
  for (const BuiltinEntry& e : registry())
    out.push_back({std::string(e.name), std::string(e.summary), e.parameters});
  return out;
}

LoadResult builtin_app(std::string_view name, const MachineFacts& machine,
                       const std::vector<std::pair<std::string, std::int64_t>>& sizes) {
  const auto& apps = registry();
  auto it = std::find_if(apps.begin(), apps.end(), [&](const auto& e) { return e.name == name; });
  LoadResult result;
  if (it == apps.end()) {
    std::string names;
    for (const BuiltinEntry& e : apps) names += (names.empty() ? "" : ", ") + std::string(e.name);
    result.errors.push_back("unknown app \"" + std::string(name) + "\"; apps are " + names);
    return result;
  }
  result.errors = machine_errors(machine);
  if (!result.errors.empty()) return result;
  return it->generate(machine, sizes);
}

std::string_view expert_policy(std::string_view name) {
  for (const EmbeddedFile& file : embedded_experts())
    if (file.name == name) return file.text;
  return {};
}

std::int64_t matmul_default_n(int nodes) {
  return matmul::default_n(MachineFacts{std::max(nodes, 1), 0, 1});
}

}  // namespace mapforge::app
