// The published tables shipped with mapforge.
#include "fidelity/embedded.h"
#include "fidelity/fidelity.h"

namespace mapforge::fidelity {

Tables builtin_tables() {
  Tables tables;
  for (auto [text, name] : {std::pair{mapper_compare_train_csv(), "mapper_compare_train.csv"},
                            std::pair{stencil_sweep_train_csv(), "stencil_sweep_train.csv"}}) {
    tables.append(read_table(text, name).tables);
  }
  return tables;
}

}  // namespace mapforge::fidelity
