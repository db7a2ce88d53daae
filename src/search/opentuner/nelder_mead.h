// OpenTuner's RandomNelderMead (simplextechniques.py) inside the SequentialSearchTechnique
// wrapper (technique.py), written as two explicit state machines in place of Python generators.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "search/opentuner/technique.h"

namespace mapforge::search::opentuner {

class NelderMead : public Technique {
 public:
  struct Options {
    double alpha = 2.0;  // reflection
    double gamma = 2.0;  // expansion
    double beta = 0.5;   // contraction
    double sigma = 0.5;  // shrink
    int novelty_threshold = 50;
    int reset_threshold = 500;
  };

  NelderMead() : NelderMead(Options{}) {}
  explicit NelderMead(Options options) : options_(options) {}

  std::string_view name() const override { return "RandomNelderMead"; }

  /// Tests the simplex (one random point plus one random point per integer parameter), then runs
  /// Nelder-Mead on it, waiting for each step's results; a step whose point was measured before
  /// runs on at once. Once the simplex stops changing (or only old points come up for 3n+2
  /// rounds) it is done and offers nothing again, as in OpenTuner. Without integer parameters it
  /// offers nothing from the start.
  Offer desired_configuration(Driver& driver) override;

  bool done() const { return done_; }
  const std::vector<Configuration>& simplex() const { return simplex_; }

 private:
  // What main_generator() yields.
  enum class Yield { Config, None, Finished };
  struct Step {
    Yield kind = Yield::None;
    Configuration config;
  };
  enum class Stage { Start, LoopTop, AfterReflection, AfterExpansion, AfterContraction, Finished };
  enum class Wrapper { Top, Resume, Emit, Wait, EmitThenFinish };

  Step resume_generator(Driver& driver);
  bool convergence_criteria();
  Configuration centroid(Driver& driver) const;
  Configuration linear_point(const Configuration& p1, const Configuration& p2, double scale,
                             Driver& driver) const;
  /// The finally-block of call_main_generator: the next pending test without results.
  std::optional<Configuration> next_emission(Driver& driver);

  Options options_;
  bool done_ = false;

  // call_main_generator's state.
  Wrapper wrapper_ = Wrapper::Top;
  std::vector<Configuration> pending_tests_;
  std::size_t emit_index_ = 0;
  int rounds_since_novel_request_ = 0;

  // main_generator's state.
  Stage stage_ = Stage::Start;
  std::vector<Configuration> simplex_;
  std::optional<std::vector<Configuration>> last_simplex_;
  Configuration centroid_;
  Configuration reflection_;
  Configuration expansion_;
  Configuration contraction_;
  Configuration contract_base_;
};

}  // namespace mapforge::search::opentuner
