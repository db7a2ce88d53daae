#include "legion/layout.h"

namespace mapforge::legion {
namespace {

std::size_t next_power_of_two_above(std::int64_t bytes) {
  std::size_t power = 1;
  while (static_cast<std::int64_t>(power) <= bytes) power <<= 1;
  return power;
}

std::size_t power_of_two_at_least(std::int64_t bytes) {
  std::size_t power = 1;
  while (static_cast<std::int64_t>(power) < bytes) power <<= 1;
  return power;
}

}  // namespace

InstanceLayout resolve_layout(const std::optional<std::vector<dsl::LayoutConstraint>>& words) {
  InstanceLayout layout;
  if (!words) return layout;
  using Kind = dsl::LayoutConstraint::Kind;
  using Cmp = dsl::LayoutConstraint::Cmp;
  for (const dsl::LayoutConstraint& word : *words) {
    layout.text += (layout.text.empty() ? "" : " ") + word.word();
    switch (word.kind) {
      case Kind::SOA:
        layout.aos = false;
        break;
      case Kind::AOS:
        layout.aos = true;
        break;
      case Kind::C_order:
        layout.c_order = true;
        break;
      case Kind::F_order:
        layout.c_order = false;
        break;
      case Kind::Compact:
        layout.compact = true;
        break;
      case Kind::Exact:
        layout.exact = true;
        break;
      case Kind::NoAlign:  // no alignment constraint: the default
        break;
      case Kind::Align:
        // Realm aligns to powers of two; a field aligned to 2^k also satisfies `>= 2^k`.
        if (word.cmp == Cmp::EQ || word.cmp == Cmp::GE)
          layout.alignment = power_of_two_at_least(word.bytes);
        else if (word.cmp == Cmp::GT)
          layout.alignment = next_power_of_two_above(word.bytes);
        else
          layout.ignored.push_back(word.word());
        break;
    }
  }
  return layout;
}

Legion::LayoutConstraintSet make_constraints(const InstanceLayout& layout, int dims,
                                             Legion::Memory::Kind memory_kind,
                                             const std::vector<Legion::FieldID>& fields,
                                             Legion::ReductionOpID redop) {
  Legion::LayoutConstraintSet constraints;
  Legion::SpecializedKind specialized =
      redop != 0 ? (layout.compact ? LEGION_COMPACT_REDUCTION_SPECIALIZE
                                   : LEGION_AFFINE_REDUCTION_SPECIALIZE)
                 : (layout.compact ? LEGION_COMPACT_SPECIALIZE : LEGION_AFFINE_SPECIALIZE);
  constraints.add_constraint(
      Legion::SpecializedConstraint(specialized, redop, false /*no_access*/, layout.exact));
  constraints.add_constraint(Legion::MemoryConstraint(memory_kind));
  constraints.add_constraint(
      Legion::FieldConstraint(fields, false /*contiguous*/, false /*inorder*/));
  // Legion lists dimensions from the fastest-varying to the slowest: C order puts the last
  // spatial dimension first, SOA puts the field dimension last.
  std::vector<Legion::DimensionKind> order;
  if (layout.aos) order.push_back(LEGION_DIM_F);
  for (int d = 0; d < dims; ++d) {
    int dim = layout.c_order ? dims - 1 - d : d;
    order.push_back(static_cast<Legion::DimensionKind>(static_cast<int>(LEGION_DIM_X) + dim));
  }
  if (!layout.aos) order.push_back(LEGION_DIM_F);
  constraints.add_constraint(Legion::OrderingConstraint(order, false /*contiguous*/));
  if (layout.alignment)
    for (Legion::FieldID field : fields)
      constraints.add_constraint(
          Legion::AlignmentConstraint(field, LEGION_EQ_EK, *layout.alignment));
  return constraints;
}

}  // namespace mapforge::legion
