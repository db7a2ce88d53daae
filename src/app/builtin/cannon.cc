// cannon: Cannon's algorithm as DISTAL generates it (legion/cannonMM/taco-generated.cu; the launch
// hierarchy, grids and tiles in distal_2d.h). The driver swaps the node grid so that x has the
// larger extent. At node step kos and processor step kios the GPU (I, J) = (lx in + iln,
// ly jn + jln) multiplies the k tile K = lx ((jn + in + kos) mod gx) + ((jln + iln + kios) mod lx):
// the skew of Cannon's systolic shift, at both levels of the hierarchy.
#include "app/builtin/distal_2d.h"

namespace mapforge::app {

LoadResult generate_cannon(const MachineFacts& machine, const Sizes& sizes) {
  return matmul::generate_distal_2d(
      "cannon", "Cannon's algorithm", true,
      [](const matmul::LeafStep& s) {
        return s.lx * ((s.jn + s.in + s.kos) % s.gx) + ((s.jln + s.iln + s.kios) % s.lx);
      },
      machine, sizes);
}

}  // namespace mapforge::app
