#include "legion/sharding.h"

namespace mapforge::legion {

Legion::ShardID PolicyShardingFunctor::shard(const Legion::DomainPoint& point,
                                             const Legion::Domain& domain,
                                             std::size_t total_shards) {
  auto bound = host_.sharding_slot(slot_);
  if (!bound || total_shards == 0) return 0;
  std::vector<std::int64_t> coordinates(static_cast<std::size_t>(point.get_dim()));
  std::vector<std::int64_t> extents(static_cast<std::size_t>(domain.get_dim()));
  for (int d = 0; d < point.get_dim(); ++d) coordinates[static_cast<std::size_t>(d)] = point[d];
  for (int d = 0; d < domain.get_dim(); ++d)
    extents[static_cast<std::size_t>(d)] = domain.hi()[d] - domain.lo()[d] + 1;
  // No parent here: Legion asks for the shard of a point without saying who launched it, so a
  // function used for sharding cannot read task.parent.
  auto placement = host_.place_index(bound->first, bound->second, coordinates, extents, {});
  if (!placement || placement->processors.empty()) return 0;
  // Shard n runs on node n (PolicyMapper::replicate_task).
  const auto node = static_cast<std::size_t>(placement->processors.front().node);
  const auto shard = static_cast<Legion::ShardID>(node % total_shards);
  if (host_.tracing()) {
    std::string text;
    for (std::size_t i = 0; i < coordinates.size(); ++i)
      text += (i ? "," : "") + std::to_string(coordinates[i]);
    host_.trace("shard task=" + bound->first + " point=" + text + " node=" + std::to_string(node) +
                " shard=" + std::to_string(shard));
  }
  return shard;
}

}  // namespace mapforge::legion
