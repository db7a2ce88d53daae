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

/// `IndexTaskMap a,init_cublas,b f;` -> `IndexTaskMap init_cublas f;`: the statement for the
/// kept tasks it names; empty when it names none.
std::string keep_only(const std::string& code, const std::vector<std::string>& kept) {
  std::istringstream words(code);
  std::string keyword, tasks, function;
  words >> keyword >> tasks >> function;
  std::string list = "," + tasks + ",", names;
  for (const std::string& task : kept)
    if (list.find("," + task + ",") != std::string::npos)
      names += (names.empty() ? "" : ",") + task;
  if (names.empty()) return {};
  return keyword + " " + names + " " + function + (function.ends_with(";") ? "" : ";");
}

bool lists_zero_copy(const std::string& code) {
  std::size_t at = code.find("ZCMEM");
  while (at != std::string::npos) {
    bool starts =
        at == 0 || !(std::isalnum(static_cast<unsigned char>(code[at - 1])) || code[at - 1] == '_');
    std::size_t after = at + 5;
    bool ends = after >= code.size() ||
                !(std::isalnum(static_cast<unsigned char>(code[after])) || code[after] == '_');
    if (starts && ends) return true;
    at = code.find("ZCMEM", after);
  }
  return false;
}

/// Removes every statement whose key `drop` accepts (keys are collected first: removing
/// changes the items).
template <class Drop>
void remove_where(search::PolicyDoc& doc, Drop drop) {
  std::vector<std::string> keys;
  for (const search::StatementText& item : doc.items())
    if (drop(item)) keys.push_back(item.key);
  for (const std::string& key : keys) doc.remove(key);
}

}  // namespace

std::string default_variant(std::string_view policy_text, bool drop_zero_copy,
                            const std::vector<std::string>& kept) {
  search::PolicyDoc doc = search::PolicyDoc::parse(policy_text);
  std::vector<std::string> added;
  remove_where(doc, [&](const search::StatementText& item) {
    const std::string code = code_of(item.text);
    if (item.key.starts_with("IndexTaskMap") || item.key.starts_with("SingleTaskMap")) {
      if (std::string kept_part = keep_only(code, kept); !kept_part.empty())
        added.push_back(kept_part);
      return true;
    }
    return drop_zero_copy && item.key.starts_with("Region") && lists_zero_copy(code);
  });
  for (const std::string& statement : added) doc.set(statement);
  return doc.render();
}

std::string stencil_decompose_policy(std::string_view stencil_expert, std::int64_t ntx,
                                     std::int64_t nty) {
  search::PolicyDoc doc = search::PolicyDoc::parse(stencil_expert);
  doc.set("NTX = " + std::to_string(ntx) + ";\nNTY = " + std::to_string(nty) +
          ";\n"
          "def tiles_decompose(Task task) {\n"
          "    tile = (task.ipoint[0] % NTX, task.ipoint[0] / NTX);\n"
          "    grid = (NTX, NTY);\n"
          "    m_3d = mgpu.decompose(0, grid);\n"
          "    m_4d = m_3d.decompose(2, grid / m_3d[:-1]);\n"
          "    upper = tuple(tile[i] * m_4d.size[i] / grid[i] for i in (0, 1));\n"
          "    lower = tuple(tile[i] % m_4d.size[i + 2] for i in (0, 1));\n"
          "    return m_4d[*upper, *lower];\n"
          "}\n"
          "IndexTaskMap stencil,increment tiles_decompose;\n");
  return doc.render();
}

PublishedRun published_run(std::string_view app, int nodes) {
  PublishedRun run;
  if (app == "cannon" || app == "summa" || app == "pumma")
    run.instance_limits = nodes == 8 || nodes == 32 || nodes == 128;
  if (app == "johnson") run.ranks_per_node = 4;
  if (app == "johnson" || app == "cosma") run.kept_maps.push_back("task_4");
  return run;
}

machine::Machine rank_machine(const machine::Machine& base, int nodes, int ranks) {
  machine::Machine m = base;
  if (ranks <= 1) {
    m.nodes = nodes;
    return m;
  }
  // Lassen's two EDR rails, each driven by the ranks of one socket.
  constexpr double kRails = 2;
  m.nodes = nodes * ranks;
  m.processes_per_host = ranks;
  m.name = base.name + " (" + std::to_string(ranks) + " ranks per node)";
  std::erase_if(m.processors,
                [](const machine::ProcessorSpec& p) { return p.kind == machine::ProcKind::OMP; });
  std::erase_if(m.affinities,
                [](const machine::Affinity& a) { return a.proc == machine::ProcKind::OMP; });
  for (machine::ProcessorSpec& p : m.processors) {
    if (p.kind == machine::ProcKind::GPU) p.per_node = std::max(1, p.per_node / ranks);
    if (p.kind == machine::ProcKind::CPU) p.per_node = 1;
  }
  for (machine::MemorySpec& mem : m.memories) {
    if (mem.kind == machine::MemKind::FBMEM) mem.per_node = std::max(1, mem.per_node / ranks);
    if (mem.kind == machine::MemKind::SOCKMEM) mem.per_node = 1;
    if (mem.kind == machine::MemKind::SYSMEM)
      mem.capacity_bytes = {37.5e9, "the published runs' -ll:csize 37500 (MB) per rank"};
  }
  for (machine::Channel& c : m.channels)
    if (c.kind == machine::ChannelKind::Network)
      c.bandwidth_Bps = {c.bandwidth_Bps.value * kRails / ranks,
                         "a share of the node's two rails: " + std::to_string(ranks) +
                             " ranks per node, " + c.bandwidth_Bps.source};
  return m;
}

std::string as_run(std::string_view policy_text, const PublishedRun& run) {
  if (run.instance_limits) return std::string(policy_text);
  search::PolicyDoc doc = search::PolicyDoc::parse(policy_text);
  remove_where(
      doc, [](const search::StatementText& item) { return item.key.starts_with("InstanceLimit"); });
  return doc.render();
}

}  // namespace mapforge::fidelity
