#!/usr/bin/env bash
# Installs the dependencies, builds the release flavour and runs the main job on the stencil example.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Echoes a command as `+ cmd`, quoting arguments that need it, then runs it.
run() {
  local line="+" arg
  for arg in "$@"; do
    if [[ "${arg}" =~ ^[A-Za-z0-9_./,=:@%+-]+$ ]]; then
      line+=" ${arg}"
    else
      line+=" '${arg//\'/\'\\\'\'}'"
    fi
  done
  echo "${line}"
  "$@"
}

bash scripts/install-deps.sh
bash scripts/build.sh release

run ./build/mapforge check examples/stencil.map
run ./build/mapforge query examples/stencil.map --machine nodes=2,cpu=8,gpu=4,omp=0 \
  --task stencil --point 3,1 --ispace 4,4
run ./build/mapforge query examples/stencil.map --machine nodes=1,cpu=8,gpu=4 \
  --eval 'Machine(GPU).merge(0,1).decompose(0,(4,2,4)).size'
run ./build/mapforge simulate --app circuit --machine p100-node --default
run ./build/mapforge simulate --app circuit --machine p100-node --expert
run ./build/mapforge simulate --app cannon --machine lassen --nodes 4 --expert
