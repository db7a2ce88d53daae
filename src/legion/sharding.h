// Node placement of index launches under control replication: a Legion sharding functor that
// answers with the node the policy's IndexTaskMap function names for each point.
#pragma once

#include <cstddef>

#include "legion.h"
#include "legion/policy_host.h"

namespace mapforge::legion {

/// One slot of the pool registered at start-up; bound to a (task, kind) by
/// PolicyHost::sharding_functor the first time that task's launches are sharded.
class PolicyShardingFunctor : public Legion::ShardingFunctor {
 public:
  PolicyShardingFunctor(PolicyHost& host, std::size_t slot) : host_(host), slot_(slot) {}
  Legion::ShardID shard(const Legion::DomainPoint& point, const Legion::Domain& domain,
                        std::size_t total_shards) override;

 private:
  PolicyHost& host_;
  std::size_t slot_;
};

/// How many (task, kind) pairs can have their own sharding functor.
inline constexpr std::size_t kShardingSlots = 64;

}  // namespace mapforge::legion
