#include <cassert>
#include <cmath>
#include <string>
#include <utility>

#include "search/opentuner/differential_evolution.h"
#include "search/opentuner/greedy_mutation.h"
#include "search/opentuner/nelder_mead.h"
#include "search/opentuner/opentuner.h"
#include "search/opentuner/search_driver.h"
#include "search/opentuner/space.h"

namespace mapforge::search::opentuner {
namespace {

// How many times one propose() asks the root technique before giving up: every answer may be
// nothing, or a repeat of an outstanding proposal (which is attached to it, not handed out).
constexpr int kMaxRequestRounds = 32;

}  // namespace

std::vector<std::unique_ptr<Technique>> default_techniques() {
  std::vector<std::unique_ptr<Technique>> techniques;
  techniques.push_back(std::make_unique<DifferentialEvolution>());
  techniques.push_back(std::make_unique<GreedyMutation>(GreedyMutation::uniform_options()));
  techniques.push_back(std::make_unique<GreedyMutation>(GreedyMutation::normal_options()));
  techniques.push_back(std::make_unique<NelderMead>());
  return techniques;
}

SearchDriver::SearchDriver(std::vector<Parameter> params, std::uint64_t seed,
                           std::vector<std::unique_ptr<Technique>> techniques)
    : params_(std::move(params)), rng_(seed), root_(std::move(techniques)) {
  for (const Parameter& param : params_) {
    assert(check_parameter(param).empty() && "invalid parameter");
    (void)param;
  }
}

std::optional<double> SearchDriver::measured(const Configuration& config) const {
  auto it = results_.find(config);
  if (it == results_.end()) return std::nullopt;
  return it->second.time;
}

void SearchDriver::process_new_results() {
  std::vector<Request> still_waiting;
  for (Request& request : awaiting_) {
    auto it = results_.find(request.config);
    if (it == results_.end()) {
      still_waiting.push_back(std::move(request));
      continue;
    }
    root_.technique(request.technique).handle_requested_result(request.config, *this);
    root_.on_technique_result(request.technique, it->second.was_new_best);
  }
  awaiting_ = std::move(still_waiting);
}

std::optional<Proposal> SearchDriver::propose() {
  process_new_results();
  for (int round = 0; round < kMaxRequestRounds; ++round) {
    std::optional<Request> request = root_.desired_result(*this);
    if (!request) continue;
    std::string technique(root_.technique(request->technique).name());
    Configuration config = request->config;
    if (auto it = results_.find(config); it != results_.end()) {
      // Measured before: a test, not re-run. Its technique sees the old result (with that
      // result's was_new_best, as OpenTuner's shared Result row gives it).
      awaiting_.push_back(std::move(*request));
      ++tests_;
      std::optional<double> known;
      if (it->second.time != kFailedTime) known = it->second.time;
      return Proposal{std::move(config), std::move(technique), known};
    }
    awaiting_.push_back(std::move(*request));
    if (outstanding_.contains(config)) continue;  // rides on the outstanding proposal's result
    outstanding_.insert(config);
    ++tests_;
    return Proposal{std::move(config), std::move(technique), std::nullopt};
  }
  return std::nullopt;
}

bool SearchDriver::report(const Configuration& config, std::optional<double> time) {
  auto it = outstanding_.find(config);
  if (it == outstanding_.end()) return false;
  outstanding_.erase(it);
  double t = time && std::isfinite(*time) ? *time : kFailedTime;
  bool new_best = t != kFailedTime && (!best_time_ || t < *best_time_);
  results_.emplace(config, Measurement{t, new_best});
  if (new_best) {
    best_ = config;
    best_time_ = t;
  }
  return true;
}

Tuner::Tuner(std::vector<Parameter> params, std::uint64_t seed)
    : driver_(std::make_unique<SearchDriver>(std::move(params), seed)) {}
Tuner::~Tuner() = default;
Tuner::Tuner(Tuner&&) noexcept = default;
Tuner& Tuner::operator=(Tuner&&) noexcept = default;

std::optional<Proposal> Tuner::propose() { return driver_->propose(); }
bool Tuner::report(const Configuration& config, std::optional<double> time) {
  return driver_->report(config, time);
}
const std::optional<Configuration>& Tuner::best() const { return driver_->best_configuration(); }
std::optional<double> Tuner::best_time() const { return driver_->best_time(); }
int Tuner::tests() const { return driver_->tests(); }
int Tuner::outstanding() const { return driver_->outstanding(); }
const std::vector<Parameter>& Tuner::parameters() const { return driver_->space(); }

}  // namespace mapforge::search::opentuner
