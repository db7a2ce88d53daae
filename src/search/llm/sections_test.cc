#include "search/llm/sections.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/app.h"
#include "dsl/dsl.h"

namespace mapforge::search::llm {
namespace {

const std::vector<std::string> kExperts = {"circuit", "stencil", "pennant",   "cannon", "summa",
                                           "pumma",   "johnson", "solomonik", "cosma"};

std::string section(const Sections& sections, Section which) {
  return sections[static_cast<int>(which)];
}

std::string placement_text(const dsl::Result<std::optional<dsl::Placement>>& result) {
  if (!result.ok()) return "error";
  if (!result.value()) return "default";
  std::string out = result.value()->is_set ? "set:" : "one:";
  for (const auto& p : result.value()->processors)
    out += std::to_string(p.node) + "/" + std::to_string(p.index) + "/" +
           std::string(dsl::to_string(p.kind)) + " ";
  return out;
}

/// Every mapping question the app can ask, answered by a policy on a two-node machine.
std::vector<std::string> answers(const std::string& policy_text, const app::App& app) {
  auto policy = dsl::Policy::load("p.map", policy_text);
  EXPECT_TRUE(policy.ok()) << (policy.ok() ? "" : dsl::render_all(policy.errors()));
  if (!policy.ok()) return {};
  auto machine = dsl::MachineShape::standard(
      2, 4, 4, 1, {dsl::MemKind::SYSMEM, dsl::MemKind::FBMEM, dsl::MemKind::ZCMEM});
  auto mapper = dsl::Mapper::create(policy.value(), machine);
  EXPECT_TRUE(mapper.ok());
  if (!mapper.ok()) return {};
  const dsl::Mapper& m = mapper.value();
  std::vector<std::string> out;
  auto add = [&](std::string line) { out.push_back(std::move(line)); };
  for (const auto& task : app.tasks) {
    std::string t = task.name;
    add(t + " cr " + std::to_string(m.control_replicate(t).value_or(false)));
    for (dsl::ProcKind kind : dsl::kAllProcKinds) {
      std::string k(dsl::to_string(kind));
      std::string kinds;
      for (auto listed : m.task_kinds(t)) kinds += std::string(dsl::to_string(listed)) + ",";
      add(t + " kinds " + kinds);
      add(t + " " + k + " limit " + std::to_string(m.instance_limit(t, kind).value_or(-1)));
      add(t + " " + k + " maps " + std::to_string(m.has_index_map(t, kind)) +
          std::to_string(m.has_single_map(t, kind)));
      for (std::size_t i = 0; i < task.arg_names.size(); ++i) {
        dsl::RegionArg arg{task.arg_names[i], static_cast<int>(i)};
        std::string mems;
        for (auto mem : m.region_memories(t, arg, kind))
          mems += std::string(dsl::to_string(mem)) + ",";
        add(t + " " + k + " arg" + std::to_string(i) + " " + mems + " collect " +
            std::to_string(m.collect_memory(t, arg)));
        for (dsl::MemKind mem : dsl::kAllMemKinds) {
          std::string words = "none";
          if (auto layout = m.layout(t, arg, mem)) {
            words.clear();
            for (const auto& c : *layout) words += c.word() + " ";
          }
          add(t + " arg" + std::to_string(i) + " " + std::string(dsl::to_string(mem)) + " " +
              words);
        }
      }
    }
  }
  for (const auto& phase : app.phases) {
    for (const auto& launch : phase.launches) {
      const std::string& t = app.tasks[static_cast<std::size_t>(launch.task)].name;
      for (dsl::ProcKind kind : {dsl::ProcKind::GPU, dsl::ProcKind::CPU}) {
        if (launch.domain.empty()) {
          add(t + " single " + placement_text(m.map_single_task(t, kind, {0, 1, kind})));
          continue;
        }
        std::vector<std::int64_t> last = launch.domain;
        for (auto& x : last) x -= 1;
        std::vector<std::int64_t> first(launch.domain.size(), 0);
        for (const auto* point : {&first, &last})
          add(t + " point " +
              placement_text(m.map_index_point(t, kind, {*point, launch.domain},
                                               dsl::ProcessorId{0, 0, kind})));
      }
    }
  }
  return out;
}

TEST(Sections, ExpertPoliciesSplitAndJoinToTheSameProgram) {
  for (const auto& name : kExperts) {
    SCOPED_TRACE(name);
    std::string original(app::expert_policy(name));
    ASSERT_FALSE(original.empty());
    Sections sections = split_sections(original);
    std::string joined = join_sections(sections);
    EXPECT_FALSE(dsl::has_errors(dsl::check("joined.map", joined)))
        << dsl::render_all(dsl::check("joined.map", joined));
    ASSERT_TRUE(dsl::format("joined.map", joined).ok());
    // Idempotent: splitting the joined text gives the same sections.
    EXPECT_EQ(split_sections(joined), sections);
    // Statements of one kind keep their text and order.
    for (const std::string keyword :
         {"Task", "ControlReplicate", "Region", "CollectMemory", "Layout", "InstanceLimit",
          "IndexTaskMap", "SingleTaskMap", "def", "=", "print"}) {
      std::vector<std::string> before;
      std::vector<std::string> after;
      for (const auto& item : scan_items(original))
        if (item.keyword == keyword) before.push_back(item.text);
      for (const auto& item : scan_items(joined))
        if (item.keyword == keyword) after.push_back(item.text);
      EXPECT_EQ(before, after) << keyword;
    }
    // And the mapper answers every question of the app the same way.
    auto loaded = app::builtin_app(name, app::MachineFacts{2, 4, 4});
    ASSERT_TRUE(loaded.app) << (loaded.errors.empty() ? "" : loaded.errors.front());
    auto expected = answers(original, *loaded.app);
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(answers(joined, *loaded.app), expected);
  }
}

TEST(Sections, ExpertCircuitSectionsHoldTheirStatements) {
  Sections sections = split_sections(app::expert_policy("circuit"));
  EXPECT_TRUE(section(sections, Section::TaskPlacement).find("Task * GPU,CPU;") !=
              std::string::npos);
  EXPECT_TRUE(section(sections, Section::TaskPlacement).starts_with("# circuit: the expert"));
  EXPECT_EQ(section(sections, Section::RegionMemory),
            "Region * * GPU FBMEM;\nRegion * * CPU SYSMEM;\nRegion * rp_shared GPU ZCMEM;\n"
            "Region * rp_ghost GPU ZCMEM;\n");
  EXPECT_EQ(section(sections, Section::Layout), "Layout * * * SOA C_order;\n");
  EXPECT_EQ(section(sections, Section::InstanceLimit), "");
  EXPECT_EQ(section(sections, Section::SingleTaskMap), "");
  const std::string maps = section(sections, Section::IndexTaskMap);
  EXPECT_TRUE(maps.starts_with("mgpu = Machine(GPU);\nmcpu = Machine(CPU);\n\n# Linear block"));
  EXPECT_TRUE(
      maps.ends_with("IndexTaskMap begin_init,init_piece,init_pointers,print_summary "
                     "block_nodes;\n"));
}

TEST(Sections, CommentsStayWithTheirStatements) {
  const std::string text =
      "# header\n"
      "Task * GPU;   # trailing ; { with \"quote\n"
      "Region * * GPU FBMEM; // slashes }\n"
      "\n"
      "# about the limit\n"
      "InstanceLimit calc 2;\n"
      "# left at the end\n";
  auto items = scan_items(text);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].text, "# header\nTask * GPU;   # trailing ; { with \"quote");
  EXPECT_EQ(items[0].section, Section::TaskPlacement);
  EXPECT_EQ(items[1].text, "Region * * GPU FBMEM; // slashes }");
  EXPECT_EQ(items[2].text, "# about the limit\nInstanceLimit calc 2;\n# left at the end");
  Sections sections = split_sections(text);
  EXPECT_EQ(section(sections, Section::Layout), "");
  EXPECT_EQ(section(sections, Section::InstanceLimit),
            "# about the limit\nInstanceLimit calc 2;\n# left at the end\n");
  EXPECT_EQ(split_sections(join_sections(sections)), sections);
}

TEST(Sections, BracesStringsAndCommentsInsideDefs) {
  const std::string text =
      "m = Machine(GPU); def f(Task t) {  # } not the end\n"
      "  print(\"{} }{; # not a comment\", 1);\n"
      "  x = t.ipoint[0]; // ;;;\n"
      "  return m[0, x % m.size[1]];\n"
      "} IndexTaskMap calc f; SingleTaskMap leaf f;\n";
  auto items = scan_items(text);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].keyword, "=");
  EXPECT_EQ(items[0].text, "m = Machine(GPU);");
  EXPECT_EQ(items[1].keyword, "def");
  EXPECT_TRUE(items[1].text.starts_with("def f(Task t) {  # } not the end\n"));
  EXPECT_TRUE(items[1].text.ends_with("return m[0, x % m.size[1]];\n}"));
  EXPECT_EQ(items[2].text, "IndexTaskMap calc f;");
  EXPECT_EQ(items[3].text, "SingleTaskMap leaf f;");
  EXPECT_EQ(items[3].section, Section::SingleTaskMap);
  std::string joined = join_sections(split_sections(text));
  EXPECT_FALSE(dsl::has_errors(dsl::check("j.map", joined)))
      << dsl::render_all(dsl::check("j.map", joined));
}

TEST(Sections, SeveralStatementsOnOneLine) {
  auto sections = split_sections("Task a GPU; Region * * GPU FBMEM; Layout * * * SOA; Task b CPU;");
  EXPECT_EQ(section(sections, Section::TaskPlacement), "Task a GPU;\nTask b CPU;\n");
  EXPECT_EQ(section(sections, Section::RegionMemory), "Region * * GPU FBMEM;\n");
  EXPECT_EQ(section(sections, Section::Layout), "Layout * * * SOA;\n");
  EXPECT_EQ(join_sections(sections),
            "Task a GPU;\nTask b CPU;\n\nRegion * * GPU FBMEM;\n\nLayout * * * SOA;\n");
}

TEST(Sections, ControlReplicateAndCollectMemoryAndPrints) {
  auto items =
      scan_items("ControlReplicate main;\nCollectMemory * rp;\nprint(\"a {}\", 1);\nx == 1;\n");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].section, Section::TaskPlacement);
  EXPECT_EQ(items[1].section, Section::RegionMemory);
  EXPECT_EQ(items[2].keyword, "print");
  EXPECT_EQ(items[2].section, Section::IndexTaskMap);
  EXPECT_EQ(items[3].keyword, "");  // not an assignment
}

TEST(Sections, BrokenSyntaxIsKeptWhole) {
  auto items = scan_items("Taks * GPU;\ndef f(Task t): return 1;\ndef g(Task t) { return 1;");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].keyword, "");
  EXPECT_EQ(items[0].section, Section::IndexTaskMap);
  EXPECT_EQ(items[1].text, "def f(Task t): return 1;");
  EXPECT_EQ(items[2].text, "def g(Task t) { return 1;");
  EXPECT_EQ(scan_items("Task * GPU").front().text, "Task * GPU");
  EXPECT_EQ(scan_items("print(\"unterminated;\nTask * GPU;").size(), 1u);
}

TEST(Sections, EmptyAndCommentOnlyPolicies) {
  EXPECT_EQ(split_sections(""), Sections{});
  EXPECT_EQ(join_sections(Sections{}), "");
  auto sections = split_sections("# nothing decided\n\n");
  EXPECT_EQ(section(sections, Section::TaskPlacement), "# nothing decided\n");
  EXPECT_EQ(join_sections(sections), "# nothing decided\n");
}

TEST(Sections, JoinEndsEverySectionOnItsOwnLine) {
  Sections sections;
  sections[0] = "Task * GPU; # no newline at the end";
  sections[1] = "  \n\n";
  sections[2] = "\n\nLayout * * * SOA;";
  EXPECT_EQ(join_sections(sections), "Task * GPU; # no newline at the end\n\nLayout * * * SOA;\n");
}

TEST(Sections, Names) {
  for (Section s : kAllSections) {
    EXPECT_EQ(parse_section_name(section_name(s)), s);
    EXPECT_FALSE(section_constraint(s).empty());
  }
  EXPECT_EQ(section_name(Section::IndexTaskMap), "index_task_map");
  EXPECT_FALSE(parse_section_name("tasks"));
}

}  // namespace
}  // namespace mapforge::search::llm
