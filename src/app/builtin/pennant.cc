// pennant: Lagrangian staggered-grid hydrodynamics in Regent (language/examples/pennant.rg, the
// version in Anjiang-Wei/legion used by the published mapper experiments) on the Leblanc
// problem's rectangular mesh, as an application model.
//
// Mesh: nzx x nzy quadrilateral zones split into numpcx x numpcy pieces by the program's
// get_submesh_config rule; 4 sides per zone; points at zone corners. Regions (fields double =
// 8 bytes; vec2 fields are two Legion fields .x and .y as Regent flattens them; pointers 8
// bytes, region tags of multi-region pointers not counted; znump uint8, has_bcx/y bool):
//   rz_all (24 zone fields), rp_all (17 point fields), rs_all (32 side fields).
// A point touched by zones of one piece is private to it; one touched by several pieces is a
// ghost point, owned (rp_all_shared_p) by the lowest-numbered of them. Points are grouped into
// blocks by the set of pieces touching them (interior, edge segments, corner points), so
// rp_all_private_p[i] and rp_all_shared_p[i] are disjoint and rp_all_ghost_p[i] (aliased) is
// every ghost block that piece i touches: its own shared points and its neighbours'.
//
// Costs per cycle, per piece (Z zones, S = 4Z sides, points private + shared or ghost); every
// field read or written once per task (gathers through mapsz/mapsp1/mapsp2 assumed served from
// cache after the first touch), read-write and reductions 2 passes. Flops per element, counted
// from the source (sqrt and divide as one flop):
//   init_step_points      point: zero pmaswt, pf                         0
//   init_step_zones       zone:  zvol0 = zvol                            0
//   adv_pos_half          point: pxp = px + dt/2 pu (x, y)               4
//   calc_centers          side:  edge centre, 1/znump * p1 accumulated   9
//   calc_volumes          side:  cross product, area, volume, length    18
//   calc_char_len         side:  4 area / length, min                    3
//   calc_rho_half         zone:  zm / zvolp                              1
//   sum_point_mass        side:  zrp zareap (smf + smf3) / 2, reduce     5
//   calc_state_at_half    zone:  equation of state, sound speed, zp     26
//   calc_force_pgas_tts   side:  surface vector, pgas and TTS forces    17
//   qcs_zone_center_velocity side: 1/znump * pu accumulated              5
//   qcs_corner_divergence side:  corner area, cosine, divergence, evol 112
//   qcs_qcn_force         side:  rmu, cqe1, cqe2                        21
//   qcs_force             side:  corner weights, sfq                    22
//   qcs_vel_diff          side:  |du.dx| / len, max (+4 per zone)       10
//   sum_point_force       side:  force difference, reduce                8
//   apply_boundary_conditions point: projection on boundary points       1
//   adv_pos_full          point: acceleration, pu, px                   14
//   calc_centers_full / calc_volumes_full  as calc_centers / 14 (no length)
//   calc_work             side:  work of both points                    21
//   calc_work_rate_energy_rho_full zone: zwrate, ze, zr                  7
//   calc_dt_hydro         zone:  Courant and volume limits, min          9
// Launch order per cycle as pennant.rg's simulate: continue_simulation, init_step_points
// (private, shared), init_step_zones, calc_global_dt, adv_pos_half (private, shared), calc_centers
// ... calc_work_rate_energy_rho_full, calc_dt_hydro, continue_simulation. calc_dt_hydro's
// min-reduction of its returned dt into a future, and the futures dt and time that
// calc_global_dt and continue_simulation pass on, are not modelled as regions (no data
// dependence orders calc_global_dt after calc_dt_hydro here). Region parameters a task holds
// without privileges (e.g. rpp, rpg of calc_char_len) are modelled read-only with no bytes.
// Init (untimed): initialize's launches in order; output1 (ELAPSED TIME) ends the run.
//
// Defaults: pieces = GPUs (CPUs without GPUs); each piece 1536 x 1536 zones (nzx = 1536 * numpcx,
// nzy = 1536 * numpcy with numpcy >= numpcx, so get_submesh_config gives back that grid);
// 50 cycles. qcs_corner_divergence moves ~1 GB per piece: ~2 ms on a P100 (550 GB/s).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/builder.h"

namespace mapforge::app {

LoadResult generate_pennant(const MachineFacts& machine, const Sizes& sizes);

namespace {

constexpr std::int64_t kPieceZones = 1536;

std::int64_t default_pieces(const MachineFacts& m) {
  std::int64_t procs = m.gpus_per_node > 0 ? std::int64_t{m.nodes} * m.gpus_per_node
                                           : std::int64_t{m.nodes} * m.cpus_per_node;
  return std::max<std::int64_t>(1, procs);
}

/// pennant_common.rg's get_submesh_config: the piece grid (numpcx, numpcy).
std::pair<std::int64_t, std::int64_t> submesh(std::int64_t pieces, std::int64_t nzx,
                                              std::int64_t nzy) {
  double nx = double(nzx), ny = double(nzy);
  const bool swap = nx > ny;
  if (swap) std::swap(nx, ny);
  const double n = std::sqrt(double(pieces) * nx / ny);
  std::int64_t n1 = std::max<std::int64_t>(static_cast<std::int64_t>(std::floor(n + 1e-12)), 1);
  while (pieces % n1 != 0) --n1;
  std::int64_t n2 = static_cast<std::int64_t>(std::ceil(n - 1e-12));
  while (pieces % n2 != 0) ++n2;
  const double long1 = std::max(nx / double(n1), ny / double(pieces / n1));
  const double long2 = std::max(nx / double(n2), ny / double(pieces / n2));
  std::int64_t pcx = long1 <= long2 ? n1 : n2;
  std::int64_t pcy = pieces / pcx;
  if (swap) std::swap(pcx, pcy);
  return {pcx, pcy};
}

std::int64_t split(std::int64_t total, std::int64_t parts, std::int64_t k) {
  return k * total / parts;
}

/// Point coordinates along one axis fall into classes: the inside of piece column c (its points
/// not on a boundary with another column) or the boundary between columns k-1 and k.
struct AxisClass {
  std::int64_t count;
  std::vector<std::int64_t> columns;  // the piece columns touching these coordinates
};

std::vector<AxisClass> axis_classes(std::int64_t zones, std::int64_t parts) {
  std::vector<AxisClass> out;
  for (std::int64_t c = 0; c < parts; ++c) {
    if (c > 0) out.push_back({1, {c - 1, c}});
    const std::int64_t lo = split(zones, parts, c), hi = split(zones, parts, c + 1);
    const std::int64_t inside = (hi - lo + 1) - (c > 0 ? 1 : 0) - (c + 1 < parts ? 1 : 0);
    if (inside > 0) out.push_back({inside, {c}});
  }
  return out;
}

/// A Regent privilege group on one region argument, by field names; a vec2 name expands.
struct Req {
  int partition;
  Privilege privilege;
  std::vector<std::string> fields;
  double passes = 1.0;
};

}  // namespace

LoadResult generate_pennant(const MachineFacts& machine, const Sizes& sizes) {
  static constexpr std::array<std::string_view, 4> kNames = {"pieces", "nzx", "nzy", "cycles"};
  LoadResult result;
  if (!check_size_names("pennant", sizes, kNames, result.errors)) return result;
  auto pieces =
      size_param("pennant", sizes, "pieces", default_pieces(machine), 1, 65536, result.errors);
  if (!pieces) return result;
  std::int64_t gx = 1;
  for (std::int64_t d = 1; d * d <= *pieces; ++d)
    if (*pieces % d == 0) gx = d;
  auto nzx = size_param("pennant", sizes, "nzx", kPieceZones * gx, 1, std::int64_t{1} << 24,
                        result.errors);
  auto nzy = size_param("pennant", sizes, "nzy", kPieceZones * (*pieces / gx), 1,
                        std::int64_t{1} << 24, result.errors);
  auto cycles = size_param("pennant", sizes, "cycles", 50, 1, 1000000, result.errors);
  if (!nzx || !nzy || !cycles) return result;
  const auto [pcx, pcy] = submesh(*pieces, *nzx, *nzy);
  if (pcx > *nzx || pcy > *nzy) {
    result.errors.push_back("pennant: mesh too small: " + std::to_string(*nzx) + " x " +
                            std::to_string(*nzy) + " zones for " + std::to_string(pcx) + " x " +
                            std::to_string(pcy) + " pieces");
    return result;
  }
  const std::int64_t np = *pieces;

  AppBuilder b("pennant", "Lagrangian hydrodynamics, Leblanc problem (Regent pennant): " +
                              std::to_string(*nzx) + " x " + std::to_string(*nzy) + " zones in " +
                              std::to_string(pcx) + " x " + std::to_string(pcy) + " pieces");

  // Zones and sides: one block per piece. Piece i = (i % pcx, i / pcx).
  std::vector<std::int64_t> zone_blocks, side_blocks;
  for (std::int64_t i = 0; i < np; ++i) {
    const std::int64_t cx = i % pcx, cy = i / pcx;
    const std::int64_t z = (split(*nzx, pcx, cx + 1) - split(*nzx, pcx, cx)) *
                           (split(*nzy, pcy, cy + 1) - split(*nzy, pcy, cy));
    zone_blocks.push_back(z);
    side_blocks.push_back(4 * z);
  }
  // Points: one block per (x class, y class).
  std::vector<std::int64_t> point_blocks;
  std::vector<std::vector<std::int32_t>> priv(np), shared(np), ghost(np);
  std::vector<double> priv_count(np, 0), shared_count(np, 0), ghost_count(np, 0);
  for (const AxisClass& ax : axis_classes(*nzx, pcx))
    for (const AxisClass& ay : axis_classes(*nzy, pcy)) {
      std::set<std::int64_t> touching;
      for (std::int64_t cx : ax.columns)
        for (std::int64_t cy : ay.columns) touching.insert(cy * pcx + cx);
      const std::int32_t block = static_cast<std::int32_t>(point_blocks.size());
      const std::int64_t count = ax.count * ay.count;
      point_blocks.push_back(count);
      const std::int64_t owner = *touching.begin();
      if (touching.size() == 1) {
        priv[owner].push_back(block);
        priv_count[owner] += double(count);
        continue;
      }
      shared[owner].push_back(block);
      shared_count[owner] += double(count);
      for (std::int64_t t : touching) {
        ghost[t].push_back(block);
        ghost_count[t] += double(count);
      }
    }
  for (auto& g : ghost) std::sort(g.begin(), g.end());

  auto vec2 = [](std::vector<Field>& f, const std::string& name) {
    f.push_back({name + ".x", 8});
    f.push_back({name + ".y", 8});
  };
  std::vector<Field> zf;
  for (const char* v : {"zxp", "zx"}) vec2(zf, v);
  for (const char* d : {"zareap", "zarea", "zvol0", "zvolp", "zvol", "zdl", "zm", "zrp", "zr", "ze",
                        "zetot", "zw", "zwrate", "zp", "zss", "zdu"})
    zf.push_back({d, 8});
  vec2(zf, "zuc");
  zf.push_back({"z0tmp", 8});
  zf.push_back({"znump", 1});
  std::vector<Field> pf;
  for (const char* v : {"px0", "pxp", "px", "pu0", "pu", "pap", "pf"}) vec2(pf, v);
  pf.push_back({"pmaswt", 8});
  pf.push_back({"has_bcx", 1});
  pf.push_back({"has_bcy", 1});
  std::vector<Field> sf;
  for (const char* p : {"mapsz", "mapsp1", "mapsp2", "mapss3", "mapss4"}) sf.push_back({p, 8});
  for (const char* d : {"sareap", "sarea", "svolp", "svol"}) sf.push_back({d, 8});
  vec2(sf, "ssurfp");
  sf.push_back({"smf", 8});
  for (const char* v : {"sfp", "sft", "sfq", "exp", "ex"}) vec2(sf, v);
  for (const char* d : {"elen", "carea", "cevol", "cdu", "cdiv", "ccos"}) sf.push_back({d, 8});
  for (const char* v : {"cqe1", "cqe2"}) vec2(sf, v);

  int rz_all = b.add_region("rz_all", zf, zone_blocks);
  int rp_all = b.add_region("rp_all", pf, point_blocks);
  int rs_all = b.add_region("rs_all", sf, side_blocks);
  std::vector<std::vector<std::int32_t>> own;
  for (std::int64_t i = 0; i < np; ++i) own.push_back({static_cast<std::int32_t>(i)});
  const int rz = b.add_partition("rz_all_p", rz_all, {np}, own);
  const int rpp = b.add_partition("rp_all_private_p", rp_all, {np}, priv);
  const int rpg = b.add_partition("rp_all_ghost_p", rp_all, {np}, ghost, /*disjoint=*/false);
  const int rps = b.add_partition("rp_all_shared_p", rp_all, {np}, shared);
  const int rs = b.add_partition("rs_all_p", rs_all, {np}, own);

  // Field names of a privilege group; "pxp" names pxp.x and pxp.y.
  auto field_ids = [&](int partition, const std::vector<std::string>& names) {
    const Region& region = b.app().regions[b.app().partitions[partition].region];
    std::vector<int> ids;
    for (const std::string& name : names)
      for (std::size_t f = 0; f < region.fields.size(); ++f) {
        const std::string& fname = region.fields[f].name;
        if (fname == name || fname == name + ".x" || fname == name + ".y")
          ids.push_back(static_cast<int>(f));
      }
    return ids;
  };

  const std::vector<Variant> gpu_cpu = {{VariantKind::GPU, {}}, {VariantKind::CPU, {}}};
  const std::vector<Variant> cpu = {{VariantKind::CPU, {}}};
  std::map<std::string, int> task_ids;
  auto task = [&](const std::string& name, KernelClass k, bool gpu, std::vector<std::string> args) {
    auto it = task_ids.find(name);
    if (it != task_ids.end()) return it->second;
    int t = b.add_task(name, k, gpu ? gpu_cpu : cpu, std::move(args));
    task_ids.emplace(name, t);
    return t;
  };
  const Projection id = AppBuilder::identity(1);
  const std::vector<std::string> zpgs = {"rz", "rpp", "rpg", "rs"};
  // Average element counts per piece.
  const double z = [&] {
    double t = 0;
    for (std::int64_t v : zone_blocks) t += double(v);
    return t / double(np);
  }();
  const double s = 4 * z;
  auto mean = [&](const std::vector<double>& v) {
    double t = 0;
    for (double x : v) t += x;
    return t / double(np);
  };
  const double pp = mean(priv_count), ps = mean(shared_count);

  using P = Privilege;
  using K = KernelClass;
  // Adds an index launch over the pieces with its privilege groups; arg names follow the
  // groups' partitions (rz, rpp, rpg, rs or rp).
  auto launch = [&](Phase& phase, const std::string& name, K k, bool gpu, double flops,
                    const std::vector<Req>& reqs) {
    bool has_sides = false;
    for (const Req& r : reqs) has_sides = has_sides || r.partition == rs;
    std::vector<std::string> args;
    for (const Req& r : reqs) {
      if (r.partition == rz)
        args.push_back("rz");
      else if (r.partition == rpg)
        args.push_back("rpg");
      else if (r.partition == rs)
        args.push_back("rs");
      else
        args.push_back(has_sides ? "rpp" : "rp");  // a points-only task names it rp
    }
    int t = task(name, k, gpu, args);
    Launch& l = b.add_index_launch(phase, t, {np}, flops);
    for (const Req& r : reqs) {
      ReduceOp op = r.privilege == P::Reduce ? ReduceOp::Sum : ReduceOp::None;
      b.arg(l, r.partition, id, r.privilege, field_ids(r.partition, r.fields), r.passes, op);
    }
    return &l;
  };
  const std::vector<std::string> maps3 = {"mapsz", "mapsp1", "mapsp2"};
  auto ro = [](int part, std::vector<std::string> f, double passes = 1.0) {
    return Req{part, P::ReadOnly, std::move(f), passes};
  };
  auto rw = [](int part, std::vector<std::string> f) {
    return Req{part, P::ReadWrite, std::move(f), 2.0};
  };
  auto wd = [](int part, std::vector<std::string> f) {
    return Req{part, P::WriteDiscard, std::move(f), 1.0};
  };
  auto red = [](int part, std::vector<std::string> f) {
    return Req{part, P::Reduce, std::move(f), 2.0};
  };
  const int continue_simulation = b.add_task("continue_simulation", K::Streaming, cpu, {});
  const int calc_global_dt = b.add_task("calc_global_dt", K::Streaming, cpu, {});
  const int output1 = b.add_task("output1", K::Streaming, cpu, {});

  // ---- initialize (untimed)
  Phase& init = b.add_phase("initialize", 1, /*timed=*/false);
  {
    int t = task("init_pointers", K::Irregular, false, zpgs);
    Launch& l = b.add_index_launch(init, t, {np}, 0);
    b.arg(l, rz, id, P::ReadOnly, field_ids(rz, {"znump"}), 0);
    b.arg(l, rpp, id, P::ReadOnly, field_ids(rpp, {"px"}), 0);
    b.arg(l, rpg, id, P::ReadOnly, field_ids(rpg, {"px"}), 0);
    b.arg(l, rs, id, P::ReadWrite, field_ids(rs, {"mapsp1", "mapsp2"}), 2);
  }
  launch(init, "init_mesh_zones", K::Streaming, true, 0, {wd(rz, {"zx", "zarea", "zvol"})});
  auto centers_full = [&](Phase& ph) {
    launch(ph, "calc_centers_full", K::Irregular, true, 9 * s,
           {ro(rz, {"znump"}), rw(rz, {"zx"}), ro(rpp, {"px"}), ro(rpg, {"px"}), ro(rs, maps3),
            rw(rs, {"ex"})});
  };
  auto volumes_full = [&](Phase& ph) {
    launch(ph, "calc_volumes_full", K::Irregular, true, 14 * s,
           {ro(rz, {"zx", "znump"}), rw(rz, {"zarea", "zvol"}), ro(rpp, {"px"}), ro(rpg, {"px"}),
            ro(rs, maps3), wd(rs, {"sarea"})});
  };
  centers_full(init);
  volumes_full(init);
  launch(init, "init_side_fracs", K::Irregular, true, s,
         {ro(rz, {"zarea"}), ro(rpp, {"px"}, 0), ro(rpg, {"px"}, 0), ro(rs, {"mapsz", "sarea"}),
          wd(rs, {"smf"})});
  launch(init, "init_hydro", K::Streaming, true, 6 * z,
         {ro(rz, {"zx", "zvol"}), wd(rz, {"zr", "ze", "zwrate", "zm", "zetot"})});
  launch(init, "init_radial_velocity", K::Streaming, true, 6 * pp,
         {ro(rpp, {"px"}), wd(rpp, {"pu"})});
  launch(init, "init_radial_velocity", K::Streaming, true, 6 * ps,
         {ro(rps, {"px"}), wd(rps, {"pu"})});

  // ---- simulate (timed): one cycle
  Phase& cyc = b.add_phase("simulate", *cycles);
  b.add_single_launch(cyc, continue_simulation, 2);
  launch(cyc, "init_step_points", K::Streaming, true, 0, {wd(rpp, {"pmaswt", "pf"})});
  launch(cyc, "init_step_points", K::Streaming, true, 0, {wd(rps, {"pmaswt", "pf"})});
  launch(cyc, "init_step_zones", K::Streaming, true, 0, {ro(rz, {"zvol"}), wd(rz, {"zvol0"})});
  b.add_single_launch(cyc, calc_global_dt, 6);
  launch(cyc, "adv_pos_half", K::Streaming, true, 4 * pp,
         {ro(rpp, {"px", "pu"}), wd(rpp, {"px0", "pxp", "pu0"})});
  launch(cyc, "adv_pos_half", K::Streaming, true, 4 * ps,
         {ro(rps, {"px", "pu"}), wd(rps, {"px0", "pxp", "pu0"})});
  launch(cyc, "calc_centers", K::Irregular, true, 9 * s,
         {ro(rz, {"znump"}), rw(rz, {"zxp"}), ro(rpp, {"pxp"}), ro(rpg, {"pxp"}), ro(rs, maps3),
          wd(rs, {"exp"})});
  launch(cyc, "calc_volumes", K::Irregular, true, 18 * s,
         {ro(rz, {"zxp", "znump"}), rw(rz, {"zareap", "zvolp"}), ro(rpp, {"pxp"}), ro(rpg, {"pxp"}),
          ro(rs, maps3), wd(rs, {"sareap", "elen"})});
  launch(cyc, "calc_char_len", K::Irregular, true, 3 * s,
         {ro(rz, {"znump"}), rw(rz, {"zdl"}), ro(rpp, {"pxp"}, 0), ro(rpg, {"pxp"}, 0),
          ro(rs, {"mapsz", "sareap", "elen"})});
  launch(cyc, "calc_rho_half", K::Streaming, true, z, {ro(rz, {"zvolp", "zm"}), wd(rz, {"zrp"})});
  launch(cyc, "sum_point_mass", K::Irregular, true, 5 * s,
         {ro(rz, {"zareap", "zrp"}), rw(rpp, {"pmaswt"}), red(rpg, {"pmaswt"}),
          ro(rs, {"mapsz", "mapsp1", "mapss3", "smf"})});
  launch(cyc, "calc_state_at_half", K::Streaming, true, 26 * z,
         {ro(rz, {"zvol0", "zvolp", "zm", "zr", "ze", "zwrate"}), wd(rz, {"zp", "zss"})});
  launch(cyc, "calc_force_pgas_tts", K::Irregular, true, 17 * s,
         {ro(rz, {"zxp", "zareap", "zrp", "zss", "zp"}), ro(rpp, {"pxp"}, 0), ro(rpg, {"pxp"}, 0),
          ro(rs, {"mapsz", "sareap", "smf", "exp"}), wd(rs, {"sfp", "sft"})});
  launch(cyc, "qcs_zone_center_velocity", K::Irregular, true, 5 * s,
         {ro(rz, {"znump"}), rw(rz, {"zuc"}), ro(rpp, {"pu"}), ro(rpg, {"pu"}),
          ro(rs, {"mapsz", "mapsp1"})});
  launch(cyc, "qcs_corner_divergence", K::Irregular, true, 112 * s,
         {ro(rz, {"zxp", "zuc"}), ro(rpp, {"pxp", "pu"}), ro(rpg, {"pxp", "pu"}),
          ro(rs, {"mapsz", "mapsp1", "mapsp2", "mapss3", "exp", "elen"}),
          wd(rs, {"carea", "ccos", "cdiv", "cevol", "cdu"})});
  launch(cyc, "qcs_qcn_force", K::Irregular, true, 21 * s,
         {ro(rz, {"zrp", "zss"}), ro(rpp, {"pu"}), ro(rpg, {"pu"}),
          ro(rs, {"mapsz", "mapsp1", "mapsp2", "mapss3", "elen", "cdiv", "cdu", "cevol"}),
          wd(rs, {"cqe1", "cqe2"})});
  launch(cyc, "qcs_force", K::Irregular, true, 22 * s,
         {ro(rz, {"znump"}, 0), ro(rpp, {"pu"}, 0), ro(rpg, {"pu"}, 0),
          ro(rs, {"mapss4", "elen", "carea", "ccos", "cqe1", "cqe2"}), wd(rs, {"sfq"})});
  launch(cyc, "qcs_vel_diff", K::Irregular, true, 10 * s + 4 * z,
         {ro(rz, {"zss"}), rw(rz, {"z0tmp"}), wd(rz, {"zdu"}), ro(rpp, {"pxp", "pu"}),
          ro(rpg, {"pxp", "pu"}), ro(rs, {"mapsp1", "mapsp2", "mapsz", "elen"})});
  launch(cyc, "sum_point_force", K::Irregular, true, 8 * s,
         {ro(rz, {"znump"}), rw(rpp, {"pf"}), red(rpg, {"pf"}),
          ro(rs, {"mapsz", "mapsp1", "mapss3", "sfq", "sft"})});
  launch(cyc, "apply_boundary_conditions", K::Streaming, true, pp,
         {ro(rpp, {"has_bcx", "has_bcy"}), rw(rpp, {"pu0", "pf"})});
  launch(cyc, "apply_boundary_conditions", K::Streaming, true, ps,
         {ro(rps, {"has_bcx", "has_bcy"}), rw(rps, {"pu0", "pf"})});
  launch(cyc, "adv_pos_full", K::Streaming, true, 14 * pp,
         {ro(rpp, {"px0", "pu0", "pf", "pmaswt"}), wd(rpp, {"px", "pu"})});
  launch(cyc, "adv_pos_full", K::Streaming, true, 14 * ps,
         {ro(rps, {"px0", "pu0", "pf", "pmaswt"}), wd(rps, {"px", "pu"})});
  centers_full(cyc);
  volumes_full(cyc);
  launch(cyc, "calc_work", K::Irregular, true, 21 * s,
         {ro(rz, {"znump"}), rw(rz, {"zw", "zetot"}), ro(rpp, {"pxp", "pu0", "pu"}),
          ro(rpg, {"pxp", "pu0", "pu"}), ro(rs, {"mapsz", "mapsp1", "mapsp2", "sfp", "sfq"})});
  launch(cyc, "calc_work_rate_energy_rho_full", K::Streaming, true, 7 * z,
         {ro(rz, {"zvol0", "zvol", "zm", "zw", "zp", "zetot"}), wd(rz, {"zwrate", "ze", "zr"})});
  launch(cyc, "calc_dt_hydro", K::Streaming, true, 9 * z,
         {ro(rz, {"zdl", "zvol0", "zvol", "zss", "zdu"})});
  b.add_single_launch(cyc, continue_simulation, 2);

  Phase& finish = b.add_phase("finish", 1, /*timed=*/false);
  b.add_single_launch(finish, output1, 1);

  return b.finish(
      {Metric::Kind::ElapsedTime, double(*nzx) * double(*nzy) * double(*cycles), "zones"});
}

}  // namespace mapforge::app
