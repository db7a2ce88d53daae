#include "search/opentuner/differential_evolution.h"

#include <cassert>
#include <numeric>

#include "search/opentuner/space.h"

namespace mapforge::search::opentuner {

Offer DifferentialEvolution::desired_configuration(Driver& driver) {
  if (population_.empty()) {
    for (int i = 0; i < options_.population_size; ++i) {
      population_.push_back(Member{random_configuration(driver.space(), driver.rng()), false,
                                   ++clock_, std::nullopt});
    }
  }
  // The whole initial population is tested first.
  for (Member& member : population_) {
    if (member.submitted) continue;
    member.submitted = true;
    return Offer::of(member.config);
  }
  Member* parent = oldest_member();
  if (parent == nullptr) return Offer::nothing();  // every member awaits its child's result

  Configuration child;
  for (int retry = 0; retry < options_.duplicate_retries; ++retry) {
    child = create_new_configuration(*parent, driver);
    if (!driver.has_results(child)) break;
  }
  parent->timestamp = ++clock_;  // to the back of the line for the next replacement
  parent->candidate_replacement = child;
  return Offer::of(std::move(child));
}

DifferentialEvolution::Member* DifferentialEvolution::oldest_member() {
  Member* oldest = nullptr;
  for (Member& member : population_) {
    if (member.candidate_replacement) continue;
    if (oldest == nullptr || member.timestamp < oldest->timestamp) oldest = &member;
  }
  return oldest;
}

Configuration DifferentialEvolution::create_new_configuration(const Member& parent,
                                                              Driver& driver) {
  Rng& rng = driver.rng();
  const std::vector<Parameter>& space = driver.space();
  Configuration child = parent.config;

  // Three donors drawn from the population (less the parent) plus the global best.
  std::vector<const Configuration*> donors;
  for (const Member& member : population_) {
    if (&member != &parent) donors.push_back(&member.config);
  }
  if (const Configuration* best = driver.best()) {
    for (int i = 0; i < options_.information_sharing; ++i) donors.push_back(best);
  }
  assert(donors.size() >= 3 && "differential evolution needs three donors");
  rng.shuffle(donors);
  const Configuration& x1 = *donors[0];
  const Configuration& x2 = *donors[1];
  const Configuration& x3 = *donors[2];

  double f = rng.uniform() / 2.0 + 0.5;
  std::vector<std::size_t> order(space.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  rng.shuffle(order);
  std::vector<bool> crossed =
      crossover_mask(static_cast<int>(order.size()), options_.n_cross, options_.cr, rng);
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (!crossed[i]) continue;
    std::size_t k = order[i];
    // child = x1 + f * (x2 - x3)
    set_linear(space[k], child.values[k], x1.values[k], x2.values[k], x3.values[k], 1.0, f, -f,
               rng);
  }
  return child;
}

std::vector<bool> DifferentialEvolution::crossover_mask(int count, int n_cross, double cr,
                                                        Rng& rng) {
  std::vector<bool> mask(static_cast<std::size_t>(count), false);
  for (int i = 0; i < count; ++i) {
    mask[static_cast<std::size_t>(i)] = i < n_cross || rng.chance(cr);
  }
  return mask;
}

void DifferentialEvolution::handle_requested_result(const Configuration& config, Driver& driver) {
  for (Member& member : population_) {
    if (member.candidate_replacement != config) continue;
    if (driver.lt(*member.candidate_replacement, member.config)) {
      member.config = *member.candidate_replacement;
    }
    member.candidate_replacement.reset();
  }
}

}  // namespace mapforge::search::opentuner
