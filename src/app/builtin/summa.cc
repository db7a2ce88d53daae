// summa: SUMMA as DISTAL generates it (legion/summaMM/taco-generated.cu; the launch hierarchy,
// grids and tiles in distal_2d.h). Every GPU multiplies the same k tile at each step,
// K = lx kos + kios: the k column of A is read by every GPU of a grid row and the k row of B by
// every GPU of a grid column (the broadcasts are copies to each reader).
#include "app/builtin/distal_2d.h"

namespace mapforge::app {

LoadResult generate_summa(const MachineFacts& machine, const Sizes& sizes) {
  return matmul::generate_distal_2d(
      "summa", "SUMMA", false, [](const matmul::LeafStep& s) { return s.lx * s.kos + s.kios; },
      machine, sizes);
}

}  // namespace mapforge::app
