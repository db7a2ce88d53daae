// circuit: the Regent circuit simulation (StanfordLegion/legion
// language/examples/circuit_sparse.rg) as an application model. Names, privileges and launch order
// follow the real program.
//
// Data (all fields float = 4 bytes unless noted):
//   all_nodes: node_cap, leakage, charge, node_voltage. Blocks: the shared nodes of each piece
//     (snpp = ceil(nodes_per_piece * 1%), the real pct_shared_nodes default), then the private
//     nodes of each piece. rp_shared[i] / rp_private[i] are piece i's blocks (disjoint);
//     rp_ghost[i] (aliased) is the image of piece i's ghost range: the shared blocks from the
//     lowest to the highest neighbour its wires may reach. The real init_wires picks
//     min(5, pieces-1) neighbours within a window of 3 pieces on each side; the model takes the
//     whole candidate span (the expected case at 1000 off-piece wires), so like the real image of
//     a rectangle it also covers piece i's own shared block when i lies inside the span.
//   all_wires: in_ptr, out_ptr (8-byte pointers; Regent's region tag of a multi-region pointer
//     is not counted), inductance, resistance, wire_cap, current._0.._9, voltage._0.._8.
//   all_times: init_start, init_stop, start, stop (int64); ghost_ranges: rect (rect1d, 16 bytes).
//
// Costs per loop iteration (P pieces, W wires and N nodes per piece, S = steps):
//   calculate_new_currents: per wire and inner step, 10 currents x 6 flops
//     (I = ((v[i+1]-v[i]) - L*(I-I_old)/dt) / R) and 9 voltages x 4 flops
//     (v = v_old + dt*(I[i]-I[i+1])/C): 96 flops, the count print_summary uses, plus 2
//     reciprocals per wire: W*(96*S + 2) flops per piece. Reads the 5 wire constants and
//     pointers once (28 B/wire), reads and writes current and voltage (2 passes over 76 B/wire).
//     Before the RLC loop each wire gathers the voltage of its two end nodes through in_ptr and
//     out_ptr (circuit_sparse.rg: temp_v[0], temp_v[WIRE_SEGMENTS]): 2W random 4-byte loads
//     per piece, split as init_wires draws the pointers: in_ptr is a node of the piece (shared
//     with probability fs = snpp / nodes_per_piece), out_ptr with probability pin =
//     pct_in_piece too, else a shared node of a neighbour (a ghost). So rp_private gets
//     W (1 - fs)(1 + pin) loads, rp_shared W fs (1 + pin), rp_ghost W (1 - pin): gather
//     arguments, whose passes are these loads per element (for rp_ghost per element of the
//     mean ghost range). Register-resident RLC loop: kernel class dense.
//   distribute_charge: per wire -dt*I0 and dt*I9 and two charge updates: 4 flops (as
//     print_summary). Reads in_ptr, out_ptr, current._0, current._9 once (24 B/wire);
//     the two charge updates per wire go through the same pointers, so rp_private.charge,
//     rp_shared.charge and rp_ghost.charge get the same counts of random updates as the
//     gathers above; threads of the kernel may hit one node at once, so every update is an
//     atomic add (the reductions into rp_shared and rp_ghost, and the read-write of
//     rp_private alike): atomic arguments. Scattered updates: kernel class irregular.
//   update_voltages: per node v = (v + q/C) * (1 - leak): 4 flops (as print_summary). Reads
//     node_cap, leakage once, reads and writes node_voltage, charge (2 passes), for the private
//     and the shared nodes. Kernel class streaming.
// Init (untimed): begin_init, init_piece (random node and wire values: ~4 flops per node,
// ~10 per wire, writes every field once), init_pointers (rewrites in_ptr, out_ptr). Finish
// (untimed): get_elapsed (reads all_times), print_summary (one point per piece, no regions).
//
// Real program privileges grouped per region as Regent does: one region requirement per
// (region, privilege), so rw appears twice in calculate_new_currents and rpn/rsn twice in
// update_voltages. init_pointers holds rpn, rsn, rgn without privileges (for pointer types): they
// are modelled read-only with no bytes. init_piece's all_shared (no privileges) is left out: as
// a read it would falsely order the init_piece points, which write the shared nodes.
//
// Defaults: pieces = 4 x GPUs (CPUs on a machine without GPUs), 5000 nodes and 20000 wires per
// piece, 95% of wires inside their piece, 50 loops, 10000 steps (the program's STEPS). On a P100
// (9.3 TFLOPS FP32) calculate_new_currents is ~2 ms per piece.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "app/builder.h"

namespace mapforge::app {

LoadResult generate_circuit(const MachineFacts& machine, const Sizes& sizes);

namespace {

constexpr int kWireSegments = 10;
constexpr double kFlopsPerWireStep = kWireSegments * 6 + (kWireSegments - 1) * 4;  // 96
constexpr int kNumNeighbors = 5;  // conf.num_neighbors
constexpr int kWindow = 3;        // conf.window

std::int64_t default_pieces(const MachineFacts& m) {
  std::int64_t procs = m.gpus_per_node > 0 ? std::int64_t{m.nodes} * m.gpus_per_node
                                           : std::int64_t{m.nodes} * m.cpus_per_node;
  return 4 * std::max<std::int64_t>(1, procs);
}

/// The pieces whose shared nodes piece i's wires may reach: init_wires' window, then the span
/// [lowest, highest] of the candidate neighbours. Empty when no wire leaves the piece.
std::vector<std::int32_t> ghost_blocks(std::int64_t i, std::int64_t pieces, bool any_remote) {
  std::vector<std::int32_t> blocks;
  if (pieces < 2 || !any_remote) return blocks;
  std::int64_t neighbors = std::min<std::int64_t>(kNumNeighbors, pieces - 1);
  std::int64_t window = kWindow;
  if (window * 2 < neighbors) window = (neighbors + 1) / 2;
  std::int64_t start = i - window;
  std::int64_t end = i + window;
  if (start < 0) {
    start = 0;
    end = std::min(neighbors, pieces - 1);
  }
  if (end >= pieces) {
    start = std::max<std::int64_t>(0, pieces - 1 - neighbors);
    end = pieces - 1;
  }
  std::int64_t lo = start == i ? start + 1 : start;
  std::int64_t hi = end == i ? end - 1 : end;
  for (std::int64_t p = lo; p <= hi; ++p) blocks.push_back(static_cast<std::int32_t>(p));
  return blocks;
}

}  // namespace

LoadResult generate_circuit(const MachineFacts& machine, const Sizes& sizes) {
  static constexpr std::array<std::string_view, 6> kNames = {
      "pieces", "nodes_per_piece", "wires_per_piece", "pct_in_piece", "loops", "steps"};
  LoadResult result;
  if (!check_size_names("circuit", sizes, kNames, result.errors)) return result;
  auto pieces =
      size_param("circuit", sizes, "pieces", default_pieces(machine), 1, 65536, result.errors);
  auto npp = size_param("circuit", sizes, "nodes_per_piece", 5000, 2, 100000000, result.errors);
  auto wpp = size_param("circuit", sizes, "wires_per_piece", 20000, 1, 100000000, result.errors);
  auto pct = size_param("circuit", sizes, "pct_in_piece", 95, 0, 100, result.errors);
  auto loops = size_param("circuit", sizes, "loops", 50, 1, 1000000, result.errors);
  auto steps = size_param("circuit", sizes, "steps", 10000, 1, 1000000, result.errors);
  if (!pieces || !npp || !wpp || !pct || !loops || !steps) return result;

  const std::int64_t p = *pieces;
  const std::int64_t snpp = (*npp + 99) / 100;  // ceil(npp * pct_shared_nodes(1) / 100)
  const std::int64_t pnpp = *npp - snpp;
  const double w = static_cast<double>(*wpp);
  const double n = static_cast<double>(*npp);

  AppBuilder b("circuit", "electrical circuit simulation (Regent circuit_sparse): " +
                              std::to_string(p) + " pieces of " + std::to_string(*npp) +
                              " nodes and " + std::to_string(*wpp) + " wires");

  std::vector<std::int64_t> node_blocks(static_cast<std::size_t>(2 * p), pnpp);
  std::fill(node_blocks.begin(), node_blocks.begin() + p, snpp);
  int nodes = b.add_region("all_nodes",
                           {{"node_cap", 4}, {"leakage", 4}, {"charge", 4}, {"node_voltage", 4}},
                           node_blocks);
  std::vector<Field> wire_fields = {
      {"in_ptr", 8}, {"out_ptr", 8}, {"inductance", 4}, {"resistance", 4}, {"wire_cap", 4}};
  for (int s = 0; s < kWireSegments; ++s)
    wire_fields.push_back({"current._" + std::to_string(s), 4});
  for (int s = 0; s < kWireSegments - 1; ++s)
    wire_fields.push_back({"voltage._" + std::to_string(s), 4});
  int wires = b.add_region("all_wires", wire_fields,
                           std::vector<std::int64_t>(static_cast<std::size_t>(p), *wpp));
  int times =
      b.add_region("all_times", {{"init_start", 8}, {"init_stop", 8}, {"start", 8}, {"stop", 8}},
                   std::vector<std::int64_t>(static_cast<std::size_t>(p), 1));
  int ranges = b.add_region("ghost_ranges", {{"rect", 16}},
                            std::vector<std::int64_t>(static_cast<std::size_t>(p), 1));

  std::vector<std::vector<std::int32_t>> priv, shared, ghost, own;
  for (std::int64_t i = 0; i < p; ++i) {
    shared.push_back({static_cast<std::int32_t>(i)});
    priv.push_back({static_cast<std::int32_t>(p + i)});
    ghost.push_back(ghost_blocks(i, p, *pct < 100));
    own.push_back({static_cast<std::int32_t>(i)});
  }
  int rp_private = b.add_partition("rp_private", nodes, {p}, priv);
  int rp_shared = b.add_partition("rp_shared", nodes, {p}, shared);
  int rp_ghost = b.add_partition("rp_ghost", nodes, {p}, ghost, /*disjoint=*/false);
  int rp_wires = b.add_partition("rp_wires", wires, {p}, own);
  int rp_times = b.add_partition("rp_times", times, {p}, own);
  int rp_ghost_ranges = b.add_partition("rp_ghost_ranges", ranges, {p}, own);
  int all_times = b.add_whole("all_times", times);

  const std::vector<Variant> gpu_cpu = {{VariantKind::GPU, {}}, {VariantKind::CPU, {}}};
  const std::vector<Variant> cpu = {{VariantKind::CPU, {}}};
  int begin_init = b.add_task("begin_init", KernelClass::Streaming, cpu, {"rt"});
  int init_piece =
      b.add_task("init_piece", KernelClass::Streaming, cpu, {"rgr", "rpn", "rsn", "rw"});
  int init_pointers =
      b.add_task("init_pointers", KernelClass::Irregular, cpu, {"rpn", "rsn", "rgn", "rw"});
  int cnc = b.add_task("calculate_new_currents", KernelClass::Dense, gpu_cpu,
                       {"rpn", "rsn", "rgn", "rw", "rw", "rt"});
  int dc =
      b.add_task("distribute_charge", KernelClass::Irregular, gpu_cpu, {"rpn", "rsn", "rgn", "rw"});
  int uv = b.add_task("update_voltages", KernelClass::Streaming, gpu_cpu,
                      {"rpn", "rpn", "rsn", "rsn", "rt"});
  int get_elapsed = b.add_task("get_elapsed", KernelClass::Streaming, cpu, {"all_times"});
  int print_summary = b.add_task("print_summary", KernelClass::Streaming, cpu, {});

  const Projection id = AppBuilder::identity(1);
  using P = Privilege;

  Phase& init = b.add_phase("init", 1, /*timed=*/false);
  Launch& bi = b.add_index_launch(init, begin_init, {p}, 0);
  b.arg(bi, rp_times, id, P::WriteDiscard, b.all_fields(rp_times));
  Launch& ip = b.add_index_launch(init, init_piece, {p}, 4 * n + 10 * w);
  b.arg(ip, rp_ghost_ranges, id, P::ReadWrite, b.all_fields(rp_ghost_ranges));
  b.arg(ip, rp_private, id, P::ReadWrite, b.all_fields(rp_private));
  b.arg(ip, rp_shared, id, P::ReadWrite, b.all_fields(rp_shared));
  b.arg(ip, rp_wires, id, P::ReadWrite, b.all_fields(rp_wires));
  Launch& ipt = b.add_index_launch(init, init_pointers, {p}, 0);
  b.arg(ipt, rp_private, id, P::ReadOnly, b.fields(rp_private, {"node_voltage"}), 0);
  b.arg(ipt, rp_shared, id, P::ReadOnly, b.fields(rp_shared, {"node_voltage"}), 0);
  b.arg(ipt, rp_ghost, id, P::ReadOnly, b.fields(rp_ghost, {"node_voltage"}), 0);
  b.arg(ipt, rp_wires, id, P::ReadWrite, b.fields(rp_wires, {"in_ptr", "out_ptr"}), 2);

  // Random loads (and updates) per piece through in_ptr and out_ptr, per element of each
  // argument (see the cost notes above).
  const double fs = double(snpp) / n;
  const double pin = double(*pct) / 100.0;
  double ghost_elements = 0;
  for (const auto& g : ghost) ghost_elements += double(g.size()) * double(snpp);
  ghost_elements /= double(p);
  const double private_passes = w * (1 - fs) * (1 + pin) / double(pnpp);
  const double shared_passes = w * fs * (1 + pin) / double(snpp);
  const double ghost_passes = ghost_elements > 0 ? w * (1 - pin) / ghost_elements : 0;
  const auto gather = Access::Gather;
  const auto atomic = Access::Atomic;
  const auto none = ReduceOp::None;

  std::vector<int> state_fields;  // current._0.._9, voltage._0.._8
  for (int f = 5; f < static_cast<int>(wire_fields.size()); ++f) state_fields.push_back(f);

  Phase& loop = b.add_phase("simulate", *loops);
  Launch& l1 = b.add_index_launch(loop, cnc, {p}, w * (kFlopsPerWireStep * double(*steps) + 2));
  b.arg(l1, rp_private, id, P::ReadOnly, b.fields(rp_private, {"node_voltage"}), private_passes,
        none, gather);
  b.arg(l1, rp_shared, id, P::ReadOnly, b.fields(rp_shared, {"node_voltage"}), shared_passes, none,
        gather);
  b.arg(l1, rp_ghost, id, P::ReadOnly, b.fields(rp_ghost, {"node_voltage"}), ghost_passes, none,
        gather);
  b.arg(l1, rp_wires, id, P::ReadOnly,
        b.fields(rp_wires, {"in_ptr", "out_ptr", "inductance", "resistance", "wire_cap"}));
  b.arg(l1, rp_wires, id, P::ReadWrite, state_fields, 2);
  b.arg(l1, rp_times, id, P::ReadWrite, b.all_fields(rp_times), 2);
  Launch& l2 = b.add_index_launch(loop, dc, {p}, 4 * w);
  b.arg(l2, rp_private, id, P::ReadWrite, b.fields(rp_private, {"charge"}), private_passes, none,
        atomic);
  b.arg(l2, rp_shared, id, P::Reduce, b.fields(rp_shared, {"charge"}), shared_passes, ReduceOp::Sum,
        atomic);
  b.arg(l2, rp_ghost, id, P::Reduce, b.fields(rp_ghost, {"charge"}), ghost_passes, ReduceOp::Sum,
        atomic);
  b.arg(l2, rp_wires, id, P::ReadOnly,
        b.fields(rp_wires, {"in_ptr", "out_ptr", "current._0", "current._9"}));
  Launch& l3 = b.add_index_launch(loop, uv, {p}, 4 * n);
  b.arg(l3, rp_private, id, P::ReadOnly, b.fields(rp_private, {"node_cap", "leakage"}));
  b.arg(l3, rp_private, id, P::ReadWrite, b.fields(rp_private, {"node_voltage", "charge"}), 2);
  b.arg(l3, rp_shared, id, P::ReadOnly, b.fields(rp_shared, {"node_cap", "leakage"}));
  b.arg(l3, rp_shared, id, P::ReadWrite, b.fields(rp_shared, {"node_voltage", "charge"}), 2);
  b.arg(l3, rp_times, id, P::ReadWrite, b.all_fields(rp_times), 2);

  Phase& finish = b.add_phase("finish", 1, /*timed=*/false);
  Launch& ge = b.add_single_launch(finish, get_elapsed, 4 * double(p));
  b.arg(ge, all_times, AppBuilder::fixed({0}), P::ReadOnly, b.all_fields(all_times));
  b.add_index_launch(finish, print_summary, {p}, 0);

  return b.finish({Metric::Kind::ElapsedTime, double(p) * w * double(*loops), "wires"});
}

}  // namespace mapforge::app
