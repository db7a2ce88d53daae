// No input crashes or hangs the loader: random bytes, every truncation of a valid file, and
// random edits of valid files all end in a result (the sanitizer build checks memory safety).
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "machine/machine.h"
#include "machine/test_support.h"

namespace mapforge::machine {
namespace {

using Json = nlohmann::ordered_json;

TEST(RobustnessTest, RandomBytes) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 300);
  for (int i = 0; i < 2000; ++i) {
    std::string text(static_cast<std::size_t>(length(rng)), '\0');
    for (char& c : text) c = static_cast<char>(byte(rng));
    EXPECT_FALSE(load_machine(text, "random.json").ok());
  }
}

TEST(RobustnessTest, RandomJsonPunctuation) {
  // Biased towards structure so the parser gets deep before failing.
  const std::string alphabet = "{}[]\":,0123456789.eE-+ \ntrufalsn\\u";
  std::mt19937 rng(777);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    for (int k = 0; k < 200; ++k) text += alphabet[pick(rng)];
    (void)load_machine(text, "punct.json");
  }
}

TEST(RobustnessTest, EveryTruncationFailsCleanly) {
  const std::string text = testing::builtin_text("lassen");
  for (std::size_t n = 0; n + 1 < text.size(); n += 7) {
    LoadResult result = load_machine(text.substr(0, n), "cut.json");
    EXPECT_FALSE(result.ok()) << n;
  }
}

/// Replaces one random leaf or member of `j` by a value of a random type.
void mutate(Json& j, std::mt19937& rng) {
  const Json replacements[] = {nullptr,
                               true,
                               -1,
                               0,
                               1.5,
                               1e300,
                               "GPU",
                               "",
                               Json::array(),
                               Json::object(),
                               Json::array({1, 2}),
                               18446744073709551615ULL};
  Json* at = &j;
  std::uniform_int_distribution<int> coin(0, 3);
  while ((at->is_object() || at->is_array()) && !at->empty() && coin(rng) != 0) {
    std::uniform_int_distribution<std::size_t> index(0, at->size() - 1);
    auto it = at->begin();
    std::advance(it, static_cast<std::ptrdiff_t>(index(rng)));
    at = &*it;
  }
  std::uniform_int_distribution<std::size_t> choose(0, std::size(replacements) - 1);
  *at = replacements[choose(rng)];
}

TEST(RobustnessTest, RandomEditsOfValidFiles) {
  std::mt19937 rng(4242);
  for (const std::string& name : builtin_names()) {
    const Json base = Json::parse(testing::builtin_text(name));
    for (int i = 0; i < 300; ++i) {
      Json j = base;
      for (int k = 0; k < 1 + i % 4; ++k) mutate(j, rng);
      LoadResult result = load_machine(j.dump(), "edit.json");
      if (result.ok()) continue;
      for (const LoadError& error : result.errors()) EXPECT_FALSE(error.message.empty());
    }
  }
}

TEST(RobustnessTest, LargeArraysStayFast) {
  // Duplicate checks are table lookups, not pairwise: thousands of entries load quickly.
  Json j = Json::parse(testing::builtin_text("p100-node"));
  const Json entry = {{"kind", "HostToHost"},
                      {"bandwidth_Bps", {{"value", 1}, {"source", "s"}}},
                      {"latency_s", {{"value", 0}, {"source", "s"}}}};
  for (int i = 0; i < 10000; ++i) j["channels"].push_back(entry);
  const std::string text = j.dump();
  ASSERT_LT(text.size(), kMaxMachineFileBytes);
  LoadResult result = load_machine(text, "big.json");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors().size(), kMaxLoadErrors);
}

}  // namespace
}  // namespace mapforge::machine
