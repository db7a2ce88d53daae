#include "search/search.h"

namespace mapforge::search {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::int64_t Rng::below(std::int64_t n) {
  if (n <= 1) return 0;
  auto bound = static_cast<std::uint64_t>(n);
  // Rejection keeps the draw unbiased.
  std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
  std::uint64_t x;
  do x = next();
  while (x >= limit);
  return static_cast<std::int64_t>(x % bound);
}

double Rng::unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }

Point random_point(const Space& space, Rng& rng) {
  Point p;
  for (const auto& param : space.params()) {
    std::int64_t lo = param.kind == Param::Kind::Choice ? 0 : param.lo;
    p.push_back(lo + rng.below(param.count()));
  }
  return p;
}

}  // namespace mapforge::search
