#include "sim/links.h"

#include <algorithm>

namespace mapforge::sim {

namespace {
// Flows whose remaining share is within this many seconds end together (rounding).
constexpr double kTogether = 1e-15;
}  // namespace

Links::Links(int resources) : links_(static_cast<std::size_t>(std::max(resources, 0))) {}

void Links::advance(Link& link, double now) {
  if (link.flows > 0) link.share += (now - link.last) / static_cast<double>(link.flows);
  link.last = now;
}

void Links::schedule(int id, double now, std::vector<Update>& updates) {
  Link& link = links_[static_cast<std::size_t>(id)];
  ++link.version;
  if (link.finishing.empty()) return;
  const double left = std::max(0.0, link.finishing.top().first - link.share);
  updates.push_back(Update{now + left * static_cast<double>(link.flows), id, link.version});
}

int Links::start(double now, double bytes, std::span<const Stage> stages,
                 std::vector<Update>& updates) {
  // The limiting link: the smallest share of its bandwidth, counting this copy.
  std::size_t best = 0;
  double best_rate = 0;
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const Link& link = links_[static_cast<std::size_t>(stages[s].resource)];
    const double rate = stages[s].bandwidth / static_cast<double>(link.flows + 1);
    if (s == 0 || rate < best_rate) {
      best = s;
      best_rate = rate;
    }
  }
  const int id = stages[best].resource;
  Link& link = links_[static_cast<std::size_t>(id)];
  advance(link, now);
  const int flow = next_flow_++;
  // The link's work for this copy: its bytes, plus the per-copy time of every stage (a copy
  // engine's or DMA thread's setup of the transfer, a message's latency), which copies on one
  // link also share.
  double setup = 0;
  for (const Stage& s : stages)
    if (!s.far_end) setup += s.latency;
  link.finishing.emplace(link.share + std::max(0.0, bytes) / stages[best].bandwidth + setup, flow);
  ++link.flows;
  ++active_;
  schedule(id, now, updates);
  return flow;
}

void Links::finish(int id, int version, double now, std::vector<int>& done,
                   std::vector<Update>& updates) {
  if (id < 0 || static_cast<std::size_t>(id) >= links_.size()) return;
  Link& link = links_[static_cast<std::size_t>(id)];
  if (link.version != version || link.finishing.empty()) return;
  advance(link, now);
  // The first flow is through (this is its time); others may end at the same share.
  const double through = std::max(link.share, link.finishing.top().first);
  while (!link.finishing.empty() && link.finishing.top().first <= through + kTogether) {
    done.push_back(link.finishing.top().second);
    link.finishing.pop();
    --link.flows;
    --active_;
  }
  link.share = through;
  schedule(id, now, updates);
}

}  // namespace mapforge::sim
