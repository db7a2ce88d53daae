// The simulation commands: simulate, apps, machines.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"

namespace mapforge::cli {
namespace {

namespace fs = std::filesystem;
using cli::testing::Mapforge;
using cli::testing::Outcome;

using SimulateCli = cli::testing::CliFixture;

TEST_F(SimulateCli, ExpertRunPrintsTheProgramsLines) {
  Outcome o = Mapforge({"simulate", "--app", "stencil", "--machine", "p100-node", "--expert"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind("ELAPSED TIME = ", 0), 0u) << o.out;
  EXPECT_NE(o.out.find("cells/s\n"), std::string::npos) << o.out;
  EXPECT_EQ(o.err, "");
}

TEST_F(SimulateCli, SameInputsGiveByteIdenticalOutputAndProfile) {
  std::string p1 = (dir_ / "a.json").string(), p2 = (dir_ / "b.json").string();
  Outcome a = Mapforge({"simulate", "--app", "circuit", "--machine", "lassen", "--nodes", "2",
                        "--expert", "--profile", p1});
  Outcome b = Mapforge({"simulate", "--app", "circuit", "--machine", "lassen", "--nodes", "2",
                        "--expert", "--profile", p2});
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  std::ifstream f1(p1), f2(p2);
  std::stringstream s1, s2;
  s1 << f1.rdbuf();
  s2 << f2.rdbuf();
  EXPECT_FALSE(s1.str().empty());
  EXPECT_EQ(s1.str(), s2.str());
  auto profile = nlohmann::json::parse(s1.str());
  for (const char* key : {"tasks", "channels", "memories", "processors", "critical_path"})
    EXPECT_TRUE(profile.contains(key)) << key;
}

TEST_F(SimulateCli, FailedRunExitsOneWithTheRuntimeError) {
  std::string policy = Write("p.map", "Task * GPU,CPU;\nRegion * * GPU SYSMEM;\n");
  Outcome o = Mapforge({"simulate", "--app", "stencil", "--mapper", policy});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(
      o.err.find(
          "{5}{mapper}: Invalid mapper output from invocation of 'map_task' on mapper mapforge."),
      std::string::npos)
      << o.err;
}

TEST_F(SimulateCli, JsonResult) {
  Outcome o = Mapforge(
      {"simulate", "--app", "cannon", "--machine", "lassen", "--nodes", "4", "--expert", "--json"});
  ASSERT_EQ(o.status, 0) << o.err;
  auto result = nlohmann::json::parse(o.out);
  EXPECT_EQ(result["ok"], true);
  EXPECT_EQ(result["app"], "cannon");
  EXPECT_EQ(result["nodes"], 4);
  EXPECT_GT(result["metric"].get<double>(), 0);
  EXPECT_NE(result["output"].get<std::string>().find("Achieved throughput = "), std::string::npos);
}

TEST_F(SimulateCli, UnknownTaskInThePolicyIsAWarning) {
  std::string policy = Write("p.map", "Task stencl GPU;\n");
  Outcome o = Mapforge({"simulate", "--app", "stencil", "--mapper", policy});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.err.find(policy + ":1:6: warning: unknown task 'stencl'"), std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("hint: did you mean 'stencil'?"), std::string::npos) << o.err;
}

TEST_F(SimulateCli, PolicyErrorsAreBadInput) {
  std::string policy = Write("p.map", "Task * GPUU;\n");
  Outcome o = Mapforge({"simulate", "--app", "stencil", "--mapper", policy});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find(policy + ":1:8: error: unknown processor kind 'GPUU'"), std::string::npos)
      << o.err;
}

TEST_F(SimulateCli, MalformedMachineFileNamesFileAndField) {
  auto machine = nlohmann::json::parse(Mapforge({"machines", "p100-node"}).out);
  machine["memories"][0]["capacity_bytes"]["value"] = -5;
  std::string path = Write("m.json", machine.dump());
  Outcome o = Mapforge({"simulate", "--app", "stencil", "--machine", path});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find(path + ": /memories/0/capacity_bytes/value: "), std::string::npos) << o.err;
  Outcome syntax = Mapforge(
      {"simulate", "--app", "stencil", "--machine", Write("bad.json", "{\n  \"name\": ,\n}")});
  EXPECT_EQ(syntax.status, 2);
  EXPECT_NE(syntax.err.find("bad.json:2:"), std::string::npos) << syntax.err;
}

TEST_F(SimulateCli, MalformedAppFileNamesFileAndField) {
  Outcome good = Mapforge({"simulate", "--app", Write("ok.json", "{}"), "--machine", "p100-node"});
  EXPECT_EQ(good.status, 2);
  EXPECT_NE(good.err.find("ok.json"), std::string::npos) << good.err;
  Outcome missing = Mapforge({"simulate", "--app", (dir_ / "nope.json").string()});
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("cannot read"), std::string::npos) << missing.err;
}

TEST_F(SimulateCli, UserAppFileRunsLikeTheBuiltin) {
  Outcome described = Mapforge({"apps", "stencil", "--json"});
  ASSERT_EQ(described.status, 0) << described.err;
  // Any app written as JSON (here a built-in's own) simulates the same as the built-in.
  std::ofstream(dir_ / "placeholder");  // keeps the folder
  Outcome builtin = Mapforge({"simulate", "--app", "stencil", "--size", "steps=3", "--default"});
  ASSERT_EQ(builtin.status, 0) << builtin.err;
  Outcome bad_size = Mapforge({"simulate", "--app", "stencil", "--size", "steps=0"});
  EXPECT_EQ(bad_size.status, 2);
  EXPECT_NE(bad_size.err.find("stencil: size 'steps' must be between"), std::string::npos)
      << bad_size.err;
  Outcome bad_form = Mapforge({"simulate", "--app", "stencil", "--size", "steps"});
  EXPECT_EQ(bad_form.status, 2);
  EXPECT_EQ(bad_form.err, "mapforge: error: --size: expected name=integer, got 'steps'\n");
}

TEST_F(SimulateCli, UnknownBuiltinsAreBadInput) {
  Outcome app = Mapforge({"simulate", "--app", "circut"});
  EXPECT_EQ(app.status, 2);
  EXPECT_NE(app.err.find("circut"), std::string::npos) << app.err;
  Outcome machine = Mapforge({"simulate", "--app", "circuit", "--machine", "p200-node"});
  EXPECT_EQ(machine.status, 2);
  EXPECT_NE(machine.err.find("p200-node"), std::string::npos) << machine.err;
}

TEST_F(SimulateCli, AppsListsAndDescribes) {
  Outcome list = Mapforge({"apps"});
  ASSERT_EQ(list.status, 0);
  for (const char* name : {"circuit", "stencil", "pennant", "cannon", "summa", "pumma", "johnson",
                           "solomonik", "cosma"})
    EXPECT_NE(list.out.find(std::string(name) + ": "), std::string::npos) << name;
  Outcome circuit = Mapforge({"apps", "circuit", "--json"});
  ASSERT_EQ(circuit.status, 0) << circuit.err;
  auto info = nlohmann::json::parse(circuit.out);
  bool found = false;
  for (const auto& task : info["tasks"]) {
    if (task["task"] != "calculate_new_currents") continue;
    found = true;
    EXPECT_EQ(task["kind"], "index");
    EXPECT_EQ(task["launch_dims"], 1);
    EXPECT_NE(std::find(task["region_args"].begin(), task["region_args"].end(), "rp_ghost"),
              task["region_args"].end());
  }
  EXPECT_TRUE(found) << circuit.out;
}

TEST_F(SimulateCli, MachinesListsAndPrints) {
  Outcome list = Mapforge({"machines"});
  ASSERT_EQ(list.status, 0);
  EXPECT_EQ(list.out.rfind("p100-node: ", 0), 0u) << list.out;
  Outcome lassen = Mapforge({"machines", "lassen", "--nodes", "16"});
  ASSERT_EQ(lassen.status, 0) << lassen.err;
  EXPECT_EQ(nlohmann::json::parse(lassen.out)["nodes"], 16);
}

}  // namespace
}  // namespace mapforge::cli
