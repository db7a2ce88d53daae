#include "dsl/machine_space.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>

namespace mapforge::dsl {

// How each op's args_ are laid out (all dimensions are this space's parent's, 0-based):
//   Base    -- (none)
//   Split   -- {d, f, s[d] / f}: a two-factor mixed radix
//   Radix   -- {d, o_1, ..., o_k}: new dims d..d+k-1 -> old d = i_1 + i_2*o_1 + i_3*o_1*o_2 ...
//   Merge   -- {d1, d2}
//   Swap    -- {d1, d2}
//   Slice   -- {d, lo}
//   Reverse -- {d}

namespace {

__extension__ typedef __int128 Int128;  // -Wpedantic: a GCC/Clang extension
__extension__ typedef unsigned __int128 UInt128;

using Sizes = std::vector<std::int64_t>;

std::string plural(std::int64_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::optional<Failure> dim_error(std::string_view op, std::int64_t dim, std::size_t ndims) {
  if (dim >= 0 && static_cast<std::uint64_t>(dim) < ndims) return std::nullopt;
  return Failure{std::string(op) + ": dimension " + std::to_string(dim) +
                 " out of range for a machine of " +
                 plural(static_cast<std::int64_t>(ndims), "dimension", "dimensions")};
}

std::optional<Failure> extents_error(std::string_view op, std::span<const std::int64_t> extents) {
  if (extents.empty()) return Failure{std::string(op) + ": needs at least one extent"};
  for (std::size_t i = 0; i < extents.size(); ++i) {
    if (extents[i] > 0) continue;
    return Failure{std::string(op) + ": extents must be positive, got " +
                   std::to_string(extents[i]) + " at position " + std::to_string(i)};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Factoring 64-bit integers. Sizes can reach (2^31-1)^2, too large for trial division to be
// quick, so primes come from Miller-Rabin and Pollard's rho.

std::uint64_t mul_mod(std::uint64_t a, std::uint64_t b, std::uint64_t m) {
  return static_cast<std::uint64_t>(static_cast<UInt128>(a) * b % m);
}

std::uint64_t pow_mod(std::uint64_t base, std::uint64_t exp, std::uint64_t m) {
  std::uint64_t result = 1 % m;
  for (base %= m; exp > 0; exp >>= 1, base = mul_mod(base, base, m)) {
    if (exp & 1) result = mul_mod(result, base, m);
  }
  return result;
}

// Deterministic for all 64-bit n with these bases.
bool is_prime(std::uint64_t n) {
  if (n < 2) return false;
  constexpr std::uint64_t kBases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  for (std::uint64_t p : kBases) {
    if (n % p == 0) return n == p;
  }
  std::uint64_t odd = n - 1;
  int twos = 0;
  for (; (odd & 1) == 0; odd >>= 1) ++twos;
  for (std::uint64_t a : kBases) {
    std::uint64_t x = pow_mod(a, odd, n);
    if (x == 1 || x == n - 1) continue;
    bool composite = true;
    for (int r = 1; r < twos && composite; ++r) {
      x = mul_mod(x, x, n);
      composite = x != n - 1;
    }
    if (composite) return false;
  }
  return true;
}

constexpr std::uint64_t kTrialLimit = 1000;

// Strips the prime factors below kTrialLimit into `out`; returns what is left.
std::uint64_t strip_small_primes(std::uint64_t n, std::vector<std::int64_t>& out) {
  for (std::uint64_t p = 2; p < kTrialLimit && p * p <= n; ++p) {
    for (; n % p == 0; n /= p) out.push_back(static_cast<std::int64_t>(p));
  }
  return n;
}

// A nontrivial divisor of a composite n with no prime factor below kTrialLimit (Pollard's rho).
std::uint64_t find_divisor(std::uint64_t n) {
  for (std::uint64_t c = 1;; ++c) {
    auto step = [&](std::uint64_t x) { return (mul_mod(x, x, n) + c) % n; };
    std::uint64_t x = 2, y = 2, d = 1;
    while (d == 1) {
      x = step(x);
      y = step(step(y));
      d = std::gcd(x > y ? x - y : y - x, n);
    }
    if (d != n) return d;
  }
}

// n has no prime factor below kTrialLimit (rho cycles forever on powers of 2, for one).
void collect_primes(std::uint64_t n, std::vector<std::int64_t>& out) {
  if (n == 1) return;
  if (is_prime(n)) {
    out.push_back(static_cast<std::int64_t>(n));
    return;
  }
  std::uint64_t d = find_divisor(n);
  collect_primes(d, out);
  collect_primes(n / d, out);
}

// ---------------------------------------------------------------------------------------------
// The divisors of n, indexed in mixed radix over its prime exponents so that the quotient of two
// divisors is a subtraction of indices: index(d / o) == index(d) - index(o) when o | d.
struct DivisorTable {
  std::vector<std::int64_t> primes;  // distinct, any order
  std::vector<int> exponents;        // of each prime in n
  std::vector<std::size_t> strides;  // index weight of each prime's exponent
  std::vector<std::int64_t> values;  // value of each divisor index

  explicit DivisorTable(std::int64_t n) {
    for (std::int64_t p : prime_factors_descending(n)) {
      if (primes.empty() || primes.back() != p) {
        primes.push_back(p);
        exponents.push_back(0);
      }
      ++exponents.back();
    }
    std::size_t count = 1;
    for (int e : exponents) {
      strides.push_back(count);
      count *= static_cast<std::size_t>(e) + 1;
    }
    values.assign(count, 1);
    for (std::size_t idx = 0; idx < count; ++idx) {
      for (std::size_t j = 0; j < primes.size(); ++j) {
        for (int k = 0; k < exponent(idx, j); ++k) values[idx] *= primes[j];
      }
    }
  }
  std::size_t size() const { return values.size(); }
  std::size_t full() const { return values.size() - 1; }  // n itself
  int exponent(std::size_t idx, std::size_t j) const {
    return static_cast<int>(idx / strides[j] % (static_cast<std::size_t>(exponents[j]) + 1));
  }
  /// Number of (d, o) pairs with o | d | n: the work of one step of the decompose DP.
  double pair_count() const {
    double pairs = 1;
    for (int e : exponents) pairs *= (e + 1.0) * (e + 2.0) / 2.0;
    return pairs;
  }
  /// Calls visit(o) for every divisor index o of divisor index d.
  template <class Visit>
  void for_each_divisor_of(std::size_t d, Visit&& visit) const {
    std::vector<int> limit(primes.size()), current(primes.size(), 0);
    for (std::size_t j = 0; j < primes.size(); ++j) limit[j] = exponent(d, j);
    std::size_t o = 0;
    for (;;) {
      visit(o);
      std::size_t j = 0;
      for (; j < primes.size(); ++j) {
        if (current[j] < limit[j]) {
          ++current[j];
          o += strides[j];
          break;
        }
        o -= static_cast<std::size_t>(current[j]) * strides[j];
        current[j] = 0;
      }
      if (j == primes.size()) return;
    }
  }
};

// Bounds on the decompose search, far above any real machine (n = 720720 into 32 factors needs
// about 2e5 pair visits), so that an absurd size or extent list fails fast instead of hanging.
constexpr double kMaxDecomposeWork = 1e8;   // (d, o) pairs visited
constexpr double kMaxDecomposeTable = 4e6;  // doubles held by the DP table

bool decompose_tractable(const DivisorTable& table, std::size_t dims) {
  double steps = static_cast<double>(dims) - 1;  // the last dim takes what is left
  return steps * table.pair_count() <= kMaxDecomposeWork &&
         static_cast<double>(dims) * static_cast<double>(table.size()) <= kMaxDecomposeTable;
}

bool decompose_tractable(std::int64_t n, std::size_t dims) {
  return decompose_tractable(DivisorTable(n), dims);
}

constexpr double kCostTolerance = 1e-9;

double decompose_cost(std::span<const std::int64_t> factors,
                      std::span<const std::int64_t> extents) {
  double cost = 0;
  for (std::size_t i = 0; i < factors.size(); ++i) {
    cost += static_cast<double>(factors[i]) / static_cast<double>(extents[i]);
  }
  return cost;
}

std::vector<double> factor_costs(const DivisorTable& table, std::int64_t extent) {
  std::vector<double> costs(table.size());
  for (std::size_t o = 0; o < table.size(); ++o) {
    costs[o] = static_cast<double>(table.values[o]) / static_cast<double>(extent);
  }
  return costs;
}

// best[i][d]: the least sum over dims i.. of o_j / L_j with product equal to divisor d.
std::vector<std::vector<double>> decompose_table(const DivisorTable& table,
                                                 std::span<const std::int64_t> extents) {
  std::size_t k = extents.size();
  std::vector<std::vector<double>> best(k);
  best[k - 1] = factor_costs(table, extents[k - 1]);
  for (std::size_t i = k - 1; i-- > 0;) {
    std::vector<double> costs = factor_costs(table, extents[i]);
    const std::vector<double>& next = best[i + 1];
    best[i].assign(table.size(), 0);
    for (std::size_t d = 0; d < table.size(); ++d) {
      double least = costs[0] + next[d];
      table.for_each_divisor_of(
          d, [&](std::size_t o) { least = std::min(least, costs[o] + next[d - o]); });
      best[i][d] = least;
    }
  }
  return best;
}

// The lexicographically smallest factorisation within the tolerance of the minimum: dim by dim,
// the smallest factor that can still be completed to a minimiser.
std::vector<std::int64_t> smallest_minimiser(const DivisorTable& table,
                                             std::span<const std::int64_t> extents,
                                             const std::vector<std::vector<double>>& best) {
  std::size_t k = extents.size();
  double bound = best[0][table.full()] + kCostTolerance;
  std::vector<std::int64_t> factors;
  std::size_t rest = table.full();
  double prefix = 0;
  for (std::size_t i = 0; i + 1 < k; ++i) {
    std::vector<double> costs = factor_costs(table, extents[i]);
    // Rounding can in principle push every candidate past the bound on huge costs; the
    // cheapest completion is then the fallback.
    std::size_t chosen = table.size(), cheapest = 0;
    double cheapest_total = 0;
    table.for_each_divisor_of(rest, [&](std::size_t o) {
      double total = (prefix + costs[o]) + best[i + 1][rest - o];
      if (o == 0 || total < cheapest_total) {
        cheapest = o;
        cheapest_total = total;
      }
      bool better = chosen == table.size() || table.values[o] < table.values[chosen];
      if (total <= bound && better) chosen = o;
    });
    if (chosen == table.size()) chosen = cheapest;
    factors.push_back(table.values[chosen]);
    prefix += costs[chosen];
    rest -= chosen;
  }
  factors.push_back(table.values[rest]);
  return factors;
}

bool valid_extents(std::span<const std::int64_t> extents) {
  return !extents.empty() &&
         std::all_of(extents.begin(), extents.end(), [](std::int64_t e) { return e > 0; });
}

// ---------------------------------------------------------------------------------------------
}  // namespace

// ---------------------------------------------------------------------------------------------
// Factorisations

std::vector<std::int64_t> prime_factors_descending(std::int64_t n) {
  std::vector<std::int64_t> primes;
  if (n < 1) return primes;
  collect_primes(strip_small_primes(static_cast<std::uint64_t>(n), primes), primes);
  std::sort(primes.begin(), primes.end(), std::greater<>());
  return primes;
}

std::vector<std::int64_t> greedy_factors(std::int64_t n, std::span<const std::int64_t> extents) {
  std::vector<std::int64_t> factors(extents.size(), 1);
  if (extents.empty()) return factors;
  for (std::int64_t p : prime_factors_descending(n)) {
    std::size_t widest = 0;
    for (std::size_t i = 1; i < extents.size(); ++i) {
      // extents[i] / factors[i] > extents[widest] / factors[widest], exactly.
      if (static_cast<Int128>(extents[i]) * factors[widest] >
          static_cast<Int128>(extents[widest]) * factors[i]) {
        widest = i;
      }
    }
    factors[widest] *= p;
  }
  return factors;
}

namespace {

// The reference's enumeration is followed where the reference itself works: sizes up to 131^2
// (myalgorithm.h, generate_prime_factor asserts it) and a bounded number of candidate splits.
// Beyond, the exact search decides.
constexpr std::int64_t kMaxEnumeratedSize = 131 * 131;
constexpr double kMaxEnumeratedSplits = 1 << 20;

// The exponent vectors of p^a over k slots in the reference's order (myalgorithm.h,
// enumerate_placement): the first slot's exponent ascending slowest, the last slot the rest.
void exponent_placements(int a, std::size_t k, std::vector<int>& prefix,
                         std::vector<std::vector<int>>& out) {
  if (prefix.size() + 1 == k) {
    prefix.push_back(a);
    out.push_back(prefix);
    prefix.pop_back();
    return;
  }
  for (int i = 0; i <= a; ++i) {
    prefix.push_back(i);
    exponent_placements(a - i, k, prefix, out);
    prefix.pop_back();
  }
}

// The reference's choice among the splits of n over `extents` (myalgorithm.h, precise_enumerate
// and order_optimize): every split is visited with the largest prime's placements in the
// outermost loop and the smallest prime's innermost; the cost sum(o_i / L_i) is computed in the
// reference's float arithmetic, costs within 1e-6 of the least tie, and among the ties the greedy
// split wins if it is one, else the first visited. nullopt when there are too many splits.
std::optional<std::vector<std::int64_t>> enumerated_split(std::int64_t n,
                                                          std::span<const std::int64_t> extents,
                                                          const std::vector<std::int64_t>& greedy) {
  if (n > kMaxEnumeratedSize) return std::nullopt;
  std::size_t k = extents.size();
  std::vector<std::pair<std::int64_t, int>> powers;  // largest prime first
  for (std::int64_t p : prime_factors_descending(n)) {
    if (powers.empty() || powers.back().first != p) powers.emplace_back(p, 0);
    ++powers.back().second;
  }
  double count = 1;
  for (const auto& [p, a] : powers) {
    double ways = 1;  // C(a + k - 1, k - 1)
    for (std::size_t i = 1; i < k; ++i)
      ways = ways * static_cast<double>(a + i) / static_cast<double>(i);
    count *= ways;
    if (count > kMaxEnumeratedSplits) return std::nullopt;
  }
  std::vector<std::vector<std::vector<std::int64_t>>> ways(powers.size());
  for (std::size_t j = 0; j < powers.size(); ++j) {
    std::vector<std::vector<int>> exponents;
    std::vector<int> prefix;
    exponent_placements(powers[j].second, k, prefix, exponents);
    for (const auto& e : exponents) {
      std::vector<std::int64_t> factors(k, 1);
      for (std::size_t i = 0; i < k; ++i)
        for (int t = 0; t < e[i]; ++t) factors[i] *= powers[j].first;
      ways[j].push_back(std::move(factors));
    }
  }
  std::vector<std::size_t> index(powers.size(), 0);
  std::vector<std::int64_t> split(k), first_best;
  float least = static_cast<float>(INT32_MAX);
  bool greedy_ties = false;
  for (;;) {
    std::fill(split.begin(), split.end(), 1);
    for (std::size_t j = 0; j < powers.size(); ++j)
      for (std::size_t i = 0; i < k; ++i) split[i] *= ways[j][index[j]][i];
    double sum = 0;
    for (std::size_t i = 0; i < k; ++i)
      sum +=
          static_cast<float>(static_cast<float>(split[i]) * 1.0 / static_cast<float>(extents[i]));
    float cost = static_cast<float>(sum);
    if (std::fabs(cost - least) < 1e-6) {
      greedy_ties = greedy_ties || split == greedy;
    } else if (cost < least) {
      least = cost;
      first_best = split;
      greedy_ties = split == greedy;
    }
    std::size_t j = powers.size();
    while (j > 0 && ++index[j - 1] == ways[j - 1].size()) index[--j] = 0;
    if (j == 0) break;
  }
  return greedy_ties ? greedy : first_best;
}

}  // namespace

// Invalid input (n < 1, no or non-positive extents) and searches past the work bounds fall back
// to the greedy rule: MachineSpace::decompose reports those cases as errors before calling this.
std::vector<std::int64_t> decompose_factors(std::int64_t n, std::span<const std::int64_t> extents) {
  std::vector<std::int64_t> greedy = greedy_factors(n, extents);
  if (n < 1 || !valid_extents(extents)) return greedy;
  if (auto split = enumerated_split(n, extents, greedy)) return *split;
  DivisorTable table(n);
  if (!decompose_tractable(table, extents.size())) return greedy;
  std::vector<std::vector<double>> best = decompose_table(table, extents);
  if (decompose_cost(greedy, extents) <= best[0][table.full()] + kCostTolerance) return greedy;
  return smallest_minimiser(table, extents, best);
}

// The reference implementation's rule (DSLMapper, MSpace.cpp, BalSplitMSpace::trans_dim): each
// prime factor, smallest first, multiplies the currently smallest factor (the first of equals),
// and the factors are then sorted largest first. The reference knows only the primes up to 17
// (a larger one crashes it); every prime is handed out here.
std::vector<std::int64_t> balanced_factors(std::int64_t n, std::int64_t parts) {
  if (n < 1 || parts < 1 || parts > 3) return {};
  std::vector<std::int64_t> primes = prime_factors_descending(n);
  std::vector<std::int64_t> factors(static_cast<std::size_t>(parts), 1);
  for (auto p = primes.rbegin(); p != primes.rend(); ++p)
    *std::min_element(factors.begin(), factors.end()) *= *p;
  std::sort(factors.begin(), factors.end(), std::greater<>());
  return factors;
}

// ---------------------------------------------------------------------------------------------
// Spaces

SpacePtr MachineSpace::base(ProcKind kind, std::int64_t nodes, std::int64_t per_node) {
  // ProcessorId holds ints; clamping also keeps every volume below 2^62, so products of sizes
  // never overflow anywhere below.
  auto clamp = [](std::int64_t v) { return std::clamp<std::int64_t>(v, 0, INT_MAX); };
  std::shared_ptr<MachineSpace> space(new MachineSpace());
  space->kind_ = kind;
  space->sizes_ = {clamp(nodes), clamp(per_node)};
  return space;
}

// Frees the ancestry iteratively: a policy may chain thousands of transformations, and the
// default recursive release would use one stack frame per ancestor.
MachineSpace::~MachineSpace() {
  SpacePtr next = std::move(parent_);
  while (next && next.use_count() == 1) {
    // The ancestor was created non-const (derive), so taking its parent is well defined.
    SpacePtr after = std::move(const_cast<MachineSpace&>(*next).parent_);
    next = std::move(after);
  }
}

std::int64_t MachineSpace::volume() const {
  std::int64_t volume = 1;
  for (std::int64_t s : sizes_) volume *= s;
  return volume;
}

SpacePtr MachineSpace::derive(Op op, std::vector<std::int64_t> sizes,
                              std::vector<std::int64_t> args) const {
  std::shared_ptr<MachineSpace> space(new MachineSpace());
  space->kind_ = kind_;
  space->sizes_ = std::move(sizes);
  space->op_ = op;
  space->args_ = std::move(args);
  space->parent_ = shared_from_this();
  return space;
}

Fallible<SpacePtr> MachineSpace::split(std::int64_t dim, std::int64_t factor) const {
  if (auto error = dim_error("split", dim, sizes_.size())) return *error;
  if (factor <= 0) {
    return Failure{"split: factor must be positive, got " + std::to_string(factor)};
  }
  std::int64_t size = sizes_[dim];
  if (size % factor != 0) {
    return Failure{"split: size " + std::to_string(size) + " of dimension " + std::to_string(dim) +
                   " is not divisible by " + std::to_string(factor)};
  }
  Sizes sizes = sizes_;
  sizes[dim] = factor;
  sizes.insert(sizes.begin() + dim + 1, size / factor);
  return derive(Op::Split, std::move(sizes), {dim, factor, size / factor});
}

Fallible<SpacePtr> MachineSpace::merge(std::int64_t dim1, std::int64_t dim2) const {
  if (auto error = dim_error("merge", dim1, sizes_.size())) return *error;
  if (auto error = dim_error("merge", dim2, sizes_.size())) return *error;
  if (dim1 == dim2) {
    return Failure{"merge: cannot merge dimension " + std::to_string(dim1) + " with itself"};
  }
  // As the reference (MSpace.cpp, MergeMSpace): dim2 is removed and the merged dimension takes
  // dim1's place among the rest, so with dim1 > dim2 it sits at dim1 - 1.
  Sizes sizes = sizes_;
  sizes[dim1] = sizes_[dim1] * sizes_[dim2];
  sizes.erase(sizes.begin() + dim2);
  return derive(Op::Merge, std::move(sizes), {dim1, dim2});
}

Fallible<SpacePtr> MachineSpace::swap(std::int64_t dim1, std::int64_t dim2) const {
  if (auto error = dim_error("swap", dim1, sizes_.size())) return *error;
  if (auto error = dim_error("swap", dim2, sizes_.size())) return *error;
  Sizes sizes = sizes_;
  std::swap(sizes[dim1], sizes[dim2]);
  return derive(Op::Swap, std::move(sizes), {dim1, dim2});
}

Fallible<SpacePtr> MachineSpace::slice(std::int64_t dim, std::int64_t lo, std::int64_t hi) const {
  if (auto error = dim_error("slice", dim, sizes_.size())) return *error;
  std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (lo > hi) {
    return Failure{"slice: empty range " + range + " for dimension " + std::to_string(dim)};
  }
  if (lo < 0 || hi >= sizes_[dim]) {
    return Failure{"slice: range " + range + " out of bound for dimension " + std::to_string(dim) +
                   " of size " + std::to_string(sizes_[dim])};
  }
  Sizes sizes = sizes_;
  sizes[dim] = hi - lo + 1;
  return derive(Op::Slice, std::move(sizes), {dim, lo});
}

Fallible<SpacePtr> MachineSpace::reverse(std::int64_t dim) const {
  if (auto error = dim_error("reverse", dim, sizes_.size())) return *error;
  return derive(Op::Reverse, sizes_, {dim});
}

namespace {
std::optional<Failure> empty_dim_error(std::string_view op, std::int64_t dim, std::int64_t size) {
  if (size >= 1) return std::nullopt;
  return Failure{std::string(op) + ": cannot split dimension " + std::to_string(dim) + " of size " +
                 std::to_string(size)};
}
}  // namespace

Fallible<SpacePtr> MachineSpace::balance_split(std::int64_t dim, std::int64_t parts) const {
  if (auto error = dim_error("balance_split", dim, sizes_.size())) return *error;
  if (parts != 2 && parts != 3) {
    return Failure{"balance_split: number of parts must be 2 or 3, got " + std::to_string(parts)};
  }
  if (auto error = empty_dim_error("balance_split", dim, sizes_[dim])) return *error;
  return radix_split(dim, balanced_factors(sizes_[dim], parts));
}

Fallible<SpacePtr> MachineSpace::decompose(std::int64_t dim,
                                           std::span<const std::int64_t> extents) const {
  if (auto error = dim_error("decompose", dim, sizes_.size())) return *error;
  if (auto error = extents_error("decompose", extents)) return *error;
  std::int64_t size = sizes_[dim];
  if (auto error = empty_dim_error("decompose", dim, size)) return *error;
  if (!decompose_tractable(size, extents.size())) {
    return Failure{"decompose: size " + std::to_string(size) + " of dimension " +
                   std::to_string(dim) + " has too many factorisations into " +
                   plural(static_cast<std::int64_t>(extents.size()), "factor", "factors") +
                   " to search"};
  }
  return radix_split(dim, decompose_factors(size, extents));
}

Fallible<SpacePtr> MachineSpace::greedy_split(std::int64_t dim,
                                              std::span<const std::int64_t> extents) const {
  if (auto error = dim_error("greedy_split", dim, sizes_.size())) return *error;
  if (auto error = extents_error("greedy_split", extents)) return *error;
  if (auto error = empty_dim_error("greedy_split", dim, sizes_[dim])) return *error;
  return radix_split(dim, greedy_factors(sizes_[dim], extents));
}

// `factors` multiply to sizes_[dim]; callers have checked dim.
Fallible<SpacePtr> MachineSpace::radix_split(std::int64_t dim,
                                             std::vector<std::int64_t> factors) const {
  Sizes sizes = sizes_;
  sizes.erase(sizes.begin() + dim);
  sizes.insert(sizes.begin() + dim, factors.begin(), factors.end());
  std::vector<std::int64_t> args = {dim};
  args.insert(args.end(), factors.begin(), factors.end());
  return derive(Op::Radix, std::move(sizes), std::move(args));
}

// ---------------------------------------------------------------------------------------------
// Point mapping

namespace {

// Radix and Split: digits at [dim, dim + k) fold into one coordinate, first digit fastest.
std::vector<std::int64_t> fold_digits(std::span<const std::int64_t> point,
                                      std::span<const std::int64_t> args) {
  std::size_t dim = static_cast<std::size_t>(args[0]);
  std::span<const std::int64_t> radices = args.subspan(1);
  std::int64_t value = 0, weight = 1;
  for (std::size_t i = 0; i < radices.size(); ++i) {
    value += point[dim + i] * weight;
    weight *= radices[i];
  }
  std::vector<std::int64_t> out(point.begin(), point.begin() + dim);
  out.push_back(value);
  out.insert(out.end(), point.begin() + dim + radices.size(), point.end());
  return out;
}

std::vector<std::int64_t> unfold_digits(std::span<const std::int64_t> point,
                                        std::span<const std::int64_t> args) {
  std::size_t dim = static_cast<std::size_t>(args[0]);
  std::vector<std::int64_t> out(point.begin(), point.begin() + dim);
  std::int64_t value = point[dim];
  for (std::int64_t radix : args.subspan(1)) {
    out.push_back(value % radix);
    value /= radix;
  }
  out.insert(out.end(), point.begin() + dim + 1, point.end());
  return out;
}

// Merge: this space's dims are the parent's without d2, the merged one where d1 was among them
// (d1, or d1 - 1 when d1 > d2); its coordinate is parent[d1] * s[d2] + parent[d2].
std::size_t merged_position(std::int64_t d1, std::int64_t d2) {
  return static_cast<std::size_t>(d1 < d2 ? d1 : d1 - 1);
}

std::vector<std::int64_t> unmerge(std::span<const std::int64_t> point, std::int64_t d1,
                                  std::int64_t d2, std::int64_t size2) {
  std::vector<std::int64_t> out(point.begin(), point.end());
  std::int64_t merged = out[merged_position(d1, d2)];
  out[merged_position(d1, d2)] = merged / size2;
  out.insert(out.begin() + d2, merged % size2);
  return out;
}

std::vector<std::int64_t> remerge(std::span<const std::int64_t> point, std::int64_t d1,
                                  std::int64_t d2, std::int64_t size2) {
  std::vector<std::int64_t> out(point.begin(), point.end());
  std::int64_t merged = point[d1] * size2 + point[d2];
  out.erase(out.begin() + d2);
  out[merged_position(d1, d2)] = merged;
  return out;
}

}  // namespace

std::vector<std::int64_t> MachineSpace::to_parent(std::span<const std::int64_t> point) const {
  std::vector<std::int64_t> out(point.begin(), point.end());
  switch (op_) {
    case Op::Base:
      break;
    case Op::Split:
    case Op::Radix:
      return fold_digits(point, args_);
    case Op::Merge:
      return unmerge(point, args_[0], args_[1], parent_->sizes_[args_[1]]);
    case Op::Swap:
      std::swap(out[args_[0]], out[args_[1]]);
      break;
    case Op::Slice:
      out[args_[0]] += args_[1];
      break;
    case Op::Reverse:
      out[args_[0]] = sizes_[args_[0]] - 1 - out[args_[0]];
      break;
  }
  return out;
}

std::optional<std::vector<std::int64_t>> MachineSpace::from_parent(
    std::span<const std::int64_t> point) const {
  std::vector<std::int64_t> out(point.begin(), point.end());
  switch (op_) {
    case Op::Base:
      break;
    case Op::Split:
    case Op::Radix:
      return unfold_digits(point, args_);
    case Op::Merge:
      return remerge(point, args_[0], args_[1], parent_->sizes_[args_[1]]);
    case Op::Swap:
      std::swap(out[args_[0]], out[args_[1]]);
      break;
    case Op::Slice: {
      std::int64_t& x = out[args_[0]];
      x -= args_[1];
      if (x < 0 || x >= sizes_[args_[0]]) return std::nullopt;
      break;
    }
    case Op::Reverse:
      out[args_[0]] = sizes_[args_[0]] - 1 - out[args_[0]];
      break;
  }
  return out;
}

Fallible<ProcessorId> MachineSpace::to_processor(std::span<const std::int64_t> point) const {
  if (point.size() != sizes_.size()) {
    return Failure{"expected " +
                   plural(static_cast<std::int64_t>(sizes_.size()), "index", "indices") +
                   " for a machine of " +
                   plural(static_cast<std::int64_t>(sizes_.size()), "dimension", "dimensions") +
                   ", got " + std::to_string(point.size())};
  }
  for (std::size_t d = 0; d < point.size(); ++d) {
    if (point[d] >= 0 && point[d] < sizes_[d]) continue;
    return Failure{"index " + std::to_string(point[d]) + " out of bound for dimension " +
                   std::to_string(d) + " of size " + std::to_string(sizes_[d])};
  }
  // Iterative rather than recursive: chains can be long (see the destructor).
  std::vector<std::int64_t> current(point.begin(), point.end());
  const MachineSpace* space = this;
  for (; space->op_ != Op::Base; space = space->parent_.get()) current = space->to_parent(current);
  // Base coordinates are within its sizes, which base() keeps within int.
  return ProcessorId{static_cast<int>(current[0]), static_cast<int>(current[1]), kind_};
}

std::optional<std::vector<std::int64_t>> MachineSpace::from_processor(
    const ProcessorId& proc) const {
  if (proc.kind != kind_) return std::nullopt;
  std::vector<const MachineSpace*> chain;  // this space first, base last
  for (const MachineSpace* space = this; space; space = space->parent_.get()) {
    chain.push_back(space);
  }
  const Sizes& base_sizes = chain.back()->sizes_;
  if (proc.node < 0 || proc.node >= base_sizes[0]) return std::nullopt;
  if (proc.index < 0 || proc.index >= base_sizes[1]) return std::nullopt;
  std::vector<std::int64_t> current = {proc.node, proc.index};
  for (auto it = chain.rbegin() + 1; it != chain.rend(); ++it) {
    std::optional<std::vector<std::int64_t>> next = (*it)->from_parent(current);
    if (!next) return std::nullopt;
    current = std::move(*next);
  }
  return current;
}

}  // namespace mapforge::dsl
