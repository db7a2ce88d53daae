// A small valid app shared by the app module's tests.
#pragma once

#include "app/builder.h"

namespace mapforge::app::testing {

/// Two regions, a 4-piece partition and a whole-region partition, two tasks, an untimed init
/// phase and a timed loop repeated 10 times.
inline App example_app() {
  AppBuilder b("heat", "a 1-D heat equation");
  int cells = b.add_region("cells", {{"t", 8}, {"t_new", 8}, {"k", 4}}, {100, 100, 100, 100});
  int sums = b.add_region("sums", {{"total", 8}}, {1});
  int tiles = b.add_partition("tiles", cells, {4}, {{0}, {1}, {2}, {3}});
  int all = b.add_whole("all_sums", sums);
  int init = b.add_task("init", KernelClass::Streaming, {{VariantKind::CPU}}, {"tile"});
  LayoutRequirement soa{true, std::nullopt, LayoutRequirement::Failure::Stride, 8};
  int step = b.add_task("step", KernelClass::Streaming,
                        {{VariantKind::GPU, {soa}}, {VariantKind::CPU}}, {"tile", "total"});
  Phase& setup = b.add_phase("init", 1, false);
  Launch& l0 = b.add_index_launch(setup, init, {4}, 100);
  b.arg(l0, tiles, AppBuilder::identity(1), Privilege::WriteDiscard, b.all_fields(tiles));
  Phase& loop = b.add_phase("loop", 10, true);
  Launch& l1 = b.add_index_launch(loop, step, {4}, 2500.5);
  b.arg(l1, tiles, AppBuilder::identity(1), Privilege::ReadWrite, b.fields(tiles, {"t", "t_new"}),
        2.0);
  b.arg(l1, all, AppBuilder::fixed({0}), Privilege::Reduce, {0}, 1.0, ReduceOp::Sum);
  LoadResult result = b.finish({Metric::Kind::ElapsedTime, 4000, "cells"});
  return *result.app;  // the tests check that it is valid
}

}  // namespace mapforge::app::testing
