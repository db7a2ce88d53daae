#include "search/opentuner/nelder_mead.h"

#include <algorithm>

#include "search/opentuner/space.h"

namespace mapforge::search::opentuner {

Offer NelderMead::desired_configuration(Driver& driver) {
  if (done_) return Offer::nothing();
  for (;;) {
    switch (wrapper_) {
      case Wrapper::Top:
        ++rounds_since_novel_request_;
        if (rounds_since_novel_request_ % options_.novelty_threshold == 0) {
          if (rounds_since_novel_request_ > options_.reset_threshold) {
            stage_ = Stage::Start;  // a fresh main_generator
            rounds_since_novel_request_ = 0;
          }
          wrapper_ = Wrapper::Resume;
          return Offer::nothing();  // give other techniques a shot
        }
        wrapper_ = Wrapper::Resume;
        continue;
      case Wrapper::Resume: {
        Step step = resume_generator(driver);
        if (step.kind == Yield::Finished) {
          wrapper_ = Wrapper::EmitThenFinish;
        } else {
          if (step.kind == Yield::Config) pending_tests_.push_back(std::move(step.config));
          wrapper_ = Wrapper::Emit;
        }
        emit_index_ = 0;
        continue;
      }
      case Wrapper::Emit:
        if (auto config = next_emission(driver)) return Offer::of(std::move(*config));
        wrapper_ = Wrapper::Wait;
        continue;
      case Wrapper::Wait:
        std::erase_if(pending_tests_,
                      [&](const Configuration& config) { return driver.has_results(config); });
        if (!pending_tests_.empty()) {
          rounds_since_novel_request_ = 0;
          return Offer::wait();
        }
        wrapper_ = Wrapper::Top;
        continue;
      case Wrapper::EmitThenFinish:
        if (auto config = next_emission(driver)) return Offer::of(std::move(*config));
        done_ = true;
        return Offer::nothing();
    }
  }
}

std::optional<Configuration> NelderMead::next_emission(Driver& driver) {
  while (emit_index_ < pending_tests_.size()) {
    const Configuration& config = pending_tests_[emit_index_++];
    if (driver.has_results(config)) continue;
    rounds_since_novel_request_ = 0;
    return config;
  }
  return std::nullopt;
}

NelderMead::Step NelderMead::resume_generator(Driver& driver) {
  const std::vector<Parameter>& space = driver.space();
  for (;;) {
    switch (stage_) {
      case Stage::Start: {
        // RandomInitialMixin: one random point, plus one per integer parameter.
        simplex_.clear();
        simplex_.push_back(random_configuration(space, driver.rng()));
        for (const Parameter& param : space) {
          if (param.numeric()) simplex_.push_back(random_configuration(space, driver.rng()));
        }
        if (simplex_.size() <= 1) {
          stage_ = Stage::Finished;
          return Step{Yield::Finished, {}};
        }
        for (const Configuration& point : simplex_) pending_tests_.push_back(point);
        stage_ = Stage::LoopTop;
        return Step{Yield::None, {}};
      }
      case Stage::LoopTop:
        if (convergence_criteria()) {
          stage_ = Stage::Finished;
          return Step{Yield::Finished, {}};
        }
        std::stable_sort(
            simplex_.begin(), simplex_.end(),
            [&](const Configuration& a, const Configuration& b) { return driver.lt(a, b); });
        centroid_ = centroid(driver);
        reflection_ = linear_point(centroid_, simplex_.back(), options_.alpha, driver);
        stage_ = Stage::AfterReflection;
        return Step{Yield::Config, reflection_};
      case Stage::AfterReflection:
        if (driver.lt(reflection_, simplex_.front())) {
          expansion_ = linear_point(centroid_, reflection_, -options_.gamma, driver);
          stage_ = Stage::AfterExpansion;
          return Step{Yield::Config, expansion_};
        }
        if (driver.lt(reflection_, simplex_[1])) {
          simplex_.back() = reflection_;
          stage_ = Stage::LoopTop;
          continue;
        }
        // Outside contraction from the reflection when it is no worse than the worst point,
        // else inside contraction from the worst point.
        contract_base_ = driver.lte(reflection_, simplex_.back()) ? reflection_ : simplex_.back();
        contraction_ = linear_point(centroid_, contract_base_, -options_.beta, driver);
        stage_ = Stage::AfterContraction;
        return Step{Yield::Config, contraction_};
      case Stage::AfterExpansion:
        simplex_.back() = driver.lt(expansion_, reflection_) ? expansion_ : reflection_;
        stage_ = Stage::LoopTop;
        continue;
      case Stage::AfterContraction:
        if (driver.lte(contraction_, contract_base_)) {
          simplex_.back() = contraction_;
          stage_ = Stage::LoopTop;
          continue;
        }
        // Shrink towards the best point and test the whole simplex again.
        for (std::size_t i = 1; i < simplex_.size(); ++i) {
          simplex_[i] = linear_point(simplex_.front(), simplex_[i], -options_.sigma, driver);
        }
        for (const Configuration& point : simplex_) pending_tests_.push_back(point);
        stage_ = Stage::LoopTop;
        return Step{Yield::None, {}};
      case Stage::Finished:
        return Step{Yield::Finished, {}};
    }
  }
}

bool NelderMead::convergence_criteria() {
  if (rounds_since_novel_request_ > 3 * static_cast<int>(simplex_.size()) + 1) return true;
  if (last_simplex_ && *last_simplex_ == simplex_) return true;
  last_simplex_ = simplex_;
  return false;
}

Configuration NelderMead::centroid(Driver& driver) const {
  // The mean of every simplex point's unit values (the worst included, as OpenTuner does);
  // other parameters are copied from the best point.
  const std::vector<Parameter>& space = driver.space();
  Configuration result = simplex_.front();
  for (std::size_t k = 0; k < space.size(); ++k) {
    if (!space[k].numeric()) continue;
    double sum = 0.0;
    for (const Configuration& point : simplex_) sum += unit_value(space[k], point.values[k]);
    set_unit_value(space[k], result.values[k], sum / static_cast<double>(simplex_.size()));
  }
  return result;
}

Configuration NelderMead::linear_point(const Configuration& p1, const Configuration& p2,
                                       double scale, Driver& driver) const {
  // p1 + scale * (p1 - p2)
  return linear_config(driver.space(), 1.0, p1, scale, p1, -scale, p2, driver.rng());
}

}  // namespace mapforge::search::opentuner
