// The tuner's only source of randomness. Every draw is computed here from raw std::mt19937_64
// output (whose sequence the C++ standard fixes), never through std::*_distribution, whose results
// differ between standard libraries: a seed and a call sequence give the same search everywhere.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace mapforge::search::opentuner {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  /// Raw 64-bit draw.
  std::uint64_t next() { return engine_(); }

  /// Uniform in [0, 1) with 53 random bits (Python's random.random()).
  double uniform();

  /// Uniform in [0, n), n > 0; rejection on the bit length of n as Python's _randbelow does,
  /// so every value is equally likely.
  std::uint64_t below(std::uint64_t n);

  /// Uniform integer in [lo, hi], lo <= hi (Python's random.randint).
  std::int64_t between(std::int64_t lo, std::int64_t hi);

  /// True with probability p (`uniform() < p`).
  bool chance(double p) { return uniform() < p; }

  /// Normal with the given mean and standard deviation (Box-Muller, one draw pair per value).
  double normal(double mean, double sigma);

  /// Fisher-Yates from the back, as Python's random.shuffle.
  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      std::size_t j = static_cast<std::size_t>(below(i));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace mapforge::search::opentuner
