// Checking the simulator against real measurements (issue: simulator fidelity). Reads tables of
// published runs (../shared/fidelity/: the mapper comparison and the stencil tile-grid sweep),
// runs the same policy variants on the simulated machine and scores how well the simulated
// ratios agree with the real ones: direction agreement over the clear effects, the median
// |ln(simulated / real)| and the Spearman rank correlation. Nothing here is fitted to the rows:
// the simulator runs the programs' models as they are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "machine/machine.h"

namespace mapforge::fidelity {

/// One row of a mapper-comparison table (`app,nodes,expert,dsl,default,unit,note`): real
/// throughput per node under the expert C++ mapper, its mapping-language version, and the
/// "runtime heuristics" variant (nullopt: the run failed out of memory).
struct MapperRow {
  int line = 0;
  std::string app;
  int nodes = 1;
  double expert = 0;
  double dsl = 0;
  std::optional<double> by_default;
  std::string unit;
  std::string note;
};

/// One row of a stencil tile-grid sweep (`nodes,gpus,domain_x,domain_y,o_tiles_x,o_tiles_y,
/// c_tiles_x,c_tiles_y,t_o_s,t_c_s,speedup`).
struct StencilRow {
  int line = 0;
  int nodes = 1;
  int gpus = 1;
  std::int64_t domain_x = 0, domain_y = 0;
  std::int64_t o_tiles_x = 1, o_tiles_y = 1;  // the grid chosen by decompose
  std::int64_t c_tiles_x = 1, c_tiles_y = 1;  // the near-square grid
  double t_o_s = 0, t_c_s = 0, speedup = 0;
};

struct Tables {
  std::vector<MapperRow> mapper;
  std::vector<StencilRow> stencil;
  /// Adds the rows of `other` after these.
  void append(const Tables& other) {
    mapper.insert(mapper.end(), other.mapper.begin(), other.mapper.end());
    stencil.insert(stencil.end(), other.stencil.begin(), other.stencil.end());
  }
};

/// Reads a table in either format (told apart by its header line). Errors say
/// "FILE:LINE: ..." and the table is rejected whole.
struct ReadResult {
  Tables tables;
  std::vector<std::string> errors;
};
ReadResult read_table(std::string_view csv_text, const std::string& file_name);

/// The published tables shipped with mapforge (a copy of ../shared/fidelity/).
Tables builtin_tables();

/// The "runtime heuristics" variant of a policy: every IndexTaskMap and SingleTaskMap removed
/// (except for the tasks in `kept`: a statement naming one keeps it), and with `drop_zero_copy`
/// every Region statement that lists ZCMEM, so that everything lands in the framebuffer.
std::string default_variant(std::string_view policy_text, bool drop_zero_copy,
                            const std::vector<std::string>& kept = {"init_cublas"});

/// How the published runs were configured, where it changes what a policy means. The DISTAL
/// matrix multiplications ran under the reference mapper (DSLMapper's `reproduce` branch), which
/// honours InstanceLimit only with `-tm:enable_backpressure`; the driver
/// (scripts/benchmark_lassen.py, DMMBench.backpressureArgs) passes it, with
/// `-tm:backpressure_max_in_flight 1 -ll:defalloc 0`, at 8, 32 and 128 nodes only, "to avoid a
/// deadlock around deferred allocations".
///
/// Johnson ran four ranks per node, one GPU each (JohnsonGPUBench: `jsrun -a 4`, `-ll:gpu 1
/// -ll:cpu 1 -ll:csize 37500`), so its rows run on rank_machine. The driver's mapping files
/// without placement (build/*-cuda/mappings_try) keep `IndexTaskMap task_4 autoblock` for
/// johnson and cosma: those rows keep it in the default variant too.
struct PublishedRun {
  bool instance_limits = true;  // false: the run ignored the policy's InstanceLimit statements
  int ranks_per_node = 1;       // processes per node, each with its share of the node
  std::vector<std::string> kept_maps = {"init_cublas"};  // tasks the default variant still maps
};
PublishedRun published_run(std::string_view app, int nodes);

/// `base` on `nodes` nodes run as `ranks` processes per node: each rank is a node of the
/// result with one GPU (a node's GPUs divided among its ranks), one CPU core and no OpenMP
/// processor (the runs' -ll:gpu 1 -ll:cpu 1), a share of the host memory (-ll:csize 37500:
/// 37.5 GB), and the network adapter rails shared: on a node of two rails (Lassen's dual-rail
/// EDR) two ranks drive each, so each rank's adapter has half a rail. Ranks of one node share
/// the host (Machine::processes_per_host): copies between their GPUs take the peer links (Realm
/// copies between processes of one node through CUDA IPC), not the network.
machine::Machine rank_machine(const machine::Machine& base, int nodes, int ranks);
/// The policy as the published run applied it (statements it ignored removed).
std::string as_run(std::string_view policy_text, const PublishedRun& run);

/// The stencil sweep compares two mappers, not only two tile grids: rows whose grids are the
/// same (2000 x 2000 on 4 nodes, 4 x 4 both) still differ by 1.34x. The decompose grid is placed
/// by `decompose` as the mapping-language paper's stencil mapper does: the nodes split by the
/// tile grid's shape, a 2-D block of tiles per node, each node's GPUs split by its block. The
/// near-square grid is placed blind to the shape, tile after tile over the GPUs (the expert's
/// linear block). This returns the stencil expert with its index placement replaced by the
/// former for an ntx x nty tile grid.
std::string stencil_decompose_policy(std::string_view stencil_expert, std::int64_t ntx,
                                     std::int64_t nty);

/// One simulated comparison against one real ratio.
struct Comparison {
  std::string table;  // "mapper" or "stencil"
  int line = 0;
  std::string app;
  int nodes = 1;
  std::string what;                 // e.g. "default/expert", "o/c 1x4 vs 2x2 on 707x1415"
  std::optional<double> real;       // nullopt: the real run failed (out of memory)
  std::optional<double> simulated;  // nullopt: the simulated run failed
  std::string sim_error;            // the simulated run's first error line, when it failed
  bool clear = false;               // |ln(real)| > 0.1, or the real run failed
  bool agrees = false;              // meaningful when clear
};

/// The expert mapper's simulated throughput per node against the real figure.
struct Throughput {
  int line = 0;
  std::string app;
  int nodes = 1;
  std::string unit;
  double real = 0;
  std::optional<double> simulated;  // same unit as `real`
};

struct Summary {
  int clear = 0;
  int agree = 0;
  double median_abs_log_error = 0;  // over comparisons where both ran
  int compared = 0;                 // how many that is
  std::optional<double> spearman;   // over comparisons where both ran (nullopt: fewer than 3)
};

struct Report {
  std::vector<Comparison> comparisons;
  std::vector<Throughput> throughput;
  Summary mapper;   // default vs expert, rows at `max_nodes` nodes or fewer
  Summary stencil;  // decompose grid vs near-square grid
  int max_nodes = 16;
};

struct Options {
  std::string machine = "lassen";  // a built-in machine profile
  int max_nodes = 16;              // rows above this are reported but not summarised
  int min_nodes = 1;
  std::vector<std::string> apps;  // empty: every app of the tables
};

/// Runs every comparison of the tables on the simulated machine. Errors (an app or machine
/// the tables name that mapforge does not have) are returned, not thrown.
struct RunResult {
  Report report;
  std::vector<std::string> errors;
};
RunResult run(const Tables& tables, const Options& options);

/// Statistics used by the report (exposed for tests).
double median(std::vector<double> values);
std::optional<double> spearman(const std::vector<double>& a, const std::vector<double>& b);
/// The direction rule: a clear real effect agrees when the simulated ratio lies on its side of
/// 1; a real failure agrees when the simulation also fails or is at least 10% slower.
bool agrees(std::optional<double> real, std::optional<double> simulated);

/// Text and JSON renderings of a report.
std::string render_text(const Report& report);
std::string render_json(const Report& report);

}  // namespace mapforge::fidelity
