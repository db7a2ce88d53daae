// Copies sharing links. A copy in flight moves over every stage of its route at once (a GPU's
// link to the host or to its peers, a node's network adapter out and in), as Realm pipelines a
// copy through its intermediate buffers, at the rate of the link that limits it: the one where
// its fair share, its stage's bandwidth over the copies on that link with it, is the smallest
// when it starts. That link is shared fairly (processor sharing) by the copies it limits: each
// of n copies moves at its own bandwidth / n. A copy's work there is its bytes at its stage's
// bandwidth plus the per-copy time (latency) of each of its stages: a copy engine's or DMA
// thread's setup of a transfer and a message's latency take their turn on the link too, so
// many small copies on one link queue behind each other. Each link keeps a clock of the share each
// of its copies has had, so a start or an end costs O(log n) and the link has one pending finish
// time, stamped with a version so that the caller can drop the ones it was told before.
#pragma once

#include <queue>
#include <span>
#include <vector>

#include "sim/topology.h"

namespace mapforge::sim {

class Links {
 public:
  explicit Links(int resources);

  /// A link's (new) next finish time.
  struct Update {
    double time;
    int link;
    int version;
  };

  /// Starts moving `bytes` over `stages` (at least one) at `now`; returns the flow. Appends the
  /// limiting link's new next finish time to `updates`.
  int start(double now, double bytes, std::span<const Stage> stages, std::vector<Update>& updates);
  /// A finish time told earlier has come: when it is still the link's (`version` its latest),
  /// appends the flows that ended to `done` and the link's next finish time to `updates`.
  void finish(int link, int version, double now, std::vector<int>& done,
              std::vector<Update>& updates);
  /// Flows in flight.
  int active() const { return active_; }

 private:
  struct Link {
    int flows = 0;     // copies this link limits
    double share = 0;  // seconds of link time each of them has had
    double last = 0;   // when `share` was brought up to date
    int version = 0;
    // (share at which the flow is through, flow), the next first.
    std::priority_queue<std::pair<double, int>, std::vector<std::pair<double, int>>, std::greater<>>
        finishing;
  };
  void advance(Link& link, double now);
  void schedule(int id, double now, std::vector<Update>& updates);

  std::vector<Link> links_;
  int next_flow_ = 0;
  int active_ = 0;
};

}  // namespace mapforge::sim
