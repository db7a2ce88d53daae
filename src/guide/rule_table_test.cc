#include "guide/rule_table.h"

#include <gtest/gtest.h>

#include <set>

namespace mapforge::guide {
namespace {

TEST(RuleTable, BuiltinTableParses) {
  std::string error;
  auto rules = parse_rules(embedded_rules_json(), error);
  ASSERT_TRUE(rules) << error;
  EXPECT_EQ(rules->size(), builtin_rules().size());
  EXPECT_GE(rules->size(), 60u);
}

TEST(RuleTable, EveryRegexHasALiteralPrefilter) {
  for (const Rule& rule : builtin_rules()) {
    if (rule.event != Event::None) continue;
    EXPECT_FALSE(rule.keywords.empty()) << rule.id;
  }
}

TEST(RuleTable, EveryEventHasARule) {
  std::set<Event> events;
  for (const Rule& rule : builtin_rules()) events.insert(rule.event);
  for (Event event : {Event::Timeout, Event::Signal, Event::ExitStatus, Event::NoMetric})
    EXPECT_TRUE(events.contains(event));
}

TEST(RuleTable, EveryErrorRuleExplainsAndSuggests) {
  for (const Rule& rule : builtin_rules()) {
    EXPECT_FALSE(rule.explanation.empty()) << rule.id;
    EXPECT_FALSE(rule.suggestion.empty()) << rule.id;
  }
}

struct BadTable {
  const char* json;
  const char* error;
};

class RuleTableErrors : public testing::TestWithParam<BadTable> {};

TEST_P(RuleTableErrors, NamesTheRuleAndTheProblem) {
  std::string error;
  EXPECT_FALSE(parse_rules(GetParam().json, error));
  EXPECT_EQ(error, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    All, RuleTableErrors,
    testing::Values(
        BadTable{"[]", "the rule table must be a JSON object with a 'rules' array"},
        BadTable{R"x({"rules": [{"category": "crash", "keywords": ["x"]}]})x",
                 "rule 1: a rule needs an 'id'"},
        BadTable{R"x({"rules": [{"id": "a", "category": "bad", "keywords": ["x"]}]})x",
                 "rule 1 'a': unknown category 'bad'"},
        BadTable{R"x({"rules": [{"id": "a", "category": "crash"}]})x",
                 "rule 1 'a': a rule needs 'keywords' (the literal prefilter) or an 'event'"},
        BadTable{R"x({"rules": [{"id": "a", "category": "crash", "keywords": ["x"], "regex": "(a)(b)", "fields": ["a"]}]})x",
                 "rule 1 'a': the regex has 2 groups but 1 fields are named"},
        BadTable{R"x({"rules": [{"id": "a", "category": "crash", "keywords": ["x"], "regex": "(a"}]})x",
                 "rule 1 'a': bad regex: Mismatched '(' and ')' in regular expression"},
        BadTable{R"x({"rules": [{"id": "a", "category": "crash", "keywords": ["x"], "colour": 1}]})x",
                 "rule 1 'a': unknown key 'colour'"},
        BadTable{R"x({"rules": [{"id": "a", "category": "crash", "keywords": ["x"], "derive": ["magic"]}]})x",
                 "rule 1 'a': unknown derivation 'magic'"},
        BadTable{R"x({"rules": [{"id": "a", "category": "crash", "keywords": ["x"], "merge_into": ["b"]}]})x",
                 "rule 'a' refers to unknown rule 'b'"},
        BadTable{R"x({"rules": [{"id": "a", "category": "crash", "keywords": ["x"]}, {"id": "a", "category": "crash", "keywords": ["y"]}]})x",
                 "rule 'a' is defined twice"},
        BadTable{R"x({"rules": [{"id": "a", "category": "crash", "keywords": ["x"], "statements": ["a", ["b"]]}]})x",
                 "rule 1 'a': 'statements' must be an array of strings or an array of string arrays"}));

}  // namespace
}  // namespace mapforge::guide
