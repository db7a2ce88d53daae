// libFuzzer target: any bytes as a table of real measurements (`mapforge fidelity --csv`). A
// table either loads with only well-formed rows or is rejected whole with located errors.
// Built with MAPFORGE_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fidelity/fidelity.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace mf = mapforge::fidelity;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mf::ReadResult result = mf::read_table(text, "fuzz.csv");
  if (!result.errors.empty()) {
    if (!result.tables.mapper.empty() || !result.tables.stencil.empty()) std::abort();
    for (const auto& e : result.errors)
      if (e.rfind("fuzz.csv", 0) != 0) std::abort();
    return 0;
  }
  for (const auto& row : result.tables.mapper)
    if (row.app.empty() || row.nodes < 1 || !(row.expert > 0) || !(row.dsl > 0) ||
        (row.by_default && !(*row.by_default > 0)))
      std::abort();
  for (const auto& row : result.tables.stencil)
    if (row.o_tiles_x * row.o_tiles_y != row.gpus || row.c_tiles_x * row.c_tiles_y != row.gpus ||
        !(row.t_o_s > 0) || !(row.t_c_s > 0))
      std::abort();
  return 0;
}
