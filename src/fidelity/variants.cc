// The policy variants of the published comparisons, derived from a policy's text by removing
// statements (search::PolicyDoc keeps functions and globals only while a statement uses them).
#include <sstream>

#include "fidelity/fidelity.h"
#include "search/policy_doc.h"
#include "search/statements.h"

namespace mapforge::fidelity {
namespace {

/// The statement without its comment lines.
std::string code_of(std::string_view text) {
  std::string code;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#' || line.compare(first, 2, "//") == 0)
      continue;
    code += line + "\n";
  }
  return code;
}

/// `IndexTaskMap a,init_cublas,b f;` -> `IndexTaskMap init_cublas f;`; empty when the statement
/// does not name init_cublas.
std::string keep_init_cublas(const std::string& code) {
  std::istringstream words(code);
  std::string keyword, tasks, function;
  words >> keyword >> tasks >> function;
  std::string list = "," + tasks + ",";
  if (list.find(",init_cublas,") == std::string::npos) return {};
  return keyword + " init_cublas " + function + (function.ends_with(";") ? "" : ";");
}

bool lists_zero_copy(const std::string& code) {
  std::size_t at = code.find("ZCMEM");
  while (at != std::string::npos) {
    bool starts = at == 0 || !(std::isalnum(static_cast<unsigned char>(code[at - 1])) ||
                               code[at - 1] == '_');
    std::size_t after = at + 5;
    bool ends = after >= code.size() || !(std::isalnum(static_cast<unsigned char>(code[after])) ||
                                          code[after] == '_');
    if (starts && ends) return true;
    at = code.find("ZCMEM", after);
  }
  return false;
}

}  // namespace

std::string default_variant(std::string_view policy_text, bool drop_zero_copy) {
  search::PolicyDoc doc = search::PolicyDoc::parse(policy_text);
  std::vector<std::string> removed, added;
  for (const search::StatementText& item : doc.items()) {
    const std::string code = code_of(item.text);
    if (item.key.starts_with("IndexTaskMap") || item.key.starts_with("SingleTaskMap")) {
      removed.push_back(item.key);
      if (std::string kept = keep_init_cublas(code); !kept.empty()) added.push_back(kept);
    } else if (drop_zero_copy && item.key.starts_with("Region") && lists_zero_copy(code)) {
      removed.push_back(item.key);
    }
  }
  for (const std::string& key : removed) doc.remove(key);
  for (const std::string& statement : added) doc.set(statement);
  return doc.render();
}

PublishedRun published_run(std::string_view app, int nodes) {
  PublishedRun run;
  if (app == "cannon" || app == "summa" || app == "pumma")
    run.instance_limits = nodes == 8 || nodes == 32 || nodes == 128;
  return run;
}

std::string as_run(std::string_view policy_text, const PublishedRun& run) {
  if (run.instance_limits) return std::string(policy_text);
  search::PolicyDoc doc = search::PolicyDoc::parse(policy_text);
  std::vector<std::string> removed;
  for (const search::StatementText& item : doc.items())
    if (item.key.starts_with("InstanceLimit")) removed.push_back(item.key);
  for (const std::string& key : removed) doc.remove(key);
  return doc.render();
}

}  // namespace mapforge::fidelity
