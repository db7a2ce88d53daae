// What a search technique sees of the search (OpenTuner's SearchDriver, manipulator and
// objective, technique.py), and what it offers back.
#pragma once

#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "search/opentuner/opentuner.h"
#include "search/opentuner/rng.h"

namespace mapforge::search::opentuner {

inline constexpr double kFailedTime = std::numeric_limits<double>::infinity();

/// The driver as techniques see it.
class Driver {
 public:
  virtual ~Driver() = default;
  virtual const std::vector<Parameter>& space() const = 0;
  virtual Rng& rng() = 0;
  /// driver.best_result when it is a successful run; null before any success.
  virtual const Configuration* best() const = 0;
  /// The measured time of `config` (kFailedTime for a failed run); nullopt while unmeasured.
  virtual std::optional<double> measured(const Configuration& config) const = 0;

  bool has_results(const Configuration& config) const { return measured(config).has_value(); }
  /// objective.lt / lte (MinimizeTime on configurations). A configuration not yet measured
  /// compares as a failure.
  bool lt(const Configuration& a, const Configuration& b) const { return time(a) < time(b); }
  bool lte(const Configuration& a, const Configuration& b) const { return time(a) <= time(b); }
  double time(const Configuration& config) const { return measured(config).value_or(kFailedTime); }
};

/// What desired_configuration() returns: a configuration, None (nothing to offer: the bandit
/// records a use without a new best) or False (waiting for results: the bandit skips it).
struct Offer {
  enum class Kind { Config, Nothing, Wait };
  Kind kind = Kind::Nothing;
  Configuration config;

  static Offer of(Configuration config) { return Offer{Kind::Config, std::move(config)}; }
  static Offer nothing() { return Offer{Kind::Nothing, {}}; }
  static Offer wait() { return Offer{Kind::Wait, {}}; }
};

/// OpenTuner's SearchTechnique.
class Technique {
 public:
  virtual ~Technique() = default;
  virtual std::string_view name() const = 0;
  virtual Offer desired_configuration(Driver& driver) = 0;
  /// handle_requested_result: a configuration this technique asked for now has its result.
  virtual void handle_requested_result(const Configuration& config, Driver& driver) {
    (void)config;
    (void)driver;
  }
};

}  // namespace mapforge::search::opentuner
