#include "search/opentuner/bandit.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

namespace mapforge::search::opentuner {

AucBanditQueue::AucBanditQueue(int keys, double c, std::size_t window)
    : c_(c),
      window_(window),
      use_counts_(static_cast<std::size_t>(keys), 0),
      auc_sum_(static_cast<std::size_t>(keys), 0),
      auc_decay_(static_cast<std::size_t>(keys), 0) {
  assert(keys > 0 && "a bandit needs a key");
}

void AucBanditQueue::on_result(int key, bool was_new_best) {
  auto k = static_cast<std::size_t>(key);
  history_.emplace_back(key, was_new_best);
  // on_push_history: the use is the key's newest, at position use_counts.
  ++use_counts_.at(k);
  if (was_new_best) {
    auc_sum_[k] += use_counts_[k];
    ++auc_decay_[k];
  }
  if (history_.size() <= window_) return;
  // on_pop_history: every remaining use of the key moves down one position, so each new best
  // among them (auc_decay, the popped one included) is worth one less.
  auto [old_key, old_value] = history_.front();
  history_.pop_front();
  auto o = static_cast<std::size_t>(old_key);
  --use_counts_[o];
  auc_sum_[o] -= auc_decay_[o];
  if (old_value) --auc_decay_[o];
}

double AucBanditQueue::exploitation(int key) const {
  auto k = static_cast<std::size_t>(key);
  double n = use_counts_.at(k);
  if (n == 0) return 0.0;
  return static_cast<double>(auc_sum_[k]) * 2.0 / (n * (n + 1.0));
}

double AucBanditQueue::exploitation_slow(int key) const {
  double score = 0.0;
  double pos = 0.0;
  for (const auto& [k, value] : history_) {
    if (k != key) continue;
    pos += 1.0;
    if (value) score += pos;
  }
  if (pos == 0.0) return 0.0;
  return score * 2.0 / (pos * (pos + 1.0));
}

double AucBanditQueue::exploration(int key) const {
  int uses = use_counts_.at(static_cast<std::size_t>(key));
  if (uses == 0) return std::numeric_limits<double>::infinity();
  return std::sqrt(2.0 * std::log2(static_cast<double>(history_.size())) / uses);
}

double AucBanditQueue::score(int key) const { return exploitation(key) + c_ * exploration(key); }

std::vector<int> AucBanditQueue::ordered_keys(Rng& rng) const {
  std::vector<int> order(use_counts_.size());
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);  // break ties randomly
  std::vector<double> scores(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) scores[i] = score(static_cast<int>(i));
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return scores[static_cast<std::size_t>(a)] < scores[static_cast<std::size_t>(b)];
  });
  std::reverse(order.begin(), order.end());
  return order;
}

AucBanditMetaTechnique::AucBanditMetaTechnique(std::vector<std::unique_ptr<Technique>> techniques)
    : techniques_(std::move(techniques)), bandit_(static_cast<int>(techniques_.size())) {}

std::optional<Request> AucBanditMetaTechnique::desired_result(Driver& driver) {
  for (int index : bandit_.ordered_keys(driver.rng())) {
    Offer offer = technique(index).desired_configuration(driver);
    switch (offer.kind) {
      case Offer::Kind::Config:
        return Request{std::move(offer.config), index};
      case Offer::Kind::Wait:
        continue;
      case Offer::Kind::Nothing:
        bandit_.on_result(index, false);
        continue;
    }
  }
  return std::nullopt;
}

void AucBanditMetaTechnique::on_technique_result(int technique, bool was_new_best) {
  bandit_.on_result(technique, was_new_best);
}

}  // namespace mapforge::search::opentuner
