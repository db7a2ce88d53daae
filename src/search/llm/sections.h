// A policy file cut into the six decisions an optimizer edits (REFERENCE.md §1), and put back
// together. The LLM agent shows each decision as one variable and substitutes the ones it is
// given back.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mapforge::search::llm {

enum class Section {
  TaskPlacement,  // Task, ControlReplicate
  RegionMemory,   // Region, CollectMemory
  Layout,         // Layout
  InstanceLimit,  // InstanceLimit
  IndexTaskMap,   // IndexTaskMap, and every def, global assignment and top-level print
  SingleTaskMap,  // SingleTaskMap
};
inline constexpr int kNumSections = 6;
inline constexpr std::array<Section, kNumSections> kAllSections = {
    Section::TaskPlacement, Section::RegionMemory, Section::Layout,
    Section::InstanceLimit, Section::IndexTaskMap, Section::SingleTaskMap};

/// The variable name of a section in prompts: "task_placement", "region_memory", "layout",
/// "instance_limit", "index_task_map", "single_task_map".
std::string_view section_name(Section section);
std::optional<Section> parse_section_name(std::string_view name);
/// What a section may hold, in one sentence (the prompt's #Constraints).
std::string_view section_constraint(Section section);

/// The text of each section, in kAllSections order. Each non-empty text ends with a newline.
using Sections = std::array<std::string, kNumSections>;

/// One top-level item of a policy: a statement or function with the comments that belong to it
/// (own-line comments before it, a comment after it on its last line).
struct PolicyItem {
  Section section = Section::IndexTaskMap;
  std::string keyword;  // "Task", "def", "=" (assignment), "print", "" (not recognised)
  std::string text;     // verbatim, comments included, without a final newline
};

/// Cuts a policy into its top-level items, in source order. Never fails: the scanner respects
/// `#` and `//` comments, strings and braces; a statement ends at `;` at brace depth 0, a `def`
/// at the brace that closes its body. Text it cannot classify (broken syntax) is kept, as its
/// own item, with the definitions (Section::IndexTaskMap).
std::vector<PolicyItem> scan_items(std::string_view policy);

/// Each item goes to its section, in source order. Comments after the last item stay with it;
/// a file of comments only goes to TaskPlacement.
Sections split_sections(std::string_view policy);

/// The sections in kAllSections order, separated by blank lines. Definitions live in
/// IndexTaskMap, which comes before SingleTaskMap, so every function is defined before a
/// statement names it; no other statement uses definitions. join(split(x)) means what x means:
/// statements of one kind keep their order, definitions keep theirs.
std::string join_sections(const Sections& sections);

}  // namespace mapforge::search::llm
