// The nine benchmark generators of APPS.md, one per file in this folder (circuit.cc, stencil.cc,
// pennant.cc, matmul_*.cc). Each builds its app with AppBuilder (../builder.h) for the machine
// and the size overrides, and returns the validated app or errors. Sizes: reject unknown names
// with check_size_names and read each one with size_param, so that every message reads
// "circuit: size 'pieces' must be between 1 and 65536, got 0". The registry
// (../builtin_registry.cc) lists each generator with its summary and parameters: keep the
// parameter names there and here in step.
#pragma once

#include "app/app.h"
#include "app/builder.h"

namespace mapforge::app {

LoadResult generate_circuit(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_stencil(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_pennant(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_cannon(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_summa(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_pumma(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_johnson(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_solomonik(const MachineFacts& machine, const Sizes& sizes);
LoadResult generate_cosma(const MachineFacts& machine, const Sizes& sizes);

}  // namespace mapforge::app
