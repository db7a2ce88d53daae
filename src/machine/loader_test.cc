// Field-level errors of load_machine: each kind of problem with its exact text and location.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "machine/machine.h"
#include "machine/test_support.h"

namespace mapforge::machine {
namespace {

using testing::edited;
using testing::errors_of;
using testing::sourced;
using Errors = std::vector<std::string>;
using Json = nlohmann::ordered_json;

TEST(LoaderTest, ValidFileLoads) {
  LoadResult result = load_machine(testing::builtin_text("lassen"), "lassen.json");
  ASSERT_TRUE(result.ok()) << render_all(result.errors());
  EXPECT_EQ(result->name, "lassen");
}

TEST(LoaderTest, NegativeCapacity) {
  EXPECT_EQ(
      errors_of(edited([](Json& j) { j["memories"][1]["capacity_bytes"]["value"] = -5; })),
      Errors{"my.json: /memories/1/capacity_bytes/value: expected a positive number, got -5"});
}

TEST(LoaderTest, ZeroBandwidthAndNegativeLatency) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["channels"][2]["bandwidth_Bps"]["value"] = 0;
              j["channels"][2]["latency_s"]["value"] = -1e-6;
            })),
            (Errors{"my.json: /channels/2/bandwidth_Bps/value: expected a positive number, got 0",
                    "my.json: /channels/2/latency_s/value: expected a non-negative number, got "
                    "-1e-06"}));
}

TEST(LoaderTest, UnknownProcessorKind) {
  EXPECT_EQ(errors_of(edited([](Json& j) { j["affinities"][0]["proc"] = "GPX"; })),
            Errors{"my.json: /affinities/0/proc: unknown processor kind \"GPX\"; kinds are CPU, "
                   "GPU, OMP, IO, PY, PROC"});
}

TEST(LoaderTest, UnknownMemoryAndChannelKinds) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["memories"][0]["kind"] = "sysmem";
              j["channels"][7]["kind"] = "Infiniband";
            })),
            (Errors{"my.json: /memories/0/kind: unknown memory kind \"sysmem\"; kinds are SYSMEM, "
                    "FBMEM, ZCMEM, RDMEM, SOCKMEM",
                    "my.json: /channels/7/kind: unknown channel kind \"Infiniband\"; kinds are "
                    "IntraFB, FBToFB, HostToFB, FBToHost, PageableToFB, FBToPageable, "
                    "HostToHost, Network"}));
}

TEST(LoaderTest, VirtualIsNotAPhysicalMemory) {
  EXPECT_EQ(errors_of(edited([](Json& j) { j["memories"][3]["kind"] = "VIRTUAL"; })),
            Errors{"my.json: /memories/3/kind: VIRTUAL is not a physical memory; kinds are "
                   "SYSMEM, FBMEM, ZCMEM, RDMEM, SOCKMEM"});
}

TEST(LoaderTest, WrongTypes) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["nodes"] = "4";
              j["name"] = 7;
              j["processors"][0]["per_node"] = 4.0;
              j["processors"][1]["aos_weight"]["value"] = "half";
              j["memories"][0] = Json::array();
              j["affinities"][0]["mem"] = nullptr;
            })),
            (Errors{"my.json: /name: expected a non-empty string, got 7",
                    "my.json: /nodes: expected a whole number from 1 to 1000000, got \"4\"",
                    "my.json: /processors/0/per_node: expected a whole number from 1 to 4096, "
                    "got 4.0",
                    "my.json: /processors/1/aos_weight/value: expected a number, got \"half\"",
                    "my.json: /memories/0: expected an object, got []",
                    "my.json: /affinities/0/mem: expected a string, got null"}));
}

TEST(LoaderTest, SourcedFieldMustBeAnObject) {
  EXPECT_EQ(errors_of(edited([](Json& j) { j["memories"][1]["capacity_bytes"] = 1024; })),
            Errors{"my.json: /memories/1/capacity_bytes: expected an object, got 1024"});
}

TEST(LoaderTest, MissingFields) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j.erase("memories");
              j["processors"][2].erase("strided_factor");
              j["processors"][0]["throughput_flops"].erase("Irregular");
              j["channels"][0]["latency_s"].erase("source");
            })),
            (Errors{"my.json: /processors/0/throughput_flops/Irregular: missing required field",
                    "my.json: /processors/2/strided_factor: missing required field",
                    "my.json: /memories: missing required field",
                    "my.json: /channels/0/latency_s/source: missing required field"}));
}

TEST(LoaderTest, EmptySourceAndEmptyName) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["name"] = "";
              j["channels"][0]["latency_s"]["source"] = "";
            })),
            (Errors{"my.json: /name: expected a non-empty string, got \"\"",
                    "my.json: /channels/0/latency_s/source: expected a non-empty string, got "
                    "\"\""}));
}

TEST(LoaderTest, EmptyLists) {
  EXPECT_EQ(errors_of(edited([](Json& j) { j["channels"] = Json::array(); })),
            Errors{"my.json: /channels: expected a non-empty array, got []"});
}

TEST(LoaderTest, AbsurdValues) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["nodes"] = 2000000;
              j["processors"][1]["per_node"] = 100000;
              j["memories"][0]["capacity_bytes"] = sourced(2e15);
              j["affinities"][8]["bandwidth_Bps"] = sourced(3e15);
              j["affinities"][8]["latency_s"] = sourced(5);
              j["processors"][0]["throughput_flops"]["Dense"] = sourced(1e19);
              j["processors"][0]["aos_weight"] = sourced(1.5);
              j["processors"][0]["strided_factor"] = sourced(0.5);
            })),
            (Errors{"my.json: /nodes: expected a whole number from 1 to 1000000, got 2000000",
                    "my.json: /processors/0/throughput_flops/Dense/value: expected at most 1e18 "
                    "flop/s, got 1e+19",
                    "my.json: /processors/0/aos_weight/value: expected at most 1, got 1.5",
                    "my.json: /processors/0/strided_factor/value: expected a number of at least "
                    "1.0, got 0.5",
                    "my.json: /processors/1/per_node: expected a whole number from 1 to 4096, got "
                    "100000",
                    "my.json: /memories/0/capacity_bytes/value: expected at most 1e15 bytes "
                    "(1 PB), got 2e+15",
                    "my.json: /affinities/8/bandwidth_Bps/value: expected at most 1e15 bytes/s, "
                    "got 3e+15",
                    "my.json: /affinities/8/latency_s/value: expected at most 1 s, got 5.0"}));
}

TEST(LoaderTest, CapacityMustBeWholeBytes) {
  EXPECT_EQ(errors_of(edited([](Json& j) { j["memories"][2]["capacity_bytes"] = sourced(1.5); })),
            Errors{"my.json: /memories/2/capacity_bytes/value: expected a whole number, got 1.5"});
}

TEST(LoaderTest, NegativeAndHugeIntegers) {
  EXPECT_EQ(errors_of(edited([](Json& j) { j["nodes"] = -3; })),
            Errors{"my.json: /nodes: expected a whole number from 1 to 1000000, got -3"});
  EXPECT_EQ(errors_of(edited([](Json& j) { j["nodes"] = 0; })),
            Errors{"my.json: /nodes: expected a whole number from 1 to 1000000, got 0"});
  EXPECT_EQ(errors_of(edited([](Json& j) { j["nodes"] = 18446744073709551615ULL; })),
            Errors{"my.json: /nodes: expected a whole number from 1 to 1000000, got "
                   "18446744073709551615"});
}

TEST(LoaderTest, UnknownKeysListTheValidOnes) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["colour"] = "blue";
              j["memories"][1]["capcity"] = 1;
              j["processors"][0]["throughput_flops"]["Sparse"] = sourced(1);
              j["channels"][0]["latency_s"]["unit"] = "s";
              j["affinities"][0]["a/b~c"] = 1;
            })),
            (Errors{"my.json: /colour: unknown field; fields are name, description, nodes, "
                    "processes_per_host, processors, memories, affinities, channels",
                    "my.json: /processors/0/throughput_flops/Sparse: unknown field; fields are "
                    "Dense, Streaming, Irregular",
                    "my.json: /memories/1/capcity: unknown field; fields are kind, per_node, "
                    "capacity_bytes",
                    "my.json: /affinities/0/a~1b~0c: unknown field; fields are proc, mem, "
                    "bandwidth_Bps, latency_s, gather_fraction, atomic_fraction",
                    "my.json: /channels/0/latency_s/unit: unknown field; fields are value, "
                    "source"}));
}

TEST(LoaderTest, TopLevelMustBeAnObject) {
  EXPECT_EQ(errors_of("[1, 2]"), Errors{"my.json: expected an object, got [1,2]"});
  EXPECT_EQ(errors_of("\"p100-node\""), Errors{"my.json: expected an object, got \"p100-node\""});
}

TEST(LoaderTest, LongValuesAreShortenedInMessages) {
  EXPECT_EQ(errors_of(edited([](Json& j) { j["nodes"] = std::string(100, 'x'); })),
            Errors{"my.json: /nodes: expected a whole number from 1 to 1000000, got "
                   "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."});
}

TEST(LoaderTest, SyntaxErrorHasLineAndColumn) {
  const std::string text = "{\n  \"name\": \"x\",\n  \"nodes\": ]\n}\n";
  LoadResult result = load_machine(text, "my.json");
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.errors().size(), 1u);
  const LoadError& error = result.errors()[0];
  EXPECT_EQ(error.line, 3);
  EXPECT_EQ(error.col, 12);
  EXPECT_EQ(error.render(),
            "my.json:3:12: invalid JSON: syntax error while parsing value - unexpected ']'; "
            "expected '[', '{', or a literal");
}

TEST(LoaderTest, SyntaxErrorOnFirstLineAndAtEnd) {
  EXPECT_EQ(errors_of("{\"name\" 1}"),
            Errors{"my.json:1:9: invalid JSON: syntax error while parsing object separator - "
                   "unexpected number literal; expected ':'"});
  EXPECT_EQ(errors_of("{\n\"nodes\": 1,\n"),
            Errors{"my.json:3:1: invalid JSON: syntax error while parsing object key - "
                   "unexpected end of input; expected string literal"});
  EXPECT_EQ(errors_of(""),
            Errors{"my.json:1:1: invalid JSON: syntax error while parsing value - unexpected end "
                   "of input; expected '[', '{', or a literal"});
}

TEST(LoaderTest, NumberOverflowIsAnError) {
  EXPECT_EQ(errors_of("{\"nodes\": 1e999}"),
            Errors{"my.json: invalid JSON: number overflow parsing '1e999'"});
}

TEST(LoaderTest, OversizedAndDeepInputsAreRefusedBeforeParsing) {
  EXPECT_EQ(errors_of(std::string(kMaxMachineFileBytes + 1, ' ')),
            Errors{"my.json: file is 1048577 bytes; machine files are limited to 1048576 bytes"});
  EXPECT_EQ(errors_of(std::string(33, '[') + std::string(33, ']')),
            Errors{"my.json: JSON nests deeper than 32 levels"});
  // Brackets inside strings do not count.
  EXPECT_EQ(errors_of("{\"name\": \"" + std::string(100, '[') + "\"}").size(), 6u);
}

TEST(LoaderTest, ErrorsAreCapped) {
  const std::string text = edited([](Json& j) {
    for (int i = 0; i < 200; ++i) j["extra" + std::to_string(1000 + i)] = i;
  });
  EXPECT_EQ(errors_of(text).size(), kMaxLoadErrors);
}

}  // namespace
}  // namespace mapforge::machine

namespace mapforge::machine {
namespace {

TEST(LoaderTest, IrregularAccessFractionsAreOptionalAndRoundTrip) {
  // Absent: as fast as streaming, with the default source (files written before the keys).
  std::string text = edited([](Json& j) {
    for (auto& a : j["affinities"]) {
      a.erase("gather_fraction");
      a.erase("atomic_fraction");
    }
  });
  LoadResult old = load_machine(text, "old.json");
  ASSERT_TRUE(old.ok()) << render_all(old.errors());
  EXPECT_EQ(old->affinities[0].gather_fraction.value, 1.0);
  EXPECT_EQ(old->affinities[0].atomic_fraction.source, kStreamingFractionSource);
  EXPECT_EQ(to_json(old.value()).find("gather_fraction"), std::string::npos);
  // Given: read, kept, written back.
  LoadResult p100 = builtin_machine("p100-node");
  ASSERT_TRUE(p100.ok());
  const Affinity* zc = p100->affinity(ProcKind::GPU, MemKind::ZCMEM);
  ASSERT_NE(zc, nullptr);
  EXPECT_LT(zc->gather_fraction.value, 0.1);
  EXPECT_LT(zc->atomic_fraction.value, zc->gather_fraction.value);
  LoadResult again = load_machine(to_json(p100.value()), "p100.json");
  ASSERT_TRUE(again.ok()) << render_all(again.errors());
  EXPECT_EQ(again.value(), p100.value());
}

TEST(LoaderTest, IrregularAccessFractionOutOfRange) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["affinities"][0]["gather_fraction"] = testing::sourced(0.0);
              j["affinities"][0]["atomic_fraction"] = testing::sourced(1.5);
            })),
            (Errors{"my.json: /affinities/0/gather_fraction/value: expected a positive number, "
                    "got 0.0",
                    "my.json: /affinities/0/atomic_fraction/value: expected at most 1, got 1.5"}));
}

}  // namespace
}  // namespace mapforge::machine
