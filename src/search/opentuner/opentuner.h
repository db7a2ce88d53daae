// A faithful port of OpenTuner's default search (REFERENCE.md §5, DESIGN.md §6): the
// AUCBanditMetaTechniqueA root over DifferentialEvolutionAlt, UniformGreedyMutation,
// NormalGreedyMutation and RandomNelderMead, minimising a time where a failed run is infinite.
// The caller owns the evaluations: it asks for proposals, runs them (possibly several at once) and
// reports their times. Everything is a pure function of the seed and the call sequence, so a
// resumed run that replays the same calls gets the same proposals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace mapforge::search::opentuner {

enum class ParameterKind { Integer, Enumeration, Boolean, Permutation };

/// One dimension of the search space. Only integers are numeric (OpenTuner's
/// PrimitiveParameter); enumerations, booleans and permutations are OpenTuner's
/// ComplexParameters.
struct Parameter {
  std::string name;
  ParameterKind kind = ParameterKind::Integer;
  std::int64_t lo = 0;  // Integer: the inclusive range; Enumeration: [0, choices - 1];
  std::int64_t hi = 0;  // Boolean: [0, 1]; Permutation: [0, size - 1]

  static Parameter integer(std::string name, std::int64_t lo, std::int64_t hi);
  static Parameter enumeration(std::string name, int choices);
  static Parameter boolean(std::string name);
  static Parameter permutation(std::string name, int size);

  bool numeric() const { return kind == ParameterKind::Integer; }
  /// Number of items of a permutation.
  int size() const { return static_cast<int>(hi - lo + 1); }
};

/// An integer, an enumeration index or a boolean (0/1) as int64; a permutation of 0..size-1.
using Value = std::variant<std::int64_t, std::vector<int>>;

/// One point of the space: one value per parameter, in parameter order.
struct Configuration {
  std::vector<Value> values;

  /// The value of scalar parameter i (integer, enumeration index, boolean as 0/1).
  std::int64_t scalar(std::size_t i) const { return std::get<std::int64_t>(values.at(i)); }
  /// The value of permutation parameter i.
  const std::vector<int>& permutation(std::size_t i) const {
    return std::get<std::vector<int>>(values.at(i));
  }

  bool operator==(const Configuration&) const = default;
  std::size_t hash() const;

  /// A JSON array with one entry per parameter: a number, or an array for a permutation.
  nlohmann::json to_json() const;
  /// Reads to_json()'s form back and checks it against the space; on a mismatch returns nullopt
  /// and, when `error` is given, says which value is wrong and why.
  [[nodiscard]] static std::optional<Configuration> from_json(const nlohmann::json& json,
                                                              const std::vector<Parameter>& space,
                                                              std::string* error = nullptr);
};

struct ConfigurationHash {
  std::size_t operator()(const Configuration& config) const { return config.hash(); }
};

/// What to evaluate next.
struct Proposal {
  Configuration config;
  std::string technique;  // the OpenTuner technique that asked for it
  /// Set when `config` was measured before: it is not to be run again (and not reported); the
  /// iteration is recorded with this result (the time measured then; nullopt inside = failed).
  std::optional<std::optional<double>> known_result;

  bool duplicate() const { return known_result.has_value(); }
};

class SearchDriver;

class Tuner {
 public:
  /// `params` must be valid (integer lo <= hi, at least one enumeration choice, permutations of
  /// at least one item); a bad one is a bug in the caller and trips an assert.
  Tuner(std::vector<Parameter> params, std::uint64_t seed);
  ~Tuner();
  Tuner(Tuner&&) noexcept;
  Tuner& operator=(Tuner&&) noexcept;

  /// The next configuration to evaluate. Each proposal is one test: a new configuration, which the
  /// caller runs and report()s, or a duplicate of one measured before (known_result set), which
  /// the caller records without running. Several proposals may be outstanding at once (a batch of
  /// parallel evaluations); a proposal that would repeat an outstanding one is never handed out
  /// (OpenTuner's driver attaches it to the outstanding one instead). nullopt only while proposals
  /// are outstanding and the search can offer nothing else until their results come in.
  std::optional<Proposal> propose();

  /// The result of an outstanding proposal: its time, or nullopt when the run failed (an infinite
  /// time, never a new best). Results may come in any order. Returns false, and changes nothing,
  /// when `config` is not outstanding (e.g. a duplicate, which needs no report).
  bool report(const Configuration& config, std::optional<double> time);

  /// The fastest successful configuration so far (the first of equals), and its time.
  const std::optional<Configuration>& best() const;
  std::optional<double> best_time() const;
  /// Proposals handed out so far, duplicates included.
  int tests() const;
  /// Proposals handed out and not yet reported.
  int outstanding() const;

  const std::vector<Parameter>& parameters() const;

 private:
  std::unique_ptr<SearchDriver> driver_;
};

}  // namespace mapforge::search::opentuner

template <>
struct std::hash<mapforge::search::opentuner::Configuration> {
  std::size_t operator()(const mapforge::search::opentuner::Configuration& config) const {
    return config.hash();
  }
};
