// Layout statements as Legion layout constraints.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/dsl.h"
#include "legion.h"

namespace mapforge::legion {

/// What a Layout statement (or its absence) asks of one instance.
struct InstanceLayout {
  bool aos = false;      // SOA (field dimension last) unless AOS
  bool c_order = false;  // Legion's default order is Fortran (first dimension fastest)
  bool compact = false;
  bool exact = false;
  std::optional<std::size_t> alignment;  // bytes, for every field
  std::vector<std::string> ignored;      // constraints Legion cannot enforce, for the trace
  std::string text;                      // "SOA C_order Align==128", for the trace
};

/// Resolves a statement's constraint words (nullopt: the policy is silent, Legion's default).
/// `Align == N` and `Align >= N` align to N, `Align > N` to the next power of two above N;
/// `<`, `<=` and `!=` bound the alignment from above, which Legion's instance layout cannot
/// express, and are recorded in `ignored`.
InstanceLayout resolve_layout(const std::optional<std::vector<dsl::LayoutConstraint>>& words);

/// The Legion constraints for an instance of `fields` of a `dims`-dimensional region in a
/// memory of `memory_kind`; `redop` nonzero makes a reduction instance.
Legion::LayoutConstraintSet make_constraints(const InstanceLayout& layout, int dims,
                                             Legion::Memory::Kind memory_kind,
                                             const std::vector<Legion::FieldID>& fields,
                                             Legion::ReductionOpID redop);

}  // namespace mapforge::legion
