#include "sim/data_state.h"

#include <algorithm>

namespace mapforge::sim {
namespace {

bool writes(app::Privilege privilege) {
  return privilege == app::Privilege::ReadWrite || privilege == app::Privilege::WriteDiscard;
}

void add_unique(std::vector<int>& deps, int id) {
  if (id >= 0) deps.push_back(id);
}

template <class T>
bool includes_sorted(const std::vector<T>& have, std::span<const T> want) {
  return std::includes(have.begin(), have.end(), want.begin(), want.end());
}

}  // namespace

DataState::DataState(const app::App& app, const Topology& topology)
    : app_(app), topology_(topology) {
  for (const auto& region : app.regions) {
    std::size_t slots =
        region.block_elements.size() * std::max<std::size_t>(1, region.fields.size());
    fields_of_.push_back(std::max<std::size_t>(1, region.fields.size()));
    valid_.emplace_back(slots);
    access_.emplace_back(slots);
  }
  by_memory_.resize(topology.mems().size());
  used_.assign(topology.mems().size(), 0);
  high_water_.assign(topology.mems().size(), 0);
}

double DataState::bytes(int region, std::span<const std::int32_t> blocks,
                        std::span<const int> fields) const {
  const app::Region& r = app_.regions[static_cast<std::size_t>(region)];
  double elements = 0;
  for (auto b : blocks)
    elements += static_cast<double>(r.block_elements[static_cast<std::size_t>(b)]);
  double field_bytes = 0;
  for (int f : fields)
    field_bytes += static_cast<double>(r.fields[static_cast<std::size_t>(f)].bytes);
  return elements * field_bytes;
}

void DataState::depend(int id, int region, std::span<const std::int32_t> blocks,
                       std::span<const int> fields, app::Privilege privilege, app::ReduceOp op,
                       std::vector<int>& deps) {
  auto& accesses = access_[static_cast<std::size_t>(region)];
  for (auto block : blocks) {
    for (int field : fields) {
      Access& a = accesses[slot(region, block, field)];
      add_unique(deps, a.writer);
      if (privilege == app::Privilege::ReadOnly) {
        for (int r : a.reducers) add_unique(deps, r);
        if (!a.reducers.empty()) {
          // The reductions are folded in before the read; the read now follows them.
          a.writer = a.reducers.back();
          a.reducers.clear();
        }
        a.readers.push_back(id);
        continue;
      }
      for (int r : a.readers) add_unique(deps, r);
      if (privilege == app::Privilege::Reduce && (a.reducers.empty() || a.op == op)) {
        // Reductions with one operator commute: they only wait for earlier writers and readers.
        a.readers.clear();
        if (a.reducers.empty()) a.op = op;
        a.reducers.push_back(id);
        continue;
      }
      for (int r : a.reducers) add_unique(deps, r);
      a.reducers.clear();
      a.readers.clear();
      if (privilege == app::Privilege::Reduce) {
        a.op = op;
        a.reducers.push_back(id);
      } else {
        a.writer = id;
      }
    }
  }
}

double DataState::copy_estimate(int src, int dst, double bytes) const {
  std::string missing;
  auto stages = topology_.route(src, dst, missing);
  if (stages.empty()) return 1e300;
  double time = 0;
  for (const auto& s : stages) time += s.latency + bytes / s.bandwidth;
  return time;
}

bool DataState::valid_in(int region, std::size_t s, int mem) const {
  const auto& list = valid_[static_cast<std::size_t>(region)][s];
  return std::any_of(list.begin(), list.end(), [&](const Valid& v) { return v.mem == mem; });
}

void DataState::copies_in(int id, int region, std::span<const std::int32_t> blocks,
                          std::span<const int> fields, int mem, app::Privilege privilege, int arg,
                          bool untracked, std::vector<CopyReq>& out, std::string& missing_channel) {
  if (privilege == app::Privilege::WriteDiscard || privilege == app::Privilege::Reduce) return;
  const app::Region& r = app_.regions[static_cast<std::size_t>(region)];
  const std::size_t first_new = out.size();
  for (auto block : blocks) {
    double block_elements = static_cast<double>(r.block_elements[static_cast<std::size_t>(block)]);
    for (int field : fields) {
      auto& list = valid_[static_cast<std::size_t>(region)][slot(region, block, field)];
      if (list.empty()) continue;  // never written: nothing to copy
      auto here =
          std::find_if(list.begin(), list.end(), [&](const Valid& v) { return v.mem == mem; });
      if (here != list.end()) {
        // Filled by another reader's copy: wait for that copy, not for that reader.
        if (here->copy >= 0 && here->since != id) {
          Valid fill = *here;
          bool known = std::any_of(out.begin(), out.end(), [&](const CopyReq& c) {
            return c.src == mem && c.after == fill.since && c.after_copy == fill.copy;
          });
          if (!known) out.push_back(CopyReq{mem, mem, 0, fill.since, arg, fill.copy});
        }
        continue;
      }
      double bytes =
          block_elements * static_cast<double>(r.fields[static_cast<std::size_t>(field)].bytes);
      // The nearest valid copy: the fewest bytes-weighted seconds; ties to the producer's own
      // instance over one filled by a reader's copy, then to the lower memory.
      const Valid* best = nullptr;
      double best_time = 0;
      for (const auto& v : list) {
        double time = copy_estimate(v.mem, mem, bytes);
        bool better = !best || time < best_time ||
                      (time == best_time && (v.copy < 0) != (best->copy < 0) && v.copy < 0) ||
                      (time == best_time && (v.copy < 0) == (best->copy < 0) && v.mem < best->mem);
        if (better) {
          best = &v;
          best_time = time;
        }
      }
      if (best_time >= 1e300) {
        topology_.route(best->mem, mem, missing_channel);
        return;
      }
      // Copies from one source after one event coalesce into one transfer.
      Valid source = *best;
      auto same = std::find_if(out.begin() + static_cast<std::ptrdiff_t>(first_new), out.end(),
                               [&](const CopyReq& c) {
                                 return c.src == source.mem && c.dst == mem &&
                                        c.after == source.since && c.after_copy == source.copy;
                               });
      int index = static_cast<int>(same - out.begin());
      if (same != out.end())
        same->bytes += bytes;
      else
        out.push_back(CopyReq{source.mem, mem, bytes, source.since, arg, source.copy});
      if (privilege == app::Privilege::ReadOnly && !untracked)
        list.push_back(Valid{mem, id, index});
    }
  }
}

void DataState::after_access(int id, int region, std::span<const std::int32_t> blocks,
                             std::span<const int> fields, int mem, app::Privilege privilege,
                             int arg, bool untracked, std::vector<CopyReq>& folds) {
  const app::Region& r = app_.regions[static_cast<std::size_t>(region)];
  for (auto block : blocks) {
    for (int field : fields) {
      auto& list = valid_[static_cast<std::size_t>(region)][slot(region, block, field)];
      if (privilege == app::Privilege::ReadOnly) {
        if (untracked) continue;
        if (!std::any_of(list.begin(), list.end(), [&](const Valid& v) { return v.mem == mem; }))
          list.push_back(Valid{mem, id});  // never written (nothing was copied)
        continue;
      }
      if (writes(privilege) || list.empty()) {
        list.assign(1, Valid{mem, id});
        continue;
      }
      // A reduction: its instance's contributions are applied where the data is valid.
      int home = list.front().mem;
      if (home != mem) {
        double bytes = static_cast<double>(r.block_elements[static_cast<std::size_t>(block)]) *
                       static_cast<double>(r.fields[static_cast<std::size_t>(field)].bytes);
        auto same = std::find_if(folds.begin(), folds.end(),
                                 [&](const CopyReq& c) { return c.src == mem && c.dst == home; });
        if (same != folds.end())
          same->bytes += bytes;
        else
          folds.push_back(CopyReq{mem, home, bytes, id, arg});
      }
      list.assign(1, Valid{home, id});
    }
  }
}

std::vector<std::uint16_t>& DataState::coverage(int mem, int region) {
  std::int64_t key =
      static_cast<std::int64_t>(mem) * static_cast<std::int64_t>(app_.regions.size()) + region;
  auto& counts = coverage_[key];
  if (counts.empty()) counts.assign(valid_[static_cast<std::size_t>(region)].size(), 0);
  return counts;
}

void DataState::drop_validity(const Instance& instance) {
  auto& counts = coverage(instance.mem, instance.region);
  auto& valid = valid_[static_cast<std::size_t>(instance.region)];
  for (auto block : instance.blocks) {
    for (int field : instance.fields) {
      std::size_t s = slot(instance.region, block, field);
      if (counts[s] > 0) --counts[s];
      if (counts[s] > 0) continue;
      auto& list = valid[s];
      list.erase(std::remove_if(list.begin(), list.end(),
                                [&](const Valid& v) { return v.mem == instance.mem; }),
                 list.end());
    }
  }
}

bool DataState::holds_only_copy(const Instance& instance) const {
  const auto& valid = valid_[static_cast<std::size_t>(instance.region)];
  for (auto block : instance.blocks) {
    for (int field : instance.fields) {
      const auto& list = valid[slot(instance.region, block, field)];
      bool here = std::any_of(list.begin(), list.end(),
                              [&](const Valid& v) { return v.mem == instance.mem; });
      if (here && list.size() == 1) return true;
    }
  }
  return false;
}

std::optional<AllocationFailure> DataState::acquire(int mem, int region,
                                                    std::span<const std::int32_t> blocks,
                                                    std::span<const int> fields, bool soa,
                                                    bool c_order, std::int64_t window,
                                                    bool collect_after) {
  std::vector<std::int32_t> want_blocks(blocks.begin(), blocks.end());
  std::sort(want_blocks.begin(), want_blocks.end());
  std::vector<int> want_fields(fields.begin(), fields.end());
  std::sort(want_fields.begin(), want_fields.end());
  bool multi_dim = app_.regions[static_cast<std::size_t>(region)].dims > 1;
  auto& ids = by_memory_[static_cast<std::size_t>(mem)];
  for (int id : ids) {
    Instance& instance = instances_[static_cast<std::size_t>(id)];
    if (instance.region != region || instance.soa != soa ||
        (multi_dim && instance.c_order != c_order))
      continue;
    if (!includes_sorted<std::int32_t>(instance.blocks, want_blocks) ||
        !includes_sorted<int>(instance.fields, want_fields))
      continue;
    instance.last_window = window;
    instance.collect_after = instance.collect_after && collect_after;
    return std::nullopt;
  }
  double need = bytes(region, want_blocks, want_fields);
  double capacity = topology_.mems()[static_cast<std::size_t>(mem)].capacity;
  if (used_[static_cast<std::size_t>(mem)] + need > capacity) {
    // Reclaim, as Legion's garbage collector does under pressure: instances of earlier windows
    // that hold no valid data or whose data is also valid elsewhere (no data is lost), the
    // CollectMemory ones first, then the least recently used.
    std::vector<int> candidates;
    for (int id : ids) {
      const Instance& instance = instances_[static_cast<std::size_t>(id)];
      if (instance.last_window == window) continue;
      bool stale = true;
      const auto& valid = valid_[static_cast<std::size_t>(instance.region)];
      for (auto block : instance.blocks)
        for (int field : instance.fields)
          if (std::any_of(valid[slot(instance.region, block, field)].begin(),
                          valid[slot(instance.region, block, field)].end(),
                          [&](const Valid& v) { return v.mem == mem; }))
            stale = false;
      if (stale || !holds_only_copy(instance)) candidates.push_back(id);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](int a, int b) {
      const Instance& x = instances_[static_cast<std::size_t>(a)];
      const Instance& y = instances_[static_cast<std::size_t>(b)];
      if (x.collect_after != y.collect_after) return x.collect_after;
      return x.last_window < y.last_window;
    });
    for (int id : candidates) {
      if (used_[static_cast<std::size_t>(mem)] + need <= capacity) break;
      Instance& instance = instances_[static_cast<std::size_t>(id)];
      instance.live = false;
      used_[static_cast<std::size_t>(mem)] -= instance.bytes;
      drop_validity(instance);
      ids.erase(std::find(ids.begin(), ids.end(), id));
      ++instances_collected_;
    }
    if (used_[static_cast<std::size_t>(mem)] + need > capacity)
      return AllocationFailure{need,
                               std::max(0.0, capacity - used_[static_cast<std::size_t>(mem)])};
  }
  Instance instance;
  instance.mem = mem;
  instance.region = region;
  instance.blocks = std::move(want_blocks);
  instance.fields = std::move(want_fields);
  instance.soa = soa;
  instance.c_order = c_order;
  instance.bytes = need;
  instance.last_window = window;
  instance.collect_after = collect_after;
  auto& counts = coverage(mem, region);
  for (auto block : instance.blocks)
    for (int field : instance.fields) ++counts[slot(region, block, field)];
  ids.push_back(static_cast<int>(instances_.size()));
  instances_.push_back(std::move(instance));
  used_[static_cast<std::size_t>(mem)] += need;
  high_water_[static_cast<std::size_t>(mem)] =
      std::max(high_water_[static_cast<std::size_t>(mem)], used_[static_cast<std::size_t>(mem)]);
  ++instances_created_;
  return std::nullopt;
}

}  // namespace mapforge::sim
