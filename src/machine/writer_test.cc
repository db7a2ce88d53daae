// to_json writes exactly what load_machine reads.
#include <gtest/gtest.h>

#include "machine/machine.h"
#include "machine/profiles.h"
#include "machine/test_support.h"

namespace mapforge::machine {
namespace {

TEST(WriterTest, BuiltinsRoundTrip) {
  for (const std::string& name : builtin_names()) {
    LoadResult original = builtin_machine(name);
    ASSERT_TRUE(original.ok()) << name;
    LoadResult again = load_machine(to_json(original.value()), name);
    ASSERT_TRUE(again.ok()) << render_all(again.errors());
    EXPECT_EQ(again.value(), original.value()) << name;
  }
}

TEST(WriterTest, ProfilesAreStoredInCanonicalForm) {
  // The embedded files are byte-identical to what to_json writes, so a profile reads the same in
  // the source tree as in `mapforge machines --json`.
  for (const detail::EmbeddedProfile& profile : detail::embedded_profiles()) {
    LoadResult loaded = load_machine(profile.json, std::string(profile.name));
    ASSERT_TRUE(loaded.ok()) << render_all(loaded.errors());
    EXPECT_EQ(to_json(loaded.value()), profile.json) << profile.name;
  }
}

TEST(WriterTest, OddNumbersAndTextRoundTrip) {
  LoadResult base = builtin_machine("h100-node", 7);
  ASSERT_TRUE(base.ok());
  Machine m = base.value();
  m.name = "n\u00e4me \"quoted\"\n\ttab";
  m.description = "";
  m.processors[0].launch_overhead_s = {1.0 / 3.0, "third"};
  m.processors[0].aos_weight = {0.1, "0.1 is not exact in binary"};
  m.channels[0].latency_s = {1e-300, "tiny"};
  m.channels[0].bandwidth_Bps = {999999999999999.9, "just under the limit"};
  m.memories[0].capacity_bytes = {1e15, "exactly the limit"};
  LoadResult again = load_machine(to_json(m), "odd.json");
  ASSERT_TRUE(again.ok()) << render_all(again.errors());
  EXPECT_EQ(again.value(), m);
}

TEST(WriterTest, WholeNumbersAreWrittenAsIntegers) {
  LoadResult m = builtin_machine("p100-node");
  ASSERT_TRUE(m.ok());
  const std::string text = to_json(m.value());
  EXPECT_NE(text.find("\"value\": 16106127360,"), std::string::npos);
  EXPECT_NE(text.find("\"value\": 5e-06,"), std::string::npos);
}

}  // namespace
}  // namespace mapforge::machine
