#include "search/opentuner/space.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <utility>

namespace mapforge::search::opentuner {
namespace {

// OpenTuner widens an integer range by just under half a step on each side so that rounding a
// unit value gives every integer the same share of [0, 1].
constexpr double kRoundingMargin = 0.4999;

double unit_low(const Parameter& param) { return static_cast<double>(param.lo) - kRoundingMargin; }
double unit_high(const Parameter& param) { return static_cast<double>(param.hi) + kRoundingMargin; }

std::int64_t& scalar_of(Value& value) { return std::get<std::int64_t>(value); }

}  // namespace

Configuration random_configuration(const std::vector<Parameter>& space, Rng& rng) {
  Configuration config;
  config.values.reserve(space.size());
  for (const Parameter& param : space) {
    Value value;
    if (param.kind == ParameterKind::Permutation) {
      std::vector<int> identity(static_cast<std::size_t>(param.size()));
      std::iota(identity.begin(), identity.end(), 0);
      value = std::move(identity);
    } else {
      value = param.lo;
    }
    randomize(param, value, rng);
    config.values.push_back(std::move(value));
  }
  return config;
}

void randomize(const Parameter& param, Value& value, Rng& rng) {
  if (param.kind == ParameterKind::Permutation) {
    rng.shuffle(std::get<std::vector<int>>(value));
    return;
  }
  scalar_of(value) = rng.between(param.lo, param.hi);
}

double unit_value(const Parameter& param, const Value& value) {
  assert(param.numeric() && "unit values exist for integer parameters only");
  double low = unit_low(param);
  double high = unit_high(param);
  return (static_cast<double>(std::get<std::int64_t>(value)) - low) / (high - low);
}

void set_unit_value(const Parameter& param, Value& value, double unit) {
  assert(param.numeric() && "unit values exist for integer parameters only");
  assert(unit >= 0.0 && unit <= 1.0 && "a unit value lies in [0, 1]");
  double low = unit_low(param);
  double high = unit_high(param);
  double rounded = round_half_even(unit * (high - low) + low);
  rounded = std::clamp(rounded, static_cast<double>(param.lo), static_cast<double>(param.hi));
  scalar_of(value) = static_cast<std::int64_t>(rounded);
}

double reflect_unit(double unit) {
  if (unit < 0.0) unit = -unit;
  if (unit > 1.0) unit = 1.0 - std::fmod(unit, 1.0);
  return unit;
}

void normal_mutation(const Parameter& param, Value& value, double sigma, Rng& rng) {
  double unit = unit_value(param, value) + rng.normal(0.0, sigma);
  set_unit_value(param, value, reflect_unit(unit));
}

void flip(const Parameter& param, Value& value) {
  assert(param.kind == ParameterKind::Boolean && "only booleans flip");
  (void)param;
  scalar_of(value) = 1 - scalar_of(value);
}

void small_random_change(const Parameter& param, Value& value, Rng& rng, double p) {
  assert(param.kind == ParameterKind::Permutation && "small random changes permute");
  (void)param;
  std::vector<int>& items = std::get<std::vector<int>>(value);
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (rng.chance(p)) std::swap(items[i - 1], items[i]);
  }
}

void set_linear(const Parameter& param, Value& dst, const Value& a, const Value& b, const Value& c,
                double wa, double wb, double wc, Rng& rng) {
  if (param.numeric()) {
    double combined =
        wa * unit_value(param, a) + wb * unit_value(param, b) + wc * unit_value(param, c);
    set_unit_value(param, dst, std::clamp(combined, 0.0, 1.0));
    return;
  }
  // ComplexParameter.op4_set_linear: reorder the terms towards the form (1, w, -w), exactly as
  // OpenTuner does, then "fake" the combination.
  struct Term {
    double weight;
    const Value* value;
  };
  Term ta{wa, &a};
  Term tb{wb, &b};
  Term tc{wc, &c};
  if (ta.weight != 1.0 && tb.weight == 1.0) std::swap(ta, tb);
  if (ta.weight != 1.0 && tc.weight == 1.0) std::swap(ta, tc);
  if (tb.weight < tc.weight) std::swap(tb, tc);
  if (tb.weight != -tc.weight && ta.weight == -tc.weight) std::swap(ta, tc);
  if (ta.weight == 1.0 && tb.weight == -tc.weight) {
    bool differ = *tb.value != *tc.value;
    dst = *ta.value;
    if (differ) randomize(param, dst, rng);  // add_difference
    return;
  }
  randomize(param, dst, rng);
}

Configuration linear_config(const std::vector<Parameter>& space, double wa, const Configuration& a,
                            double wb, const Configuration& b, double wc, const Configuration& c,
                            Rng& rng) {
  Configuration dst = a;
  for (std::size_t i = 0; i < space.size(); ++i) {
    set_linear(space[i], dst.values[i], a.values[i], b.values[i], c.values[i], wa, wb, wc, rng);
  }
  return dst;
}

double round_half_even(double x) {
  double floor = std::floor(x);
  double fraction = x - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1.0;
  return std::fmod(floor, 2.0) == 0.0 ? floor : floor + 1.0;
}

}  // namespace mapforge::search::opentuner
