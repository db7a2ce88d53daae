// Tests of the circuit, stencil and pennant generators: they validate at default sizes, use the
// real programs' task and region-argument names, weak-scale, reject bad overrides with exact
// messages, are deterministic, and their ghost partitions really alias other pieces' blocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/builder.h"

namespace mapforge::app {
// Declared in builtin/generators.h once it exists.
LoadResult generate_circuit(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_stencil(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_pennant(const MachineFacts& machine, const Sizes& sizes);

namespace {

using Generator = LoadResult (*)(const MachineFacts&, const Sizes&);

const MachineFacts kOneNode{1, 4, 20};
const MachineFacts kSixteenNodes{16, 4, 40};

App must(Generator gen, const MachineFacts& m, const Sizes& sizes = {}) {
  LoadResult r = gen(m, sizes);
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors.front());
  EXPECT_TRUE(r.app.has_value());
  return r.app.value_or(App{});
}

std::vector<std::string> errors_of(Generator gen, const MachineFacts& m, const Sizes& sizes) {
  LoadResult r = gen(m, sizes);
  EXPECT_FALSE(r.app.has_value());
  return r.errors;
}

const Partition& partition(const App& app, const std::string& name) {
  for (const Partition& p : app.partitions)
    if (p.name == name) return p;
  ADD_FAILURE() << "no partition " << name;
  static Partition none;
  return none;
}

const Task& task(const App& app, const std::string& name) {
  int t = app.find_task(name);
  EXPECT_GE(t, 0) << name;
  static Task none;
  return t < 0 ? none : app.tasks[t];
}

std::int64_t piece_elements(const App& app, const Partition& p, std::size_t color) {
  std::int64_t n = 0;
  for (std::int32_t b : p.pieces[color]) n += app.regions[p.region].block_elements[b];
  return n;
}

/// Task names of a phase's launches, in order.
std::vector<std::string> launch_names(const App& app, const std::string& phase) {
  std::vector<std::string> out;
  for (const Phase& ph : app.phases)
    if (ph.name == phase)
      for (const Launch& l : ph.launches) out.push_back(app.tasks[l.task].name);
  return out;
}

/// Partition names passed to a launch, in argument order.
std::vector<std::string> arg_partitions(const App& app, const Launch& l) {
  std::vector<std::string> out;
  for (const RegionArg& a : l.args) out.push_back(app.partitions[a.partition].name);
  return out;
}

const Launch& first_launch(const App& app, const std::string& task_name) {
  for (const Phase& ph : app.phases)
    for (const Launch& l : ph.launches)
      if (app.tasks[l.task].name == task_name) return l;
  ADD_FAILURE() << "no launch of " << task_name;
  static Launch none;
  return none;
}

TEST(Scientific, DefaultsValidateOnSmallAndLargeMachines) {
  for (Generator gen : {&generate_circuit, &generate_stencil, &generate_pennant})
    for (const MachineFacts& m : {kOneNode, kSixteenNodes, MachineFacts{2, 0, 8}}) {
      App app = must(gen, m);
      EXPECT_TRUE(validate(app).empty());
    }
}

TEST(Circuit, NamesPrivilegesAndOrder) {
  App app = must(&generate_circuit, kOneNode);
  EXPECT_EQ(launch_names(app, "init"),
            (std::vector<std::string>{"begin_init", "init_piece", "init_pointers"}));
  EXPECT_EQ(
      launch_names(app, "simulate"),
      (std::vector<std::string>{"calculate_new_currents", "distribute_charge", "update_voltages"}));
  EXPECT_EQ(launch_names(app, "finish"),
            (std::vector<std::string>{"get_elapsed", "print_summary"}));
  EXPECT_EQ(task(app, "calculate_new_currents").arg_names,
            (std::vector<std::string>{"rpn", "rsn", "rgn", "rw", "rw", "rt"}));
  EXPECT_EQ(task(app, "distribute_charge").arg_names,
            (std::vector<std::string>{"rpn", "rsn", "rgn", "rw"}));
  EXPECT_EQ(task(app, "update_voltages").arg_names,
            (std::vector<std::string>{"rpn", "rpn", "rsn", "rsn", "rt"}));
  const Launch& dc = first_launch(app, "distribute_charge");
  EXPECT_EQ(arg_partitions(app, dc),
            (std::vector<std::string>{"rp_private", "rp_shared", "rp_ghost", "rp_wires"}));
  EXPECT_EQ(dc.args[0].privilege, Privilege::ReadWrite);
  EXPECT_EQ(dc.args[1].reduce, ReduceOp::Sum);
  EXPECT_EQ(dc.args[2].reduce, ReduceOp::Sum);
  EXPECT_EQ(task(app, "init_piece").variants.size(), 1u);
  EXPECT_NE(task(app, "calculate_new_currents").variant(VariantKind::GPU), nullptr);
  EXPECT_NE(task(app, "calculate_new_currents").variant(VariantKind::CPU), nullptr);
  EXPECT_EQ(app.metric.work_unit, "wires");
  EXPECT_DOUBLE_EQ(app.metric.work, 16.0 * 20000 * 50);
  // 96 flops per wire and step, 10000 steps, 20000 wires.
  EXPECT_DOUBLE_EQ(first_launch(app, "calculate_new_currents").flops, 20000.0 * (96 * 10000 + 2));
}

TEST(Circuit, WeakScalingAndGhostAliasing) {
  App one = must(&generate_circuit, kOneNode);
  App many = must(&generate_circuit, kSixteenNodes);
  EXPECT_EQ(partition(one, "rp_wires").pieces.size(), 16u);
  EXPECT_EQ(partition(many, "rp_wires").pieces.size(), 256u);
  for (const App* app : {&one, &many}) {
    EXPECT_EQ(piece_elements(*app, partition(*app, "rp_private"), 3), 4950);
    EXPECT_EQ(piece_elements(*app, partition(*app, "rp_shared"), 3), 50);
    EXPECT_EQ(piece_elements(*app, partition(*app, "rp_wires"), 3), 20000);
    EXPECT_DOUBLE_EQ(first_launch(*app, "calculate_new_currents").flops,
                     first_launch(one, "calculate_new_currents").flops);
  }
  const Partition& ghost = partition(many, "rp_ghost");
  const Partition& shared = partition(many, "rp_shared");
  EXPECT_FALSE(ghost.disjoint);
  EXPECT_EQ(ghost.region, shared.region);
  // Piece 10 reaches pieces 7..13: their shared blocks, its own included (the image of a range).
  std::vector<std::int32_t> expected;
  for (int p = 7; p <= 13; ++p) expected.push_back(shared.pieces[p][0]);
  EXPECT_EQ(ghost.pieces[10], expected);
  // Piece 0 reaches pieces 1..5 only.
  EXPECT_EQ(ghost.pieces[0].front(), shared.pieces[1][0]);
  EXPECT_EQ(ghost.pieces[0].back(), shared.pieces[5][0]);
  for (std::size_t i = 0; i < ghost.pieces.size(); ++i)
    for (std::int32_t b : ghost.pieces[i])
      EXPECT_TRUE(std::any_of(shared.pieces.begin(), shared.pieces.end(),
                              [&](const auto& s) { return s[0] == b; }));
  // No wire leaves a piece: no ghosts.
  App local = must(&generate_circuit, kOneNode, {{"pct_in_piece", 100}});
  EXPECT_TRUE(partition(local, "rp_ghost").pieces[3].empty());
}

TEST(Circuit, OverridesAndErrors) {
  App app = must(&generate_circuit, kOneNode, {{"pieces", 8}, {"loops", 3}, {"steps", 10}});
  EXPECT_EQ(partition(app, "rp_wires").pieces.size(), 8u);
  EXPECT_EQ(app.phases[1].repeat, 3);
  EXPECT_EQ(
      errors_of(&generate_circuit, kOneNode, {{"piece", 8}}),
      (std::vector<std::string>{"circuit: unknown size 'piece'; sizes are pieces, nodes_per_piece, "
                                "wires_per_piece, pct_in_piece, loops, steps"}));
  EXPECT_EQ(
      errors_of(&generate_circuit, kOneNode, {{"pieces", 0}}),
      (std::vector<std::string>{"circuit: size 'pieces' must be between 1 and 65536, got 0"}));
  EXPECT_EQ(errors_of(&generate_circuit, kOneNode, {{"loops", 1}, {"loops", 2}}),
            (std::vector<std::string>{"circuit: size 'loops' given twice"}));
  App cpu_only = must(&generate_circuit, MachineFacts{2, 0, 8});
  EXPECT_EQ(partition(cpu_only, "rp_wires").pieces.size(), 64u);
  App single = must(&generate_circuit, kOneNode, {{"pieces", 1}});
  EXPECT_TRUE(partition(single, "rp_ghost").pieces[0].empty());
}

TEST(Stencil, NamesAndPartitions) {
  App app = must(&generate_stencil, kOneNode);
  EXPECT_EQ(launch_names(app, "steps"), (std::vector<std::string>{"stencil", "increment"}));
  EXPECT_EQ(launch_names(app, "finish"),
            (std::vector<std::string>{"check", "get_elapsed", "print_time"}));
  EXPECT_EQ(task(app, "stencil").arg_names,
            (std::vector<std::string>{"private", "interior", "xm", "xp", "ym", "yp", "times"}));
  EXPECT_EQ(task(app, "increment").arg_names,
            (std::vector<std::string>{"private", "exterior", "xm", "xp", "ym", "yp", "times"}));
  EXPECT_EQ(arg_partitions(app, first_launch(app, "stencil")),
            (std::vector<std::string>{"private", "interior", "pxm_in", "pxp_in", "pym_in", "pyp_in",
                                      "p_times"}));
  EXPECT_EQ(arg_partitions(app, first_launch(app, "increment")),
            (std::vector<std::string>{"private", "exterior", "pxm_out", "pxp_out", "pym_out",
                                      "pyp_out", "p_times"}));
  EXPECT_EQ(task(app, "check").variants.size(), 1u);
  EXPECT_EQ(task(app, "check").variants[0].kind, VariantKind::CPU);
  // 2 x 2 tiles of 15004 x 15004 cells; the interior 15000 x 15000.
  const Partition& priv = partition(app, "private");
  ASSERT_EQ(priv.pieces.size(), 4u);
  EXPECT_EQ(piece_elements(app, priv, 0), 15004 * 15004);
  EXPECT_EQ(piece_elements(app, partition(app, "interior"), 0), 15000 * 15000);
  // Tile 0 is at the low corner: exterior keeps its left and bottom ring, not the others.
  EXPECT_EQ(piece_elements(app, partition(app, "exterior"), 0), 15002 * 15002);
  for (std::size_t i = 0; i < 4; ++i) {
    std::set<std::int32_t> p(priv.pieces[i].begin(), priv.pieces[i].end());
    for (const char* sub : {"interior", "exterior"})
      for (std::int32_t b : partition(app, sub).pieces[i]) EXPECT_TRUE(p.count(b));
  }
  // pxm_in of tile 1 = (1, 0) is tile 0's pxm_out block; tile 0 has none.
  EXPECT_FALSE(partition(app, "pxm_in").disjoint);
  EXPECT_TRUE(partition(app, "pxm_in").pieces[0].empty());
  EXPECT_EQ(partition(app, "pxm_in").pieces[1], partition(app, "pxm_out").pieces[0]);
  EXPECT_EQ(partition(app, "pyp_in").pieces[0], partition(app, "pyp_out").pieces[2]);
  EXPECT_EQ(app.metric.work_unit, "cells");
  EXPECT_DOUBLE_EQ(app.metric.work, 30000.0 * 30000.0 * 50);
}

TEST(Stencil, WeakScalingOverDecompositionAndErrors) {
  App many = must(&generate_stencil, kSixteenNodes);
  const Partition& priv = partition(many, "private");
  ASSERT_EQ(priv.pieces.size(), 64u);
  for (std::size_t i : {0u, 17u, 63u}) EXPECT_EQ(piece_elements(many, priv, i), 15004 * 15004);
  EXPECT_DOUBLE_EQ(first_launch(many, "stencil").flops,
                   first_launch(must(&generate_stencil, kOneNode), "stencil").flops);
  // A long thin domain in 1-D strips: 64 tiles along x.
  App strips = must(&generate_stencil, kOneNode,
                    {{"nx", 64 * 1000 + 4}, {"ny", 1004}, {"ntx", 64}, {"nty", 1}});
  EXPECT_EQ(partition(strips, "private").pieces.size(), 64u);
  EXPECT_TRUE(partition(strips, "pym_in").pieces[5].empty());
  EXPECT_EQ(partition(strips, "pxp_in").pieces[5], partition(strips, "pxp_out").pieces[6]);
  EXPECT_EQ(errors_of(&generate_stencil, kOneNode, {{"ntx", 100}, {"nx", 50}}),
            (std::vector<std::string>{"stencil: grid too small: 46 x 30000 interior cells for "
                                      "100 x 2 tiles"}));
  EXPECT_EQ(errors_of(&generate_stencil, kOneNode, {{"radius", 3}}),
            (std::vector<std::string>{
                "stencil: unknown size 'radius'; sizes are nx, ny, ntx, nty, steps"}));
  EXPECT_EQ(
      errors_of(&generate_stencil, kOneNode, {{"steps", 0}}),
      (std::vector<std::string>{"stencil: size 'steps' must be between 1 and 1000000, got 0"}));
}

TEST(Pennant, NamesAndLaunchOrder) {
  App app = must(&generate_pennant, kOneNode);
  const std::vector<std::string> cycle = {"continue_simulation",
                                          "init_step_points",
                                          "init_step_points",
                                          "init_step_zones",
                                          "calc_global_dt",
                                          "adv_pos_half",
                                          "adv_pos_half",
                                          "calc_centers",
                                          "calc_volumes",
                                          "calc_char_len",
                                          "calc_rho_half",
                                          "sum_point_mass",
                                          "calc_state_at_half",
                                          "calc_force_pgas_tts",
                                          "qcs_zone_center_velocity",
                                          "qcs_corner_divergence",
                                          "qcs_qcn_force",
                                          "qcs_force",
                                          "qcs_vel_diff",
                                          "sum_point_force",
                                          "apply_boundary_conditions",
                                          "apply_boundary_conditions",
                                          "adv_pos_full",
                                          "adv_pos_full",
                                          "calc_centers_full",
                                          "calc_volumes_full",
                                          "calc_work",
                                          "calc_work_rate_energy_rho_full",
                                          "calc_dt_hydro",
                                          "continue_simulation"};
  EXPECT_EQ(launch_names(app, "simulate"), cycle);
  EXPECT_EQ(
      arg_partitions(app, first_launch(app, "sum_point_force")),
      (std::vector<std::string>{"rz_all_p", "rp_all_private_p", "rp_all_ghost_p", "rs_all_p"}));
  EXPECT_EQ(task(app, "sum_point_force").arg_names,
            (std::vector<std::string>{"rz", "rpp", "rpg", "rs"}));
  EXPECT_EQ(task(app, "adv_pos_half").arg_names, (std::vector<std::string>{"rp", "rp"}));
  const Launch& spf = first_launch(app, "sum_point_force");
  EXPECT_EQ(spf.args[1].privilege, Privilege::ReadWrite);
  EXPECT_EQ(spf.args[2].privilege, Privilege::Reduce);
  EXPECT_EQ(spf.args[2].reduce, ReduceOp::Sum);
  const Launch& cgd = first_launch(app, "calc_global_dt");
  EXPECT_TRUE(cgd.domain.empty());
  EXPECT_EQ(task(app, "calc_global_dt").variants.size(), 1u);
  // The second adv_pos_half works on the shared points.
  int seen = 0;
  for (const Launch& l : app.phases[1].launches)
    if (app.tasks[l.task].name == "adv_pos_half" && ++seen == 2) {
      EXPECT_EQ(app.partitions[l.args[0].partition].name, "rp_all_shared_p");
    }
  EXPECT_EQ(app.metric.work_unit, "zones");
}

TEST(Pennant, WeakScalingAndGhostAliasing) {
  App one = must(&generate_pennant, kOneNode);
  App many = must(&generate_pennant, kSixteenNodes);
  EXPECT_EQ(partition(one, "rz_all_p").pieces.size(), 4u);
  EXPECT_EQ(partition(many, "rz_all_p").pieces.size(), 64u);
  for (const App* app : {&one, &many}) {
    EXPECT_EQ(piece_elements(*app, partition(*app, "rz_all_p"), 0), 1536 * 1536);
    EXPECT_EQ(piece_elements(*app, partition(*app, "rs_all_p"), 0), 4 * 1536 * 1536);
    EXPECT_DOUBLE_EQ(first_launch(*app, "qcs_corner_divergence").flops, 112.0 * 4 * 1536 * 1536);
  }
  // 2 x 2 pieces, 3072 x 3072 zones: piece 0 owns its right and top edges and the centre point.
  const Partition& priv = partition(one, "rp_all_private_p");
  const Partition& shared = partition(one, "rp_all_shared_p");
  const Partition& ghost = partition(one, "rp_all_ghost_p");
  EXPECT_FALSE(ghost.disjoint);
  EXPECT_EQ(piece_elements(one, priv, 0), 1536 * 1536);
  EXPECT_EQ(piece_elements(one, shared, 0), 2 * 1536 + 1);
  EXPECT_EQ(piece_elements(one, shared, 3), 0);
  EXPECT_EQ(piece_elements(one, ghost, 3), 2 * 1536 + 1);
  std::int64_t all_points = 0;
  for (std::int64_t n : one.regions[priv.region].block_elements) all_points += n;
  EXPECT_EQ(all_points, 3073 * 3073);
  // Piece 3's ghost blocks are all owned (shared) by other pieces.
  for (std::int32_t b : ghost.pieces[3]) {
    bool other = false;
    for (std::size_t j = 0; j < 3; ++j)
      other = other || std::count(shared.pieces[j].begin(), shared.pieces[j].end(), b) > 0;
    EXPECT_TRUE(other) << b;
  }
  EXPECT_EQ(errors_of(&generate_pennant, kOneNode, {{"nzx", 1}, {"nzy", 1}}),
            (std::vector<std::string>{"pennant: mesh too small: 1 x 1 zones for 2 x 2 pieces"}));
  EXPECT_EQ(errors_of(&generate_pennant, kOneNode, {{"zones", 5}}),
            (std::vector<std::string>{
                "pennant: unknown size 'zones'; sizes are pieces, nzx, nzy, cycles"}));
}

TEST(Scientific, Deterministic) {
  for (Generator gen : {&generate_circuit, &generate_stencil, &generate_pennant})
    EXPECT_EQ(to_json(must(gen, kSixteenNodes)), to_json(must(gen, kSixteenNodes)));
}

}  // namespace
}  // namespace mapforge::app
