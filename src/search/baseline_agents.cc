// The baselines: uniform random samples of the space, and an exhaustive walk of the reduced
// space (the true optimum where the space is small enough).
#include <set>

#include "search/search.h"

namespace mapforge::search {
namespace {

nlohmann::json point_json(const Space& space, const Point& p) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t i = 0; i < p.size(); ++i) {
    const Param& param = space.params()[i];
    j[param.name] = param.kind == Param::Kind::Choice
                        ? nlohmann::json(param.labels[static_cast<std::size_t>(p[i])])
                        : nlohmann::json(p[i]);
  }
  return j;
}

class RandomAgent final : public Agent {
 public:
  explicit RandomAgent(const Problem& problem)
      : space_(Space::build(problem, Space::Granularity::Full)), rng_(problem.seed) {}
  std::string_view name() const override { return "random"; }
  std::vector<Proposal> propose(int count) override {
    std::vector<Proposal> out;
    for (int i = 0; i < count; ++i) {
      Point p = random_point(space_, rng_);
      out.push_back({space_.render(p), {{"point", point_json(space_, p)}}, std::nullopt});
    }
    return out;
  }
  void observe(const std::vector<Observation>&) override {}

 private:
  Space space_;
  Rng rng_;
};

class ExhaustiveAgent final : public Agent {
 public:
  explicit ExhaustiveAgent(const Problem& problem)
      : space_(Space::build(problem, Space::Granularity::Small)), next_(space_.origin()) {}
  std::string_view name() const override { return "exhaustive"; }
  std::vector<Proposal> propose(int count) override {
    std::vector<Proposal> out;
    while (int(out.size()) < count && !done_) {
      // Points that differ only in choices no task uses render alike: each policy once.
      std::string text = space_.render(next_);
      if (seen_.insert(text).second)
        out.push_back({std::move(text),
                       {{"point", point_json(space_, next_)},
                        {"index", index_},
                        {"space_size", space_.size()}},
                       std::nullopt});
      advance();
    }
    return out;
  }
  void observe(const std::vector<Observation>&) override {}

 private:
  // Mixed-radix increment, last parameter fastest.
  void advance() {
    ++index_;
    for (std::size_t i = next_.size(); i-- > 0;) {
      const Param& p = space_.params()[i];
      std::int64_t lo = p.kind == Param::Kind::Choice ? 0 : p.lo;
      if (++next_[i] < lo + p.count()) return;
      next_[i] = lo;
    }
    done_ = true;
  }
  Space space_;
  Point next_;
  std::int64_t index_ = 0;
  bool done_ = false;
  std::set<std::string> seen_;
};

}  // namespace

std::unique_ptr<Agent> make_random_agent(const Problem& problem) {
  return std::make_unique<RandomAgent>(problem);
}
std::unique_ptr<Agent> make_exhaustive_agent(const Problem& problem) {
  return std::make_unique<ExhaustiveAgent>(problem);
}

std::unique_ptr<Agent> make_agent(std::string_view name, const Problem& problem,
                                  std::string& error) {
  if (name == "random") return make_random_agent(problem);
  if (name == "exhaustive") return make_exhaustive_agent(problem);
  if (name == "guided") return make_guided_agent(problem);
  if (name == "opentuner") return make_opentuner_agent(problem);
  error = "unknown agent '" + std::string(name) +
          "' (expected guided, random, opentuner, exhaustive or llm)";
  return nullptr;
}

}  // namespace mapforge::search
