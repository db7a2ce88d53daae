#include "dsl/machine_space.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace mapforge::dsl {
namespace {

using Sizes = std::vector<std::int64_t>;
using Point = std::vector<std::int64_t>;

constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kI64Min = std::numeric_limits<std::int64_t>::min();

SpacePtr ok(const Fallible<SpacePtr>& result) {
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.message());
  return result.ok() ? result.value() : nullptr;
}

std::string error_of(const Fallible<SpacePtr>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? "" : result.message();
}

ProcessorId proc(const MachineSpace& space, const Point& point) {
  Fallible<ProcessorId> result = space.to_processor(point);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.message());
  return result.ok() ? result.value() : ProcessorId{-1, -1, space.kind()};
}

ProcessorId gpu(int node, int index) { return ProcessorId{node, index, ProcKind::GPU}; }

SpacePtr gpus(std::int64_t nodes, std::int64_t per_node) {
  return MachineSpace::base(ProcKind::GPU, nodes, per_node);
}

/// Every point of a space, first dimension slowest.
std::vector<Point> all_points(const Sizes& sizes) {
  std::vector<Point> points;
  Point point(sizes.size(), 0);
  std::function<void(std::size_t)> walk = [&](std::size_t d) {
    if (d == sizes.size()) {
      points.push_back(point);
      return;
    }
    for (std::int64_t i = 0; i < sizes[d]; ++i) {
      point[d] = i;
      walk(d + 1);
    }
  };
  walk(0);
  return points;
}

/// to_processor is injective, and from_processor inverts it, on every point.
void expect_round_trips(const MachineSpace& space) {
  std::set<std::pair<int, int>> seen;
  for (const Point& point : all_points(space.sizes())) {
    ProcessorId id = proc(space, point);
    EXPECT_TRUE(seen.insert({id.node, id.index}).second) << "two points map to one processor";
    std::optional<Point> back = space.from_processor(id);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, point);
  }
  EXPECT_EQ(static_cast<std::int64_t>(seen.size()), space.volume());
}

// -------------------------------------------------------------------------------------------
// Base

TEST(MachineSpaceBase, SizesAndPoints) {
  SpacePtr m = gpus(2, 4);
  EXPECT_EQ(m->kind(), ProcKind::GPU);
  EXPECT_EQ(m->sizes(), (Sizes{2, 4}));
  EXPECT_EQ(m->volume(), 8);
  EXPECT_EQ(proc(*m, {1, 3}), gpu(1, 3));
  EXPECT_EQ(proc(*m, {0, 2}), gpu(0, 2));
  expect_round_trips(*m);
}

TEST(MachineSpaceBase, AbsurdSizesAreClamped) {
  EXPECT_EQ(gpus(-3, 4)->sizes(), (Sizes{0, 4}));
  EXPECT_EQ(gpus(kI64Max, kI64Min)->sizes(), (Sizes{INT_MAX, 0}));
  EXPECT_EQ(gpus(1, 0)->volume(), 0);
}

TEST(MachineSpaceBase, EmptyDimensionHasNoPoints) {
  SpacePtr m = gpus(1, 0);
  EXPECT_EQ(m->to_processor(Point{0, 0}).message(),
            "index 0 out of bound for dimension 1 of size 0");
  EXPECT_FALSE(m->from_processor(gpu(0, 0)).has_value());
  EXPECT_EQ(ok(m->split(1, 4))->sizes(), (Sizes{1, 4, 0}));
  EXPECT_EQ(error_of(m->decompose(1, Sizes{2, 2})),
            "decompose: cannot split dimension 1 of size 0");
  EXPECT_EQ(error_of(m->greedy_split(1, Sizes{2})),
            "greedy_split: cannot split dimension 1 of size 0");
  EXPECT_EQ(error_of(m->balance_split(1, 2)), "balance_split: cannot split dimension 1 of size 0");
}

// -------------------------------------------------------------------------------------------
// to_processor / from_processor

TEST(MachineSpacePoints, WrongNumberOfIndices) {
  SpacePtr m = gpus(1, 4);
  EXPECT_EQ(m->to_processor(Point{0}).message(),
            "expected 2 indices for a machine of 2 dimensions, got 1");
  EXPECT_EQ(m->to_processor(Point{0, 0, 0}).message(),
            "expected 2 indices for a machine of 2 dimensions, got 3");
  SpacePtr line = ok(m->merge(0, 1));
  EXPECT_EQ(line->to_processor(Point{}).message(),
            "expected 1 index for a machine of 1 dimension, got 0");
}

TEST(MachineSpacePoints, OutOfBound) {
  SpacePtr m = ok(gpus(1, 4)->swap(0, 1));
  EXPECT_EQ(m->to_processor(Point{4, 0}).message(),
            "index 4 out of bound for dimension 0 of size 4");
  EXPECT_EQ(m->to_processor(Point{0, 1}).message(),
            "index 1 out of bound for dimension 1 of size 1");
  EXPECT_EQ(m->to_processor(Point{-1, 0}).message(),
            "index -1 out of bound for dimension 0 of size 4");
  EXPECT_EQ(m->to_processor(Point{kI64Min, 0}).message(),
            "index -9223372036854775808 out of bound for dimension 0 of size 4");
}

TEST(MachineSpacePoints, FromProcessorRejectsOtherKindsAndStrangers) {
  SpacePtr m = gpus(2, 4);
  EXPECT_FALSE(m->from_processor(ProcessorId{0, 0, ProcKind::CPU}).has_value());
  EXPECT_FALSE(m->from_processor(gpu(2, 0)).has_value());
  EXPECT_FALSE(m->from_processor(gpu(0, 4)).has_value());
  EXPECT_FALSE(m->from_processor(gpu(-1, 0)).has_value());
  EXPECT_FALSE(m->from_processor(gpu(0, INT_MIN)).has_value());
}

// -------------------------------------------------------------------------------------------
// Dimension arguments

TEST(MachineSpaceErrors, DimensionOutOfRange) {
  SpacePtr m = gpus(2, 4);
  EXPECT_EQ(error_of(m->split(3, 2)),
            "split: dimension 3 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->split(-1, 2)),
            "split: dimension -1 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->merge(0, 2)),
            "merge: dimension 2 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->merge(kI64Min, 0)),
            "merge: dimension -9223372036854775808 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->swap(2, 0)),
            "swap: dimension 2 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->swap(0, kI64Max)),
            "swap: dimension 9223372036854775807 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->slice(2, 0, 0)),
            "slice: dimension 2 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->reverse(5)),
            "reverse: dimension 5 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->balance_split(2, 2)),
            "balance_split: dimension 2 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->decompose(2, Sizes{2})),
            "decompose: dimension 2 out of range for a machine of 2 dimensions");
  EXPECT_EQ(error_of(m->greedy_split(-2, Sizes{2})),
            "greedy_split: dimension -2 out of range for a machine of 2 dimensions");
  SpacePtr line = ok(m->merge(0, 1));
  EXPECT_EQ(error_of(line->reverse(1)),
            "reverse: dimension 1 out of range for a machine of 1 dimension");
}

// -------------------------------------------------------------------------------------------
// split

TEST(MachineSpaceSplit, SizesAndMapping) {
  SpacePtr m = ok(gpus(2, 6)->split(1, 2));
  EXPECT_EQ(m->sizes(), (Sizes{2, 2, 3}));
  // (.., i, j, ..) -> (.., i + j*f, ..)
  EXPECT_EQ(proc(*m, {1, 1, 2}), gpu(1, 5));
  EXPECT_EQ(proc(*m, {0, 0, 1}), gpu(0, 2));
  EXPECT_EQ(proc(*m, {0, 1, 0}), gpu(0, 1));
  expect_round_trips(*m);
  SpacePtr nodes = ok(gpus(6, 1)->split(0, 3));
  EXPECT_EQ(nodes->sizes(), (Sizes{3, 2, 1}));
  EXPECT_EQ(proc(*nodes, {2, 1, 0}), gpu(5, 0));
  expect_round_trips(*nodes);
}

TEST(MachineSpaceSplit, Errors) {
  SpacePtr m = gpus(1, 4);
  EXPECT_EQ(error_of(m->split(1, 3)), "split: size 4 of dimension 1 is not divisible by 3");
  EXPECT_EQ(error_of(m->split(1, 0)), "split: factor must be positive, got 0");
  EXPECT_EQ(error_of(m->split(1, -2)), "split: factor must be positive, got -2");
  EXPECT_EQ(error_of(m->split(1, kI64Min)),
            "split: factor must be positive, got -9223372036854775808");
  EXPECT_EQ(error_of(m->split(1, kI64Max)),
            "split: size 4 of dimension 1 is not divisible by 9223372036854775807");
}

TEST(MachineSpaceSplit, TrivialFactors) {
  SpacePtr m = gpus(1, 4);
  EXPECT_EQ(ok(m->split(1, 1))->sizes(), (Sizes{1, 1, 4}));
  EXPECT_EQ(ok(m->split(1, 4))->sizes(), (Sizes{1, 4, 1}));
  expect_round_trips(*ok(m->split(1, 1)));
}

// -------------------------------------------------------------------------------------------
// merge

TEST(MachineSpaceMerge, SizesAndMapping) {
  SpacePtr m = ok(gpus(2, 3)->merge(0, 1));
  EXPECT_EQ(m->sizes(), (Sizes{6}));
  // k -> (d1: k / s[d2], d2: k % s[d2])
  EXPECT_EQ(proc(*m, {4}), gpu(1, 1));
  expect_round_trips(*m);
  SpacePtr r = ok(gpus(2, 3)->merge(1, 0));
  EXPECT_EQ(r->sizes(), (Sizes{6}));
  EXPECT_EQ(proc(*r, {4}), gpu(0, 2));  // node 4 % 2, gpu 4 / 2
  EXPECT_EQ(proc(*r, {1}), gpu(1, 0));
  expect_round_trips(*r);
}

TEST(MachineSpaceMerge, KeepsOtherDimensionsInOrder) {
  // (2, 3, 4, 5) built from 6 nodes x 20 GPUs.
  SpacePtr m = ok(ok(gpus(6, 20)->split(0, 2))->split(2, 4));
  ASSERT_EQ(m->sizes(), (Sizes{2, 3, 4, 5}));
  SpacePtr a = ok(m->merge(3, 1));  // dim 1 dropped, merged at 3 - 1 = 2, size 5*3, dim 3 slowest
  EXPECT_EQ(a->sizes(), (Sizes{2, 4, 15}));
  for (const Point& p : all_points(a->sizes())) {
    EXPECT_EQ(proc(*a, p), proc(*m, {p[0], p[2] % 3, p[1], p[2] / 3}));
  }
  expect_round_trips(*a);
  SpacePtr b = ok(m->merge(0, 2));
  EXPECT_EQ(b->sizes(), (Sizes{8, 3, 5}));
  for (const Point& p : all_points(b->sizes())) {
    EXPECT_EQ(proc(*b, p), proc(*m, {p[0] / 4, p[1], p[0] % 4, p[2]}));
  }
  expect_round_trips(*b);
}

// The reference (DSLMapper MSpace.cpp, MergeMSpace::trans): dim2 is dropped, the merged dimension
// sits where dim1 was among the rest (dim1 - 1 when dim1 > dim2), dim2 varies fastest in it.
TEST(MachineSpaceMerge, LaterDimensionIntoEarlierKeepsTheLaterPlace) {
  // (3, 2, 2) from 3 nodes x 4 GPUs: dims (node, gpu % 2, gpu / 2).
  SpacePtr m = ok(gpus(3, 4)->split(1, 2));
  ASSERT_EQ(m->sizes(), (Sizes{3, 2, 2}));
  SpacePtr merged = ok(m->merge(2, 0));
  EXPECT_EQ(merged->sizes(), (Sizes{2, 6}));
  // merged[a, i] is m[i % 3, a, i / 3]: node i % 3, gpu a + 2 * (i / 3).
  EXPECT_EQ(proc(*merged, {0, 3}), gpu(0, 2));
  EXPECT_EQ(proc(*merged, {1, 4}), gpu(1, 3));
  for (const Point& p : all_points(merged->sizes()))
    EXPECT_EQ(proc(*merged, p), proc(*m, {p[1] % 3, p[0], p[1] / 3}));
  expect_round_trips(*merged);
}

TEST(MachineSpaceMerge, SameDimensionIsAnError) {
  EXPECT_EQ(error_of(gpus(2, 3)->merge(1, 1)), "merge: cannot merge dimension 1 with itself");
}

// -------------------------------------------------------------------------------------------
// swap, slice, reverse

TEST(MachineSpaceSwap, SizesAndMapping) {
  SpacePtr m = ok(gpus(2, 3)->swap(0, 1));
  EXPECT_EQ(m->sizes(), (Sizes{3, 2}));
  EXPECT_EQ(proc(*m, {2, 1}), gpu(1, 2));
  expect_round_trips(*m);
  SpacePtr same = ok(gpus(2, 3)->swap(1, 1));
  EXPECT_EQ(same->sizes(), (Sizes{2, 3}));
  EXPECT_EQ(proc(*same, {1, 2}), gpu(1, 2));
}

TEST(MachineSpaceSlice, SizesAndMapping) {
  SpacePtr m = ok(gpus(2, 8)->slice(1, 2, 5));
  EXPECT_EQ(m->sizes(), (Sizes{2, 4}));
  EXPECT_EQ(proc(*m, {1, 0}), gpu(1, 2));
  EXPECT_EQ(proc(*m, {0, 3}), gpu(0, 5));
  expect_round_trips(*m);
  EXPECT_EQ(*m->from_processor(gpu(1, 4)), (Point{1, 2}));
  EXPECT_FALSE(m->from_processor(gpu(0, 1)).has_value());
  EXPECT_FALSE(m->from_processor(gpu(0, 6)).has_value());
  SpacePtr one = ok(gpus(2, 8)->slice(0, 1, 1));
  EXPECT_EQ(one->sizes(), (Sizes{1, 8}));
  EXPECT_EQ(proc(*one, {0, 7}), gpu(1, 7));
}

TEST(MachineSpaceSlice, Errors) {
  SpacePtr m = gpus(2, 4);
  EXPECT_EQ(error_of(m->slice(1, 2, 4)),
            "slice: range [2, 4] out of bound for dimension 1 of size 4");
  EXPECT_EQ(error_of(m->slice(1, -1, 2)),
            "slice: range [-1, 2] out of bound for dimension 1 of size 4");
  EXPECT_EQ(error_of(m->slice(1, 3, 2)), "slice: empty range [3, 2] for dimension 1");
  EXPECT_EQ(error_of(m->slice(0, 0, kI64Max)),
            "slice: range [0, 9223372036854775807] out of bound for dimension 0 of size 2");
  EXPECT_EQ(error_of(m->slice(0, kI64Min, kI64Max)),
            "slice: range [-9223372036854775808, 9223372036854775807] out of bound for "
            "dimension 0 of size 2");
  EXPECT_EQ(error_of(m->slice(0, kI64Max, kI64Min)),
            "slice: empty range [9223372036854775807, -9223372036854775808] for dimension 0");
}

TEST(MachineSpaceReverse, SizesAndMapping) {
  SpacePtr m = ok(gpus(2, 4)->reverse(1));
  EXPECT_EQ(m->sizes(), (Sizes{2, 4}));
  EXPECT_EQ(proc(*m, {1, 0}), gpu(1, 3));
  EXPECT_EQ(proc(*m, {0, 3}), gpu(0, 0));
  expect_round_trips(*m);
  SpacePtr twice = ok(m->reverse(1));
  EXPECT_EQ(proc(*twice, {1, 1}), gpu(1, 1));
}

// -------------------------------------------------------------------------------------------
// balance_split

// Values worked from the reference (DSLMapper MSpace.cpp, BalSplitMSpace::trans_dim): each prime,
// smallest first, to the smallest factor so far (the first of equals), then sorted largest first.
TEST(BalancedFactors, ReferenceValues) {
  EXPECT_EQ(balanced_factors(12, 2), (Sizes{6, 2}));   // 2->(2,1), 2->(2,2), 3->(6,2)
  EXPECT_EQ(balanced_factors(48, 2), (Sizes{12, 4}));  // 2,2,2,2 -> (4,4), 3 -> (12,4)
  EXPECT_EQ(balanced_factors(24, 3), (Sizes{6, 2, 2}));
  EXPECT_EQ(balanced_factors(36, 3),
            (Sizes{6, 3, 2}));  // 2,2 -> (2,2,1), 3 -> (2,2,3), 3 -> (6,2,3)
  EXPECT_EQ(balanced_factors(16, 3), (Sizes{4, 2, 2}));
  EXPECT_EQ(balanced_factors(64, 3), (Sizes{4, 4, 4}));
  EXPECT_EQ(balanced_factors(30, 2), (Sizes{10, 3}));
  EXPECT_EQ(balanced_factors(30, 3), (Sizes{5, 3, 2}));
  EXPECT_EQ(balanced_factors(12, 3), (Sizes{3, 2, 2}));
  EXPECT_EQ(balanced_factors(7, 2), (Sizes{7, 1}));
  EXPECT_EQ(balanced_factors(1, 3), (Sizes{1, 1, 1}));
  EXPECT_EQ(balanced_factors(9, 1), (Sizes{9}));
  EXPECT_EQ(balanced_factors(9, 4), (Sizes{}));
  EXPECT_EQ(balanced_factors(0, 2), (Sizes{}));
  // The reference crashes on primes above 17; here they are handed out like the others.
  EXPECT_EQ(balanced_factors(38, 2), (Sizes{19, 2}));
}

TEST(BalancedFactors, ProductAndOrder) {
  for (std::int64_t n = 1; n <= 400; ++n) {
    for (int parts : {2, 3}) {
      Sizes f = balanced_factors(n, parts);
      ASSERT_EQ(f.size(), static_cast<std::size_t>(parts)) << n;
      EXPECT_EQ(std::accumulate(f.begin(), f.end(), std::int64_t{1}, std::multiplies<>()), n) << n;
      EXPECT_TRUE(std::is_sorted(f.rbegin(), f.rend())) << n;
    }
  }
}

TEST(MachineSpaceBalanceSplit, SizesAndMixedRadix) {
  SpacePtr m = ok(gpus(1, 16)->balance_split(1, 3));
  EXPECT_EQ(m->sizes(), (Sizes{1, 4, 2, 2}));
  // (i1, i2, i3) -> i1 + i2*4 + i3*8
  EXPECT_EQ(proc(*m, {0, 3, 1, 1}), gpu(0, 15));
  EXPECT_EQ(proc(*m, {0, 1, 0, 1}), gpu(0, 9));
  EXPECT_EQ(proc(*m, {0, 2, 1, 0}), gpu(0, 6));
  expect_round_trips(*m);
  SpacePtr two = ok(gpus(12, 2)->balance_split(0, 2));
  EXPECT_EQ(two->sizes(), (Sizes{6, 2, 2}));
  EXPECT_EQ(proc(*two, {5, 1, 1}), gpu(11, 1));  // node 5 + 6 * 1
  EXPECT_EQ(proc(*two, {1, 1, 0}), gpu(7, 0));
  expect_round_trips(*two);
  EXPECT_EQ(ok(gpus(7, 1)->balance_split(0, 2))->sizes(), (Sizes{7, 1, 1}));
  EXPECT_EQ(ok(gpus(8, 1)->balance_split(0, 3))->sizes(), (Sizes{2, 2, 2, 1}));
}

TEST(MachineSpaceBalanceSplit, Errors) {
  SpacePtr m = gpus(1, 16);
  EXPECT_EQ(error_of(m->balance_split(1, 4)),
            "balance_split: number of parts must be 2 or 3, got 4");
  EXPECT_EQ(error_of(m->balance_split(1, 1)),
            "balance_split: number of parts must be 2 or 3, got 1");
  EXPECT_EQ(error_of(m->balance_split(1, kI64Min)),
            "balance_split: number of parts must be 2 or 3, got -9223372036854775808");
}

// -------------------------------------------------------------------------------------------
// Factorisations

TEST(PrimeFactors, Descending) {
  EXPECT_EQ(prime_factors_descending(1), (Sizes{}));
  EXPECT_EQ(prime_factors_descending(0), (Sizes{}));
  EXPECT_EQ(prime_factors_descending(-12), (Sizes{}));
  EXPECT_EQ(prime_factors_descending(2), (Sizes{2}));
  EXPECT_EQ(prime_factors_descending(360), (Sizes{5, 3, 3, 2, 2, 2}));
  EXPECT_EQ(prime_factors_descending(720720), (Sizes{13, 11, 7, 5, 3, 3, 2, 2, 2, 2}));
  EXPECT_EQ(prime_factors_descending(2305843009213693951), (Sizes{2305843009213693951}));
  EXPECT_EQ(prime_factors_descending(std::int64_t{2147483647} * 2147483647),
            (Sizes{2147483647, 2147483647}));
  EXPECT_EQ(prime_factors_descending(std::int64_t{1} << 62), Sizes(62, 2));
  EXPECT_EQ(prime_factors_descending(std::int64_t{999999937} * 999999929 * 7),
            (Sizes{999999937, 999999929, 7}));
}

TEST(GreedyFactors, Examples) {
  EXPECT_EQ(greedy_factors(12, Sizes{3, 4}), (Sizes{4, 3}));
  EXPECT_EQ(greedy_factors(45, Sizes{9, 15}), (Sizes{9, 5}));
  EXPECT_EQ(greedy_factors(4, Sizes{4, 2, 4}), (Sizes{2, 1, 2}));
  EXPECT_EQ(greedy_factors(8, Sizes{1, 1}), (Sizes{4, 2}));  // ties go to the lowest dimension
  EXPECT_EQ(greedy_factors(1, Sizes{5, 7}), (Sizes{1, 1}));
  EXPECT_EQ(greedy_factors(6, Sizes{}), (Sizes{}));
}

TEST(GreedyFactors, ComparesExactly) {
  // Both extents round to 2^53 as doubles; only exact arithmetic sees dimension 1 is larger.
  std::int64_t big = std::int64_t{1} << 53;
  EXPECT_EQ(greedy_factors(2, Sizes{big, big + 1}), (Sizes{1, 2}));
  EXPECT_EQ(greedy_factors(2, Sizes{big + 1, big}), (Sizes{2, 1}));
  EXPECT_EQ(greedy_factors(6, Sizes{kI64Max, kI64Max}), (Sizes{3, 2}));
}

TEST(DecomposeFactors, Examples) {
  EXPECT_EQ(decompose_factors(4, Sizes{4, 2, 4}), (Sizes{2, 1, 2}));
  EXPECT_EQ(decompose_factors(32, Sizes{707, 11314}), (Sizes{1, 32}));
  EXPECT_EQ(decompose_factors(12, Sizes{3, 4}), (Sizes{3, 4}));
  EXPECT_EQ(decompose_factors(45, Sizes{9, 15}), (Sizes{5, 9}));
  EXPECT_EQ(decompose_factors(7, Sizes{3}), (Sizes{7}));
  EXPECT_EQ(decompose_factors(1, Sizes{3, 5, 8}), (Sizes{1, 1, 1}));
}

TEST(DecomposeFactors, TiesPreferGreedyThenTheReferenceOrder) {
  // (4, 2) and (2, 4) tie on L = (1, 1); greedy gives (4, 2).
  EXPECT_EQ(decompose_factors(8, Sizes{1, 1}), (Sizes{4, 2}));
  // 6 on (2, 3): (2, 3) costs 2, as does nothing else; greedy gives (2, 3) too.
  EXPECT_EQ(decompose_factors(6, Sizes{2, 3}), (Sizes{2, 3}));
  // 4 on (2, 2, 2): minimisers are the permutations of (2, 2, 1) and (1, 2, 2)...; greedy
  // gives (2, 2, 1).
  EXPECT_EQ(decompose_factors(4, Sizes{2, 2, 2}), (Sizes{2, 2, 1}));
}

// Values worked from the reference (DSLMapper myalgorithm.h, precise_enumerate and
// order_optimize): the greedy split if it ties the least cost, else the first least split with
// the largest prime's placements in the outermost loop.
TEST(DecomposeFactors, ReferenceTieOrder) {
  // 36 = 3^2 2^2 over (2, 3, 3): (3, 4, 3) and (3, 3, 4) both cost 23/6; the 3-placement
  // (3, 1, 3) comes before (3, 3, 1), so (3, 4, 3) is met first. Greedy (4, 3, 3) costs 4.
  EXPECT_EQ(decompose_factors(36, Sizes{2, 3, 3}), (Sizes{3, 4, 3}));
  // 48 over (2, 2, 3): (4, 3, 4) before (3, 4, 4); greedy (4, 4, 3) costs 5.
  EXPECT_EQ(decompose_factors(48, Sizes{2, 2, 3}), (Sizes{4, 3, 4}));
  EXPECT_EQ(decompose_factors(8, Sizes{8, 8}), (Sizes{4, 2}));
  EXPECT_EQ(decompose_factors(6, Sizes{1, 1}), (Sizes{3, 2}));
  EXPECT_EQ(decompose_factors(7, Sizes{3, 5}), (Sizes{1, 7}));
  EXPECT_EQ(decompose_factors(12, Sizes{2}), (Sizes{12}));
}

// The definition, by enumerating every ordered factorisation.
Sizes brute_decompose(std::int64_t n, const Sizes& extents) {
  Sizes divisors;
  for (std::int64_t d = 1; d <= n; ++d) {
    if (n % d == 0) divisors.push_back(d);
  }
  auto cost = [&](const Sizes& f) {
    double c = 0;
    for (std::size_t i = 0; i < f.size(); ++i) {
      c += static_cast<double>(f[i]) / static_cast<double>(extents[i]);
    }
    return c;
  };
  // Calls visit on each factorisation until it returns true.
  auto enumerate = [&](const std::function<bool(const Sizes&)>& visit) {
    Sizes current;
    std::function<bool(std::int64_t)> walk = [&](std::int64_t rest) {
      if (current.size() + 1 == extents.size()) {
        current.push_back(rest);
        bool done = visit(current);
        current.pop_back();
        return done;
      }
      for (std::int64_t o : divisors) {
        if (o > rest) break;
        if (rest % o != 0) continue;
        current.push_back(o);
        bool done = walk(rest / o);
        current.pop_back();
        if (done) return true;
      }
      return false;
    };
    walk(n);
  };
  double least = std::numeric_limits<double>::infinity();
  enumerate([&](const Sizes& f) {
    least = std::min(least, cost(f));
    return false;
  });
  Sizes greedy = greedy_factors(n, extents);
  if (cost(greedy) <= least + 1e-9) return greedy;
  // Among the other minimisers, the reference's visiting order: compare the exponent vectors of
  // the distinct primes, largest prime first, each lexicographically.
  Sizes primes = prime_factors_descending(n);
  primes.erase(std::unique(primes.begin(), primes.end()), primes.end());
  auto order_key = [&](const Sizes& f) {
    std::vector<int> key;
    for (std::int64_t p : primes) {
      for (std::int64_t factor : f) {
        int e = 0;
        for (; factor % p == 0; factor /= p) ++e;
        key.push_back(e);
      }
    }
    return key;
  };
  Sizes first;
  enumerate([&](const Sizes& f) {
    if (cost(f) > least + 1e-9) return false;
    if (first.empty() || order_key(f) < order_key(first)) first = f;
    return false;
  });
  return first;
}

TEST(DecomposeFactors, MatchesDefinitionOnSmallCases) {
  const std::vector<Sizes> extent_lists = {{1},
                                           {5},
                                           {3, 4},
                                           {4, 3},
                                           {9, 15},
                                           {1, 1},
                                           {100, 7},
                                           {2, 2, 2},
                                           {4, 2, 4},
                                           {10, 1, 3},
                                           {6, 6, 1},
                                           {1, 2, 3, 4},
                                           {64, 1, 1, 64},
                                           {5, 5, 5, 5},
                                           {707, 11314},
                                           {1000000, 3, 17}};
  for (std::int64_t n = 1; n <= 96; ++n) {
    for (const Sizes& extents : extent_lists) {
      if (extents.size() == 4 && n > 48) continue;  // keep the enumeration quick
      EXPECT_EQ(decompose_factors(n, extents), brute_decompose(n, extents))
          << "n=" << n << " extents[0]=" << extents[0] << " dims=" << extents.size();
    }
  }
}

TEST(DecomposeFactors, BigHighlyCompositeCase) {
  const Sizes extents = {128, 96, 80, 3, 1000, 7};
  Sizes factors = decompose_factors(720720, extents);
  ASSERT_EQ(factors.size(), 6u);
  std::int64_t product = 1;
  for (std::int64_t f : factors) product *= f;
  EXPECT_EQ(product, 720720);
  EXPECT_EQ(factors, (Sizes{21, 16, 13, 1, 165, 1}));  // the unique minimiser, by enumeration
  EXPECT_EQ(decompose_factors(720720, Sizes{128, 96, 80, 1000}),
            brute_decompose(720720, Sizes{128, 96, 80, 1000}));
}

TEST(DecomposeFactors, ManyDimensionsCompleteQuickly) {
  Sizes extents;
  for (int i = 0; i < 32; ++i) extents.push_back(1 + (i * 37) % 101);
  Sizes factors = decompose_factors(720720, extents);
  ASSERT_EQ(factors.size(), 32u);
  std::int64_t product = 1;
  for (std::int64_t f : factors) product *= f;
  EXPECT_EQ(product, 720720);
  // n = 963761198400 has 6720 divisors.
  Sizes wide = decompose_factors(963761198400, Sizes{1000, 2000, 3000, 4000, 5000, 6000, 7000});
  product = 1;
  for (std::int64_t f : wide) product *= f;
  EXPECT_EQ(product, 963761198400);
}

TEST(DecomposeFactors, InvalidInputFallsBackToGreedy) {
  EXPECT_EQ(decompose_factors(12, Sizes{0, 4}), greedy_factors(12, Sizes{0, 4}));
  EXPECT_EQ(decompose_factors(12, Sizes{-3, 4}), greedy_factors(12, Sizes{-3, 4}));
  EXPECT_EQ(decompose_factors(12, Sizes{}), (Sizes{}));
  EXPECT_EQ(decompose_factors(0, Sizes{2, 2}), (Sizes{1, 1}));
}

// -------------------------------------------------------------------------------------------
// decompose / greedy_split on spaces

TEST(MachineSpaceDecompose, Examples) {
  SpacePtr m = ok(ok(gpus(1, 4)->merge(0, 1))->decompose(0, Sizes{4, 2, 4}));
  EXPECT_EQ(m->sizes(), (Sizes{2, 1, 2}));
  // mixed radix, first new dim fastest: (i1, i2, i3) -> i1 + i2*2 + i3*2
  EXPECT_EQ(proc(*m, {1, 0, 0}), gpu(0, 1));
  EXPECT_EQ(proc(*m, {0, 0, 1}), gpu(0, 2));
  EXPECT_EQ(proc(*m, {1, 0, 1}), gpu(0, 3));
  expect_round_trips(*m);
  EXPECT_EQ(ok(gpus(8, 4)->decompose(0, Sizes{707, 11314}))->sizes(), (Sizes{1, 8, 4}));
  EXPECT_EQ(ok(ok(gpus(8, 4)->merge(0, 1))->decompose(0, Sizes{707, 11314}))->sizes(),
            (Sizes{1, 32}));
  EXPECT_EQ(ok(gpus(12, 1)->decompose(0, Sizes{3, 4}))->sizes(), (Sizes{3, 4, 1}));
  EXPECT_EQ(ok(gpus(1, 45)->decompose(1, Sizes{9, 15}))->sizes(), (Sizes{1, 5, 9}));
}

TEST(MachineSpaceGreedySplit, Examples) {
  SpacePtr m = ok(gpus(12, 1)->greedy_split(0, Sizes{3, 4}));
  EXPECT_EQ(m->sizes(), (Sizes{4, 3, 1}));
  EXPECT_EQ(proc(*m, {3, 2, 0}), gpu(11, 0));
  EXPECT_EQ(proc(*m, {1, 2, 0}), gpu(9, 0));
  expect_round_trips(*m);
  EXPECT_EQ(ok(gpus(1, 45)->greedy_split(1, Sizes{9, 15}))->sizes(), (Sizes{1, 9, 5}));
}

TEST(MachineSpaceDecompose, Errors) {
  SpacePtr m = gpus(2, 4);
  EXPECT_EQ(error_of(m->decompose(1, Sizes{})), "decompose: needs at least one extent");
  EXPECT_EQ(error_of(m->decompose(1, Sizes{4, 0})),
            "decompose: extents must be positive, got 0 at position 1");
  EXPECT_EQ(error_of(m->decompose(1, Sizes{kI64Min})),
            "decompose: extents must be positive, got -9223372036854775808 at position 0");
  EXPECT_EQ(error_of(m->greedy_split(1, Sizes{})), "greedy_split: needs at least one extent");
  EXPECT_EQ(error_of(m->greedy_split(0, Sizes{-1, 2})),
            "greedy_split: extents must be positive, got -1 at position 0");
}

TEST(MachineSpaceDecompose, HugeSizes) {
  // 2^31 - 1 is prime; the merged dimension is its square.
  SpacePtr square = ok(gpus(INT_MAX, INT_MAX)->merge(0, 1));
  EXPECT_EQ(ok(square->decompose(0, Sizes{1, 1}))->sizes(), (Sizes{INT_MAX, INT_MAX}));
  EXPECT_EQ(ok(square->greedy_split(0, Sizes{1, 1}))->sizes(), (Sizes{INT_MAX, INT_MAX}));
  EXPECT_EQ(ok(square->balance_split(0, 3))->sizes(), (Sizes{INT_MAX, INT_MAX, 1}));
  SpacePtr top = ok(ok(square->balance_split(0, 2))->reverse(1));
  EXPECT_EQ(proc(*top, {INT_MAX - 1, 0}), (ProcessorId{INT_MAX - 1, INT_MAX - 1, ProcKind::GPU}));
  EXPECT_EQ(*top->from_processor(ProcessorId{5, 7, ProcKind::GPU}), (Point{7, INT_MAX - 1 - 5}));

  // 2^30 x 735134400: tractable into 2 factors, too many factorisations into 32.
  SpacePtr composite = ok(gpus(std::int64_t{1} << 30, 735134400)->merge(0, 1));
  SpacePtr two = ok(composite->decompose(0, Sizes{3, 5}));
  EXPECT_EQ(two->sizes()[0] * two->sizes()[1], composite->volume());
  EXPECT_EQ(error_of(composite->decompose(0, Sizes(32, 2))),
            "decompose: size 789344551541145600 of dimension 0 has too many factorisations into "
            "32 factors to search");
  EXPECT_EQ(ok(composite->greedy_split(0, Sizes(32, 2)))->sizes().size(), 32u);
  EXPECT_EQ(ok(composite->balance_split(0, 3))->volume(), composite->volume());
}

TEST(MachineSpaceDecompose, ManyExtentsOnOneProcessor) {
  SpacePtr m = ok(gpus(1, 1)->decompose(1, Sizes(1000, 3)));
  EXPECT_EQ(m->sizes().size(), 1001u);
  EXPECT_EQ(proc(*m, Sizes(1001, 0)), gpu(0, 0));
}

// -------------------------------------------------------------------------------------------
// Compositions

TEST(MachineSpaceCompose, RoundTripsThroughChains) {
  SpacePtr m = gpus(4, 6);
  SpacePtr a = ok(ok(ok(m->split(1, 2))->swap(0, 2))->reverse(1));
  EXPECT_EQ(a->sizes(), (Sizes{3, 2, 4}));
  expect_round_trips(*a);
  SpacePtr b = ok(ok(ok(a->merge(2, 0))->slice(1, 1, 10))->balance_split(1, 2));
  EXPECT_EQ(b->sizes(), (Sizes{2, 5, 2}));
  for (const Point& p : all_points(b->sizes())) {
    ProcessorId id = proc(*b, p);
    std::optional<Point> back = b->from_processor(id);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, p);
  }
  SpacePtr c =
      ok(ok(ok(m->merge(0, 1))->decompose(0, Sizes{30, 20, 10}))->greedy_split(2, Sizes{5, 1}));
  EXPECT_EQ(c->volume(), 24);
  expect_round_trips(*c);
  // The sliced-away processors are not in b.
  int contained = 0;
  for (int node = 0; node < 4; ++node) {
    for (int index = 0; index < 6; ++index)
      contained += b->from_processor(gpu(node, index)) ? 1 : 0;
  }
  EXPECT_EQ(contained, b->volume());
}

TEST(MachineSpaceCompose, LongChainsDoNotOverflowTheStack) {
  SpacePtr m = gpus(2, 4);
  for (int i = 0; i < 300000; ++i) m = ok(m->reverse(i % 2));
  EXPECT_EQ(proc(*m, {1, 2}), gpu(1, 2));
  EXPECT_EQ(*m->from_processor(gpu(0, 3)), (Point{0, 3}));
  m.reset();  // frees 300000 ancestors
}

TEST(MachineSpaceCompose, SpacesAreImmutable) {
  SpacePtr m = gpus(2, 4);
  SpacePtr s = ok(m->split(1, 2));
  EXPECT_EQ(m->sizes(), (Sizes{2, 4}));
  EXPECT_EQ(s->sizes(), (Sizes{2, 2, 2}));
  m.reset();  // children keep their ancestry alive
  EXPECT_EQ(proc(*s, {1, 1, 1}), gpu(1, 3));
}

}  // namespace
}  // namespace mapforge::dsl
