// OpenTuner's SearchDriver (driver.py) as the caller of Tuner drives it: the tuner's state, its
// results database and the bookkeeping of outstanding and duplicate requests.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "search/opentuner/bandit.h"
#include "search/opentuner/opentuner.h"
#include "search/opentuner/rng.h"
#include "search/opentuner/technique.h"

namespace mapforge::search::opentuner {

/// The four techniques of AUCBanditMetaTechniqueA, in OpenTuner's order.
std::vector<std::unique_ptr<Technique>> default_techniques();

class SearchDriver final : public Driver {
 public:
  /// Techniques given here replace AUCBanditMetaTechniqueA's four (for tests).
  SearchDriver(std::vector<Parameter> params, std::uint64_t seed,
               std::vector<std::unique_ptr<Technique>> techniques = default_techniques());

  const std::vector<Parameter>& space() const override { return params_; }
  Rng& rng() override { return rng_; }
  const Configuration* best() const override { return best_ ? &*best_ : nullptr; }
  std::optional<double> measured(const Configuration& config) const override;

  std::optional<Proposal> propose();
  bool report(const Configuration& config, std::optional<double> time);

  const std::optional<Configuration>& best_configuration() const { return best_; }
  std::optional<double> best_time() const { return best_time_; }
  int tests() const { return tests_; }
  int outstanding() const { return static_cast<int>(outstanding_.size()); }
  const AucBanditMetaTechnique& root() const { return root_; }

 private:
  struct Measurement {
    double time = kFailedTime;
    bool was_new_best = false;
  };

  /// process_new_results' callbacks: every request whose configuration now has a result reaches
  /// its technique (handle_requested_result) and then the bandit, in request order.
  void process_new_results();

  std::vector<Parameter> params_;
  Rng rng_;
  AucBanditMetaTechnique root_;
  std::unordered_map<Configuration, Measurement, ConfigurationHash> results_;
  std::unordered_set<Configuration, ConfigurationHash> outstanding_;
  std::vector<Request> awaiting_;  // requests whose result the techniques have not seen yet
  std::optional<Configuration> best_;
  std::optional<double> best_time_;
  int tests_ = 0;
};

}  // namespace mapforge::search::opentuner
