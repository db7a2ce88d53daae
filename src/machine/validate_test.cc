// Cross-entry errors of load_machine: duplicates, counts, affinities and channels.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "machine/machine.h"
#include "machine/test_support.h"

namespace mapforge::machine {
namespace {

using testing::edited;
using testing::errors_of;
using Errors = std::vector<std::string>;
using Json = nlohmann::ordered_json;

// p100-node indices used below. processors: 0 GPU, 1 CPU, 2 OMP. memories: 0 SYSMEM,
// 1 SOCKMEM, 2 ZCMEM, 3 RDMEM, 4 FBMEM. affinities: 0-3 CPU, 4-7 OMP, 8 GPU-FBMEM, 9 GPU-ZCMEM.
// channels: 0 IntraFB, 1 FBToFB, 2 HostToFB, 3 FBToHost, 4 PageableToFB, 5 FBToPageable,
// 6 HostToHost, 7 Network.

TEST(ValidateTest, DuplicateEntries) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["processors"].push_back(j["processors"][1]);
              j["memories"].push_back(j["memories"][0]);
              j["affinities"].push_back(j["affinities"][8]);
              j["channels"].push_back(j["channels"][7]);
            })),
            (Errors{"my.json: /processors/3/kind: duplicate processor kind CPU (first at "
                    "/processors/1)",
                    "my.json: /memories/5/kind: duplicate memory kind SYSMEM (first at "
                    "/memories/0)",
                    "my.json: /affinities/10: duplicate affinity GPU to FBMEM (first at "
                    "/affinities/8)",
                    "my.json: /channels/8/kind: duplicate channel kind Network (first at "
                    "/channels/7)"}));
}

TEST(ValidateTest, GpusNeedFramebuffers) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["memories"].erase(4);
              j["affinities"].erase(8);
            })),
            Errors{"my.json: /memories: 4 GPU per node but no FBMEM; add one FBMEM per GPU"});
}

TEST(ValidateTest, OneFramebufferPerGpu) {
  EXPECT_EQ(errors_of(edited([](Json& j) { j["memories"][4]["per_node"] = 2; })),
            Errors{"my.json: /memories/4/per_node: expected 4 (one FBMEM per GPU), got 2"});
}

TEST(ValidateTest, FramebufferWithoutGpus) {
  const std::string text = edited([](Json& j) {
    j["processors"].erase(0);
    j["affinities"].erase(9);
    j["affinities"].erase(8);
  });
  EXPECT_EQ(errors_of(text),
            Errors{"my.json: /memories/4/kind: FBMEM without GPU processors; add GPU to "
                   "/processors or remove this memory"});
}

TEST(ValidateTest, OnePerNodeMemories) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["memories"][0]["per_node"] = 2;
              j["memories"][2]["per_node"] = 4;
            })),
            (Errors{"my.json: /memories/0/per_node: expected 1 (one SYSMEM per node), got 2",
                    "my.json: /memories/2/per_node: expected 1 (one ZCMEM per node), got 4"}));
}

TEST(ValidateTest, AffinityNeedsProcessorsAndMemory) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["affinities"][0]["proc"] = "IO";
              j["memories"].erase(3);
            })),
            (Errors{"my.json: /affinities/0/proc: no IO processors in /processors",
                    "my.json: /affinities/3/mem: no RDMEM memory in /memories",
                    "my.json: /affinities/7/mem: no RDMEM memory in /memories"}));
}

TEST(ValidateTest, AffinityMustBeReachable) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["affinities"][9]["mem"] = "SYSMEM";
              j["affinities"][0]["mem"] = "FBMEM";
              j["affinities"][1]["mem"] = "VIRTUAL";
            })),
            (Errors{"my.json: /affinities/0: CPU cannot access FBMEM directly; a CPU processor "
                    "reaches host memories only (SYSMEM, SOCKMEM, ZCMEM, RDMEM)",
                    "my.json: /affinities/1/mem: no VIRTUAL memory in /memories",
                    "my.json: /affinities/1: CPU cannot access VIRTUAL directly; a CPU processor "
                    "reaches host memories only (SYSMEM, SOCKMEM, ZCMEM, RDMEM)",
                    "my.json: /affinities/9: GPU cannot access SYSMEM directly; a GPU reaches "
                    "FBMEM and ZCMEM only"}));
}

TEST(ValidateTest, EveryProcessorNeedsAnAffinity) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              for (int i = 7; i >= 4; --i) j["affinities"].erase(i);
            })),
            Errors{"my.json: /processors/2: OMP has no affinity to any memory; add one to "
                   "/affinities"});
}

TEST(ValidateTest, RequiredChannels) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["nodes"] = 2;
              j["channels"].erase(7);
              j["channels"].erase(6);
              j["channels"].erase(1);
              j["channels"].erase(0);
            })),
            (Errors{"my.json: /channels: missing IntraFB channel (needed with GPUs)",
                    "my.json: /channels: missing FBToFB channel (needed with 4 GPUs per node)",
                    "my.json: /channels: missing HostToHost channel (needed on every machine)",
                    "my.json: /channels: missing Network channel (needed with 2 nodes)"}));
}

TEST(ValidateTest, ProcessesPerHostDivideTheNodes) {
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["nodes"] = 6;
              j["processes_per_host"] = 4;
            })),
            Errors{"my.json: /processes_per_host: expected a divisor of nodes (6), got 4"});
  // One GPU per process, several processes on a host: their GPUs copy over FBToFB.
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["nodes"] = 8;
              j["processes_per_host"] = 4;
              j["processors"][0]["per_node"] = 1;
              j["memories"][4]["per_node"] = 1;
              j["channels"].erase(1);
            })),
            Errors{"my.json: /channels: missing FBToFB channel (needed with 4 processes per "
                   "host)"});
}

TEST(ValidateTest, OptionalChannelsMayBeLeftOut) {
  // One node with one GPU needs neither Network nor FBToFB; no GPU needs no GPU channels.
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["processors"][0]["per_node"] = 1;
              j["memories"][4]["per_node"] = 1;
              j["channels"].erase(7);
              j["channels"].erase(1);
            })),
            Errors{});
  EXPECT_EQ(errors_of(edited([](Json& j) {
              j["processors"].erase(0);
              j["memories"].erase(4);
              j["affinities"].erase(9);
              j["affinities"].erase(8);
              j["channels"] = Json::array({j["channels"][6]});
            })),
            Errors{});
}

}  // namespace
}  // namespace mapforge::machine
