// Names of the kind enumerations: one table per enumeration, indexed by the enumerator.
#include "machine/machine.h"

#include <cstddef>

namespace mapforge::machine {
namespace {

constexpr std::array<std::string_view, kNumProcKinds> kProcNames = {"CPU", "GPU", "OMP",
                                                                    "IO",  "PY",  "PROC"};
constexpr std::array<std::string_view, kNumMemKinds> kMemNames = {"SYSMEM", "FBMEM",   "ZCMEM",
                                                                  "RDMEM",  "SOCKMEM", "VIRTUAL"};
constexpr std::array<std::string_view, kNumKernelClasses> kKernelNames = {"Dense", "Streaming",
                                                                          "Irregular"};
constexpr std::array<std::string_view, kNumChannelKinds> kChannelNames = {
    "IntraFB",      "FBToFB",       "HostToFB",   "FBToHost",
    "PageableToFB", "FBToPageable", "HostToHost", "Network"};

template <class Kind, std::size_t N>
std::optional<Kind> parse_in(const std::array<std::string_view, N>& names, std::string_view word) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == word) return static_cast<Kind>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ProcKind kind) { return kProcNames[static_cast<std::size_t>(kind)]; }
std::string_view to_string(MemKind kind) { return kMemNames[static_cast<std::size_t>(kind)]; }
std::string_view to_string(KernelClass kind) {
  return kKernelNames[static_cast<std::size_t>(kind)];
}
std::string_view to_string(ChannelKind kind) {
  return kChannelNames[static_cast<std::size_t>(kind)];
}

std::optional<ProcKind> parse_proc_kind(std::string_view word) {
  return parse_in<ProcKind>(kProcNames, word);
}
std::optional<MemKind> parse_mem_kind(std::string_view word) {
  return parse_in<MemKind>(kMemNames, word);
}
std::optional<KernelClass> parse_kernel_class(std::string_view word) {
  return parse_in<KernelClass>(kKernelNames, word);
}
std::optional<ChannelKind> parse_channel_kind(std::string_view word) {
  return parse_in<ChannelKind>(kChannelNames, word);
}

bool is_host_memory(MemKind kind) {
  switch (kind) {
    case MemKind::SYSMEM:
    case MemKind::SOCKMEM:
    case MemKind::ZCMEM:
    case MemKind::RDMEM:
      return true;
    case MemKind::FBMEM:
    case MemKind::VIRTUAL:
      return false;
  }
  return false;
}

bool can_access(ProcKind proc, MemKind mem) {
  if (proc == ProcKind::GPU) return mem == MemKind::FBMEM || mem == MemKind::ZCMEM;
  return is_host_memory(mem);
}

}  // namespace mapforge::machine
