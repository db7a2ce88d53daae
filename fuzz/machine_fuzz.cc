// libFuzzer target: any bytes as a machine file. A file that loads must write and reload to the
// same machine. Built with MAPFORGE_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "machine/machine.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace mm = mapforge::machine;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mm::LoadResult result = mm::load_machine(text, "fuzz.json");
  if (!result.ok()) return 0;
  mm::LoadResult again = mm::load_machine(mm::to_json(result.value()), "again.json");
  if (!again.ok() || !(again.value() == result.value())) std::abort();
  return 0;
}
