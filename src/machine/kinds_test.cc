#include <gtest/gtest.h>

#include "machine/machine.h"

namespace mapforge::machine {
namespace {

TEST(KindsTest, NamesRoundTrip) {
  for (ProcKind kind : kAllProcKinds) EXPECT_EQ(parse_proc_kind(to_string(kind)), kind);
  for (MemKind kind : kAllMemKinds) EXPECT_EQ(parse_mem_kind(to_string(kind)), kind);
  for (KernelClass kind : kAllKernelClasses) EXPECT_EQ(parse_kernel_class(to_string(kind)), kind);
  for (ChannelKind kind : kAllChannelKinds) EXPECT_EQ(parse_channel_kind(to_string(kind)), kind);
}

TEST(KindsTest, SpellingsAreExact) {
  EXPECT_EQ(to_string(ProcKind::PROC), "PROC");
  EXPECT_EQ(to_string(MemKind::SOCKMEM), "SOCKMEM");
  EXPECT_EQ(to_string(KernelClass::Irregular), "Irregular");
  EXPECT_EQ(to_string(ChannelKind::FBToPageable), "FBToPageable");
  EXPECT_EQ(parse_proc_kind("gpu"), std::nullopt);
  EXPECT_EQ(parse_mem_kind(""), std::nullopt);
  EXPECT_EQ(parse_kernel_class("dense"), std::nullopt);
  EXPECT_EQ(parse_channel_kind("Network "), std::nullopt);
}

TEST(KindsTest, AccessRules) {
  EXPECT_TRUE(can_access(ProcKind::GPU, MemKind::FBMEM));
  EXPECT_TRUE(can_access(ProcKind::GPU, MemKind::ZCMEM));
  EXPECT_FALSE(can_access(ProcKind::GPU, MemKind::SYSMEM));
  EXPECT_FALSE(can_access(ProcKind::GPU, MemKind::SOCKMEM));
  for (ProcKind proc : {ProcKind::CPU, ProcKind::OMP, ProcKind::IO, ProcKind::PY, ProcKind::PROC}) {
    EXPECT_FALSE(can_access(proc, MemKind::FBMEM));
    EXPECT_FALSE(can_access(proc, MemKind::VIRTUAL));
    for (MemKind mem : {MemKind::SYSMEM, MemKind::SOCKMEM, MemKind::ZCMEM, MemKind::RDMEM}) {
      EXPECT_TRUE(can_access(proc, mem));
    }
  }
}

}  // namespace
}  // namespace mapforge::machine
