#include "search/llm/optoprime.h"

#include <cstdint>

namespace mapforge::search::llm {
namespace {

using nlohmann::json;

constexpr std::string_view kSeparator = "================================";

constexpr std::string_view kRepresentation =
    R"(You are optimizing a program by changing some of its variables. Each problem shows you what
to achieve, the code that uses the variables, documentation for what the code uses, and feedback
on the result of running it.

A problem has these parts:
- #Instruction: what you must achieve.
- #Code: the code that uses the variables.
- #Documentation: what the functions and the language used in #Code do. It may be incomplete;
  #Others can help you infer how things behave.
- #Variables: the variables you may change.
- #Constraints: what each variable in #Variables may hold.
- #Inputs: the other inputs of the code, which cannot change.
- #Others: intermediate values produced while the code ran.
- #Outputs: what the code produced.
- #Feedback: feedback on the outputs.

#Variables, #Inputs, #Others and #Outputs list one value per entry, written

(type) name=value

When the type is (code), the value is source text (here: statements of the mapping language that
#Documentation describes). To change such a value, write the whole new source text; keep the
variable's name.
)";

constexpr std::string_view kOutputFormat =
    R"(
Reply with one JSON object and nothing else, in this form:

{
"reasoning": <your reasoning>,
"answer": <your answer, if #Instruction asks for one>,
"suggestion": {
    <variable name>: <new value>,
    <variable name>: <new value>
}
}

In "reasoning", explain 1. what #Instruction asks for; 2. what #Feedback says about #Outputs and
what that means for #Variables, given how #Code uses them and what #Documentation, #Inputs and
#Others tell you; 3. the changes you suggest and the result you expect from them.

In "suggestion", give the complete new value of each variable you change, as a JSON string, and
leave out the variables you keep. Only variables in #Variables can change. A (code) value must be
whole, valid source text: no fragments, diffs or placeholders. A blank value is ignored; to empty a
variable, give a comment such as "# none".

If nothing should change, reply TERMINATE.
)";

constexpr std::string_view kOproFormat =
    R"(
Reply with one JSON object and nothing else, in this form:

{
"suggestion": {
    <variable name>: <new value>,
    <variable name>: <new value>
}
}

Give the complete new value of each variable you change, as a JSON string, and leave out the
variables you keep. A (code) value must be whole, valid source text: no fragments, diffs or
placeholders. A blank value is ignored; to empty a variable, give a comment such as "# none".

If nothing should change, reply TERMINATE.
)";

std::string render_values(const std::vector<NamedValue>& values) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += '\n';
    out += "(" + value.type + ") " + value.name + "=";
    // Multi-line values (code, JSON) start on a line of their own so their layout survives.
    if (value.value.find('\n') != std::string::npos || value.type == "code") out += '\n';
    out += value.value;
    if (!out.empty() && out.back() == '\n') out.pop_back();
  }
  return out;
}

std::string render_constraints(const std::vector<NamedValue>& values) {
  std::string out;
  for (const auto& value : values) {
    if (value.constraint.empty()) continue;
    if (!out.empty()) out += '\n';
    out += "(" + value.type + ") " + value.name + ": " + value.constraint;
  }
  return out;
}

std::string render_memory(const std::vector<MemoryEntry>& entries) {
  std::string out;
  for (const auto& entry : entries) {
    if (!out.empty()) out += '\n';
    out += entry.to_json().dump(4, ' ', false, json::error_handler_t::replace);
  }
  return out;
}

bool is_blank_text(std::string_view text) {
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

/// Reads a JSON-like string literal starting at text[at] == '"', tolerating raw newlines and
/// control characters inside it (the usual reason a reply is not valid JSON). Returns the
/// decoded value and moves `at` past the closing quote; nullopt when it is not closed.
std::optional<std::string> read_string(std::string_view text, std::size_t& at) {
  std::string out;
  std::size_t i = at + 1;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {
      at = i + 1;
      return out;
    }
    if (c != '\\' || i + 1 >= text.size()) {
      out.push_back(c);
      ++i;
      continue;
    }
    char e = text[i + 1];
    i += 2;
    switch (e) {
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'u': {
        std::uint32_t code = 0;
        std::size_t digits = 0;
        while (digits < 4 && i < text.size()) {
          char h = text[i];
          int v = h >= '0' && h <= '9'   ? h - '0'
                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                         : -1;
          if (v < 0) break;
          code = code * 16 + static_cast<std::uint32_t>(v);
          ++i;
          ++digits;
        }
        append_utf8(out, code);
        break;
      }
      default:
        out.push_back(e);  // \" \\ \/ and anything else literally
    }
  }
  return std::nullopt;
}

void skip_space(std::string_view text, std::size_t& at) {
  while (at < text.size() &&
         (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r'))
    ++at;
}

/// `"name": "value"` pairs of the object after "suggestion", read leniently.
std::map<std::string, std::string> suggestion_by_pattern(std::string_view text) {
  std::map<std::string, std::string> pairs;
  std::size_t key = text.find("\"suggestion\"");
  if (key == std::string_view::npos) return pairs;
  std::size_t at = key + 12;
  skip_space(text, at);
  if (at >= text.size() || text[at] != ':') return pairs;
  ++at;
  skip_space(text, at);
  if (at >= text.size() || text[at] != '{') return pairs;
  ++at;
  for (;;) {
    skip_space(text, at);
    if (at < text.size() && text[at] == ',') {
      ++at;
      continue;
    }
    if (at >= text.size() || text[at] != '"') return pairs;
    auto name = read_string(text, at);
    if (!name) return pairs;
    skip_space(text, at);
    if (at >= text.size() || text[at] != ':') return pairs;
    ++at;
    skip_space(text, at);
    if (at >= text.size() || text[at] != '"') return pairs;
    auto value = read_string(text, at);
    if (!value) return pairs;
    pairs[*name] = *value;
  }
}

std::string value_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {  // some models send code as a list of lines
    std::string out;
    for (const auto& line : value) {
      if (!line.is_string()) return value.dump();
      out += line.get<std::string>();
      out += '\n';
    }
    return out;
  }
  if (value.is_null()) return "";
  return value.dump();
}

/// Fills `reply` from a parsed JSON object; false when `object` is not an object.
bool read_object(const json& object, ParsedReply& reply) {
  if (!object.is_object()) return false;
  if (object.contains("reasoning")) reply.reasoning = value_text(object["reasoning"]);
  if (object.contains("answer")) reply.answer = value_text(object["answer"]);
  if (object.contains("suggestion") && object["suggestion"].is_object())
    for (const auto& [name, value] : object["suggestion"].items())
      reply.suggestion[name] = value_text(value);
  return true;
}

}  // namespace

std::string ProblemInstance::render() const {
  std::string out;
  auto section = [&](std::string_view title, const std::string& body) {
    out += "#";
    out += title;
    out += '\n';
    out += body;
    if (!body.empty() && body.back() != '\n') out += '\n';
    out += '\n';
  };
  section("Instruction", instruction);
  section("Code", code);
  section("Documentation", documentation);
  section("Variables", render_values(variables));
  section("Constraints", render_constraints(variables));
  section("Inputs", render_values(inputs));
  section("Others", render_values(others));
  section("Outputs", render_values(outputs));
  section("Feedback", feedback);
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

json MemoryEntry::to_json() const {
  json vars = json::object();
  for (const auto& [name, value] : variables) vars[name] = value;
  return json{{"variables", std::move(vars)}, {"feedback", feedback}};
}

Prompt optoprime_prompt(const ProblemInstance& problem, const std::vector<MemoryEntry>& memory) {
  Prompt prompt;
  prompt.system = std::string(kRepresentation) + std::string(kOutputFormat);
  prompt.user = "Now you see the problem instance:\n\n" + std::string(kSeparator) + "\n" +
                problem.render() + "\n" + std::string(kSeparator) + "\n\n";
  if (!memory.empty())
    prompt.user += "Below are variables and the feedback you received for them in the past.\n\n" +
                   render_memory(memory) + "\n\n";
  prompt.user += "Your response:\n";
  return prompt;
}

Prompt opro_prompt(std::string_view context, std::string_view instruction,
                   const std::vector<MemoryEntry>& history) {
  Prompt prompt;
  prompt.system =
      "You are optimizing the values of some variables, guided by the feedback that "
      "earlier values received.\n" +
      std::string(kOproFormat) + "\n" + std::string(context);
  if (!prompt.system.ends_with('\n')) prompt.system += '\n';
  prompt.user = "Below are some values of the variables and the feedback each received.\n\n" +
                render_memory(history) + "\n\n" + std::string(kSeparator) + "\n\n" +
                std::string(instruction) + "\n\nYour response:\n";
  return prompt;
}

ParsedReply parse_reply(std::string_view content) {
  ParsedReply reply;
  auto parse_json = [&](std::string_view text) {
    json object = json::parse(text, nullptr, false);
    return !object.is_discarded() && read_object(object, reply);
  };
  if (parse_json(content)) {
    reply.parsed_by = "json";
  } else {
    std::size_t open = content.find('{');
    std::size_t close = content.rfind('}');
    if (open != std::string_view::npos && close != std::string_view::npos && open < close &&
        parse_json(content.substr(open, close - open + 1))) {
      reply.parsed_by = "braces";
    } else {
      reply.suggestion = suggestion_by_pattern(content);
      if (!reply.suggestion.empty()) reply.parsed_by = "pattern";
    }
  }
  for (auto it = reply.suggestion.begin(); it != reply.suggestion.end();) {
    if (is_blank_text(it->second))
      it = reply.suggestion.erase(it);
    else
      ++it;
  }
  reply.terminate = reply.suggestion.empty() && content.find("TERMINATE") != std::string_view::npos;
  return reply;
}

}  // namespace mapforge::search::llm
