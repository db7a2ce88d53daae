// libFuzzer target: run journals (tune/report/journal_reader.h) and the report built from them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tune/report/report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = mapforge::tune::parse_journal(text, "fuzz.jsonl");
  if (result.ok) {
    mapforge::tune::RunData run;
    run.header = result.journal.header;
    run.evals = result.journal.evals;
    (void)mapforge::tune::render_report_html(run);
  }
  return 0;
}
