// OpenTuner's UniformGreedyMutation and NormalGreedyMutation (evolutionarytechniques.py):
// mutate the best configuration so far (a random one before any success).
#pragma once

#include <string>
#include <string_view>

#include "search/opentuner/technique.h"

namespace mapforge::search::opentuner {

class GreedyMutation : public Technique {
 public:
  struct Options {
    std::string name;
    double mutation_rate = 0.1;  // chance for each parameter past the sure ones
    int must_mutate_count = 1;   // parameters mutated for sure
    bool normal = false;         // NormalMutationMixin: integers move by N(0, sigma)
    double sigma = 0.1;          // on the unit interval
  };

  /// UniformGreedyMutation: every mutation is op1_randomize, p = 0.1.
  static Options uniform_options();
  /// NormalGreedyMutation(mutation_rate=0.3): integers get op1_normal_mutation(sigma 0.1),
  /// other parameters a random one of their manipulators (a boolean flips; an enumeration is
  /// randomised; a permutation is shuffled or changed a little).
  static Options normal_options();

  explicit GreedyMutation(Options options) : options_(std::move(options)) {}

  std::string_view name() const override { return options_.name; }
  /// A mutation of the parent that differs from it, within 10 tries (mutations accumulate);
  /// nothing if all 10 leave it unchanged.
  Offer desired_configuration(Driver& driver) override;

  /// mutation(): shuffles the parameters; mutates the first must_mutate_count, each other one
  /// with probability mutation_rate.
  void mutate(Configuration& config, Driver& driver) const;

 private:
  void mutate_param(const Parameter& param, Value& value, Rng& rng) const;

  Options options_;
};

}  // namespace mapforge::search::opentuner
