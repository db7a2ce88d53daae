// `opentuner`: the OpenTuner port (opentuner/) searching the full space encoded as parameters:
// each choice an enumeration, each block size an integer. Failed runs are infinite times; a
// configuration measured before is not re-run but counts as an iteration.
#include "search/opentuner/opentuner.h"
#include "search/search.h"

namespace mapforge::search {
namespace {

class OpenTunerAgent final : public Agent {
 public:
  explicit OpenTunerAgent(const Problem& problem)
      : space_(Space::build(problem, Space::Granularity::Full)),
        tuner_(parameters(space_), problem.seed) {}
  std::string_view name() const override { return "opentuner"; }

  std::vector<Proposal> propose(int count) override {
    std::vector<Proposal> out;
    for (int i = 0; i < count; ++i) {
      auto p = tuner_.propose();
      if (!p) break;
      Point point;
      for (std::size_t k = 0; k < space_.params().size(); ++k) point.push_back(p->config.scalar(k));
      out.push_back({space_.render(point),
                     {{"technique", p->technique}, {"duplicate", p->duplicate()}},
                     std::nullopt});
      pending_.push_back(p->duplicate() ? std::nullopt
                                        : std::optional<opentuner::Configuration>(p->config));
    }
    return out;
  }

  void observe(const std::vector<Observation>& batch) override {
    for (const auto& o : batch) {
      if (pending_.empty()) break;
      auto config = std::move(pending_.front());
      pending_.erase(pending_.begin());
      if (!config) continue;  // the tuner's own duplicate: nothing to report
      std::optional<double> time;
      if (o.ok && o.score > 0) time = 1.0 / o.score;  // minimise: seconds, or 1/throughput
      tuner_.report(*config, time);
    }
  }

 private:
  static std::vector<opentuner::Parameter> parameters(const Space& space) {
    std::vector<opentuner::Parameter> params;
    for (const auto& p : space.params())
      params.push_back(p.kind == Param::Kind::Choice
                           ? opentuner::Parameter::enumeration(p.name, int(p.count()))
                           : opentuner::Parameter::integer(p.name, p.lo, p.hi));
    return params;
  }

  Space space_;
  opentuner::Tuner tuner_;
  std::vector<std::optional<opentuner::Configuration>> pending_;
};

}  // namespace

std::unique_ptr<Agent> make_opentuner_agent(const Problem& problem) {
  return std::make_unique<OpenTunerAgent>(problem);
}

}  // namespace mapforge::search
