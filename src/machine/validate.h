// Private to the machine module: the checks that span several entries of a machine file
// (duplicates, counts that must agree, affinities and channels that must or must not exist).
#pragma once

#include "machine/json_reader.h"
#include "machine/machine.h"

namespace mapforge::machine::detail {

/// Reports into `reader`. Expects a machine whose vectors are in file order, one entry per JSON
/// array element, so that an entry's index is its position in the file.
void validate(const Machine& machine, Reader& reader);

}  // namespace mapforge::machine::detail
