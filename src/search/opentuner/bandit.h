// OpenTuner's AUCBanditQueue and AUCBanditMetaTechnique (bandittechniques.py, metatechniques.py).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "search/opentuner/rng.h"
#include "search/opentuner/technique.h"

namespace mapforge::search::opentuner {

/// Credit assignment over a sliding window of uses (Fialho et al.'s area under the curve). Keys
/// are 0..keys-1.
class AucBanditQueue {
 public:
  static constexpr double kDefaultC = 0.05;
  static constexpr std::size_t kDefaultWindow = 500;

  explicit AucBanditQueue(int keys, double c = kDefaultC, std::size_t window = kDefaultWindow);

  /// One use of `key`, which found a new global best or not. The oldest use leaves the window
  /// when it holds more than `window` uses.
  void on_result(int key, bool was_new_best);

  /// 2 * auc / (n (n + 1)), where the i-th of the key's n uses in the window adds i to auc when
  /// it found a new best; 0 when unused.
  double exploitation(int key) const;
  /// The same, recomputed from the window (OpenTuner's exploitation_term_slow).
  double exploitation_slow(int key) const;
  /// sqrt(2 log2(len(history)) / uses); infinite when unused.
  double exploration(int key) const;
  /// exploitation + C * exploration.
  double score(int key) const;

  /// The keys, best score first; ties in random order (shuffle, stable sort, reverse).
  std::vector<int> ordered_keys(Rng& rng) const;

  int keys() const { return static_cast<int>(use_counts_.size()); }
  int uses(int key) const { return use_counts_.at(static_cast<std::size_t>(key)); }
  const std::deque<std::pair<int, bool>>& history() const { return history_; }

 private:
  double c_;
  std::size_t window_;
  std::deque<std::pair<int, bool>> history_;
  std::vector<int> use_counts_;
  std::vector<long long> auc_sum_;
  std::vector<long long> auc_decay_;
};

/// A chosen configuration and which technique asked for it.
struct Request {
  Configuration config;
  int technique = 0;
};

/// The root technique: asks its techniques in bandit order and credits each use.
class AucBanditMetaTechnique {
 public:
  explicit AucBanditMetaTechnique(std::vector<std::unique_ptr<Technique>> techniques);

  /// desired_result(): the first technique in score order that offers a configuration; one that
  /// offers nothing records a use without a new best, one that waits is skipped. nullopt when
  /// none offers anything.
  std::optional<Request> desired_result(Driver& driver);

  /// on_technique_result: the result of a configuration `technique` asked for.
  void on_technique_result(int technique, bool was_new_best);

  Technique& technique(int index) { return *techniques_.at(static_cast<std::size_t>(index)); }
  int size() const { return static_cast<int>(techniques_.size()); }
  const AucBanditQueue& bandit() const { return bandit_; }

 private:
  std::vector<std::unique_ptr<Technique>> techniques_;
  AucBanditQueue bandit_;
};

}  // namespace mapforge::search::opentuner
