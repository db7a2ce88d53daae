// libFuzzer target: what a hostile LLM endpoint may reply (search/llm/optoprime.h) and the
// policy text inside it (sections and statements).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "search/llm/optoprime.h"
#include "search/llm/sections.h"
#include "search/search.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto reply = mapforge::search::llm::parse_reply(text);
  (void)reply;
  auto sections = mapforge::search::llm::split_sections(text);
  (void)mapforge::search::llm::join_sections(sections);
  mapforge::search::PolicyDoc doc = mapforge::search::PolicyDoc::parse(text);
  (void)doc.render();
  return 0;
}
