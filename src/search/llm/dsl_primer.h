// The mapping language in brief (dsl_primer.md), compiled in for the LLM agent's prompts.
#pragma once

#include <string_view>

namespace mapforge::search::llm {

/// The text of dsl_primer.md (Markdown, about 150 lines).
std::string_view dsl_primer();

}  // namespace mapforge::search::llm
