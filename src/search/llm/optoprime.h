// The OptoPrime problem (Trace's generative optimizer, REFERENCE.md §6) for policies: the prompt
// that shows the variables to change with their context and feedback, and the reading of the
// reply. The OPRO variant shows every past (variables, feedback) pair and asks only for a new
// suggestion. The text is ours; the structure and the parsing behaviour follow OptoPrime.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mapforge::search::llm {

/// One line of #Variables, #Inputs, #Others or #Outputs: "(type) name=value".
struct NamedValue {
  std::string type;  // "code", "json", "text"
  std::string name;
  std::string value;
  std::string constraint;  // #Constraints line for a variable ("" for none)
};

/// The sections of one problem instance, filled in.
struct ProblemInstance {
  std::string instruction;
  std::string code;
  std::string documentation;
  std::vector<NamedValue> variables;
  std::vector<NamedValue> inputs;
  std::vector<NamedValue> others;
  std::vector<NamedValue> outputs;
  std::string feedback;

  /// "#Instruction\n...\n\n#Code\n...\n\n#Documentation ... #Feedback\n..."
  std::string render() const;
};

/// A past (variables, feedback) pair; `variables` maps each variable's name to its value.
struct MemoryEntry {
  std::map<std::string, std::string> variables;
  std::string feedback;
  nlohmann::json to_json() const;
};

struct Prompt {
  std::string system;
  std::string user;
};

/// OptoPrime: the system message explains the sections and the reply format; the user message
/// is the problem instance, then the memory (when not empty), then "Your response:".
Prompt optoprime_prompt(const ProblemInstance& problem, const std::vector<MemoryEntry>& memory);

/// OPRO: the system message gives the reply format (suggestion only) and `context` (what the
/// variables mean, the documentation and the fixed inputs); the user message shows every
/// (variables, feedback) pair of `history` and then `instruction`.
Prompt opro_prompt(std::string_view context, std::string_view instruction,
                   const std::vector<MemoryEntry>& history);

/// What a reply says.
struct ParsedReply {
  bool terminate = false;  // TERMINATE: nothing should change
  std::string reasoning;
  std::string answer;
  std::map<std::string, std::string> suggestion;  // variable name -> new value (blanks dropped)
  std::string parsed_by;  // "json", "braces" (outermost {...}), "pattern", "" (nothing found)
};

/// Reads a reply the way OptoPrime does: as JSON; else the text between the first '{' and the
/// last '}' as JSON; else `"name": "value"` pairs after "suggestion" by pattern. A suggestion
/// whose value is blank is dropped (a blank code value would erase a variable). A reply that
/// gives no suggestion and says TERMINATE (alone, or as its answer) terminates.
ParsedReply parse_reply(std::string_view content);

}  // namespace mapforge::search::llm
