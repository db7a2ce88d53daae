// libFuzzer target: any bytes as an app JSON file. An app that loads must validate, and write
// and reload to the same app.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "app/app.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ma = mapforge::app;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ma::LoadResult result = ma::load_app(text, "fuzz.json");
  if (!result.app) return 0;
  if (!ma::validate(*result.app).empty()) std::abort();
  ma::LoadResult again = ma::load_app(ma::to_json(*result.app), "again.json");
  if (!again.app || !(*again.app == *result.app)) std::abort();
  return 0;
}
