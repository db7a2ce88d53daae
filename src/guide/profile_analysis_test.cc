// Tests of the profile analysis on profiles made by the simulator (testdata/profiles, trimmed):
//   circuit_zcmem_steps1.json    circuit --size steps=1 under the expert mapper (rp_ghost, rp_shared in ZCMEM)
//   circuit_all_on_gpu0.json     circuit with the three loop tasks mapped to GPU 0 by IndexTaskMap
//   circuit_all_cpu.json         circuit under `Task * CPU;`
//   cannon_lassen4.json          cannon --expert --machine lassen --nodes 4
//   circuit_memory_pressure.json circuit --expert, FBMEM of GPU 2 edited to high_water_share 0.97
#include "guide/profile_analysis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace mapforge::guide {
namespace {

std::string load(const std::string& name) {
  std::string file = __FILE__;
  std::string dir = file.substr(0, file.find_last_of('/') + 1);
  std::ifstream in(dir + "testdata/profiles/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Record* find_rule(const std::vector<Record>& records, const std::string& rule) {
  for (const Record& r : records)
    if (r.rule == rule) return &r;
  return nullptr;
}

bool has_statement(const std::vector<Record>& records, const std::string& statement) {
  for (const Record& r : records)
    if (std::find(r.statements.begin(), r.statements.end(), statement) != r.statements.end()) return true;
  return false;
}

TEST(ProfileAnalysis, CriticalPathComesFirstWithNumbers) {
  auto records = analyze_profile(load("circuit_zcmem_steps1.json"), Level::Suggest);
  ASSERT_FALSE(records.empty());
  EXPECT_LE(records.size(), 8u);
  EXPECT_EQ(records[0].rule, "profile.critical_path");
  EXPECT_EQ(records[0].fields.at("task"), "calculate_new_currents");
  EXPECT_NE(records[0].fact.find("49% of the critical path"), std::string::npos) << records[0].fact;
  EXPECT_NE(records[0].fact.find("waiting for copies"), std::string::npos);
  for (const Record& r : records) EXPECT_EQ(r.category, Category::Performance);
}

TEST(ProfileAnalysis, ZeroCopyArgumentsOfADataBoundTaskGetFramebuffer) {
  auto records = analyze_profile(load("circuit_zcmem_steps1.json"), Level::Suggest);
  const Record* r = find_rule(records, "profile.slow_memory");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->fields.at("task"), "calculate_new_currents");
  EXPECT_NE(r->fact.find("rp_ghost from ZCMEM at"), std::string::npos) << r->fact;
  EXPECT_NE(r->fact.find("rp_shared from ZCMEM"), std::string::npos) << r->fact;
  EXPECT_EQ(r->statement_kind, "Region");
  EXPECT_TRUE(has_statement(records, "Region calculate_new_currents rp_ghost GPU FBMEM;"));
  EXPECT_TRUE(has_statement(records, "Region calculate_new_currents rp_shared GPU FBMEM;"));
}

TEST(ProfileAnalysis, ComputeBoundTaskGetsNoMemorySuggestion) {
  // The same mapper with the default 50 inner steps: the kernel dominates, ZCMEM does not matter.
  auto records = analyze_profile(load("circuit_memory_pressure.json"), Level::Suggest);
  EXPECT_EQ(find_rule(records, "profile.slow_memory"), nullptr);
  ASSERT_FALSE(records.empty());
  EXPECT_NE(records[0].explanation.find("compute-bound"), std::string::npos);
}

TEST(ProfileAnalysis, AllOnOneGpuIsLoadImbalance) {
  auto records = analyze_profile(load("circuit_all_on_gpu0.json"), Level::Suggest);
  const Record* r = find_rule(records, "profile.load_imbalance");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->fields.at("processor"), "GPU 0 on node 0");
  EXPECT_NE(r->fact.find("1 of the machine's 4 GPUs"), std::string::npos) << r->fact;
  EXPECT_EQ(r->statement_kind, "IndexTaskMap");
  ASSERT_EQ(r->statements.size(), 2u);
  EXPECT_NE(r->statements[0].find("def block_nodes(Task task)"), std::string::npos);
  EXPECT_NE(r->statements[1].find("IndexTaskMap calculate_new_currents"), std::string::npos);
  EXPECT_NE(r->statements[1].find("block_nodes;"), std::string::npos);
}

TEST(ProfileAnalysis, CpuOnlyPolicyOnAGpuMachine) {
  auto records = analyze_profile(load("circuit_all_cpu.json"), Level::Suggest);
  const Record* r = find_rule(records, "profile.cpu_bound");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(has_statement(records, "Task calculate_new_currents GPU,CPU;"));
}

TEST(ProfileAnalysis, MultiNodeNetworkBytes) {
  auto records = analyze_profile(load("cannon_lassen4.json"), Level::Suggest);
  const Record* r = find_rule(records, "profile.network");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->fields.at("channel"), "Network");
  EXPECT_EQ(r->fields.at("bytes"), "25.6 GB");
  EXPECT_NE(r->fact.find("25.6 GB crosses the network between nodes"), std::string::npos) << r->fact;
  EXPECT_EQ(r->statement_kind, "IndexTaskMap");
  ASSERT_FALSE(r->statements.empty());
  EXPECT_NE(r->statements.back().find("IndexTaskMap task_5 block_nodes;"), std::string::npos);
  // task_5 waits for its copies; the record names the channel.
  const Record* w = find_rule(records, "profile.copy_wait");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->fields.at("task"), "task_5");
  EXPECT_EQ(w->fields.at("channel"), "Network");
}

TEST(ProfileAnalysis, MemoryPressure) {
  auto records = analyze_profile(load("circuit_memory_pressure.json"), Level::Suggest);
  const Record* r = find_rule(records, "profile.memory_pressure");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->fields.at("memory"), "FBMEM of GPU 2 on node 0");
  EXPECT_NE(r->fact.find("peaks at 15.6 of 16.1 GB"), std::string::npos) << r->fact;
  EXPECT_EQ(r->statement_kind, "CollectMemory");
  bool collect = false, limit = false;
  for (const std::string& s : r->statements) {
    collect = collect || s.rfind("CollectMemory ", 0) == 0;
    limit = limit || s.rfind("InstanceLimit ", 0) == 0;
  }
  EXPECT_TRUE(collect);
  EXPECT_TRUE(limit);
}

TEST(ProfileAnalysis, LevelsTrimFields) {
  std::string json = load("circuit_zcmem_steps1.json");
  auto exec = analyze_profile(json, Level::Execution);
  auto explain = analyze_profile(json, Level::Explain);
  auto suggest = analyze_profile(json, Level::Suggest);
  ASSERT_EQ(exec.size(), suggest.size());
  ASSERT_EQ(explain.size(), suggest.size());
  bool any_statement = false;
  for (std::size_t i = 0; i < exec.size(); ++i) {
    EXPECT_EQ(exec[i].fact, suggest[i].fact);
    EXPECT_EQ(exec[i].fields, suggest[i].fields);
    EXPECT_TRUE(exec[i].explanation.empty());
    EXPECT_TRUE(exec[i].suggestion.empty());
    EXPECT_TRUE(exec[i].statements.empty());
    EXPECT_FALSE(explain[i].explanation.empty());
    EXPECT_TRUE(explain[i].suggestion.empty());
    EXPECT_TRUE(explain[i].statement_kind.empty());
    EXPECT_TRUE(explain[i].statements.empty());
    any_statement = any_statement || !suggest[i].statements.empty();
  }
  EXPECT_TRUE(any_statement);
}

TEST(ProfileAnalysis, Deterministic) {
  std::string json = load("cannon_lassen4.json");
  auto a = analyze_profile(json, Level::Suggest);
  auto b = analyze_profile(json, Level::Suggest);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].fact, b[i].fact);
    EXPECT_EQ(a[i].statements, b[i].statements);
  }
}

TEST(ProfileAnalysis, GarbageNeverCrashes) {
  const char* inputs[] = {
      "", "not json", "[]", "null", "42", "{", "{}", R"({"tasks": 5})", R"({"tasks": [1, "x", null, {}]})",
      R"({"critical_path": {"by_task": [{"task": "t", "share": 1e400, "run_s": -1}]}})",
      R"({"critical_path": {"by_task": [{"task": "t", "share": 0.9}]}, "tasks": [{"task": "t", "kind": "GPU", "data_s": 1, "busy_s": 1, "args": [{"region": "r x", "memory": "ZCMEM", "data_s": 1}]}]})",
      R"({"memories": [{"memory": "m", "kind": "FBMEM", "high_water_share": 0.95, "capacity_bytes": 0}]})",
      R"({"processors": [{"processor": "GPU 0", "busy_s": 1}, {"processor": "GPU 1", "busy_s": 0}], "machine": "lassen", "nodes": -3})",
      R"({"channels": [{"channel": "Network", "bytes": 1e12, "busy_s": "x"}], "nodes": 2})",
      R"({"tasks": [], "channels": [], "memories": [], "processors": [], "critical_path": {"by_task": []}})",
  };
  for (const char* in : inputs)
    for (Level level : {Level::Execution, Level::Explain, Level::Suggest}) {
      auto records = analyze_profile(in, level);
      EXPECT_LE(records.size(), 8u) << in;
      for (const Record& r : records) EXPECT_EQ(r.category, Category::Performance);
    }
  EXPECT_EQ(analyze_profile("not json", Level::Suggest).size(), 1u);
  EXPECT_TRUE(analyze_profile("{}", Level::Suggest).empty());
  // The region "r x" is not a name: no statement is made of it.
  auto r = analyze_profile(inputs[10], Level::Suggest);
  for (const Record& rec : r)
    for (const std::string& s : rec.statements) EXPECT_EQ(s.find("r x"), std::string::npos);
  // Every prefix of a real profile, and byte flips in it.
  std::string json = load("circuit_all_on_gpu0.json");
  for (std::size_t n = 0; n < json.size(); n += 97) analyze_profile(json.substr(0, n), Level::Suggest);
  for (std::size_t i = 0; i < json.size(); i += 31) {
    std::string bad = json;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    analyze_profile(bad, Level::Suggest);
  }
}

}  // namespace
}  // namespace mapforge::guide
