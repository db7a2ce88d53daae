// stencil: the PRK 2-D star stencil of radius 2 in Regent (StanfordLegion/legion
// language/examples/stencil_fast.rg) as an application model.
//
// Data: points (input, output: double = 8 bytes) on the bloated grid (n + 2*radius*nt) with
// n = (nx, ny) - 2*radius; tile i = (i % ntx, i / ntx) owns the rectangle private[i] (the
// program's make_private_partition). Each tile is cut into 9 blocks: the interior (private
// shrunk by radius on every side) and a ring of 4 edges and 4 corners of width radius.
// interior[i] is the interior block; exterior[i] is private shrunk by radius only on the sides
// that face another tile (make_exterior_partition), i.e. the interior plus the ring blocks on
// the domain boundary. Halo strips xm, xp (radius x rows of each tile row) and ym, yp
// (columns of each tile column x radius) are regions of their own with one block per tile:
// pxm_out[i] is tile i's block of xm; pxm_in[i] is the block of its -x neighbour (empty at the
// domain edge), pxp_in the +x neighbour's block of xp, and so on. The _in partitions are aliased
// as the program declares them. times: one timestamp (4 x int64) per tile.
//
// Costs per time step and tile (C = cells of private[i], H = cells of a halo strip):
//   stencil: out += sum over the 8 star neighbours (radius 2) of w * in: 8 multiplies + 8 adds
//     = 16 flops per interior cell. Streams input once (neighbours from cache) and output
//     read + write: 3 x 8 bytes per cell over the 16 bytes of {input, output}: 1.5 passes over
//     private. Copies each _in strip into private's ring: reads xm.input etc. once.
//     Kernel class streaming. 15004^2 cells x 24 B ~ 5.4 GB: ~10 ms per tile on a P100.
//   increment: input += 1 over exterior[i] and over each _out strip: 1 flop per cell, reads
//     and writes input (2 passes of 8 bytes), counted over all of private (the ring not in
//     exterior is < 0.1% of a default tile).
// interior (stencil, check) and exterior (increment) are held by the real tasks without
// privileges (they give the kernel its iteration rectangle): modelled read-only with no bytes.
// check (untimed, CPU): reads input and output of every interior cell twice (two comparison
// loops, then the assertion loop). begin_init, get_elapsed (untimed) touch the timestamps;
// print_time has no regions. The program's fills of points and strips are not tasks.
//
// Defaults: one tile per GPU (per CPU without GPUs) laid out as ntx x nty with nty the largest
// divisor of the tile count <= its square root, nx = 15000*ntx + 4, ny = 15000*nty + 4 (a
// 15000 x 15000 interior grid per tile), 50 steps. Overriding ntx/nty over-decomposes the same
// grid; a long thin domain (e.g. nx=1920004 ny=60004 ntx=128 nty=4) makes the processor-grid
// shape chosen by a mapper decide the halo volume.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "app/builder.h"

namespace mapforge::app {

LoadResult generate_stencil(const MachineFacts& machine, const Sizes& sizes);

namespace {

constexpr std::int64_t kRadius = 2;
constexpr std::int64_t kTile = 15000;

std::int64_t default_tiles(const MachineFacts& m) {
  std::int64_t procs = m.gpus_per_node > 0 ? std::int64_t{m.nodes} * m.gpus_per_node
                                           : std::int64_t{m.nodes} * m.cpus_per_node;
  return std::max<std::int64_t>(1, procs);
}

/// The largest divisor of t that is at most sqrt(t).
std::int64_t small_factor(std::int64_t t) {
  std::int64_t best = 1;
  for (std::int64_t d = 1; d * d <= t; ++d)
    if (t % d == 0) best = d;
  return best;
}

/// Extent of part k of `total` split into `parts` the way the program does: [k*total/parts,
/// (k+1)*total/parts).
std::int64_t part(std::int64_t total, std::int64_t parts, std::int64_t k) {
  return (k + 1) * total / parts - k * total / parts;
}

}  // namespace

LoadResult generate_stencil(const MachineFacts& machine, const Sizes& sizes) {
  static constexpr std::array<std::string_view, 5> kNames = {"nx", "ny", "ntx", "nty", "steps"};
  LoadResult result;
  if (!check_size_names("stencil", sizes, kNames, result.errors)) return result;
  const std::int64_t procs = default_tiles(machine);
  const std::int64_t gy = small_factor(procs);
  const std::int64_t gx = procs / gy;
  auto nx = size_param("stencil", sizes, "nx", kTile * gx + 2 * kRadius, 2 * kRadius + 1,
                       std::int64_t{1} << 31, result.errors);
  auto ny = size_param("stencil", sizes, "ny", kTile * gy + 2 * kRadius, 2 * kRadius + 1,
                       std::int64_t{1} << 31, result.errors);
  auto ntx = size_param("stencil", sizes, "ntx", gx, 1, 65536, result.errors);
  auto nty = size_param("stencil", sizes, "nty", gy, 1, 65536, result.errors);
  auto steps = size_param("stencil", sizes, "steps", 50, 1, 1000000, result.errors);
  if (!nx || !ny || !ntx || !nty || !steps) return result;
  const std::int64_t n_x = *nx - 2 * kRadius;
  const std::int64_t n_y = *ny - 2 * kRadius;
  if (n_x < *ntx || n_y < *nty) {
    result.errors.push_back("stencil: grid too small: " + std::to_string(n_x) + " x " +
                            std::to_string(n_y) + " interior cells for " + std::to_string(*ntx) +
                            " x " + std::to_string(*nty) + " tiles");
    return result;
  }
  const std::int64_t tx = *ntx, ty = *nty, tiles = tx * ty;
  if (tiles > 65536) {
    result.errors.push_back("stencil: at most 65536 tiles, got " + std::to_string(tiles));
    return result;
  }
  const std::int64_t r = kRadius;
  const std::int64_t npx = n_x + 2 * r * tx;
  const std::int64_t npy = n_y + 2 * r * ty;

  AppBuilder b("stencil", "PRK 2-D star stencil, radius 2 (Regent stencil_fast): " +
                              std::to_string(*nx) + " x " + std::to_string(*ny) + " grid in " +
                              std::to_string(tx) + " x " + std::to_string(ty) + " tiles");

  // Points: 9 blocks per tile in the order interior, then the ring: left, right, bottom, top
  // edges, then corners (left-bottom, right-bottom, left-top, right-top).
  enum Ring { kInterior, kLeft, kRight, kBottom, kTop, kLB, kRB, kLT, kRT, kBlocks };
  std::vector<std::int64_t> point_blocks;
  std::vector<std::vector<std::int32_t>> priv, interior, exterior;
  std::vector<std::int64_t> xm_blocks, ym_blocks;
  double cells = 0, interior_cells = 0, strip_x = 0, strip_y = 0;
  for (std::int64_t i = 0; i < tiles; ++i) {
    const std::int64_t ix = i % tx, iy = i / tx;
    const std::int64_t w = part(npx, tx, ix), h = part(npy, ty, iy);
    const std::int64_t iw = w - 2 * r, ih = h - 2 * r;
    const std::int32_t base = static_cast<std::int32_t>(point_blocks.size());
    point_blocks.insert(point_blocks.end(),
                        {iw * ih, r * ih, r * ih, iw * r, iw * r, r * r, r * r, r * r, r * r});
    std::vector<std::int32_t> all;
    for (int k = 0; k < kBlocks; ++k) all.push_back(base + k);
    priv.push_back(all);
    interior.push_back({base + kInterior});
    const bool left = ix == 0, right = ix == tx - 1, bottom = iy == 0, top = iy == ty - 1;
    std::vector<std::int32_t> ext = {base + kInterior};
    if (left) ext.push_back(base + kLeft);
    if (right) ext.push_back(base + kRight);
    if (bottom) ext.push_back(base + kBottom);
    if (top) ext.push_back(base + kTop);
    if (left && bottom) ext.push_back(base + kLB);
    if (right && bottom) ext.push_back(base + kRB);
    if (left && top) ext.push_back(base + kLT);
    if (right && top) ext.push_back(base + kRT);
    exterior.push_back(ext);
    xm_blocks.push_back(r * part(n_y, ty, iy));
    ym_blocks.push_back(part(n_x, tx, ix) * r);
    cells += double(w * h);
    interior_cells += double(iw * ih);
    strip_x += double(r * part(n_y, ty, iy));
    strip_y += double(part(n_x, tx, ix) * r);
  }
  const double per_tile = cells / double(tiles);
  const double per_tile_interior = interior_cells / double(tiles);
  const double per_tile_strips = 2 * (strip_x + strip_y) / double(tiles);

  const std::vector<Field> point_fields = {{"input", 8}, {"output", 8}};
  int points = b.add_region("points", point_fields, point_blocks, 2);
  int xm = b.add_region("xm", point_fields, xm_blocks, 2);
  int xp = b.add_region("xp", point_fields, xm_blocks, 2);
  int ym = b.add_region("ym", point_fields, ym_blocks, 2);
  int yp = b.add_region("yp", point_fields, ym_blocks, 2);
  int times =
      b.add_region("times", {{"init_start", 8}, {"init_stop", 8}, {"start", 8}, {"stop", 8}},
                   std::vector<std::int64_t>(static_cast<std::size_t>(tiles), 1));

  int p_private = b.add_partition("private", points, {tiles}, priv);
  int p_interior = b.add_partition("interior", points, {tiles}, interior);
  int p_exterior = b.add_partition("exterior", points, {tiles}, exterior);
  // Strip block of tile (ix + dx, iy + dy), or none outside the tile grid.
  auto strips = [&](std::int64_t dx, std::int64_t dy) {
    std::vector<std::vector<std::int32_t>> pieces;
    for (std::int64_t i = 0; i < tiles; ++i) {
      const std::int64_t jx = i % tx + dx, jy = i / tx + dy;
      if (jx < 0 || jx >= tx || jy < 0 || jy >= ty) {
        pieces.emplace_back();
        continue;
      }
      pieces.push_back({static_cast<std::int32_t>(jy * tx + jx)});
    }
    return pieces;
  };
  int pxm_in = b.add_partition("pxm_in", xm, {tiles}, strips(-1, 0), false);
  int pxp_in = b.add_partition("pxp_in", xp, {tiles}, strips(1, 0), false);
  int pym_in = b.add_partition("pym_in", ym, {tiles}, strips(0, -1), false);
  int pyp_in = b.add_partition("pyp_in", yp, {tiles}, strips(0, 1), false);
  int pxm_out = b.add_partition("pxm_out", xm, {tiles}, strips(0, 0));
  int pxp_out = b.add_partition("pxp_out", xp, {tiles}, strips(0, 0));
  int pym_out = b.add_partition("pym_out", ym, {tiles}, strips(0, 0));
  int pyp_out = b.add_partition("pyp_out", yp, {tiles}, strips(0, 0));
  int p_times = b.add_partition("p_times", times, {tiles}, strips(0, 0));
  int all_times = b.add_whole("times", times);

  const std::vector<Variant> gpu_cpu = {{VariantKind::GPU, {}}, {VariantKind::CPU, {}}};
  const std::vector<Variant> cpu = {{VariantKind::CPU, {}}};
  int begin_init = b.add_task("begin_init", KernelClass::Streaming, cpu, {"times"});
  int stencil = b.add_task("stencil", KernelClass::Streaming, gpu_cpu,
                           {"private", "interior", "xm", "xp", "ym", "yp", "times"});
  int increment = b.add_task("increment", KernelClass::Streaming, gpu_cpu,
                             {"private", "exterior", "xm", "xp", "ym", "yp", "times"});
  int check = b.add_task("check", KernelClass::Streaming, cpu, {"private", "interior"});
  int get_elapsed = b.add_task("get_elapsed", KernelClass::Streaming, cpu, {"all_times"});
  int print_time = b.add_task("print_time", KernelClass::Streaming, cpu, {});

  const Projection id = AppBuilder::identity(1);
  using P = Privilege;
  Phase& init = b.add_phase("init", 1, /*timed=*/false);
  Launch& bi = b.add_index_launch(init, begin_init, {tiles}, 0);
  b.arg(bi, p_times, id, P::WriteDiscard, b.all_fields(p_times));

  Phase& loop = b.add_phase("steps", *steps);
  Launch& s = b.add_index_launch(loop, stencil, {tiles}, 16 * per_tile_interior);
  b.arg(s, p_private, id, P::ReadWrite, b.all_fields(p_private), 1.5);
  b.arg(s, p_interior, id, P::ReadOnly, b.fields(p_interior, {"input"}), 0);
  for (int strip : {pxm_in, pxp_in, pym_in, pyp_in})
    b.arg(s, strip, id, P::ReadOnly, b.fields(strip, {"input"}));
  b.arg(s, p_times, id, P::ReadWrite, b.all_fields(p_times), 2);
  Launch& inc = b.add_index_launch(loop, increment, {tiles}, per_tile + per_tile_strips);
  b.arg(inc, p_private, id, P::ReadWrite, b.fields(p_private, {"input"}), 2);
  b.arg(inc, p_exterior, id, P::ReadOnly, b.fields(p_exterior, {"input"}), 0);
  for (int strip : {pxm_out, pxp_out, pym_out, pyp_out})
    b.arg(inc, strip, id, P::ReadWrite, b.fields(strip, {"input"}), 2);
  b.arg(inc, p_times, id, P::ReadWrite, b.all_fields(p_times), 2);

  Phase& finish = b.add_phase("finish", 1, /*timed=*/false);
  Launch& c = b.add_index_launch(finish, check, {tiles}, 0);
  // Reads both fields of every interior cell twice; bytes are counted over private.
  b.arg(c, p_private, id, P::ReadOnly, b.all_fields(p_private), 2 * per_tile_interior / per_tile);
  b.arg(c, p_interior, id, P::ReadOnly, b.fields(p_interior, {"input"}), 0);
  Launch& ge = b.add_single_launch(finish, get_elapsed, 4 * double(tiles));
  b.arg(ge, all_times, AppBuilder::fixed({0}), P::ReadOnly, b.all_fields(all_times));
  b.add_index_launch(finish, print_time, {tiles}, 0);

  return b.finish({Metric::Kind::ElapsedTime, double(n_x) * double(n_y) * double(*steps), "cells"});
}

}  // namespace mapforge::app
