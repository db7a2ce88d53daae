// Cross-entry checks of a machine file. Each check is one function; all report into the Reader.
#include "machine/validate.h"

#include <array>
#include <optional>
#include <string>

namespace mapforge::machine::detail {
namespace {

/// Reports later entries whose key repeats an earlier one. Keys are small enums, so `first` is a
/// table indexed by key rather than a search (files may hold many entries).
template <std::size_t N, class Spec, class KeyOf, class Describe>
void report_duplicates(Reader& reader, const std::vector<Spec>& specs, const std::string& list,
                       const std::string& field, KeyOf key_of, Describe describe_key) {
  std::array<std::optional<std::size_t>, N> first{};
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const std::size_t key = key_of(specs[i]);
    if (!first[key]) {
      first[key] = i;
      continue;
    }
    const std::string entry = child(list, i);
    reader.error(
        field.empty() ? entry : child(entry, field),
        "duplicate " + describe_key(specs[i]) + " (first at " + child(list, *first[key]) + ")");
  }
}

void check_duplicates(const Machine& m, Reader& reader) {
  report_duplicates<kNumProcKinds>(
      reader, m.processors, "/processors", "kind",
      [](const ProcessorSpec& p) { return static_cast<std::size_t>(p.kind); },
      [](const ProcessorSpec& p) { return "processor kind " + std::string(to_string(p.kind)); });
  report_duplicates<kNumMemKinds>(
      reader, m.memories, "/memories", "kind",
      [](const MemorySpec& s) { return static_cast<std::size_t>(s.kind); },
      [](const MemorySpec& s) { return "memory kind " + std::string(to_string(s.kind)); });
  report_duplicates<kNumProcKinds * kNumMemKinds>(
      reader, m.affinities, "/affinities", "",
      [](const Affinity& a) {
        return static_cast<std::size_t>(a.proc) * kNumMemKinds + static_cast<std::size_t>(a.mem);
      },
      [](const Affinity& a) {
        return "affinity " + std::string(to_string(a.proc)) + " to " +
               std::string(to_string(a.mem));
      });
  report_duplicates<kNumChannelKinds>(
      reader, m.channels, "/channels", "kind",
      [](const Channel& c) { return static_cast<std::size_t>(c.kind); },
      [](const Channel& c) { return "channel kind " + std::string(to_string(c.kind)); });
}

bool is_one_per_node(MemKind kind) {
  return kind == MemKind::SYSMEM || kind == MemKind::ZCMEM || kind == MemKind::RDMEM;
}

void check_memory_counts(const Machine& m, Reader& reader) {
  const int gpus = m.processors_per_node(ProcKind::GPU);
  for (std::size_t i = 0; i < m.memories.size(); ++i) {
    const MemorySpec& mem = m.memories[i];
    const std::string path = child("/memories", i);
    if (is_one_per_node(mem.kind) && mem.per_node != 1) {
      reader.error(child(path, "per_node"), "expected 1 (one " + std::string(to_string(mem.kind)) +
                                                " per node), got " + std::to_string(mem.per_node));
    }
    if (mem.kind != MemKind::FBMEM) continue;
    if (gpus == 0) {
      reader.error(child(path, "kind"),
                   "FBMEM without GPU processors; add GPU to /processors "
                   "or remove this memory");
    } else if (mem.per_node != gpus) {
      reader.error(child(path, "per_node"), "expected " + std::to_string(gpus) +
                                                " (one FBMEM per GPU), got " +
                                                std::to_string(mem.per_node));
    }
  }
  if (gpus > 0 && !m.memory(MemKind::FBMEM)) {
    reader.error("/memories",
                 std::to_string(gpus) + " GPU per node but no FBMEM; add one FBMEM per GPU");
  }
}

std::string reach_text(ProcKind proc) {
  if (proc == ProcKind::GPU) return "a GPU reaches FBMEM and ZCMEM only";
  return "a " + std::string(to_string(proc)) +
         " processor reaches host memories only (SYSMEM, SOCKMEM, ZCMEM, RDMEM)";
}

void check_affinities(const Machine& m, Reader& reader) {
  for (std::size_t i = 0; i < m.affinities.size(); ++i) {
    const Affinity& a = m.affinities[i];
    const std::string path = child("/affinities", i);
    if (!m.processor(a.proc)) {
      reader.error(child(path, "proc"),
                   "no " + std::string(to_string(a.proc)) + " processors in /processors");
    }
    if (!m.memory(a.mem)) {
      reader.error(child(path, "mem"),
                   "no " + std::string(to_string(a.mem)) + " memory in /memories");
    }
    if (!can_access(a.proc, a.mem)) {
      reader.error(path, std::string(to_string(a.proc)) + " cannot access " +
                             std::string(to_string(a.mem)) + " directly; " + reach_text(a.proc));
    }
  }
  for (std::size_t i = 0; i < m.processors.size(); ++i) {
    const ProcKind kind = m.processors[i].kind;
    bool reaches_some = false;
    for (const Affinity& a : m.affinities) reaches_some = reaches_some || a.proc == kind;
    if (!reaches_some) {
      reader.error(child("/processors", i), std::string(to_string(kind)) +
                                                " has no affinity to any memory; add one to "
                                                "/affinities");
    }
  }
}

/// Why a channel kind must be present, or nullopt when it is optional on this machine.
std::optional<std::string> channel_need(const Machine& m, ChannelKind kind) {
  const int gpus = m.processors_per_node(ProcKind::GPU);
  switch (kind) {
    case ChannelKind::HostToHost:
      return "needed on every machine";
    case ChannelKind::IntraFB:
    case ChannelKind::HostToFB:
    case ChannelKind::FBToHost:
    case ChannelKind::PageableToFB:
    case ChannelKind::FBToPageable:
      if (gpus > 0) return "needed with GPUs";
      return std::nullopt;
    case ChannelKind::FBToFB:
      if (gpus > 1) return "needed with " + std::to_string(gpus) + " GPUs per node";
      if (gpus > 0 && m.processes_per_host > 1)
        return "needed with " + std::to_string(m.processes_per_host) + " processes per host";
      return std::nullopt;
    case ChannelKind::Network:
      if (m.nodes > 1) return "needed with " + std::to_string(m.nodes) + " nodes";
      return std::nullopt;
  }
  return std::nullopt;
}

void check_channels(const Machine& m, Reader& reader) {
  for (ChannelKind kind : kAllChannelKinds) {
    if (m.channel(kind)) continue;
    if (std::optional<std::string> need = channel_need(m, kind)) {
      reader.error("/channels",
                   "missing " + std::string(to_string(kind)) + " channel (" + *need + ")");
    }
  }
}

}  // namespace

void validate(const Machine& machine, Reader& reader) {
  if (machine.nodes % machine.processes_per_host != 0)
    reader.error("/processes_per_host", "expected a divisor of nodes (" +
                                            std::to_string(machine.nodes) + "), got " +
                                            std::to_string(machine.processes_per_host));
  check_duplicates(machine, reader);
  check_memory_counts(machine, reader);
  check_affinities(machine, reader);
  check_channels(machine, reader);
}

}  // namespace mapforge::machine::detail
