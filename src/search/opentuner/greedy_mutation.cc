#include "search/opentuner/greedy_mutation.h"

#include <numeric>
#include <vector>

#include "search/opentuner/space.h"

namespace mapforge::search::opentuner {
namespace {

constexpr int kMutationRetries = 10;

}  // namespace

GreedyMutation::Options GreedyMutation::uniform_options() {
  return Options{"UniformGreedyMutation", 0.1, 1, false, 0.1};
}

GreedyMutation::Options GreedyMutation::normal_options() {
  return Options{"NormalGreedyMutation", 0.3, 1, true, 0.1};
}

Offer GreedyMutation::desired_configuration(Driver& driver) {
  // GreedySelectionMixin.select: the best successful configuration, else a random one.
  const Configuration* best = driver.best();
  Configuration parent = best ? *best : random_configuration(driver.space(), driver.rng());
  Configuration config = parent;
  for (int retry = 0; retry < kMutationRetries; ++retry) {
    mutate(config, driver);
    if (config != parent) return Offer::of(std::move(config));
  }
  return Offer::nothing();
}

void GreedyMutation::mutate(Configuration& config, Driver& driver) const {
  const std::vector<Parameter>& space = driver.space();
  Rng& rng = driver.rng();
  std::vector<std::size_t> order(space.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  rng.shuffle(order);
  for (std::size_t i = 0; i < order.size(); ++i) {
    bool sure = i < static_cast<std::size_t>(options_.must_mutate_count);
    if (!sure && !rng.chance(options_.mutation_rate)) continue;
    std::size_t k = order[i];
    mutate_param(space[k], config.values[k], rng);
  }
}

void GreedyMutation::mutate_param(const Parameter& param, Value& value, Rng& rng) const {
  if (!options_.normal) {
    randomize(param, value, rng);
    return;
  }
  switch (param.kind) {
    case ParameterKind::Integer:
      normal_mutation(param, value, options_.sigma, rng);
      return;
    case ParameterKind::Boolean:  // manipulators: [op1_flip]
      flip(param, value);
      return;
    case ParameterKind::Enumeration:  // manipulators: [op1_randomize]
      randomize(param, value, rng);
      return;
    case ParameterKind::Permutation:  // manipulators: [op1_randomize, op1_small_random_change]
      if (rng.below(2) == 0) {
        randomize(param, value, rng);
      } else {
        small_random_change(param, value, rng);
      }
      return;
  }
}

}  // namespace mapforge::search::opentuner
