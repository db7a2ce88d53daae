#!/usr/bin/env bash
# Configures (Ninja) and builds one flavour of mapforge:
#   scripts/build.sh [release]  -> build/       Release, warnings are errors
#   scripts/build.sh asan       -> build-asan/  -O1 -g with asserts, ASan + UBSan, warnings are errors
#   scripts/build.sh fuzz       -> build-fuzz/  clang, -O1 -g with asserts, no tests: fuzz/dsl_fuzz
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

flavour="${1:-release}"
case "${flavour}" in
  release)
    dir=build
    args=(-DCMAKE_BUILD_TYPE=Release -DMAPFORGE_WERROR=ON)
    ;;
  asan)
    dir=build-asan
    args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g"
          -DMAPFORGE_SANITIZE=ON -DMAPFORGE_BENCHMARKS=OFF -DMAPFORGE_WERROR=ON)
    ;;
  fuzz)
    dir=build-fuzz
    export CC=clang CXX=clang++
    args=(-DCMAKE_CXX_COMPILER=clang++
          -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g"
          -DMAPFORGE_FUZZ=ON -DMAPFORGE_TESTS=OFF -DMAPFORGE_BENCHMARKS=OFF)
    ;;
  *)
    echo "usage: $0 [release|asan|fuzz]" >&2
    exit 2
    ;;
esac

# A build folder configured earlier with another generator or compiler cannot be reused.
cache="${dir}/CMakeCache.txt"
if [[ -f "${cache}" ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "${cache}"; then
  echo "build.sh: ${dir}/ was not configured with Ninja; starting it afresh"
  rm -rf "${dir}"
fi
if [[ "${flavour}" == fuzz && -f "${cache}" ]] &&
   ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++' "${cache}"; then
  echo "build.sh: ${dir}/ was configured with another compiler; starting it afresh"
  rm -rf "${dir}"
fi

echo "== configure ${flavour} (${dir}/)"
mkdir -p "${dir}"
log="${dir}/configure.log"
if ! cmake -S . -B "${dir}" -G Ninja -Wno-dev "${args[@]}" >"${log}" 2>&1; then
  cat "${log}" >&2
  echo "build.sh: configuring ${flavour} failed" >&2
  exit 1
fi
grep -E '^CMake (Warning|Deprecation)' -A5 "${log}" >&2 || true

echo "== build ${flavour} (${dir}/, $(nproc) jobs)"
cmake --build "${dir}" -j "$(nproc)" -- --quiet
echo "== built ${flavour}"
