// libFuzzer target: any bytes as a run's output, and as its profile. AutoGuide must always give
// feedback (at least one record) and never crash, at every level.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "guide/guide.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace mg = mapforge::guide;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (mg::Level level : {mg::Level::Execution, mg::Level::Explain, mg::Level::Suggest}) {
    mg::RunOutput run;
    run.exit_status = 1;
    auto records = mg::analyze(text, run, level);
    if (records.empty()) std::abort();
    (void)mg::render_text(records, level);
    (void)mg::render_json(records, level);
  }
  mg::RunOutput with_profile;
  with_profile.profile_json = std::string(text);
  (void)mg::analyze(std::string_view("ELAPSED TIME = 1.0 s\n"), with_profile, mg::Level::Suggest);
  return 0;
}
