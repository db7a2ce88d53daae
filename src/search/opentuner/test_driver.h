// Test-only: a Driver whose results database the test fills in by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "search/opentuner/technique.h"

namespace mapforge::search::opentuner::testing {

class FakeDriver final : public Driver {
 public:
  FakeDriver(std::vector<Parameter> space, std::uint64_t seed)
      : space_(std::move(space)), rng_(seed) {}

  const std::vector<Parameter>& space() const override { return space_; }
  Rng& rng() override { return rng_; }
  const Configuration* best() const override { return best_ ? &*best_ : nullptr; }
  std::optional<double> measured(const Configuration& config) const override {
    if (measure_everything) return 1.0;
    auto it = times_.find(config);
    if (it == times_.end()) return std::nullopt;
    return it->second;
  }

  /// Records a result; a finite time faster than the best becomes the best.
  void set(const Configuration& config, double time) {
    times_[config] = time;
    if (time != kFailedTime && (!best_time_ || time < *best_time_)) {
      best_ = config;
      best_time_ = time;
    }
  }
  void set_best(const Configuration& config) { best_ = config; }

  bool measure_everything = false;

 private:
  std::vector<Parameter> space_;
  Rng rng_;
  std::unordered_map<Configuration, double, ConfigurationHash> times_;
  std::optional<Configuration> best_;
  std::optional<double> best_time_;
};

inline Configuration ints(std::vector<std::int64_t> values) {
  Configuration config;
  for (std::int64_t v : values) config.values.emplace_back(v);
  return config;
}

}  // namespace mapforge::search::opentuner::testing
