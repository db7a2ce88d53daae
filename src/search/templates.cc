#include "search/templates.h"

#include <algorithm>
#include <cctype>

namespace mapforge::search {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string idx(std::string_view tuple, int i) {
  return std::string(tuple) + "[" + std::to_string(i) + "]";
}

/// Row-major linear index of the launch point: ((ip[0] * n[1] + ip[1]) * n[2] + ip[2]).
std::string linear_index(int dims) {
  std::string e = idx("ip", 0);
  for (int d = 1; d < dims; ++d) e = "(" + e + ") * " + idx("n", d) + " + " + idx("ip", d);
  if (dims > 1) {
    // Drop the redundant outer parentheses of the first product for readability.
    if (e.rfind("(ip[0])", 0) == 0) e = "ip[0]" + e.substr(7);
  }
  return e;
}

std::string header(const std::string& name) {
  return "def " + name + "(Task task) {\n    ip = task.ipoint;\n    n = task.ispace;\n";
}

std::string name_of(IndexTemplate t, dsl::ProcKind kind, int dims, int block) {
  std::string base(to_string(t));
  if (t == IndexTemplate::BlockCyclic) base += std::to_string(block);
  return base + "_" + lower(dsl::to_string(kind)) + "_" + std::to_string(dims) + "d";
}

}  // namespace

std::string_view to_string(IndexTemplate t) {
  switch (t) {
    case IndexTemplate::Block:
      return "block";
    case IndexTemplate::Cyclic:
      return "cyclic";
    case IndexTemplate::BlockCyclic:
      return "block_cyclic";
    case IndexTemplate::NodeBlock:
      return "node_block";
    case IndexTemplate::Tiles:
      return "tiles";
    case IndexTemplate::TilesBlock:
      return "tiles_block";
  }
  return "?";
}

std::vector<IndexTemplate> index_templates() {
  return {IndexTemplate::Block,     IndexTemplate::Cyclic, IndexTemplate::BlockCyclic,
          IndexTemplate::NodeBlock, IndexTemplate::Tiles,  IndexTemplate::TilesBlock};
}

std::string machine_global(dsl::ProcKind kind) { return "m_" + lower(dsl::to_string(kind)); }

MappingFunction index_function(IndexTemplate t, dsl::ProcKind kind, int dims, int block) {
  dims = std::max(1, dims);
  block = std::max(1, block);
  MappingFunction f;
  f.name = name_of(t, kind, dims, block);
  f.machine = machine_global(kind);
  f.assignment = f.machine + " = Machine(" + std::string(dsl::to_string(kind)) + ");";
  const std::string& m = f.machine;
  std::string body = header(f.name);
  std::string lin = linear_index(dims);
  switch (t) {
    case IndexTemplate::Block:
      body += "    g = (" + lin + ") * " + m + ".volume / n.volume;\n";
      body += "    return " + m + "[g / " + m + ".size[1], g % " + m + ".size[1]];\n";
      break;
    case IndexTemplate::Cyclic:
      body += "    g = (" + lin + ") % " + m + ".volume;\n";
      body += "    return " + m + "[g % " + m + ".size[0], g / " + m + ".size[0]];\n";
      break;
    case IndexTemplate::BlockCyclic:
      body += "    g = (" + lin + ") / " + std::to_string(block) + " % " + m + ".volume;\n";
      body += "    return " + m + "[g / " + m + ".size[1], g % " + m + ".size[1]];\n";
      break;
    case IndexTemplate::NodeBlock:
      body += "    g = " + lin + ";\n";
      body += "    return " + m + "[g * " + m + ".size[0] / n.volume, g % " + m + ".size[1]];\n";
      break;
    case IndexTemplate::Tiles:
    case IndexTemplate::TilesBlock: {
      // Split the nodes over the launch's dimensions, then each node's processors over what is
      // left of each dimension (DSL.md §4): m has dims (nodes_0..nodes_{d-1}, procs_0..).
      // Two names, not one reassigned: the reference implementation keeps a local's first value.
      body += "    mn = " + m + ".decompose(0, n);\n";
      body += "    m = mn.decompose(" + std::to_string(dims) + ", n / mn[:-1]);\n";
      std::string coords;
      for (int d = 0; d < dims; ++d) {
        std::string outer = "m.size[" + std::to_string(d) + "]";
        std::string inner = "m.size[" + std::to_string(dims + d) + "]";
        if (t == IndexTemplate::Tiles) {
          coords += (d ? ", " : "") + idx("ip", d) + " * " + outer + " / " + idx("n", d);
        } else {
          body += "    t" + std::to_string(d) + " = " + idx("ip", d) + " * " + outer + " * " +
                  inner + " / " + idx("n", d) + ";\n";
          coords += (d ? ", t" : "t") + std::to_string(d) + " / " + inner;
        }
      }
      for (int d = 0; d < dims; ++d) {
        std::string inner = "m.size[" + std::to_string(dims + d) + "]";
        if (t == IndexTemplate::Tiles)
          coords += ", " + idx("ip", d) + " % " + inner;
        else
          coords += ", t" + std::to_string(d) + " % " + inner;
      }
      body += "    return m[" + coords + "];\n";
      break;
    }
  }
  f.definition = body + "}";
  return f;
}

MappingFunction same_as_parent(dsl::ProcKind kind) {
  MappingFunction f;
  f.machine = machine_global(kind);
  f.name = "same_as_parent_" + lower(dsl::to_string(kind));
  f.assignment = f.machine + " = Machine(" + std::string(dsl::to_string(kind)) + ");";
  f.definition = "def " + f.name + "(Task task) {\n    return " + f.machine +
                 "[*task.parent.processor(" + f.machine + ")];\n}";
  return f;
}

}  // namespace mapforge::search
