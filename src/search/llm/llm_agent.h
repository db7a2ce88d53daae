// The `llm` agent (DESIGN.md §6): OptoPrime-style generative optimization of a policy through an
// OpenAI-compatible chat-completions endpoint, or the OPRO variant that keeps the whole history.
// It sees only what every agent sees (search::Problem: app metadata, the machine description,
// feedback) and starts from the empty policy (the runtime's defaults).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "search/agent.h"
#include "search/llm/chat_client.h"

namespace mapforge::search::llm {

enum class Variant { OptoPrime, Opro };
std::string_view to_string(Variant variant);  // "optoprime", "opro"
std::optional<Variant> parse_variant(std::string_view word);

inline constexpr std::string_view kDefaultBaseUrl = "https://api.openai.com/v1";

struct LlmSettings {
  ChatSettings chat;  // endpoint, model, key, timeouts, retries, temperature, reply cap
  Variant variant = Variant::OptoPrime;
  /// OptoPrime only: how many past (variables, feedback) pairs the prompt shows besides the
  /// latest feedback (Trace's default: 0). OPRO always shows them all.
  int memory_size = 0;
};

/// Fills what is still empty from the environment: base URL from OPENAI_BASE_URL (else
/// kDefaultBaseUrl), model from OPENAI_MODEL, key from OPENAI_API_KEY. Flags set before this
/// call win.
void apply_environment(LlmSettings& settings);

/// Why the settings cannot work (no model, a base URL that is not http(s)), nullopt when they
/// can. The text never contains the key.
std::optional<std::string> settings_problem(const LlmSettings& settings);

/// The agent. Iteration 0 proposes the empty policy without calling the endpoint; each later
/// proposal is one call that rewrites the best policy so far from the latest feedback. Endpoint
/// failures become Proposal::error (and the next prompt's feedback); a reply whose policy does
/// not check is still proposed, with the checker's diagnostics in its note. deterministic() is
/// false: on resume, adopt() takes the journalled proposals.
std::unique_ptr<search::Agent> make_llm_agent(const search::Problem& problem,
                                              const LlmSettings& settings);

}  // namespace mapforge::search::llm
