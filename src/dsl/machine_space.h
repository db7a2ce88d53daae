// Machine spaces: the n-D views of a machine's processors that policies build with
// Machine(K) and the transformations of DSL.md §3 (split, merge, swap, slice, reverse,
// balance_split, decompose/auto_split, greedy_split). Every point of a space maps back to one
// original (node, processor) pair; spaces are immutable and share their ancestry.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "dsl/dsl.h"
#include "dsl/fallible.h"

namespace mapforge::dsl {

class MachineSpace;
using SpacePtr = std::shared_ptr<const MachineSpace>;

class MachineSpace : public std::enable_shared_from_this<MachineSpace> {
 public:
  /// The 2-D space (nodes, processors of `kind` per node).
  static SpacePtr base(ProcKind kind, std::int64_t nodes, std::int64_t per_node);
  /// Releases long ancestries iteratively (no recursion per ancestor).
  ~MachineSpace();

  ProcKind kind() const { return kind_; }
  const std::vector<std::int64_t>& sizes() const { return sizes_; }
  std::int64_t volume() const;

  // Transformations. Dimension arguments are 0-based; errors say what is wrong, e.g.
  // "split: size 4 of dimension 1 is not divisible by 3".
  Fallible<SpacePtr> split(std::int64_t dim, std::int64_t factor) const;
  Fallible<SpacePtr> merge(std::int64_t dim1, std::int64_t dim2) const;
  Fallible<SpacePtr> swap(std::int64_t dim1, std::int64_t dim2) const;
  Fallible<SpacePtr> slice(std::int64_t dim, std::int64_t lo, std::int64_t hi) const;
  Fallible<SpacePtr> reverse(std::int64_t dim) const;
  Fallible<SpacePtr> balance_split(std::int64_t dim, std::int64_t parts) const;
  Fallible<SpacePtr> decompose(std::int64_t dim, std::span<const std::int64_t> extents) const;
  Fallible<SpacePtr> greedy_split(std::int64_t dim, std::span<const std::int64_t> extents) const;

  /// The original processor of a full point (one coordinate per dimension). Out of range:
  /// "index 4 out of bound for dimension 0 of size 4".
  Fallible<ProcessorId> to_processor(std::span<const std::int64_t> point) const;
  /// The coordinates in this space of an original processor; nullopt if the space (after a
  /// slice) does not contain it or the kind differs.
  std::optional<std::vector<std::int64_t>> from_processor(const ProcessorId& proc) const;

 private:
  enum class Op { Base, Split, Merge, Swap, Slice, Reverse, Radix };
  MachineSpace() = default;
  SpacePtr derive(Op op, std::vector<std::int64_t> sizes, std::vector<std::int64_t> args) const;
  /// This space's point in its parent's coordinates; nullopt only for Base.
  std::vector<std::int64_t> to_parent(std::span<const std::int64_t> point) const;
  /// The parent's point in this space's coordinates; nullopt if not contained (Slice).
  std::optional<std::vector<std::int64_t>> from_parent(std::span<const std::int64_t> point) const;
  Fallible<SpacePtr> radix_split(std::int64_t dim, std::vector<std::int64_t> factors) const;

  ProcKind kind_ = ProcKind::CPU;
  std::vector<std::int64_t> sizes_;
  Op op_ = Op::Base;
  std::vector<std::int64_t> args_;  // what the op needs to map points (documented in the .cc)
  SpacePtr parent_;
};

// Factorisations used by the transformations (DSL.md §3). `extents` must be positive.
/// Prime factors of n (n >= 1), largest first.
std::vector<std::int64_t> prime_factors_descending(std::int64_t n);
/// The runtime's greedy rule: each prime of n, largest first, to the dimension whose remaining
/// extent extents[i] / factors[i] is largest (ties to the lowest dimension).
std::vector<std::int64_t> greedy_factors(std::int64_t n, std::span<const std::int64_t> extents);
/// A minimiser of sum(factors[i] / extents[i]) with product n, chosen as the reference does: the
/// greedy result if it is one, else the first in the reference's enumeration order (largest
/// prime's placements outermost; float costs, ties within 1e-6). Past 2^20 candidate splits: the
/// greedy result if it is a minimiser (within 1e-9), else the lexicographically smallest one.
std::vector<std::int64_t> decompose_factors(std::int64_t n, std::span<const std::int64_t> extents);
/// n split into `parts` (1 to 3) factors as the reference does: each prime, smallest first, to the
/// smallest factor so far; then sorted largest first (12 into 2: (6, 2)).
std::vector<std::int64_t> balanced_factors(std::int64_t n, std::int64_t parts);

}  // namespace mapforge::dsl
