// Tests of the `mapforge` command line (check, fmt, query), run in-process through cli::run.
#include "cli/cli.h"
#include "app/app.h"
#include "cli/cli_test_support.h"
#include "cli/loading.h"
#include "dsl/dsl.h"
#include "tune/process/process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#ifndef MAPFORGE_EXAMPLES
#define MAPFORGE_EXAMPLES "examples"
#endif

namespace mapforge::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using cli::testing::Mapforge;
using cli::testing::Outcome;

std::string Stencil() { return std::string(MAPFORGE_EXAMPLES) + "/stencil.map"; }

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

using CliTest = cli::testing::CliFixture;

// ---------------------------------------------------------------------------------------------
// Top level

TEST_F(CliTest, NoSubcommandIsBadInput) {
  Outcome o = Mapforge({});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err,
            "mapforge: error: A subcommand is required\n"
            "run 'mapforge --help' for usage\n");
}

TEST_F(CliTest, UnknownSubcommandIsBadInput) {
  Outcome o = Mapforge({"bogus"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("mapforge: error: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("run 'mapforge --help' for usage\n"), std::string::npos) << o.err;
}

TEST_F(CliTest, UnknownSubcommandMessageNamesIt) {
  Outcome o = Mapforge({"bogus"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: unknown command 'bogus'; commands are check, fmt, query, simulate, "
            "tune, report, bench, fidelity, apps, machines, guide\n"
            "run 'mapforge --help' for usage\n");
}

TEST_F(CliTest, UnknownFlagIsBadInput) {
  std::string file = Write("a.map", "Task foo GPU;\n");
  Outcome o = Mapforge({"check", "--bogus", file});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err,
            "mapforge: error: The following argument was not expected: --bogus\n"
            "run 'mapforge --help' for usage\n");
}

TEST_F(CliTest, UnknownTopLevelFlagIsBadInput) {
  Outcome o = Mapforge({"--frobnicate"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("mapforge: error: "), std::string::npos) << o.err;
}

TEST_F(CliTest, MissingRequiredPositionalIsBadInput) {
  Outcome o = Mapforge({"check"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: files is required\n"
            "run 'mapforge --help' for usage\n");
}

TEST_F(CliTest, HelpExitsZeroAndListsSubcommands) {
  Outcome o = Mapforge({"--help"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
  EXPECT_NE(o.out.find("Usage: mapforge"), std::string::npos) << o.out;
  for (const char* sub : {"check", "fmt", "query"})
    EXPECT_NE(o.out.find(sub), std::string::npos) << sub;
}

TEST_F(CliTest, SubcommandHelpExitsZero) {
  Outcome o = Mapforge({"query", "--help"});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("--machine"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("--eval"), std::string::npos) << o.out;
}

TEST_F(CliTest, Version) {
  Outcome o = Mapforge({"--version"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "mapforge 0.1.0\n");
  EXPECT_EQ(o.err, "");
}

// ---------------------------------------------------------------------------------------------
// check

TEST_F(CliTest, CheckCleanFile) {
  std::string file = Write("clean.map", "Task foo GPU;\nmgpu = Machine(GPU);\n");
  Outcome o = Mapforge({"check", file});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, CheckExampleIsClean) {
  Outcome o = Mapforge({"check", Stencil()});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
}

// The published expert mappers the repository ships (after the DISTAL `mappings` files, the
// paper's circuit, stencil and pennant mappers) load with no diagnostic at all, against their
// programs' task and region names: none of them relies on a divergence from the reference
// implementation (a repeated key, a global assigned twice, a reassigned local, a mapping
// function defined below its statement, `IndexTaskMap *`, an unused function's unknown name).
TEST_F(CliTest, ShippedExpertMappersCheckClean) {
  std::stringstream sink;
  std::istringstream no_input;
  Io io{sink, sink, no_input};
  auto machine = load_machine_arg("lassen", 4, io);
  ASSERT_TRUE(machine);
  for (const auto& spec : app::builtin_apps()) {
    auto application = load_app_arg(spec.name, {}, *machine, io);
    ASSERT_TRUE(application) << spec.name << ": " << sink.str();
    dsl::CheckOptions options;
    options.app = app_names(*application);
    auto diagnostics =
        dsl::check(spec.name + "/expert.map", app::expert_policy(spec.name), options);
    EXPECT_TRUE(diagnostics.empty()) << dsl::render_all(diagnostics);
    auto policy = dsl::Policy::load(spec.name, app::expert_policy(spec.name), options);
    EXPECT_TRUE(policy.ok()) << spec.name;
  }
}

// Readers stop at their limit + 1 byte: an endless input is refused, not read into memory.
TEST_F(CliTest, ReadersStopAtTheirLimit) {
  Outcome o = Mapforge({"check", "/dev/zero"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: '/dev/zero' is larger than 4194304 bytes, the limit for policy "
            "files\n");
  o = Mapforge({"check", "--names", "/dev/zero", Stencil()});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: '/dev/zero' is larger than 4194304 bytes, the limit for names "
            "files\n");
  o = Mapforge({"guide", "--profile", "/dev/zero"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: '/dev/zero' is larger than 67108864 bytes, the limit for profiles\n");
  o = Mapforge({"simulate", "--app", "cannon", "--machine", "/dev/zero"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: '/dev/zero' is larger than 1048576 bytes, the limit for machine "
            "files\n");
  std::string big(std::size_t{4} << 20, '#');
  o = Mapforge({"check", "-"}, big + "\n");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: '<stdin>' is larger than 4194304 bytes, the limit for policy "
            "files\n");
  o = Mapforge({"check", "-"}, big);  // exactly the limit: read, and a comment only
  EXPECT_EQ(o.status, 0) << o.err;
}

// The same, as memory: under a 512 MB address-space limit the real binary still refuses an
// endless policy with exit 2 (reading it whole would need more than 2 GB).
TEST_F(CliTest, EndlessPolicyFitsInBoundedMemory) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of address space; an address-space limit "
                  "cannot tell its shadow memory from the program's";
#endif
  tune::ProcessResult r = tune::run_shell("ulimit -v 524288; " +
                                          tune::shell_quote(MAPFORGE_BINARY) + " check /dev/zero");
  ASSERT_TRUE(r.exit_status) << r.output;
  EXPECT_EQ(*r.exit_status, 2) << r.output;
  EXPECT_NE(r.output.find("the limit for policy files"), std::string::npos) << r.output;
}

// Numeric options say what they want, and NaN is not a number of seconds.
TEST_F(CliTest, NumericOptionsSayWhatTheyWant) {
  Outcome o = Mapforge({"simulate", "--app", "cannon", "--nodes", "abc"});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--nodes: expected an integer from 1 to 1000000, got 'abc'"),
            std::string::npos)
      << o.err;
  o = Mapforge({"tune", "--app", "cannon", "--timeout", "nan", "--out", (dir_ / "t").string()});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--timeout: expected a number from 0 to 1e+07, got 'nan'"),
            std::string::npos)
      << o.err;
  o = Mapforge({"tune", "--app", "cannon", "--timeout", "inf", "--out", (dir_ / "t").string()});
  EXPECT_EQ(o.status, 2);
}

TEST_F(CliTest, CheckReportsEveryErrorRendered) {
  std::string file = Write("many.map",
                           "Task foo XPU;\n"
                           "mgpu = Machine(GPU);\n"
                           "x = mgpx;\n"
                           "Layout * * * SOA AOS;\n"
                           "InstanceLimit foo 0;\n");
  Outcome o = Mapforge({"check", file});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, file +
                       ":1:10: error: unknown processor kind 'XPU'\n"
                       "Task foo XPU;\n"
                       "         ^\n"
                       "hint: did you mean 'CPU'? valid kinds: CPU, GPU, OMP, IO, PY, PROC\n" +
                       file +
                       ":3:5: error: unknown name 'mgpx'\n"
                       "x = mgpx;\n"
                       "    ^\n"
                       "hint: did you mean 'mgpu'?\n" +
                       file +
                       ":4:18: error: conflicting layout constraints 'SOA' and 'AOS'\n"
                       "Layout * * * SOA AOS;\n"
                       "                 ^\n"
                       "hint: an instance is either SOA or AOS, not both\n" +
                       file +
                       ":5:19: error: InstanceLimit must be at least 1, got 0\n"
                       "InstanceLimit foo 0;\n"
                       "                  ^\n");
}

TEST_F(CliTest, CheckReportsSeveralSyntaxErrors) {
  std::string file = Write("syntax.map",
                           "Task foo GPU\n"
                           "Region foo rp GPU FBMEM\n"
                           "x = ;\n"
                           "Task bar CPU;\n");
  Outcome o = Mapforge({"check", file});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, file +
                       ":1:13: error: expected ';' at the end of the statement, got 'Region'\n"
                       "Task foo GPU\n"
                       "            ^\n" +
                       file +
                       ":2:24: error: expected ';' at the end of the statement, got 'x'\n"
                       "Region foo rp GPU FBMEM\n"
                       "                       ^\n" +
                       file +
                       ":3:5: error: expected an expression, got ';'\n"
                       "x = ;\n"
                       "    ^\n");
}

TEST_F(CliTest, CheckUnknownProcessorKindListsValidKinds) {
  std::string file = Write("kind.map", "Task foo XPU;\n");
  Outcome o = Mapforge({"check", file});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, file +
                       ":1:10: error: unknown processor kind 'XPU'\n"
                       "Task foo XPU;\n"
                       "         ^\n"
                       "hint: did you mean 'CPU'? valid kinds: CPU, GPU, OMP, IO, PY, PROC\n");
}

TEST_F(CliTest, CheckColonAfterDefGivesBracesHint) {
  std::string file = Write("colon.map",
                           "mgpu = Machine(GPU);\n"
                           "def f(Task t):\n"
                           "    return mgpu[0, 0];\n");
  Outcome o = Mapforge({"check", file});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, file +
                       ":2:14: error: expected '{' to start the function body, got ':'\n"
                       "def f(Task t):\n"
                       "             ^\n"
                       "hint: function bodies are in braces: def f(Task task) { ...; }\n");
}

TEST_F(CliTest, CheckUndefinedNameSuggestsClosest) {
  std::string file = Write("name.map",
                           "mgpu = Machine(GPU);\n"
                           "mcpu = Machine(CPU);\n"
                           "x = mgpx.size;\n");
  Outcome o = Mapforge({"check", file});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, file +
                       ":3:5: error: unknown name 'mgpx'\n"
                       "x = mgpx.size;\n"
                       "    ^\n"
                       "hint: did you mean 'mgpu'?\n");
}

TEST_F(CliTest, CheckUndefinedMappingFunctionSuggestsClosest) {
  std::string file = Write("fn.map",
                           "mgpu = Machine(GPU);\n"
                           "def block(Task t) {\n"
                           "    return mgpu[0, 0];\n"
                           "}\n"
                           "IndexTaskMap foo blokc;\n");
  Outcome o = Mapforge({"check", file});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, file +
                       ":5:18: error: mapping function 'blokc' is not defined\n"
                       "IndexTaskMap foo blokc;\n"
                       "                 ^\n"
                       "hint: did you mean 'block'?\n");
}

constexpr const char* kNamesPolicy =
    "Task foo GPU;\n"
    "Region foo rp GPU FBMEM;\n"
    "CollectMemory bar rq;\n";

std::string NamesWarnings(const std::string& file) {
  return file +
         ":3:15: warning: unknown task 'bar'\n"
         "CollectMemory bar rq;\n"
         "              ^\n"
         "hint: the application has no task of that name\n" +
         file +
         ":3:19: warning: unknown region 'rq'\n"
         "CollectMemory bar rq;\n"
         "                  ^\n"
         "hint: did you mean 'rp'?\n";
}

TEST_F(CliTest, CheckTasksAndRegionsWarn) {
  std::string file = Write("names.map", kNamesPolicy);
  Outcome o = Mapforge({"check", file, "--tasks", "foo", "--regions", "rp"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, NamesWarnings(file));
}

TEST_F(CliTest, CheckKnownNamesGiveNoWarning) {
  std::string file = Write("names.map", kNamesPolicy);
  Outcome o = Mapforge({"check", file, "--tasks", "foo,bar", "--regions", "rp,rq"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, CheckWerrorMakesWarningsFail) {
  std::string file = Write("names.map", kNamesPolicy);
  Outcome o = Mapforge({"check", file, "--tasks", "foo", "--regions", "rp", "--werror"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, NamesWarnings(file));
}

TEST_F(CliTest, CheckWerrorWithoutWarningsIsOk) {
  std::string file = Write("names.map", kNamesPolicy);
  Outcome o = Mapforge({"check", file, "--tasks", "foo,bar", "--regions", "rp,rq", "--werror"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, CheckNamesFile) {
  std::string file = Write("names.map", kNamesPolicy);
  std::string names = Write("names.json", R"({"tasks": ["foo"], "regions": ["rp"]})");
  Outcome o = Mapforge({"check", file, "--names", names});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, NamesWarnings(file));

  o = Mapforge({"check", file, "--names", names, "--werror"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, NamesWarnings(file));
}

TEST_F(CliTest, CheckNamesFileCombinesWithFlags) {
  std::string file = Write("names.map", kNamesPolicy);
  std::string names = Write("names.json", R"({"tasks": ["foo"], "regions": ["rp"]})");
  Outcome o = Mapforge({"check", file, "--names", names, "--tasks", "bar", "--regions", "rq"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, CheckOnlyTasksDoesNotFlagRegions) {
  // Knowing the task names says nothing about region names.
  std::string file = Write("names.map", "Task foo GPU;\nRegion foo rp GPU FBMEM;\n");
  Outcome o = Mapforge({"check", file, "--tasks", "foo"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, CheckOnlyRegionsDoesNotFlagTasks) {
  std::string file = Write("names.map", "Task foo GPU;\nRegion foo rp GPU FBMEM;\n");
  Outcome o = Mapforge({"check", file, "--regions", "rp"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, CheckMalformedNamesFile) {
  std::string file = Write("names.map", kNamesPolicy);
  struct Case {
    const char* name;
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"notjson.json", "this is not json", "not valid JSON"},
      {"array.json", "[\"foo\"]", "expected a JSON object with \"tasks\" and \"regions\""},
      {"tasks_string.json", R"({"tasks": "foo"})", "\"tasks\" must be an array of strings"},
      {"regions_object.json", R"({"regions": {"a": 1}})",
       "\"regions\" must be an array of strings"},
      {"tasks_number.json", R"({"tasks": ["foo", 1]})", "\"tasks\"[1] must be a string"},
      {"regions_null.json", R"({"tasks": [], "regions": [null]})",
       "\"regions\"[0] must be a string"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string names = Write(c.name, c.text);
    Outcome o = Mapforge({"check", file, "--names", names});
    EXPECT_EQ(o.status, 2);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err, names + ": error: " + c.message + "\n");
  }
}

TEST_F(CliTest, CheckMissingNamesFile) {
  std::string file = Write("names.map", kNamesPolicy);
  std::string names = (dir_ / "absent.json").string();
  Outcome o = Mapforge({"check", file, "--names", names});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "mapforge: error: cannot read '" + names + "': No such file or directory\n");
}

TEST_F(CliTest, CheckMissingFile) {
  std::string missing = (dir_ / "nosuch.map").string();
  Outcome o = Mapforge({"check", missing});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "mapforge: error: cannot read '" + missing + "': No such file or directory\n");
}

TEST_F(CliTest, CheckMissingFileDoesNotStopOthers) {
  std::string clean = Write("clean.map", "Task foo GPU;\n");
  std::string missing = (dir_ / "nosuch.map").string();
  std::string bad = Write("bad.map", "Task foo XPU;\n");
  Outcome o = Mapforge({"check", clean, missing, bad});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: cannot read '" + missing + "': No such file or directory\n" +
                       bad +
                       ":1:10: error: unknown processor kind 'XPU'\n"
                       "Task foo XPU;\n"
                       "         ^\n"
                       "hint: did you mean 'CPU'? valid kinds: CPU, GPU, OMP, IO, PY, PROC\n");
}

TEST_F(CliTest, CheckJson) {
  std::string file = Write("two.map",
                           "Task foo XPU;\n"
                           "mgpu = Machine(GPU);\n"
                           "def f(Task t):\n"
                           "    return mgpu[0, 0];\n");
  Outcome o = Mapforge({"check", "--json", file});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "");
  json expected =
      json::array({{{"file", file},
                    {"line", 1},
                    {"col", 10},
                    {"severity", "error"},
                    {"message", "unknown processor kind 'XPU'"},
                    {"hint", "did you mean 'CPU'? valid kinds: CPU, GPU, OMP, IO, PY, PROC"}},
                   {{"file", file},
                    {"line", 3},
                    {"col", 14},
                    {"severity", "error"},
                    {"message", "expected '{' to start the function body, got ':'"},
                    {"hint", "function bodies are in braces: def f(Task task) { ...; }"}}});
  EXPECT_EQ(o.out, expected.dump(2) + "\n");
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << o.out;
  EXPECT_EQ(parsed, expected);
}

TEST_F(CliTest, CheckJsonWarningsAndEmptyHint) {
  std::string file = Write("names.map", kNamesPolicy + std::string("InstanceLimit foo 0;\n"));
  Outcome o = Mapforge({"check", "--json", file, "--tasks", "foo", "--regions", "rp"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "");
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_TRUE(parsed.is_array()) << o.out;
  ASSERT_EQ(parsed.size(), 3u) << o.out;
  EXPECT_EQ(parsed[0]["severity"], "warning");
  EXPECT_EQ(parsed[0]["message"], "unknown task 'bar'");
  EXPECT_EQ(parsed[0]["line"], 3);
  EXPECT_EQ(parsed[0]["col"], 15);
  EXPECT_EQ(parsed[1]["severity"], "warning");
  EXPECT_EQ(parsed[1]["message"], "unknown region 'rq'");
  EXPECT_EQ(parsed[1]["hint"], "did you mean 'rp'?");
  EXPECT_EQ(parsed[2]["severity"], "error");
  EXPECT_EQ(parsed[2]["message"], "InstanceLimit must be at least 1, got 0");
  EXPECT_EQ(parsed[2]["hint"], "");
  EXPECT_EQ(parsed[2]["line"], 4);
  EXPECT_EQ(parsed[2]["col"], 19);
}

TEST_F(CliTest, CheckJsonClean) {
  std::string file = Write("clean.map", "Task foo GPU;\n");
  Outcome o = Mapforge({"check", "--json", file});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "[]\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, CheckStdin) {
  Outcome o = Mapforge({"check", "-"}, "Task foo GPU;\n");
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");

  o = Mapforge({"check", "-"}, "Task foo GPU\n");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "<stdin>:1:13: error: expected ';' at the end of the statement, got end of file\n"
            "Task foo GPU\n"
            "            ^\n");

  o = Mapforge({"check", "--json", "-"}, "Task foo XPU;\n");
  EXPECT_EQ(o.status, 2);
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_TRUE(parsed.is_array()) << o.out;
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0]["file"], "<stdin>");
}

TEST_F(CliTest, CheckEmptyFileIsClean) {
  std::string file = Write("empty.map", "");
  Outcome o = Mapforge({"check", file});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
}

// ---------------------------------------------------------------------------------------------
// fmt

constexpr const char* kUnformatted =
    "Task   foo GPU ,CPU;\n"
    "mgpu=Machine(GPU);\n"
    "def f(Task t){return mgpu[0,0];}\n"
    "IndexTaskMap foo f;  # c\n";
constexpr const char* kFormatted =
    "Task foo GPU,CPU;\n"
    "mgpu = Machine(GPU);\n"
    "def f(Task t) {\n"
    "    return mgpu[0, 0];\n"
    "}\n"
    "IndexTaskMap foo f;  # c\n";

TEST_F(CliTest, FmtPrintsCanonicalText) {
  std::string file = Write("u.map", kUnformatted);
  Outcome o = Mapforge({"fmt", file});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out, kFormatted);
  EXPECT_EQ(ReadFile(file), kUnformatted);  // printing does not rewrite
}

TEST_F(CliTest, FmtIsIdempotent) {
  std::string file = Write("f.map", kFormatted);
  Outcome o = Mapforge({"fmt", file});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, kFormatted);

  Outcome stencil = Mapforge({"fmt", Stencil()});
  ASSERT_EQ(stencil.status, 0) << stencil.err;
  std::string again = Write("stencil.map", stencil.out);
  Outcome twice = Mapforge({"fmt", again});
  EXPECT_EQ(twice.status, 0);
  EXPECT_EQ(twice.out, stencil.out);
  Outcome check = Mapforge({"fmt", "--check", again});
  EXPECT_EQ(check.status, 0);
  EXPECT_EQ(check.out, "");
}

TEST_F(CliTest, FmtStdin) {
  Outcome o = Mapforge({"fmt", "-"}, kUnformatted);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out, kFormatted);
}

TEST_F(CliTest, FmtCheckListsUnformattedFiles) {
  std::string ok = Write("ok.map", kFormatted);
  std::string bad1 = Write("bad1.map", kUnformatted);
  std::string bad2 = Write("bad2.map", "Task foo   GPU;\n");
  Outcome o = Mapforge({"fmt", "--check", ok, bad1, bad2});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out, bad1 + "\n" + bad2 + "\n");
  EXPECT_EQ(ReadFile(bad1), kUnformatted);
}

TEST_F(CliTest, FmtCheckFormattedExitsZero) {
  std::string ok = Write("ok.map", kFormatted);
  Outcome o = Mapforge({"fmt", "--check", ok});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, FmtCheckSyntaxErrorIsBadInput) {
  std::string bad = Write("bad.map", kUnformatted);
  std::string syntax = Write("syntax.map", "Task foo GPU\n");
  Outcome o = Mapforge({"fmt", "--check", bad, syntax});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, bad + "\n");
  EXPECT_EQ(o.err, syntax +
                       ":1:13: error: expected ';' at the end of the statement, got end of file\n"
                       "Task foo GPU\n"
                       "            ^\n");
}

TEST_F(CliTest, FmtWriteRewritesInPlace) {
  std::string bad = Write("bad.map", kUnformatted);
  std::string ok = Write("ok.map", kFormatted);
  auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(24);
  fs::last_write_time(ok, old_time);
  Outcome o = Mapforge({"fmt", "-w", bad, ok});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(ReadFile(bad), kFormatted);
  EXPECT_EQ(ReadFile(ok), kFormatted);
  EXPECT_EQ(fs::last_write_time(ok), old_time) << "a formatted file was rewritten";
  // No temporary files left behind.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"bad.map", "ok.map"}));

  Outcome check = Mapforge({"fmt", "--check", bad, ok});
  EXPECT_EQ(check.status, 0);
  EXPECT_EQ(check.out, "");
}

TEST_F(CliTest, FmtWriteLongFlag) {
  std::string bad = Write("bad.map", kUnformatted);
  Outcome o = Mapforge({"fmt", "--write", bad});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(ReadFile(bad), kFormatted);
}

TEST_F(CliTest, FmtWriteSyntaxErrorLeavesFile) {
  const std::string text = "Task   foo GPU\nmgpu=Machine(GPU);\n";
  std::string syntax = Write("syntax.map", text);
  std::string bad = Write("bad.map", kUnformatted);
  Outcome o = Mapforge({"fmt", "-w", syntax, bad});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, syntax +
                       ":1:15: error: expected ';' at the end of the statement, got 'mgpu'\n"
                       "Task   foo GPU\n"
                       "              ^\n");
  EXPECT_EQ(ReadFile(syntax), text);
  EXPECT_EQ(ReadFile(bad), kFormatted);  // later files are still processed
}

TEST_F(CliTest, FmtSyntaxErrorExitsTwo) {
  std::string syntax = Write("syntax.map", "Task foo GPU\n");
  Outcome o = Mapforge({"fmt", syntax});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, syntax +
                       ":1:13: error: expected ';' at the end of the statement, got end of file\n"
                       "Task foo GPU\n"
                       "            ^\n");
}

TEST_F(CliTest, FmtCheckAndWriteExclude) {
  std::string bad = Write("bad.map", kUnformatted);
  Outcome o = Mapforge({"fmt", "--check", "-w", bad});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: --check excludes --write\n"
            "run 'mapforge --help' for usage\n");
  EXPECT_EQ(ReadFile(bad), kUnformatted);
}

TEST_F(CliTest, FmtMissingFile) {
  std::string missing = (dir_ / "nosuch.map").string();
  Outcome o = Mapforge({"fmt", missing});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "mapforge: error: cannot read '" + missing + "': No such file or directory\n");
}

// ---------------------------------------------------------------------------------------------
// query

constexpr const char* kMachine = "nodes=2,cpu=8,gpu=4,omp=0";

// tiles2d on 2 nodes x 4 GPUs, launch domain (4,4), by hand (DSL.md §3-4):
//   mgpu.size = (2,4). decompose(0, (4,4)) splits 2 into (1,2) or (2,1), both cost 0.75; greedy
//   gives the 2 to dim 0 (tie -> lowest) = (2,1), a minimiser -> m.size = (2,1,4).
//   ispace / m[:-1] = (4,4)/(2,1) = (2,4). decompose(2, (2,4)) splits 4: (1,4) 1.5, (2,2) 1.5,
//   (4,1) 2.25; greedy: first 2 to dim 1 (extent 4) -> (1,2), then tie (2,2) -> dim 0 -> (2,2),
//   a minimiser -> m.size = (2,1,2,2). Mixed radix, first new dim fastest:
//   node = i0 + 2*i1, gpu = i2 + 2*i3.
//   point (3,1): [3*2/4, 1*1/4, 3%2, 1%2] = [1,0,1,1] -> node 1, GPU 1 + 2*1 = 3.
//   point (2,3): [1, 0, 0, 1] -> node 1, GPU 2.   point (1,2): [0, 0, 1, 0] -> node 0, GPU 1.
TEST_F(CliTest, QueryStencilText) {
  Outcome o = Mapforge({"query", Stencil(), "--machine", kMachine, "--task", "stencil", "--point",
                        "3,1", "--ispace", "4,4"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out,
            "task stencil\n"
            "  kinds: GPU,CPU\n"
            "  kind: GPU\n"
            "  instance limit: none\n"
            "  processor: node 1, GPU 3\n");
}

TEST_F(CliTest, QueryStencilJson) {
  Outcome o = Mapforge({"query", Stencil(), "--machine", kMachine, "--task", "stencil", "--point",
                        "3,1", "--ispace", "4,4", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out,
            R"({"control_replicate":null,"instance_limit":null,"kind":"GPU","kinds":["GPU","CPU"],)"
            R"("processor":[1,3],"task":"stencil"})"
            "\n");
}

TEST_F(CliTest, QueryStencilOtherPoints) {
  struct Case {
    const char* point;
    json processor;
  };
  for (const auto& c : {Case{"2,3", json::array({1, 2})}, Case{"1,2", json::array({0, 1})},
                        Case{"0,0", json::array({0, 0})}, Case{"3,3", json::array({1, 3})}}) {
    SCOPED_TRACE(c.point);
    Outcome o = Mapforge({"query", Stencil(), "--machine", kMachine, "--task", "increment",
                          "--point", c.point, "--ispace", "4,4", "--json"});
    ASSERT_EQ(o.status, 0) << o.err;
    json parsed = json::parse(o.out, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << o.out;
    EXPECT_EQ(parsed["processor"], c.processor);
  }
}

TEST_F(CliTest, QueryStencilOneNode) {
  // 1 node x 4 GPUs: m.size = (1,1,2,2); point (3,1) -> GPU 1 + 2*1 = 3 on node 0.
  Outcome o = Mapforge({"query", Stencil(), "--machine", "nodes=1,cpu=4,gpu=4", "--task", "stencil",
                        "--point", "3,1", "--ispace", "4,4", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << o.out;
  EXPECT_EQ(parsed["processor"], json::array({0, 3}));
}

TEST_F(CliTest, QueryStencilRegion) {
  Outcome o = Mapforge({"query", Stencil(), "--machine", kMachine, "--task", "stencil", "--region",
                        "rp_shared", "--point", "3,1", "--ispace", "4,4"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            "task stencil\n"
            "  kinds: GPU,CPU\n"
            "  kind: GPU\n"
            "  region rp_shared\n"
            "    memories: FBMEM\n"
            "    memory: FBMEM\n"
            "    layout (FBMEM): SOA F_order\n"
            "    collect: no\n"
            "  instance limit: none\n"
            "  processor: node 1, GPU 3\n");
}

TEST_F(CliTest, QueryCpuTaskWithoutMapFunction) {
  Outcome o = Mapforge({"query", Stencil(), "--machine", kMachine, "--task", "check", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            R"({"control_replicate":null,"instance_limit":null,"kind":"CPU","kinds":["CPU"],)"
            R"("processor":null,"task":"check"})"
            "\n");
  o = Mapforge({"query", Stencil(), "--machine", kMachine, "--task", "check"});
  EXPECT_EQ(o.out,
            "task check\n"
            "  kinds: CPU\n"
            "  kind: CPU\n"
            "  instance limit: none\n"
            "  processor: (runtime default)\n");
}

constexpr const char* kQueryPolicy =
    "Task * GPU,CPU;\n"
    "Region * * GPU FBMEM;\n"
    "Region * * CPU SYSMEM;\n"
    "Region foo rp GPU ZCMEM,FBMEM;\n"
    "Region foo 1 * SYSMEM;\n"
    "Layout * * * SOA F_order;\n"
    "Layout foo rp ZCMEM AOS C_order Align==128;\n"
    "Layout foo rp * SOA C_order Align==128;\n"
    "InstanceLimit foo GPU 4;\n"
    "CollectMemory foo rp;\n"
    "mgpu = Machine(GPU);\n"
    "def same_place(Task task) {\n"
    "    return mgpu[*task.parent.processor(mgpu)];\n"
    "}\n"
    "def allgpus(Task task) {\n"
    "    return mgpu[0, *];\n"
    "}\n"
    "def first_dim(Task task) {\n"
    "    ip = task.ipoint;\n"
    "    return mgpu[ip[0], 0];\n"
    "}\n"
    "def divz(Task task) {\n"
    "    ip = task.ipoint;\n"
    "    return mgpu[0, 4 / ip[0]];\n"
    "}\n"
    "SingleTaskMap child same_place;\n"
    "SingleTaskMap bar allgpus;\n"
    "IndexTaskMap oob,gpuonly first_dim;\n"
    "IndexTaskMap dz divz;\n";

TEST_F(CliTest, QueryRegionText) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--region", "rp"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out,
            "task foo\n"
            "  kinds: GPU,CPU\n"
            "  kind: GPU\n"
            "  region rp\n"
            "    memories: ZCMEM,FBMEM\n"
            "    memory: ZCMEM\n"
            "    layout (ZCMEM): AOS C_order Align==128\n"
            "    collect: yes\n"
            "  instance limit: 4\n"
            "  processor: (runtime default)\n");
}

TEST_F(CliTest, QueryRegionJson) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o =
      Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--region", "rp", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out, R"({"collect":true,"control_replicate":null,"instance_limit":4,"kind":"GPU",)"
                   R"("kinds":["GPU","CPU"],"layout":["AOS","C_order","Align==128"],)"
                   R"("memories":["ZCMEM","FBMEM"],"memory":"ZCMEM","processor":null,"task":"foo"})"
                   "\n");
}

TEST_F(CliTest, QueryMemoryOverridesLayoutMemory) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--region", "rp",
                        "--memory", "FBMEM", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << o.out;
  EXPECT_EQ(parsed["layout"], json::array({"SOA", "C_order", "Align==128"}));
  EXPECT_EQ(parsed["memory"], "ZCMEM");
  EXPECT_EQ(parsed["collect"], true);

  o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--region", "rp", "--memory",
                "FBMEM"});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("    layout (FBMEM): SOA C_order Align==128\n"), std::string::npos) << o.out;
}

TEST_F(CliTest, QueryUnknownMemory) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--region", "rp",
                        "--memory", "XMEM"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "mapforge: error: --memory: unknown memory kind 'XMEM'\n");
}

TEST_F(CliTest, QueryMachineWithoutZeroCopyMemory) {
  // ZCMEM does not exist on this machine, so the next listed kind is chosen.
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", "nodes=2,gpu=4,mem=SYSMEM+FBMEM", "--task",
                        "foo", "--region", "rp", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << o.out;
  EXPECT_EQ(parsed["memories"], json::array({"ZCMEM", "FBMEM"}));
  EXPECT_EQ(parsed["memory"], "FBMEM");
  EXPECT_EQ(parsed["layout"], json::array({"SOA", "C_order", "Align==128"}));
}

TEST_F(CliTest, QueryArgumentPosition) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--arg", "1"});
  EXPECT_EQ(o.status, 0) << o.err;
  // (foo, 1) with `*` kind: SYSMEM, which a GPU cannot see; the levels join, so (*, *, GPU)'s
  // FBMEM follows and is chosen.
  const std::string expected =
      "task foo\n"
      "  kinds: GPU,CPU\n"
      "  kind: GPU\n"
      "  region argument 1\n"
      "    memories: SYSMEM,FBMEM\n"
      "    memory: FBMEM\n"
      "    layout (FBMEM): SOA F_order\n"
      "    collect: no\n"
      "  instance limit: 4\n"
      "  processor: (runtime default)\n";
  EXPECT_EQ(o.out, expected);
  // A number given to --region is the argument position too.
  o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--region", "1"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, expected);
  o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--arg", "-1"});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--arg: expected an integer from 0 to 1000000, got '-1'"), std::string::npos)
      << o.err;
  o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "foo", "--region", "1", "--arg", "2"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: --region 1 and --arg 2 name different argument positions\n");
  o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--arg", "1", "--json"});
  EXPECT_EQ(o.status, 0);
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << o.out;
  EXPECT_EQ(parsed["memories"], json::array({"SYSMEM", "FBMEM"}));
  EXPECT_EQ(parsed["memory"], "FBMEM");
  EXPECT_EQ(parsed["layout"], json::array({"SOA", "F_order"}));
  EXPECT_EQ(parsed["collect"], false);
  EXPECT_EQ(parsed["instance_limit"], 4);
}

TEST_F(CliTest, QueryForcedCpuKind) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--region", "zz",
                        "--kind", "CPU", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            R"({"collect":false,"control_replicate":null,"instance_limit":null,"kind":"CPU",)"
            R"("kinds":["GPU","CPU"],"layout":["SOA","F_order"],"memories":["SYSMEM"],)"
            R"("memory":"SYSMEM","processor":null,"task":"foo"})"
            "\n");
}

TEST_F(CliTest, QueryUnknownKind) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo", "--kind", "XPU"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err,
            "mapforge: error: --kind: unknown processor kind 'XPU'; kinds are CPU, GPU, OMP, IO, "
            "PY, PROC\n");
}

TEST_F(CliTest, QuerySingleTaskOnParentProcessor) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o =
      Mapforge({"query", file, "--machine", kMachine, "--task", "child", "--parent-proc", "1,2"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out,
            "task child\n"
            "  kinds: GPU,CPU\n"
            "  kind: GPU\n"
            "  instance limit: none\n"
            "  processor: node 1, GPU 2\n");
  o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "child", "--parent-proc", "1,2", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            R"({"control_replicate":null,"instance_limit":null,"kind":"GPU","kinds":["GPU","CPU"],)"
            R"("processor":[1,2],"task":"child"})"
            "\n");
  o = Mapforge({"query", file, "--machine", kMachine, "--task", "child", "--parent-proc", "0,3,GPU",
                "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << o.out;
  EXPECT_EQ(parsed["processor"], json::array({0, 3}));
}

TEST_F(CliTest, QuerySingleTaskParentOfWrongKind) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "child", "--parent-proc", "1,2,CPU"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err,
            file +
                ":13:39: error: wrong processor kind: task 'parent of child' runs on CPU but the "
                "machine is of GPU processors; mapping task 'child'\n"
                "    return mgpu[*task.parent.processor(mgpu)];\n"
                "                                      ^\n");
}

TEST_F(CliTest, QueryBadParentProc) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o =
      Mapforge({"query", file, "--machine", kMachine, "--task", "child", "--parent-proc", "2,0"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: --parent-proc: processor 2,0 is not on this machine\n");
  o = Mapforge({"query", file, "--machine", kMachine, "--task", "child", "--parent-proc", "0,4"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: --parent-proc: processor 0,4 is not on this machine\n");
  o = Mapforge({"query", file, "--machine", kMachine, "--task", "child", "--parent-proc", "1"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: --parent-proc: expected NODE,INDEX[,KIND], got '1'\n");
  o = Mapforge({"query", file, "--machine", kMachine, "--task", "child", "--parent-proc", "a,b"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: --parent-proc: expected NODE,INDEX[,KIND], got 'a,b'\n");
}

TEST_F(CliTest, QuerySetReturningFunction) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", kMachine, "--task", "bar"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            "task bar\n"
            "  kinds: GPU,CPU\n"
            "  kind: GPU\n"
            "  instance limit: none\n"
            "  processors: (node 0, GPU 0) (node 0, GPU 1) (node 0, GPU 2) (node 0, GPU 3)\n");
  o = Mapforge({"query", file, "--machine", kMachine, "--task", "bar", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            R"({"control_replicate":null,"instance_limit":null,"kind":"GPU","kinds":["GPU","CPU"],)"
            R"("processors":[[0,0],[0,1],[0,2],[0,3]],"task":"bar"})"
            "\n");
}

TEST_F(CliTest, QueryIndexOutOfBound) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "oob", "--point", "3", "--ispace", "4"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, file +
                       ":20:16: error: index 3 out of bound for dimension 0 of size 2; mapping "
                       "task 'oob' point (3,) of launch domain (4,)\n"
                       "    return mgpu[ip[0], 0];\n"
                       "               ^\n");
  // In range: fine.
  o = Mapforge({"query", file, "--machine", kMachine, "--task", "oob", "--point", "1", "--ispace",
                "4", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << o.out;
  EXPECT_EQ(parsed["processor"], json::array({1, 0}));
}

TEST_F(CliTest, QueryDivisionByZero) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "dz", "--point", "0", "--ispace", "4"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, file +
                       ":24:22: error: division by zero; mapping task 'dz' point (0,) of launch "
                       "domain (4,)\n"
                       "    return mgpu[0, 4 / ip[0]];\n"
                       "                     ^\n");
}

TEST_F(CliTest, QueryDynamicErrorTwoDimensionalPoint) {
  // --kind CPU for a function that returns GPUs.
  Outcome o = Mapforge({"query", Stencil(), "--machine", kMachine, "--task", "stencil", "--point",
                        "3,1", "--ispace", "4,4", "--kind", "CPU"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, Stencil() +
                       ":15:5: error: wrong processor kind: 'tiles2d' returned a GPU processor "
                       "but the task is mapped to CPU; mapping task 'stencil' point (3, 1) of "
                       "launch domain (4, 4)\n"
                       "def tiles2d(Task task) {  # 2-D launch: block over nodes, "
                       "cyclic over GPUs\n"
                       "    ^\n");
}

TEST_F(CliTest, QueryWrongProcessorKind) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", kMachine, "--task", "gpuonly", "--kind", "CPU",
                        "--point", "1", "--ispace", "4", "--json"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, file +
                       ":18:5: error: wrong processor kind: 'first_dim' returned a GPU processor "
                       "but the task is mapped to CPU; mapping task 'gpuonly' point (1,) of "
                       "launch domain (4,)\n"
                       "def first_dim(Task task) {\n"
                       "    ^\n");
}

TEST_F(CliTest, QueryPointOutsideIspace) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "oob", "--point", "4,0", "--ispace", "4,4"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "mapforge: error: --point 4,0 is outside the launch domain 4,4\n");
  o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "oob", "--point", "-1", "--ispace", "4"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: --point -1 is outside the launch domain 4\n");
}

TEST_F(CliTest, QueryMismatchedPointLength) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "oob", "--point", "1", "--ispace", "4,4"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "mapforge: error: --point has 1 coordinate but --ispace has 2\n");
}

TEST_F(CliTest, QueryMalformedPoint) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "oob", "--point", "a", "--ispace", "4"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: --point: 'a' is not a comma-separated list of integers\n");
  o = Mapforge(
      {"query", file, "--machine", kMachine, "--task", "oob", "--point", "1", "--ispace", "4,"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: --ispace: '4,' is not a comma-separated list of integers\n");
}

TEST_F(CliTest, QueryBadMachineStrings) {
  std::string file = Write("q.map", kQueryPolicy);
  struct Case {
    const char* spec;
    const char* message;
  };
  const Case cases[] = {
      {"nodes=2,tpu=4",
       "--machine: unknown key 'tpu'; keys are nodes, cpu, gpu, omp, io, py, "
       "proc, mem"},
      {"nodes=2,gpu=-1", "--machine: 'gpu' needs an integer from 0 to 4096, got '-1'"},
      {"gpu=x", "--machine: 'gpu' needs an integer from 0 to 4096, got 'x'"},
      {"gpu=4x", "--machine: 'gpu' needs an integer from 0 to 4096, got '4x'"},
      {"nodes=", "--machine: 'nodes' needs an integer from 1 to 1000000, got ''"},
      {"nodes=10000000000",
       "--machine: 'nodes' needs an integer from 1 to 1000000, got '10000000000'"},
      {"nodes=0,gpu=4", "--machine: nodes must be between 1 and 1000000"},
      {"gpu=4,gpu=8", "--machine: 'gpu' is given twice"},
      {"nodes=2000000", "--machine: nodes must be between 1 and 1000000"},
      {"gpu=5000", "--machine: at most 4096 gpu processors per node"},
      {"gpu4", "--machine: expected key=value, got 'gpu4'"},
      {"gpu=4,,cpu=1", "--machine: expected key=value, got ''"},
      {"gpu=4,mem=SYSMEM+XMEM",
       "--machine: unknown memory kind 'XMEM'; kinds are SYSMEM, FBMEM, ZCMEM, RDMEM, SOCKMEM, "
       "VIRTUAL"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.spec);
    Outcome o = Mapforge({"query", file, "--machine", c.spec, "--eval", "1"});
    EXPECT_EQ(o.status, 2);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err, std::string("mapforge: error: ") + c.message + "\n");
  }
}

TEST_F(CliTest, QueryMachineIsRequired) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--eval", "1"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("--machine"), std::string::npos) << o.err;
}

TEST_F(CliTest, QueryNeedsTaskOrEval) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", kMachine});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "mapforge: error: query needs --task or --eval\n");
}

TEST_F(CliTest, QueryMissingFile) {
  std::string missing = (dir_ / "nosuch.map").string();
  Outcome o = Mapforge({"query", missing, "--machine", kMachine, "--task", "foo"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "mapforge: error: cannot read '" + missing + "': No such file or directory\n");
}

TEST_F(CliTest, QueryFileWithStaticErrors) {
  std::string file = Write("bad.map", "Task foo XPU;\n");
  Outcome o = Mapforge({"query", file, "--machine", kMachine, "--task", "foo"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, file +
                       ":1:10: error: unknown processor kind 'XPU'\n"
                       "Task foo XPU;\n"
                       "         ^\n"
                       "hint: did you mean 'CPU'? valid kinds: CPU, GPU, OMP, IO, PY, PROC\n");
}

TEST_F(CliTest, QueryControlReplicate) {
  std::string file = Write("cr.map", "ControlReplicate main;\nTask * CPU;\n");
  Outcome o = Mapforge({"query", file, "--machine", "nodes=1,cpu=2", "--task", "main", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            R"({"control_replicate":true,"instance_limit":null,"kind":"CPU","kinds":["CPU"],)"
            R"("processor":null,"task":"main"})"
            "\n");
  o = Mapforge({"query", file, "--machine", "nodes=1,cpu=2", "--task", "other"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out,
            "task other\n"
            "  kinds: CPU\n"
            "  kind: CPU\n"
            "  instance limit: none\n"
            "  control replicate: no\n"
            "  processor: (runtime default)\n");
}

TEST_F(CliTest, QueryStdinPolicy) {
  Outcome o = Mapforge({"query", "-", "--machine", "nodes=1,gpu=4", "--eval", "mgpu.size"},
                       "mgpu = Machine(GPU);\n");
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "(1, 4)\n");
}

TEST_F(CliTest, QueryEvalDecompose) {
  std::string file = Write("q.map", kQueryPolicy);
  const std::string expr = "Machine(GPU).merge(0,1).decompose(0,(4,2,4)).size";
  Outcome o = Mapforge({"query", file, "--machine", "nodes=1,gpu=4", "--eval", expr});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out, "(2, 1, 2)\n");
  o = Mapforge({"query", file, "--machine", "nodes=1,gpu=4", "--eval", expr, "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "{\"value\":[2,1,2]}\n");
}

TEST_F(CliTest, QueryEvalDecomposeDocExamples) {
  // DSL.md §3: 12 processors, L=(3,4) -> (3,4) (greedy would be (4,3)); 45, L=(9,15) -> (5,9);
  // 32, L=(707,11314) -> (1,32).
  std::string file = Write("q.map", kQueryPolicy);
  struct Case {
    const char* machine;
    const char* expr;
    const char* text;
  };
  for (const auto& c :
       {Case{"nodes=1,gpu=12", "Machine(GPU).decompose(1,(3,4)).size", "(1, 3, 4)\n"},
        Case{"nodes=1,gpu=12", "Machine(GPU).greedy_split(1,(3,4)).size", "(1, 4, 3)\n"},
        Case{"nodes=1,gpu=45", "Machine(GPU).decompose(1,(9,15)).size", "(1, 5, 9)\n"},
        Case{"nodes=1,gpu=45", "Machine(GPU).auto_split(1,(9,15)).size", "(1, 5, 9)\n"},
        Case{"nodes=4,gpu=8", "Machine(GPU).merge(0,1).decompose(0,(707,11314)).size",
             "(1, 32)\n"}}) {
    SCOPED_TRACE(c.expr);
    Outcome o = Mapforge({"query", file, "--machine", c.machine, "--eval", c.expr});
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out, c.text);
  }
}

TEST_F(CliTest, QueryEvalValues) {
  std::string file = Write("q.map", kQueryPolicy);
  struct Case {
    const char* expr;
    const char* json_text;
  };
  for (const auto& c :
       {Case{"3 + 4", "{\"value\":7}\n"}, Case{"mgpu.size[1] == 4", "{\"value\":true}\n"},
        Case{"mgpu.size", "{\"value\":[1,4]}\n"}, Case{"mgpu[0, 1]", "{\"value\":[0,1]}\n"},
        Case{"mgpu[0, *]", "{\"value\":[[0,0],[0,1],[0,2],[0,3]]}\n"}}) {
    SCOPED_TRACE(c.expr);
    Outcome o = Mapforge({"query", file, "--machine", "nodes=1,gpu=4", "--eval", c.expr, "--json"});
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out, c.json_text);
  }
  Outcome o = Mapforge({"query", file, "--machine", "nodes=1,gpu=4", "--eval", "7 / 2"});
  EXPECT_EQ(o.out, "3\n");
}

TEST_F(CliTest, QueryEvalSingletonSetIsStillASet) {
  // A set with one processor is a set, not a point: {"value":[[0,0]]}.
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o =
      Mapforge({"query", file, "--machine", "nodes=1,gpu=1", "--eval", "mgpu[0, *]", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "{\"value\":[[0,0]]}\n");
}

TEST_F(CliTest, QueryEvalError) {
  std::string file = Write("q.map", kQueryPolicy);
  Outcome o = Mapforge({"query", file, "--machine", "nodes=1,gpu=4", "--eval", "1/0"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err,
            "<eval>:1:2: error: division by zero\n"
            "1/0\n"
            " ^\n");
  o = Mapforge({"query", file, "--machine", "nodes=1,gpu=4", "--eval", "mgpx"});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("<eval>:1:1: error: unknown name 'mgpx'\n"), std::string::npos) << o.err;
}

TEST_F(CliTest, QueryEvalAndTaskTogether) {
  Outcome o = Mapforge({"query", Stencil(), "--machine", kMachine, "--eval", "mgpu.size", "--task",
                        "stencil", "--point", "3,1", "--ispace", "4,4", "--json"});
  EXPECT_EQ(o.status, 0) << o.err;
  json parsed = json::parse(o.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << o.out;
  EXPECT_EQ(parsed["value"], json::array({2, 4}));
  EXPECT_EQ(parsed["processor"], json::array({1, 3}));
  EXPECT_EQ(parsed["kind"], "GPU");
  EXPECT_EQ(parsed["kinds"], json::array({"GPU", "CPU"}));
  EXPECT_TRUE(parsed["instance_limit"].is_null());
  EXPECT_FALSE(parsed.contains("processors"));
}

TEST_F(CliTest, QueryPrintGoesToStderr) {
  std::string file = Write("p.map",
                           "mgpu = Machine(GPU);\n"
                           "print(\"gpus {}\", mgpu.size[1]);\n");
  Outcome o = Mapforge({"query", file, "--machine", "nodes=1,gpu=4", "--eval", "mgpu.size[1]"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "4\n");
  EXPECT_EQ(o.err, "gpus 4\n");
}

}  // namespace
}  // namespace mapforge::cli

namespace mapforge::cli {
namespace {

using testing::CliFixture;
using testing::Mapforge;
using testing::Outcome;

class FidelityCli : public CliFixture {};

TEST_F(FidelityCli, RunsATableAndPrintsRowsAndTheSummary) {
  const std::string table =
      Write("t.csv",
            "app,nodes,expert,dsl,default,unit,note\n"
            "cannon,1,27117.9661,27117.9661,7637.040573,GFLOP/s per node,\n"
            "summa,1,26844.96644,27256.55877,7607.988588,GFLOP/s per node,\n");
  Outcome o = Mapforge({"fidelity", "--csv", table});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("  cannon         1  0.282"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("mapper default/expert: direction agrees on 2 of 2 clear effects (100%)"),
            std::string::npos)
      << o.out;
  Outcome as_json = Mapforge({"fidelity", "--csv", table, "--json"});
  ASSERT_EQ(as_json.status, 0) << as_json.err;
  auto parsed = json::parse(as_json.out);
  EXPECT_EQ(parsed["mapper"]["clear"], 2);
  EXPECT_EQ(parsed["comparisons"].size(), 2u);
  EXPECT_EQ(parsed["comparisons"][0]["app"], "cannon");
  EXPECT_EQ(parsed["throughput"][1]["line"], 3);
}

TEST_F(FidelityCli, BadTablesAreLocatedErrors) {
  const std::string bad = Write("bad.csv",
                                "app,nodes,expert,dsl,default,unit,note\n"
                                "cannon,1,27117.9,27117.9,x,GFLOP/s per node,\n");
  Outcome o = Mapforge({"fidelity", "--csv", bad});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "mapforge: error: " + bad + ":2: default: expected a number above 0, found 'x'\n");
  const std::string unknown = Write("unknown.csv",
                                    "app,nodes,expert,dsl,default,unit,note\n"
                                    "nbody,1,1,1,1,GFLOP/s per node,\n");
  o = Mapforge({"fidelity", "--csv", unknown});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("mapforge: error: mapper table line 2: "), std::string::npos) << o.err;
  o = Mapforge({"fidelity", "--csv", (dir_ / "absent.csv").string()});
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("absent.csv"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace mapforge::cli
