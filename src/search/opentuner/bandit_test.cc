#include "search/opentuner/bandit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <string>

#include "search/opentuner/test_driver.h"

namespace mapforge::search::opentuner {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// History: (0,T) (1,F) (0,F) (0,T) (2,F) (1,T); key 3 unused.
AucBanditQueue hand_history() {
  AucBanditQueue bandit(4);
  bandit.on_result(0, true);
  bandit.on_result(1, false);
  bandit.on_result(0, false);
  bandit.on_result(0, true);
  bandit.on_result(2, false);
  bandit.on_result(1, true);
  return bandit;
}

TEST(AucBandit, ExploitationOnAHandComputedHistory) {
  AucBanditQueue bandit = hand_history();
  // key 0: uses at positions 1 (new best), 2, 3 (new best): auc = 1 + 3, n = 3.
  EXPECT_DOUBLE_EQ(bandit.exploitation(0), 2.0 * 4 / (3 * 4));
  EXPECT_DOUBLE_EQ(bandit.exploitation(0), 2.0 / 3.0);
  // key 1: positions 1, 2 (new best): auc = 2, n = 2.
  EXPECT_DOUBLE_EQ(bandit.exploitation(1), 2.0 * 2 / (2 * 3));
  EXPECT_DOUBLE_EQ(bandit.exploitation(2), 0.0);
  EXPECT_DOUBLE_EQ(bandit.exploitation(3), 0.0);
  for (int key = 0; key < 4; ++key) {
    EXPECT_DOUBLE_EQ(bandit.exploitation(key), bandit.exploitation_slow(key));
  }
}

TEST(AucBandit, ExplorationOnAHandComputedHistory) {
  AucBanditQueue bandit = hand_history();
  // len(history) = 6: sqrt(2 log2(6) / uses).
  EXPECT_DOUBLE_EQ(bandit.exploration(0), std::sqrt(2.0 * std::log2(6.0) / 3.0));
  EXPECT_NEAR(bandit.exploration(0), 1.3127484, 1e-7);
  EXPECT_NEAR(bandit.exploration(1), 1.6077819, 1e-7);
  EXPECT_NEAR(bandit.exploration(2), 2.2737469, 1e-7);
  EXPECT_EQ(bandit.exploration(3), kInf);
  EXPECT_NEAR(bandit.score(0), 2.0 / 3.0 + 0.05 * 1.3127484, 1e-7);
  EXPECT_NEAR(bandit.score(1), 2.0 / 3.0 + 0.05 * 1.6077819, 1e-7);
  EXPECT_NEAR(bandit.score(2), 0.05 * 2.2737469, 1e-7);
  EXPECT_EQ(bandit.score(3), kInf);
  EXPECT_EQ(bandit.uses(0), 3);
  EXPECT_EQ(bandit.uses(3), 0);
}

TEST(AucBandit, OneUseExploresNothing) {
  AucBanditQueue bandit(2);
  bandit.on_result(0, true);
  EXPECT_DOUBLE_EQ(bandit.exploration(0), 0.0);  // log2(1) = 0
  EXPECT_DOUBLE_EQ(bandit.score(0), 1.0);
}

TEST(AucBandit, TriesTechniquesInScoreOrder) {
  AucBanditQueue bandit = hand_history();
  Rng rng(1);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(bandit.ordered_keys(rng), (std::vector<int>{3, 1, 0, 2}));
  }
}

TEST(AucBandit, BreaksTiesRandomly) {
  AucBanditQueue bandit(3);
  bandit.on_result(2, false);  // keys 0 and 1 unused: both infinite
  Rng rng(1);
  std::set<std::vector<int>> orders;
  for (int i = 0; i < 100; ++i) orders.insert(bandit.ordered_keys(rng));
  EXPECT_EQ(orders, (std::set<std::vector<int>>{{0, 1, 2}, {1, 0, 2}}));
}

TEST(AucBandit, KeepsAWindowOf500Uses) {
  AucBanditQueue bandit(2);
  for (int i = 0; i < 100; ++i) bandit.on_result(0, true);
  for (int i = 0; i < 500; ++i) bandit.on_result(1, i % 7 == 0);
  EXPECT_EQ(bandit.history().size(), 500u);
  EXPECT_EQ(bandit.uses(0), 0);
  EXPECT_EQ(bandit.uses(1), 500);
  EXPECT_DOUBLE_EQ(bandit.exploitation(0), 0.0);
  EXPECT_EQ(bandit.exploration(0), kInf);
  EXPECT_DOUBLE_EQ(bandit.exploitation(1), bandit.exploitation_slow(1));
  EXPECT_DOUBLE_EQ(bandit.exploration(1), std::sqrt(2.0 * std::log2(500.0) / 500.0));
}

TEST(AucBandit, DroppingTheOldestUseShiftsPositions) {
  AucBanditQueue bandit(1, 0.05, 3);
  bandit.on_result(0, true);
  bandit.on_result(0, false);
  bandit.on_result(0, true);
  bandit.on_result(0, false);  // drops the first: F T F left, auc = 2
  EXPECT_EQ(bandit.uses(0), 3);
  EXPECT_DOUBLE_EQ(bandit.exploitation(0), 2.0 * 2 / (3 * 4));
  EXPECT_DOUBLE_EQ(bandit.exploitation(0), bandit.exploitation_slow(0));
}

TEST(AucBandit, IncrementalAucMatchesTheSlowSum) {
  for (std::size_t window : {std::size_t{7}, std::size_t{50}, std::size_t{500}}) {
    AucBanditQueue bandit(4, 0.05, window);
    Rng rng(window);
    for (int i = 0; i < 2000; ++i) {
      bandit.on_result(static_cast<int>(rng.below(4)), rng.chance(0.3));
      for (int key = 0; key < 4; ++key) {
        ASSERT_DOUBLE_EQ(bandit.exploitation(key), bandit.exploitation_slow(key))
            << "window " << window << " step " << i;
      }
    }
  }
}

// A technique with a scripted answer.
class Scripted final : public Technique {
 public:
  Scripted(std::string name, Offer::Kind kind) : name_(std::move(name)), kind_(kind) {}
  std::string_view name() const override { return name_; }
  Offer desired_configuration(Driver&) override {
    ++asked;
    if (kind_ == Offer::Kind::Config) return Offer::of(testing::ints({1}));
    return Offer{kind_, {}};
  }
  int asked = 0;

 private:
  std::string name_;
  Offer::Kind kind_;
};

TEST(AucBanditMeta, NothingRecordsAZeroAndWaitingRecordsNothing) {
  testing::FakeDriver driver({Parameter::integer("x", 0, 3)}, 1);
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<std::unique_ptr<Technique>> techniques;
    techniques.push_back(std::make_unique<Scripted>("nothing", Offer::Kind::Nothing));
    techniques.push_back(std::make_unique<Scripted>("wait", Offer::Kind::Wait));
    techniques.push_back(std::make_unique<Scripted>("offer", Offer::Kind::Config));
    AucBanditMetaTechnique meta(std::move(techniques));
    std::optional<Request> request = meta.desired_result(driver);
    ASSERT_TRUE(request);
    EXPECT_EQ(request->technique, 2);
    EXPECT_EQ(request->config, testing::ints({1}));
    // Only the nothing-technique may have a use so far, without a new best, and only if it
    // was asked before the one that offered.
    const auto& history = meta.bandit().history();
    int asked = static_cast<Scripted&>(meta.technique(0)).asked;
    ASSERT_EQ(history.size(), static_cast<std::size_t>(asked));
    for (const auto& [key, value] : history) {
      EXPECT_EQ(key, 0);
      EXPECT_FALSE(value);
    }
    meta.on_technique_result(2, true);
    EXPECT_EQ(meta.bandit().uses(2), 1);
    EXPECT_EQ(meta.bandit().uses(1), 0);
  }
}

TEST(AucBanditMeta, NoneWhenNoTechniqueOffers) {
  testing::FakeDriver driver({Parameter::integer("x", 0, 3)}, 1);
  std::vector<std::unique_ptr<Technique>> techniques;
  techniques.push_back(std::make_unique<Scripted>("nothing", Offer::Kind::Nothing));
  techniques.push_back(std::make_unique<Scripted>("wait", Offer::Kind::Wait));
  AucBanditMetaTechnique meta(std::move(techniques));
  EXPECT_FALSE(meta.desired_result(driver));
  EXPECT_EQ(meta.bandit().history().size(), 1u);
  EXPECT_EQ(meta.bandit().uses(0), 1);
  EXPECT_EQ(meta.bandit().uses(1), 0);
}

TEST(AucBanditMeta, AsksTheBestScoringTechniqueFirst) {
  testing::FakeDriver driver({Parameter::integer("x", 0, 3)}, 1);
  std::vector<std::unique_ptr<Technique>> techniques;
  techniques.push_back(std::make_unique<Scripted>("a", Offer::Kind::Config));
  techniques.push_back(std::make_unique<Scripted>("b", Offer::Kind::Config));
  AucBanditMetaTechnique meta(std::move(techniques));
  for (int i = 0; i < 10; ++i) meta.on_technique_result(0, false);
  for (int i = 0; i < 10; ++i) meta.on_technique_result(1, true);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(meta.desired_result(driver)->technique, 1);
}

}  // namespace
}  // namespace mapforge::search::opentuner
