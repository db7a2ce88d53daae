// Lookups on a loaded Machine and the layout-penalty formula.
#include "machine/machine.h"

#include <algorithm>
#include <cassert>

namespace mapforge::machine {
namespace {

template <class Spec, class Pred>
const Spec* find_if_or_null(const std::vector<Spec>& specs, Pred pred) {
  auto it = std::find_if(specs.begin(), specs.end(), pred);
  return it == specs.end() ? nullptr : &*it;
}

}  // namespace

double ProcessorSpec::aos_penalty(int fields_read, int fields_total) const {
  assert(fields_read >= 1 && fields_read <= fields_total &&
         "aos_penalty: need 1 <= fields_read <= fields_total");
  const double ratio = static_cast<double>(fields_total) / static_cast<double>(fields_read);
  return 1.0 + aos_weight.value * (ratio - 1.0);
}

int Machine::processors_per_node(ProcKind kind) const {
  const ProcessorSpec* spec = processor(kind);
  return spec ? spec->per_node : 0;
}

int Machine::memories_per_node(MemKind kind) const {
  const MemorySpec* spec = memory(kind);
  return spec ? spec->per_node : 0;
}

const ProcessorSpec* Machine::processor(ProcKind kind) const {
  return find_if_or_null(processors, [kind](const ProcessorSpec& p) { return p.kind == kind; });
}

const MemorySpec* Machine::memory(MemKind kind) const {
  return find_if_or_null(memories, [kind](const MemorySpec& m) { return m.kind == kind; });
}

const Affinity* Machine::affinity(ProcKind proc, MemKind mem) const {
  return find_if_or_null(affinities,
                         [=](const Affinity& a) { return a.proc == proc && a.mem == mem; });
}

const Channel* Machine::channel(ChannelKind kind) const {
  return find_if_or_null(channels, [kind](const Channel& c) { return c.kind == kind; });
}

std::string LoadError::render() const {
  if (line > 0)
    return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
  if (!path.empty()) return file + ": " + path + ": " + message;
  return file + ": " + message;
}

std::string render_all(const std::vector<LoadError>& errors) {
  std::string text;
  for (const LoadError& error : errors) text += error.render() + "\n";
  return text;
}

}  // namespace mapforge::machine
