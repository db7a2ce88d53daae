// Needs the generators (builtin/*.cc): part of mapforge_app_tests, not of the standalone build.
#include <gtest/gtest.h>

#include "app/app.h"

namespace mapforge::app {
namespace {

TEST(Registry, NineApps) {
  std::vector<std::string> names;
  for (const BuiltinSpec& spec : builtin_apps()) names.push_back(spec.name);
  std::vector<std::string> expected = {"circuit", "stencil", "pennant",   "cannon", "summa",
                                       "pumma",   "johnson", "solomonik", "cosma"};
  EXPECT_EQ(names, expected);
}

TEST(Registry, EveryAppBuildsAndRoundTrips) {
  for (const BuiltinSpec& spec : builtin_apps()) {
    LoadResult result = builtin_app(spec.name, MachineFacts{1, 4, 20});
    ASSERT_TRUE(result.app) << spec.name << ": " << result.errors[0];
    EXPECT_TRUE(validate(*result.app).empty()) << spec.name;
    LoadResult loaded = load_app(to_json(*result.app), spec.name + ".json");
    ASSERT_TRUE(loaded.app) << spec.name << ": " << loaded.errors[0];
    EXPECT_EQ(*loaded.app, *result.app) << spec.name;
  }
}

TEST(Registry, ListedParametersAreAccepted) {
  // Each listed parameter, given alone with a value the generator accepts, is known to it; an
  // unknown name is reported by name.
  for (const BuiltinSpec& spec : builtin_apps()) {
    for (const auto& [parameter, meaning] : spec.parameters) {
      LoadResult result = builtin_app(spec.name, MachineFacts{1, 4, 20}, {{parameter, 0}});
      for (const std::string& e : result.errors)
        EXPECT_EQ(e.find("unknown size"), std::string::npos) << e;
    }
    LoadResult bogus = builtin_app(spec.name, MachineFacts{1, 4, 20}, {{"bogus", 1}});
    ASSERT_FALSE(bogus.errors.empty()) << spec.name;
    EXPECT_EQ(bogus.errors[0].rfind(spec.name + ": unknown size 'bogus'", 0), 0u)
        << bogus.errors[0];
  }
}

TEST(Registry, Errors) {
  EXPECT_EQ(builtin_app("circuits", MachineFacts{}).errors,
            std::vector<std::string>{"unknown app \"circuits\"; apps are circuit, stencil, "
                                     "pennant, cannon, summa, pumma, johnson, solomonik, cosma"});
  EXPECT_EQ(builtin_app("circuit", MachineFacts{0, -1, 0}).errors,
            (std::vector<std::string>{"machine: nodes must be at least 1, got 0",
                                      "machine: gpus_per_node must not be negative, got -1",
                                      "machine: cpus_per_node must be at least 1, got 0"}));
}

TEST(Registry, ExpertPolicies) {
  for (const BuiltinSpec& spec : builtin_apps())
    EXPECT_FALSE(expert_policy(spec.name).empty()) << spec.name << " has no expert.map";
  EXPECT_TRUE(expert_policy("nope").empty());
}

}  // namespace
}  // namespace mapforge::app
