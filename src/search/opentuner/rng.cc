#include "search/opentuner/rng.h"

#include <bit>
#include <cmath>
#include <numbers>

namespace mapforge::search::opentuner {

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::uint64_t Rng::below(std::uint64_t n) {
  assert(n > 0 && "Rng::below needs a positive bound");
  int bits = static_cast<int>(std::bit_width(n - 1));
  if (bits == 0) return 0;
  for (;;) {
    std::uint64_t r = next() >> (64 - bits);
    if (r < n) return r;
  }
}

std::int64_t Rng::between(std::int64_t lo, std::int64_t hi) {
  assert(lo <= hi && "Rng::between needs lo <= hi");
  std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  std::uint64_t offset = span == UINT64_MAX ? next() : below(span + 1);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + offset);
}

double Rng::normal(double mean, double sigma) {
  double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
  double u2 = uniform();
  double radius = std::sqrt(-2.0 * std::log(u1));
  return mean + sigma * radius * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace mapforge::search::opentuner
