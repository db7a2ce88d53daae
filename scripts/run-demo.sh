#!/usr/bin/env bash
# Installs the dependencies, builds the release flavour and runs the main job: tune a benchmark on
# the simulated machine with the default agent (guided) and show the result and its report.
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

out="$(mktemp -d)/cannon-lassen4"
run ./build/mapforge tune --app cannon --machine lassen --nodes 4 --iterations 10 --out "${out}"
run ./build/mapforge report "${out}"
echo "The report: ${out}/report.html (journal: ${out}/journal.jsonl, best mapper: ${out}/best.map)"
