#include <gtest/gtest.h>

#include "search/search.h"

namespace mapforge::search {
namespace {

TEST(Statements, SplitsStatementsDefsAndComments) {
  auto items = split_statements(
      "# head\nTask * GPU;  // trailing\nRegion t r GPU FBMEM; m = Machine(GPU);\n"
      "def f(Task task) {\n  x = \"}\";  # brace in a string\n  return m[0, 0];\n}\n"
      "IndexTaskMap a, b f;\n# tail comment\n");
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].key, "Task *");
  EXPECT_EQ(items[0].text, "# head\nTask * GPU;");
  EXPECT_EQ(items[1].key, "Region t r GPU");
  EXPECT_EQ(items[2].key, "= m");
  EXPECT_EQ(items[3].key, "def f");
  EXPECT_EQ(items[4].key, "IndexTaskMap a,b");
}

TEST(Statements, KeysSayWhichDecision) {
  EXPECT_EQ(statement_key("Layout * * * SOA C_order;"), "Layout * * *");
  EXPECT_EQ(statement_key("InstanceLimit t 2;"), "InstanceLimit t");
  EXPECT_EQ(statement_key("InstanceLimit t GPU 2;"), "InstanceLimit t GPU");
  EXPECT_EQ(statement_key("CollectMemory t *;"), "CollectMemory t *");
  EXPECT_EQ(statement_key("ControlReplicate a,b;"), "ControlReplicate");
  EXPECT_EQ(statement_key("x == 1;"), "");
}

TEST(Statements, TruncatedInputNeverThrows) {
  // Found by fuzz/llm_fuzz: a reply cut right after `def`.
  EXPECT_EQ(statement_key("def"), "def ");
  auto items = split_statements("Task * GPU;\ndef");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].key, "def ");
  for (std::string text : {"def", "def(", "def f", "Region", "Region * ", "InstanceLimit", ";", "}",
                           "{", "\"", "#", "//", "x ="})
    EXPECT_NO_THROW(PolicyDoc::parse(text).render()) << text;
}

TEST(PolicyDoc, LaterStatementReplacesTheSameDecision) {
  PolicyDoc doc = PolicyDoc::parse("Region * r GPU FBMEM;\nTask * GPU;\n");
  doc.set("Region * r GPU ZCMEM;");
  EXPECT_EQ(doc.render(), "Task * GPU;\nRegion * r GPU ZCMEM;\n");
}

TEST(PolicyDoc, UnusedFunctionsAndGlobalsAreDropped) {
  PolicyDoc doc;
  doc.set("m = Machine(GPU);\ndef f(Task task) { return m[0, 0]; }\nIndexTaskMap t f;");
  doc.set("k = Machine(CPU);\ndef g(Task task) { return k[0, 0]; }\n");
  std::string text = doc.render();
  EXPECT_NE(text.find("def f"), std::string::npos);
  EXPECT_EQ(text.find("def g"), std::string::npos);
  EXPECT_EQ(text.find("k = Machine"), std::string::npos);
  EXPECT_TRUE(doc.remove("IndexTaskMap t"));
  EXPECT_EQ(doc.render(), "");
}

}  // namespace
}  // namespace mapforge::search
