#include <functional>
#include <random>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/app.h"
#include "app/test_support.h"

namespace mapforge::app {
namespace {

using nlohmann::json;
using testing::example_app;

/// The example app as a JSON document, to be edited by a test.
json example_json() { return json::parse(to_json(example_app())); }

std::vector<std::string> load_errors(const json& doc) {
  return load_app(doc.dump(), "my.json").errors;
}

TEST(Json, RoundTrip) {
  App app = example_app();
  std::string text = to_json(app);
  LoadResult loaded = load_app(text, "heat.json");
  ASSERT_TRUE(loaded.app) << loaded.errors[0];
  EXPECT_EQ(*loaded.app, app);
  EXPECT_EQ(to_json(*loaded.app), text);
}

TEST(Json, AccessPatternRoundTripsAndDefaultsToStream) {
  App app = example_app();
  app::RegionArg* arg = nullptr;
  for (auto& phase : app.phases)
    for (auto& launch : phase.launches)
      for (auto& a : launch.args) arg = &a;
  ASSERT_NE(arg, nullptr);
  std::string plain = to_json(app);
  EXPECT_EQ(plain.find("\"access\""), std::string::npos);  // stream is not written
  arg->access = Access::Gather;
  std::string text = to_json(app);
  EXPECT_NE(text.find("\"access\": \"gather\""), std::string::npos);
  LoadResult loaded = load_app(text, "heat.json");
  ASSERT_TRUE(loaded.app) << loaded.errors[0];
  EXPECT_EQ(*loaded.app, app);
  std::string bad = text;
  bad.replace(bad.find("\"gather\""), 8, "\"random\"");
  LoadResult rejected = load_app(bad, "heat.json");
  ASSERT_FALSE(rejected.errors.empty());
  EXPECT_NE(rejected.errors[0].find("unknown access pattern \"random\"; patterns are stream, "
                                    "gather, atomic"),
            std::string::npos)
      << rejected.errors[0];
}

TEST(Json, RoundTripOfCompactAndIrregularForms) {
  App app = example_app();
  app.regions[0].block_elements = {5, 6, 7, 8};
  app.partitions[0].pieces = {{0}, {1}, {3, 2}, {}};
  app.partitions[0].disjoint = false;
  app.partitions[1].pieces = {{0}};
  app.tasks[1].variants[0].layouts = {
      std::nullopt, LayoutRequirement{false, true, LayoutRequirement::Failure::BlasParameter, 3}};
  app.metric = {Metric::Kind::Throughput, 1.0 / 3.0, ""};
  app.phases[1].launches[0].overhead_s = 1e-6;
  LoadResult loaded = load_app(to_json(app), "x.json");
  ASSERT_TRUE(loaded.app) << loaded.errors[0];
  EXPECT_EQ(*loaded.app, app);
}

TEST(Json, RangesAndCountsExpand) {
  json doc = example_json();
  doc["regions"][0]["block_elements"] = {{"count", 8}, {"elements", 10}};
  doc["partitions"][0]["pieces"] = {{{"first", 0}, {"count", 2}},
                                    {2, 3},
                                    {{"first", 4}, {"count", 2}},
                                    {{"first", 6}, {"count", 2}}};
  LoadResult loaded = load_app(doc.dump(), "x.json");
  ASSERT_TRUE(loaded.app) << loaded.errors[0];
  EXPECT_EQ(loaded.app->regions[0].block_elements, std::vector<std::int64_t>(8, 10));
  EXPECT_EQ(loaded.app->partitions[0].pieces[2], (std::vector<std::int32_t>{4, 5}));
}

TEST(Json, MinimalDocumentUsesDefaults) {
  LoadResult loaded =
      load_app(R"({"name": "tiny", "tasks": [{"name": "t", "variants": [{"kind": "CPU"}]}],
      "phases": [{"launches": [{"task": "t"}]}]})",
               "tiny.json");
  ASSERT_TRUE(loaded.app) << loaded.errors[0];
  const App& app = *loaded.app;
  EXPECT_EQ(app.tasks[0].kernel, KernelClass::Streaming);
  EXPECT_EQ(app.phases[0].repeat, 1);
  EXPECT_TRUE(app.phases[0].timed);
  EXPECT_TRUE(app.phases[0].launches[0].domain.empty());
  EXPECT_EQ(app.metric.kind, Metric::Kind::ElapsedTime);
}

TEST(Json, IndicesWorkLikeNames) {
  json doc = example_json();
  doc["partitions"][0]["region"] = 0;
  doc["phases"][1]["launches"][0]["task"] = 1;
  doc["phases"][1]["launches"][0]["args"][0]["partition"] = 0;
  doc["phases"][1]["launches"][0]["args"][0]["fields"] = {0, "t_new"};
  LoadResult loaded = load_app(doc.dump(), "x.json");
  ASSERT_TRUE(loaded.app) << loaded.errors[0];
  EXPECT_EQ(*loaded.app, example_app());
}

struct Case {
  const char* name;
  std::function<void(json&)> edit;
  std::string error;  // the first error
};

json& launch(json& doc) { return doc["phases"][1]["launches"][0]; }
json& arg(json& doc) { return launch(doc)["args"][0]; }

const Case kCases[] = {
    {"root", [](json& d) { d = json::array(); }, "my.json: expected an object, got an array"},
    {"missing key", [](json& d) { d.erase("phases"); }, "my.json: missing key \"phases\""},
    {"unknown key", [](json& d) { d["region"] = 1; },
     "my.json: unknown key \"region\"; valid keys are name, phases, description, regions, "
     "partitions, tasks, metric"},
    {"nested unknown key", [](json& d) { d["regions"][0]["blocks"] = 1; },
     "my.json: /regions/0: unknown key \"blocks\"; valid keys are name, fields, block_elements, "
     "dims"},
    {"string", [](json& d) { d["name"] = 3; }, "my.json: /name: expected a string, got 3"},
    {"bytes", [](json& d) { d["regions"][0]["fields"][1]["bytes"] = -4; },
     "my.json: /regions/0/fields/1/bytes: expected a positive integer, got -4"},
    {"float for integer", [](json& d) { d["regions"][0]["dims"] = 1.5; },
     "my.json: /regions/0/dims: expected an integer, got 1.5"},
    {"int range", [](json& d) { d["regions"][0]["dims"] = 1LL << 40; },
     "my.json: /regions/0/dims: integer out of range, got 1099511627776"},
    {"array", [](json& d) { d["tasks"] = "x"; }, "my.json: /tasks: expected an array, got \"x\""},
    {"bool", [](json& d) { d["phases"][0]["timed"] = 0; },
     "my.json: /phases/0/timed: expected true or false, got 0"},
    {"number", [](json& d) { launch(d)["flops"] = "many"; },
     "my.json: /phases/1/launches/0/flops: expected a number, got \"many\""},
    {"kernel", [](json& d) { d["tasks"][1]["kernel"] = "dense_la"; },
     "my.json: /tasks/1/kernel: unknown kernel class \"dense_la\"; classes are dense, "
     "streaming, irregular"},
    {"variant kind", [](json& d) { d["tasks"][1]["variants"][0]["kind"] = "TPU"; },
     "my.json: /tasks/1/variants/0/kind: unknown processor kind \"TPU\"; kinds are CPU, GPU, "
     "OMP"},
    {"privilege", [](json& d) { arg(d)["privilege"] = "rw"; },
     "my.json: /phases/1/launches/0/args/0/privilege: unknown privilege \"rw\"; privileges are "
     "read_only, read_write, write_discard, reduce"},
    {"reduce", [](json& d) { arg(d)["reduce"] = "avg"; },
     "my.json: /phases/1/launches/0/args/0/reduce: unknown reduction operator \"avg\"; "
     "operators are none, sum, min, max, prod"},
    {"metric kind", [](json& d) { d["metric"]["kind"] = "speed"; },
     "my.json: /metric/kind: unknown metric kind \"speed\"; kinds are elapsed_time, throughput"},
    {"layout failure", [](json& d) { d["tasks"][1]["variants"][0]["layouts"][0]["failure"] = "x"; },
     "my.json: /tasks/1/variants/0/layouts/0/failure: unknown layout failure \"x\"; failures are "
     "stride, blas_parameter"},
    {"unknown task", [](json& d) { launch(d)["task"] = "stpe"; },
     "my.json: /phases/1/launches/0/task: unknown task \"stpe\""},
    {"reference type", [](json& d) { launch(d)["task"] = true; },
     "my.json: /phases/1/launches/0/task: expected a task name or index, got true"},
    {"unknown region", [](json& d) { d["partitions"][0]["region"] = "cell"; },
     "my.json: /partitions/0/region: unknown region \"cell\""},
    {"unknown partition", [](json& d) { arg(d)["partition"] = "tile"; },
     "my.json: /phases/1/launches/0/args/0/partition: unknown partition \"tile\""},
    {"unknown field", [](json& d) { arg(d)["fields"][1] = "tnew"; },
     "my.json: /phases/1/launches/0/args/0/fields/1: unknown field \"tnew\" of region \"cells\""},
    {"field without partition", [](json& d) { arg(d)["partition"] = 7; },
     "my.json: /phases/1/launches/0/args/0/fields/0: field \"t\" cannot be resolved: the "
     "argument's partition is not valid"},
    {"block form", [](json& d) { d["regions"][0]["block_elements"] = 4; },
     "my.json: /regions/0/block_elements: expected an array or {\"count\", \"elements\"}, got 4"},
    {"piece form", [](json& d) { d["partitions"][0]["pieces"][0] = "all"; },
     "my.json: /partitions/0/pieces/0: expected an array or {\"first\", \"count\"}, got \"all\""},
    {"piece range",
     [](json& d) {
       d["partitions"][0]["pieces"][0] = {{"first", -1}, {"count", 1}};
     },
     "my.json: /partitions/0/pieces/0/first: expected a non-negative integer, got -1"},
    {"projection value", [](json& d) { arg(d)["projection"]["offset"][0] = 1LL << 40; },
     "my.json: /phases/1/launches/0/args/0/projection/offset/0: expected an integer between "
     "-1000000000 and 1000000000, got 1099511627776"},
    {"too many blocks",
     [](json& d) {
       d["regions"][0]["block_elements"] = {{"count", 20000000}, {"elements", 1}};
     },
     "my.json: /regions/0/block_elements: more than 10000000 blocks in all regions"},
    {"too many piece blocks",
     [](json& d) {
       d["partitions"][0]["pieces"][0] = {{"first", 0}, {"count", 20000000}};
     },
     "my.json: /partitions/0/pieces/0: more than 10000000 block references in all partitions"},
    {"region bytes",
     [](json& d) {
       d["regions"][0]["block_elements"] = {{"count", 4}, {"elements", 1LL << 60}};
     },
     "my.json: /regions/0: region of 4.611686018427388e+18 elements of 20.0 bytes exceeds the "
     "limit of 1e18 bytes"},
    {"launch points",
     [](json& d) {
       launch(d)["domain"] = {1000, 1000, 1000};
     },
     "my.json: /phases/1/launches/0/domain: 1000000000 points; the limit is 1000000 per launch"},
    {"launches after repeats", [](json& d) { d["phases"][1]["repeat"] = 20000000; },
     "my.json: /phases/1/repeat: more than 10000000 launches after repeats"},
    {"points after repeats", [](json& d) { d["phases"][1]["repeat"] = 30000000 / 1; },
     "my.json: /phases/1/repeat: more than 10000000 launches after repeats"},
    {"validate",
     [](json& d) {
       arg(d)["partition"] = 9;
       arg(d)["fields"] = {0};
     },
     "my.json: /phases/1/launches/0/args/0/partition: index 9 out of range (2 partitions)"},
};

TEST(Json, EveryLoadError) {
  for (const Case& c : kCases) {
    json doc = example_json();
    c.edit(doc);
    std::vector<std::string> errors = load_errors(doc);
    ASSERT_FALSE(errors.empty()) << c.name;
    EXPECT_EQ(errors[0], c.error) << c.name;
  }
}

TEST(Json, PointTasksAfterRepeats) {
  json doc = example_json();
  launch(doc)["domain"] = {1000, 1000};
  for (json& a : launch(doc)["args"]) a["projection"]["matrix"] = {{0, 0}};
  doc["phases"][1]["repeat"] = 101;
  EXPECT_EQ(load_errors(doc),
            std::vector<std::string>{"my.json: /phases/1/repeat: more than 100000000 point tasks "
                                     "after repeats"});
}

TEST(Json, SyntaxErrorsHaveLineAndColumn) {
  EXPECT_EQ(load_app("{\n  \"name\": \"x\",\n  oops\n}", "my.json").errors,
            std::vector<std::string>{
                "my.json:3:3: syntax error while parsing object key - invalid literal; last "
                "read: '\"x\",<U+000A>  o'; expected string literal"});
  EXPECT_EQ(load_app("", "e.json").errors,
            std::vector<std::string>{"e.json:1:1: syntax error while parsing value - unexpected "
                                     "end of input; expected '[', '{', or a literal"});
  EXPECT_EQ(load_app("[1e999]", "n.json").errors,
            std::vector<std::string>{"n.json: number overflow parsing '1e999'"});
}

TEST(Json, DeepNestingIsRefused) {
  std::string deep(100000, '[');
  EXPECT_EQ(load_app(deep, "d.json").errors,
            std::vector<std::string>{"d.json:1:65: nesting deeper than 64 levels"});
  std::string in_string = "{\"name\": \"" + std::string(100, '[') + "\"}";
  EXPECT_EQ(load_app(in_string, "s.json").errors[0], "s.json: missing key \"phases\"");
}

TEST(Json, ErrorsStopAtFifty) {
  json doc = example_json();
  doc["regions"][0]["block_elements"] = json::array();
  for (int i = 0; i < 1000; ++i) doc["regions"][0]["block_elements"].push_back(-1);
  std::vector<std::string> errors = load_errors(doc);
  ASSERT_EQ(errors.size(), 51u);
  EXPECT_EQ(errors.back(), "my.json: too many errors; only the first 50 are shown");
}

TEST(Json, GarbageNeverCrashes) {
  std::mt19937 random(12345);
  const std::string valid = to_json(example_app());
  const std::string alphabet = "{}[]\":,-0123456789.eE truefalsnl\\\n\x80\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string text = valid;
    int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = random() % text.size();
      switch (random() % 3) {
        case 0:
          text[at] = alphabet[random() % alphabet.size()];
          break;
        case 1:
          text.erase(at, 1 + random() % 20);
          break;
        default:
          text.insert(at, 1, alphabet[random() % alphabet.size()]);
          break;
      }
      if (text.empty()) text = "{";
    }
    LoadResult result = load_app(text, "fuzz.json");
    EXPECT_NE(result.app.has_value(), !result.errors.empty());
    if (result.app) {
      EXPECT_TRUE(validate(*result.app).empty());
    }
  }
  for (int round = 0; round < 300; ++round) {
    std::string text(random() % 200, ' ');
    for (char& c : text) c = static_cast<char>(random() % 256);
    LoadResult result = load_app(text, "bytes.json");
    EXPECT_FALSE(result.app);
  }
}

TEST(Json, WrongTypesEverywhereNeverCrash) {
  // Replace every value of the example (leaves and containers), one at a time, by each type.
  const json values[] = {nullptr,
                         true,
                         -1,
                         0,
                         1.5,
                         "s",
                         json::array(),
                         json::object(),
                         json::array({json::object()}),
                         json::array({-1})};
  const json doc = example_json();
  std::set<std::string> pointers;
  const json flat = doc.flatten();
  for (const auto& [leaf, unused] : flat.items()) {
    (void)unused;
    for (json::json_pointer p(leaf); !p.empty(); p = p.parent_pointer())
      pointers.insert(p.to_string());
  }
  for (const std::string& pointer : pointers) {
    for (const json& v : values) {
      json edited = doc;
      edited[json::json_pointer(pointer)] = v;
      LoadResult result = load_app(edited.dump(), "t.json");
      EXPECT_NE(result.app.has_value(), !result.errors.empty()) << pointer;
      if (result.app) {
        EXPECT_TRUE(validate(*result.app).empty());
      }
    }
  }
}

}  // namespace
}  // namespace mapforge::app
