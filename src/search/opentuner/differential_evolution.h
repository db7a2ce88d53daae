// OpenTuner's DifferentialEvolutionAlt (differentialevolution.py).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "search/opentuner/technique.h"

namespace mapforge::search::opentuner {

class DifferentialEvolution : public Technique {
 public:
  struct Options {
    int population_size = 30;
    double cr = 0.2;              // crossover rate (the Alt variant; plain DE has 0.9)
    int n_cross = 1;              // parameters crossed for sure
    int information_sharing = 1;  // copies of the global best among the donors
    int duplicate_retries = 5;    // new children tried while the child was measured before
  };

  struct Member {
    Configuration config;
    bool submitted = false;
    std::uint64_t timestamp = 0;  // logical clock: oldest first
    std::optional<Configuration> candidate_replacement;
  };

  DifferentialEvolution() : DifferentialEvolution(Options{}) {}
  explicit DifferentialEvolution(Options options) : options_(options) {}

  std::string_view name() const override { return "DifferentialEvolutionAlt"; }

  /// First the random initial population, one member per call; then a child of the oldest
  /// member without a pending child; nothing when every member has one pending.
  Offer desired_configuration(Driver& driver) override;
  /// A member's pending child replaces it only when strictly faster.
  void handle_requested_result(const Configuration& config, Driver& driver) override;

  /// Which of `count` parameters (in the order given) to cross: the first `n_cross` surely,
  /// each other with probability `cr`.
  static std::vector<bool> crossover_mask(int count, int n_cross, double cr, Rng& rng);

  const std::vector<Member>& population() const { return population_; }

 private:
  Member* oldest_member();
  Configuration create_new_configuration(const Member& parent, Driver& driver);

  Options options_;
  std::vector<Member> population_;
  std::uint64_t clock_ = 0;
};

}  // namespace mapforge::search::opentuner
