// OpenTuner's ConfigurationManipulator and Parameter operators (manipulator.py) on mapforge's
// parameter kinds. Integers are searched on OpenTuner's unit interval: [lo - 0.4999, hi + 0.4999]
// mapped to [0, 1] and rounded half to even on the way back, so every integer owns an equal slice.
#pragma once

#include <string>
#include <vector>

#include "search/opentuner/opentuner.h"
#include "search/opentuner/rng.h"

namespace mapforge::search::opentuner {

/// Empty when `param` is well formed, else what is wrong with it.
std::string check_parameter(const Parameter& param);

/// A uniformly random configuration (manipulator.random()).
Configuration random_configuration(const std::vector<Parameter>& space, Rng& rng);

/// op1_randomize: an integer uniform in [lo, hi], a uniform enumeration index or boolean, a
/// shuffle of the permutation.
void randomize(const Parameter& param, Value& value, Rng& rng);

/// Integer parameters only: the value on the unit interval, and back (rounded, clamped).
double unit_value(const Parameter& param, const Value& value);
void set_unit_value(const Parameter& param, Value& value, double unit);

/// Where a unit value pushed past an edge lands: -v below 0, 1 - (v mod 1) above 1.
double reflect_unit(double unit);

/// op1_normal_mutation: integer parameters only; adds N(0, sigma) on the unit interval,
/// reflecting at the edges.
void normal_mutation(const Parameter& param, Value& value, double sigma, Rng& rng);

/// op1_flip of a boolean.
void flip(const Parameter& param, Value& value);

/// op1_small_random_change of a permutation: walking i = 1..n-1, items i-1 and i swap with
/// probability p.
void small_random_change(const Parameter& param, Value& value, Rng& rng, double p = 0.25);

/// op4_set_linear: `dst = wa*a + wb*b + wc*c`. Integers take the combination of unit values,
/// clipped to [0, 1]. Other kinds cannot be combined: when the weights normalise (as OpenTuner
/// reorders them) to (1, w, -w), dst copies the value of the weight-1 configuration and is
/// randomised if the other two differ in this parameter; for any other weights dst is randomised.
void set_linear(const Parameter& param, Value& dst, const Value& a, const Value& b, const Value& c,
                double wa, double wb, double wc, Rng& rng);

/// manipulator.linear_config: a copy of cfg_a with set_linear applied to every parameter.
Configuration linear_config(const std::vector<Parameter>& space, double wa, const Configuration& a,
                            double wb, const Configuration& b, double wc, const Configuration& c,
                            Rng& rng);

/// Round half to even (Python's round), independent of the floating-point environment.
double round_half_even(double x);

}  // namespace mapforge::search::opentuner
