// pumma: PUMMA as DISTAL generates it (legion/pummaMM/taco-generated.cu; the launch hierarchy,
// grids and tiles in distal_2d.h): Cannon's skew at the node level only, K = lx ((in + kos) mod
// gx) + kios, so a node row starts on its own k tile and the GPUs of a node share it. The node
// grid is SUMMA's (the driver, PUMMAGPUBench, derives from SUMMAGPUBench).
#include "app/builtin/distal_2d.h"

namespace mapforge::app {

LoadResult generate_pumma(const MachineFacts& machine, const Sizes& sizes) {
  return matmul::generate_distal_2d(
      "pumma", "PUMMA", false,
      [](const matmul::LeafStep& s) { return s.lx * ((s.in + s.kos) % s.gx) + s.kios; }, machine,
      sizes);
}

}  // namespace mapforge::app
