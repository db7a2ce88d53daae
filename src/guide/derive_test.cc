#include "guide/derive.h"

#include <gtest/gtest.h>

namespace mapforge::guide {
namespace {

TEST(Expand, FillsFieldsAlternativesAndLiterals) {
  Fields fields = {{"task", "calc"}, {"requirement", "2"}, {"empty", ""}};
  EXPECT_EQ(expand("Region {task} {region|requirement} GPU ZCMEM;", fields),
            "Region calc 2 GPU ZCMEM;");
  EXPECT_EQ(expand("Layout {task} {region|=*} * SOA;", fields), "Layout calc * * SOA;");
  EXPECT_EQ(expand("{empty|=x}", fields), "x");
  EXPECT_EQ(expand("Region {task} {region} GPU;", fields), std::nullopt);
  EXPECT_EQ(expand_lenient("task {task}, region {region|requirement2}", fields),
            "task calc, region <region>");
  EXPECT_EQ(expand("no placeholders { here", fields), "no placeholders { here");
}

TEST(Derive, WrapIndexWrapsTheDimensionNamedByTheError) {
  Fields fields = {{"source", "  return mgpu[0, ip[0] + 1];"}, {"col", "14"}, {"dimension", "1"}};
  derive("wrap_index", fields);
  EXPECT_EQ(fields["fixed_source"], "return mgpu[0, (ip[0] + 1) % mgpu.size[1]];");
  Fields node = {{"source", "return m[ip[0] + 5, 0];"}, {"col", "9"}, {"dimension", "0"}};
  derive("wrap_index", node);
  EXPECT_EQ(node["fixed_source"], "return m[(ip[0] + 5) % m.size[0], 0];");
  Fields simple = {{"source", "return m[i, j];"}, {"col", "9"}, {"dimension", "1"}};
  derive("wrap_index", simple);
  EXPECT_EQ(simple["fixed_source"], "return m[i, j % m.size[1]];");
}

TEST(Derive, WrapIndexLeavesWhatItCannotRead) {
  Fields fields = {{"source", "x = 1;"}, {"col", "3"}, {"dimension", "0"}};
  derive("wrap_index", fields);
  EXPECT_FALSE(fields.contains("fixed_source"));
  Fields out_of_range = {{"source", "return m[0];"}, {"col", "9"}, {"dimension", "3"}};
  derive("wrap_index", out_of_range);
  EXPECT_FALSE(out_of_range.contains("fixed_source"));
}

TEST(Derive, OtherFixes) {
  Fields colon = {{"source", "def f(Task task):"}};
  derive("brace_body", colon);
  EXPECT_EQ(colon["fixed_source"], "def f(Task task) {");
  Fields machine = {{"name", "mGpu"}};
  derive("machine_kind", machine);
  EXPECT_EQ(machine["kind"], "GPU");
  Fields kinds = {{"proc_kind", "GPU"}};
  derive("other_kinds", kinds);
  EXPECT_EQ(kinds["other_kinds"], "OMP,CPU");
  Fields limit = {{"source", "InstanceLimit calc 0;"}, {"limit", "0"}};
  derive("instance_limit_one", limit);
  EXPECT_EQ(limit["fixed_source"], "InstanceLimit calc 1;");
  Fields layout = {{"source", "Layout * * * SOA AOS;"}, {"first", "SOA"}, {"second", "AOS"}};
  derive("drop_conflict", layout);
  EXPECT_EQ(layout["keep_first"], "Layout * * * SOA;");
  EXPECT_EQ(layout["keep_second"], "Layout * * * AOS;");
  Fields kind = {{"source", "Task calc XPU;"}, {"bad", "XPU"}, {"did_you_mean", "CPU"}};
  derive("replace_bad", kind);
  EXPECT_EQ(kind["fixed_source"], "Task calc CPU;");
}

}  // namespace
}  // namespace mapforge::guide
