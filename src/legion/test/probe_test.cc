// Runs the Legion probe program under several policies and checks every decision it recorded
// (processor kind, processor, memory, layout) against what the policy says, plus the errors a
// bad policy or a failing mapping function must produce.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/dsl.h"
#include "legion/layout.h"

namespace mapforge::legion {
namespace {

// A CPU-only node: four CPUs, one OpenMP processor, system and socket memory.
const char* const kMachineFlags =
    "-ll:cpu 4 -ll:util 1 -ll:ocpu 1 -ll:othr 1 -ll:csize 256 -ll:nsize 64";

using Fields = std::map<std::string, std::string>;
struct Line {
  std::string type;
  Fields fields;
};

struct ProbeRun {
  int status = -1;
  std::string out, err;
  std::vector<Line> records;
  std::vector<std::string> trace;
  std::string policy;
  const Line* machine() const {
    for (const Line& line : records)
      if (line.type == "machine") return &line;
    return nullptr;
  }
  std::vector<const Line*> of(const std::string& type, const std::string& task) const {
    std::vector<const Line*> lines;
    for (const Line& line : records)
      if (line.type == type && line.fields.at("task") == task) lines.push_back(&line);
    return lines;
  }
  bool traced(const std::string& prefix) const {
    return std::any_of(trace.begin(), trace.end(),
                       [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

Line parse_line(const std::string& text) {
  Line line;
  std::stringstream stream(text);
  stream >> line.type;
  for (std::string word; stream >> word;) {
    auto eq = word.find('=');
    if (eq != std::string::npos) line.fields[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return line;
}

std::string policy_path(const std::string& name) {
  return std::string(MAPFORGE_LEGION_POLICIES) + "/" + name;
}

ProbeRun run_probe(const std::string& policy, const std::string& extra = "") {
  char dir_template[] = "/tmp/mapforge-legion-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  ProbeRun run;
  run.policy = policy;
  const std::string command = "cd " + dir + " && timeout 180 stdbuf -o0 -e0 " +
                              MAPFORGE_LEGION_PROBE + " -mapping " + policy +
                              " -mapping:trace trace.txt -record record.txt " + kMachineFlags +
                              " " + extra + " > out.txt 2> err.txt";
  const int raw = std::system(command.c_str());
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  run.out = slurp(dir + "/out.txt");
  run.err = slurp(dir + "/err.txt");
  for (const std::string& text : lines_of(slurp(dir + "/record.txt")))
    run.records.push_back(parse_line(text));
  run.trace = lines_of(slurp(dir + "/trace.txt"));
  std::system(("rm -rf " + dir).c_str());
  return run;
}

std::vector<std::int64_t> numbers(const std::string& text) {
  std::vector<std::int64_t> values;
  if (text == "-") return values;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, ',');) values.push_back(std::stoll(part));
  return values;
}

// "CPU=4:SOCKMEM,SYSMEM" fields of the probe's machine line.
dsl::MachineShape shape_of(const Line& machine) {
  dsl::MachineShape shape;
  shape.nodes = std::stoi(machine.fields.at("nodes"));
  for (dsl::ProcKind kind : dsl::kAllProcKinds) {
    const std::string& value = machine.fields.at(std::string(dsl::to_string(kind)));
    auto colon = value.find(':');
    shape.procs_per_node[static_cast<int>(kind)] = std::stoi(value.substr(0, colon));
    std::stringstream mems(value.substr(colon + 1));
    for (std::string mem; std::getline(mems, mem, ',');)
      if (auto kind_of = dsl::parse_mem_kind(mem))
        shape.visible_memories[static_cast<int>(kind)].push_back(*kind_of);
  }
  return shape;
}

// What the probe's tasks have: variants and the names of their region arguments.
const std::map<std::string, std::vector<dsl::ProcKind>> kVariants = {
    {"fill", {dsl::ProcKind::CPU, dsl::ProcKind::OMP}},
    {"stencil", {dsl::ProcKind::CPU, dsl::ProcKind::OMP}},
    {"summary", {dsl::ProcKind::CPU}}};
const std::map<std::string, std::vector<std::string>> kRegionNames = {
    {"fill", {"cell_tiles", "params"}},
    {"stencil", {"grid_tiles", "params", "cells"}},
    {"summary", {"cells", "grid"}}};

std::string where(const Line& line) {
  return line.fields.at("task") + " point " + line.fields.at("point");
}

// Every decision the probe recorded, against the policy interpreted independently here.
void check_against_policy(const ProbeRun& run) {
  ASSERT_EQ(run.status, 0) << run.err;
  const Line* machine = run.machine();
  ASSERT_NE(machine, nullptr) << "the probe recorded no machine line";
  const dsl::MachineShape shape = shape_of(*machine);
  auto policy = dsl::Policy::load(run.policy, slurp(run.policy));
  ASSERT_TRUE(policy.ok()) << dsl::render_all(policy.errors());
  auto mapper = dsl::Mapper::create(policy.value(), shape);
  ASSERT_TRUE(mapper.ok());
  const dsl::Mapper& m = mapper.value();

  const Line* main_run = run.of("run", "main").at(0);
  const dsl::ProcessorId parent{std::stoi(main_run->fields.at("node")),
                                std::stoi(main_run->fields.at("index")), dsl::ProcKind::CPU};
  std::map<std::string, dsl::ProcKind> kind_of_point;  // "task point" -> kind it ran on

  for (const auto& [task, variants] : kVariants) {
    std::optional<dsl::ProcKind> expected = m.select_kind(task, variants);
    if (m.task_kinds(task).empty())  // the default ranking: OMP before CPU
      expected = shape.count(dsl::ProcKind::OMP) > 0 && variants.size() > 1 ? dsl::ProcKind::OMP
                                                                            : dsl::ProcKind::CPU;
    ASSERT_TRUE(expected) << task;
    for (const Line* line : run.of("run", task)) {
      const std::string kind = line->fields.at("kind");
      EXPECT_EQ(kind, dsl::to_string(*expected)) << where(*line);
      kind_of_point[where(*line)] = *expected;
      const std::vector<std::int64_t> point = numbers(line->fields.at("point"));
      const std::vector<std::int64_t> domain = numbers(line->fields.at("domain"));
      std::optional<dsl::Placement> placed;
      if (!point.empty() && m.has_index_map(task, *expected)) {
        auto result = m.map_index_point(task, *expected, {point, domain}, parent);
        ASSERT_TRUE(result.ok()) << dsl::render_all(result.errors());
        placed = result.value();
      } else if (point.empty() && m.has_single_map(task, *expected)) {
        auto result = m.map_single_task(task, *expected, parent);
        ASSERT_TRUE(result.ok()) << dsl::render_all(result.errors());
        placed = result.value();
      }
      if (placed) {
        EXPECT_EQ(std::stoi(line->fields.at("node")), placed->processors.front().node)
            << where(*line);
        EXPECT_EQ(std::stoi(line->fields.at("index")), placed->processors.front().index)
            << where(*line);
      }
    }
  }

  for (const auto& [task, names] : kRegionNames) {
    for (const Line* line : run.of("region", task)) {
      const int arg = std::stoi(line->fields.at("arg"));
      const std::string& name = names.at(static_cast<std::size_t>(arg));
      const dsl::ProcKind kind = kind_of_point.at(where(*line));
      const std::string context = where(*line) + " arg " + std::to_string(arg) + " (" + name + ")";
      const auto memory = dsl::parse_mem_kind(line->fields.at("memory"));
      ASSERT_TRUE(memory) << context << ": memory " << line->fields.at("memory");
      const auto listed = m.region_memories(task, {name, arg}, kind);
      if (!listed.empty()) {
        auto visible = std::find_if(listed.begin(), listed.end(),
                                    [&](dsl::MemKind mem) { return shape.sees(kind, mem); });
        ASSERT_NE(visible, listed.end()) << context;
        EXPECT_EQ(*memory, *visible) << context;
      } else {
        EXPECT_TRUE(shape.sees(kind, *memory)) << context;
      }
      const auto words = m.layout(task, {name, arg}, *memory);
      const InstanceLayout layout = resolve_layout(words);
      // SOA: a field's elements are adjacent doubles. AOS: elements interleave the two
      // fields, 16 bytes apart, or more where alignment pads each field.
      const unsigned long stride = std::stoul(line->fields.at("field_stride"));
      if (layout.aos) {
        EXPECT_GE(stride, 16u) << context;
      } else {
        EXPECT_EQ(stride, 8u) << context;
      }
      if (line->fields.at("order") != "-") {
        EXPECT_EQ(line->fields.at("order"), layout.c_order ? "C" : "F") << context;
      }
      if (layout.exact) {
        EXPECT_EQ(line->fields.at("exact"), "1") << context;
      }
      if (layout.alignment) {
        EXPECT_GE(std::stoul(line->fields.at("align")), *layout.alignment) << context;
      }
      // Silent about the layout, a tile's instance is the default mapper's: the whole region
      // (one node), whatever the application's tag bits say.
      const bool tile = (task == "fill" || task == "stencil") && arg == 0;
      if (!words && tile) {
        EXPECT_EQ(line->fields.at("exact"), "0") << context;
      }
    }
  }
}

void expect_elapsed(const ProbeRun& run) {
  EXPECT_TRUE(std::regex_search(run.out, std::regex(R"(ELAPSED TIME = [0-9]+\.[0-9]+ s)")))
      << run.out;
}

TEST(LegionProbe, DefaultPolicyMapsLikeTheDefaultMapperAndIgnoresApplicationTags) {
  ProbeRun run = run_probe(policy_path("default.map"));
  check_against_policy(run);
  expect_elapsed(run);
  EXPECT_EQ(run.of("run", "fill").size(), 16u);  // 8 points, 2 iterations
  EXPECT_EQ(run.of("run", "stencil").size(), 16u);
  EXPECT_EQ(run.of("run", "summary").size(), 2u);
  // fill's first argument carries VIRTUAL_MAP | EXACT_REGION as an application tag: a real
  // instance of the whole region, not a virtual mapping or an exact one.
  for (const Line* line : run.of("region", "fill"))
    if (line->fields.at("arg") == "0") {
      EXPECT_EQ(line->fields.at("exact"), "0");
    }
}

TEST(LegionProbe, PlacementPolicyDecidesEveryProcessorMemoryAndLayout) {
  ProbeRun run = run_probe(policy_path("placement.map"));
  check_against_policy(run);
  expect_elapsed(run);
  const dsl::MachineShape shape = shape_of(*run.machine());
  ASSERT_EQ(shape.count(dsl::ProcKind::CPU), 4);
  // Spelled out too, not only through the interpreter.
  for (const Line* line : run.of("run", "fill")) {
    const auto p = numbers(line->fields.at("point"));
    EXPECT_EQ(line->fields.at("kind"), "CPU");
    EXPECT_EQ(std::stoll(line->fields.at("index")), p[0] * 4 / 8) << where(*line);
  }
  for (const Line* line : run.of("run", "stencil")) {
    const auto p = numbers(line->fields.at("point"));
    EXPECT_EQ(std::stoll(line->fields.at("index")), (p[0] + p[1] * 4) % 4) << where(*line);
  }
  for (const Line* line : run.of("run", "summary")) {
    EXPECT_EQ(line->fields.at("index"), "3");
  }
  const bool sockets = shape.sees(dsl::ProcKind::CPU, dsl::MemKind::SOCKMEM);
  for (const Line* line : run.of("region", "fill"))
    if (line->fields.at("arg") == "0") {
      EXPECT_EQ(line->fields.at("memory"), sockets ? "SOCKMEM" : "SYSMEM");
      EXPECT_EQ(line->fields.at("exact"), "1");
      EXPECT_EQ(line->fields.at("field_stride"), "8");
    }
  for (const Line* line : run.of("region", "stencil"))
    if (line->fields.at("arg") == "0") {
      EXPECT_EQ(line->fields.at("memory"), "SYSMEM");
      EXPECT_EQ(line->fields.at("field_stride"), "256");  // A and B, each padded to 128 bytes
      EXPECT_EQ(line->fields.at("order"), "C");
      EXPECT_GE(std::stoul(line->fields.at("align")), 128u);
    }
  EXPECT_TRUE(run.traced("collect task=summary arg=0 read_only=1"));
  EXPECT_TRUE(run.traced("layout task=stencil arg=0 constraints=AOS C_order Align==128"));
}

TEST(LegionProbe, OpenMpPolicyFallsBackToCpuWhereTheTaskHasNoOpenMpVariant) {
  ProbeRun run = run_probe(policy_path("omp.map"));
  ASSERT_NE(run.machine(), nullptr) << run.err;
  if (shape_of(*run.machine()).count(dsl::ProcKind::OMP) == 0)
    GTEST_SKIP() << "this Legion has no OpenMP processors";
  check_against_policy(run);
  for (const Line* line : run.of("run", "fill")) {
    EXPECT_EQ(line->fields.at("kind"), "OMP");
  }
  for (const Line* line : run.of("run", "summary")) {
    EXPECT_EQ(line->fields.at("kind"), "CPU");
  }
}

// The largest number of the task's runs in flight at one moment.
int max_overlap(const std::vector<const Line*>& runs) {
  std::vector<std::pair<long long, int>> events;
  for (const Line* line : runs) {
    events.emplace_back(std::stoll(line->fields.at("start")), +1);
    events.emplace_back(std::stoll(line->fields.at("end")), -1);
  }
  std::sort(events.begin(), events.end());  // an end sorts before a start at the same time
  int running = 0, most = 0;
  for (const auto& event : events) most = std::max(most, running += event.second);
  return most;
}

TEST(LegionProbe, InstanceLimitHoldsBackTasksUntilOthersFinish) {
  ProbeRun limited = run_probe(policy_path("limit.map"), "-sleep 30");
  check_against_policy(limited);
  EXPECT_EQ(limited.of("run", "fill").size(), 16u);
  EXPECT_EQ(max_overlap(limited.of("run", "fill")), 1);

  // The same launch without the limit does overlap, so the check above means something.
  char path[] = "/tmp/mapforge-legion-nolimit-XXXXXX.map";
  const int fd = mkstemps(path, 4);
  ASSERT_GE(fd, 0);
  const std::string text = "Task fill CPU;\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  ProbeRun free_run = run_probe(path, "-sleep 30");
  unlink(path);
  ASSERT_EQ(free_run.status, 0) << free_run.err;
  EXPECT_GT(max_overlap(free_run.of("run", "fill")), 1);
}

TEST(LegionProbe, ControlReplicationShardsIndexLaunchesThroughThePolicy) {
  ProbeRun run = run_probe(policy_path("replicate.map"));
  check_against_policy(run);
  EXPECT_TRUE(run.traced("replicate task=main"));
  EXPECT_TRUE(run.traced("shards task=main count=1"));
  // With a single shard Legion shards nothing, so the sharding functor is not consulted on
  // this one-node machine; placement still follows the IndexTaskMap function (checked above).
}

// TaskSteal makes the named tasks stealable (select_task_options, slice_task); without it
// nothing is. Legion steals only tasks still on a ready queue, and the plugin maps ready tasks at
// once, so whether a theft happens is up to the runtime's timing: not asserted.
TEST(LegionProbe, TaskStealMakesTasksStealable) {
  ProbeRun run = run_probe(policy_path("steal.map"));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(run.traced("steal task=fill stealable=yes source=policy"));
  EXPECT_TRUE(run.traced("steal task=stencil stealable=yes source=policy"));
  ProbeRun plain = run_probe(policy_path("placement.map"));
  ASSERT_EQ(plain.status, 0) << plain.err;
  EXPECT_FALSE(plain.traced("steal "));
}

TEST(LegionProbe, PolicySyntaxErrorStopsTheProgramAtStartUp) {
  ProbeRun run = run_probe(policy_path("syntax_error.map"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("mapforge: the policy given with -mapping does not load"),
            std::string::npos)
      << run.err;
  EXPECT_TRUE(std::regex_search(run.err, std::regex(R"(syntax_error\.map:[0-9]+:[0-9]+: error:)")))
      << run.err;
  EXPECT_TRUE(run.of("run", "main").empty() && run.records.empty());
}

TEST(LegionProbe, MissingPolicyFileIsReportedByName) {
  ProbeRun run = run_probe("/nonexistent/policy.map");
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("cannot read the policy file '/nonexistent/policy.map'"),
            std::string::npos)
      << run.err;
}

TEST(LegionProbe, MappingFunctionErrorNamesTaskPointAndPolicyLocation) {
  ProbeRun run = run_probe(policy_path("map_error.map"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("IndexTaskMap function failed for task fill point (4,)"),
            std::string::npos)
      << run.err;
  EXPECT_TRUE(std::regex_search(run.err, std::regex(R"(map_error\.map:4:[0-9]+: error:)")))
      << run.err;
}

TEST(LegionProbe, TaskKindWithoutVariantIsAnError) {
  ProbeRun run = run_probe(policy_path("variant_error.map"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("Failed to find any valid variants for task summary on the current "
                         "machine: the policy's Task statement lists OMP; the task has "
                         "variants for CPU"),
            std::string::npos)
      << run.err;
}

TEST(LegionProbe, MemoryKindTheMachineLacksIsAnError) {
  ProbeRun run = run_probe(policy_path("memory_error.map"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("Failed to find a memory of kind FBMEM"), std::string::npos) << run.err;
}

TEST(LegionProbe, CheckOptionLoadsThePolicyAndStops) {
  ProbeRun run = run_probe(policy_path("placement.map"), "-mapping:check");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("policy loaded"), std::string::npos) << run.err;
  EXPECT_TRUE(run.records.empty());
}

TEST(LegionProbe, BadExampleRunsAndReportsItsTime) {
  ProbeRun run = run_probe(std::string(MAPFORGE_LEGION_EXAMPLES) + "/bad.map");
  check_against_policy(run);
  expect_elapsed(run);
}

}  // namespace
}  // namespace mapforge::legion
