// A policy as a set of decisions that agents edit: statements keyed by the decision they make
// (a new statement replaces the one with the same key), functions and globals kept while used.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "search/statements.h"

namespace mapforge::search {

class PolicyDoc {
 public:
  PolicyDoc() = default;
  static PolicyDoc parse(std::string_view text);

  /// Adds the statements of `text` (one or several, defs included), each replacing the statement
  /// with its key.
  void set(std::string_view text);
  /// Removes the statement with this key; false when there is none.
  bool remove(std::string_view key);
  bool has(std::string_view key) const;
  const std::vector<StatementText>& items() const { return items_; }

  /// The policy text in a fixed order: Task, ControlReplicate, Region, Layout, InstanceLimit,
  /// CollectMemory, globals, functions, IndexTaskMap, SingleTaskMap. Functions and globals no
  /// statement uses (directly or through another function) are left out.
  std::string render() const;

 private:
  std::vector<StatementText> items_;
};

}  // namespace mapforge::search
