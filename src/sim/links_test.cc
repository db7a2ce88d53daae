// The fluid model of copies sharing links (links.h).
#include <gtest/gtest.h>

#include <map>

#include "sim/links.h"

namespace mapforge::sim {
namespace {

Stage stage(int resource, double bandwidth) {
  return Stage{resource, machine::ChannelKind::Network, bandwidth, 0};
}

/// Runs flows (start time, bytes, stages) to the end; returns each flow's finish time.
std::map<int, double> drain(
    Links& links,
    const std::vector<std::pair<double, std::pair<double, std::vector<Stage>>>>& flows) {
  std::vector<Links::Update> updates;
  std::map<int, std::pair<double, int>> pending;  // link -> (time, version)
  std::map<int, double> finished;
  std::size_t next = 0;
  auto apply = [&]() {
    for (const auto& u : updates) pending[u.link] = {u.time, u.version};
    updates.clear();
  };
  while (next < flows.size() || !pending.empty()) {
    // The earliest of the next start and the earliest finish.
    auto first = pending.end();
    for (auto it = pending.begin(); it != pending.end(); ++it)
      if (first == pending.end() || it->second.first < first->second.first) first = it;
    if (next < flows.size() &&
        (first == pending.end() || flows[next].first <= first->second.first)) {
      links.start(flows[next].first, flows[next].second.first, flows[next].second.second, updates);
      ++next;
      apply();
      continue;
    }
    const auto [link, when] = *first;
    pending.erase(first);
    std::vector<int> done;
    links.finish(link, when.second, when.first, done, updates);
    for (int f : done) finished[f] = when.first;
    apply();
  }
  return finished;
}

TEST(Links, OneCopyMovesAtTheLinkBandwidth) {
  Links links(4);
  auto done = drain(links, {{0.0, {10e9, {stage(0, 10e9)}}}});
  ASSERT_EQ(done.size(), 1u);
  EXPECT_DOUBLE_EQ(done[0], 1.0);
}

TEST(Links, TwoCopiesShareALinkFairly) {
  Links links(4);
  // Together from the start: each moves at half the bandwidth and both end at 2 s.
  auto done = drain(links, {{0.0, {10e9, {stage(0, 10e9)}}}, {0.0, {10e9, {stage(0, 10e9)}}}});
  EXPECT_DOUBLE_EQ(done[0], 2.0);
  EXPECT_DOUBLE_EQ(done[1], 2.0);
  // A short copy joining a long one: it takes twice its own time, the long one waits as long.
  Links later(4);
  done = drain(later, {{0.0, {10e9, {stage(0, 10e9)}}}, {0.5, {1e9, {stage(0, 10e9)}}}});
  EXPECT_DOUBLE_EQ(done[1], 0.7);  // 1 GB at 5 GB/s from 0.5 s
  EXPECT_DOUBLE_EQ(done[0], 1.1);  // 5 GB by 0.5 s, 1 GB at half rate, 4 GB at full rate
}

TEST(Links, ACopyMovesAtItsSlowestStageAndCopiesOnOtherLinksDoNotSlowIt) {
  Links links(4);
  // A GPU link (60 GB/s) then an adapter (12 GB/s): the adapter limits it.
  auto done = drain(
      links, {{0.0, {12e9, {stage(0, 60e9), stage(1, 12e9)}}}, {0.0, {12e9, {stage(2, 12e9)}}}});
  EXPECT_DOUBLE_EQ(done[0], 1.0);
  EXPECT_DOUBLE_EQ(done[1], 1.0);
}

TEST(Links, AnAdapterSharedByCopiesFromSeveralGpus) {
  Links links(8);
  // Four GPUs of a node send 3 GB each through one 12 GB/s adapter: 1 s, all together.
  std::vector<std::pair<double, std::pair<double, std::vector<Stage>>>> flows;
  for (int g = 0; g < 4; ++g) flows.push_back({0.0, {3e9, {stage(g, 60e9), stage(7, 12e9)}}});
  auto done = drain(links, flows);
  for (int f = 0; f < 4; ++f) EXPECT_DOUBLE_EQ(done[f], 1.0);
  EXPECT_EQ(links.active(), 0);
}

TEST(Links, PerCopyTimesQueueOnTheLink) {
  // Two empty copies whose stages cost 5 us each to set up: on one link they share it and
  // both take 10 us; on links of their own, 5 us each.
  Links links(4);
  auto slow = [](int r) { return Stage{r, machine::ChannelKind::FBToFB, 60e9, 5e-6}; };
  auto done = drain(links, {{0.0, {0.0, {slow(0)}}}, {0.0, {0.0, {slow(0)}}}});
  EXPECT_DOUBLE_EQ(done[0], 10e-6);
  EXPECT_DOUBLE_EQ(done[1], 10e-6);
  Links apart(4);
  done = drain(apart, {{0.0, {0.0, {slow(0)}}}, {0.0, {0.0, {slow(1)}}}});
  EXPECT_DOUBLE_EQ(done[0], 5e-6);
  EXPECT_DOUBLE_EQ(done[1], 5e-6);
}

}  // namespace
}  // namespace mapforge::sim
