#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The optimised build in build-release (-O3), profile-guided and link-time optimised by default:
#   bash scripts/build-release.sh [DIR]            build DIR (default build-release) with GCC's PGO and LTO:
#                                                  an instrumented build, a training set of runs, the build again
#   bash scripts/build-release.sh --quick [DIR]    the same with a training set a tenth the size (CI's smoke)
#   bash scripts/build-release.sh --no-pgo [DIR]   a plain -O3 build (no PGO, no LTO), the one they are measured against
# The training set is every model's fuzzer on seeds other than 1 (the seed the
# benchmarks measure), every scenario, and each benchmark's smoke run: what the
# tool does, not one figure's run. PGO and LTO change code layout and
# inlining only: every state and trace hash is the same as a plain build's.
set -euo pipefail
cd "$(dirname "$0")/.."
pgo=1 scale=10
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) scale=1 ;;
    --no-pgo) pgo= ;;
    -*) echo "usage: bash scripts/build-release.sh [--quick | --no-pgo] [DIR]" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
dir=${1:-build-release}
build() {   # build() MODE: configure and build DIR with MHPSIM_PGO=MODE (LTO for the final PGO build only)
  local lto=$([ "$1" = USE ] && echo ON || echo OFF)
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DMHPSIM_TESTS=OFF -DMHPSIM_PGO="$1" \
    -DCMAKE_INTERPROCEDURAL_OPTIMIZATION="$lto" >/dev/null
  cmake --build "$dir" -j"$(nproc)" >/dev/null
}
# PGO is GCC's here: another compiler (CC=clang) gets the plain build, and says so.
if [ -n "$pgo" ] && ! "${CC:-cc}" --version 2>/dev/null | grep -q 'Free Software Foundation'; then
  echo "build-release.sh: ${CC:-cc} is not GCC: a plain -O3 build, without PGO and LTO" >&2
  pgo=
fi
if [ -z "$pgo" ]; then
  build OFF
  exit 0
fi
# Counts from an earlier build would not match this one's code (GCC refuses them): always start afresh.
rm -rf "$dir/pgo"
build GENERATE
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
steps=$((scale * 2000))
for seed in 2 3 4; do
  "$dir/mhpsim" fuzz --seed "$seed" --model fuzz-arm64-4k --steps "$steps" --check-every 1000 --out "$train" >/dev/null
done
for model in qemu-virt-arm64-16k qemu-virt-arm64-64k qemu-q35-x86_64 fuzz-riscv64-sv48 server-2node-arm64-4k; do
  "$dir/mhpsim" fuzz --seed 2 --model "$model" --steps $((steps / 4)) --out "$train" >/dev/null
done
"$dir/mhpsim" fuzz --seed 5 --virtio-mem --steps $((steps / 4)) --out "$train" >/dev/null
"$dir/mhpsim" run scenarios/ scenarios/x86_64/ scenarios/riscv64/ scenarios/teaching/ >/dev/null
"$dir/bench/bench_scale" --smoke --strategies >/dev/null
"$dir/bench/bench_teardown" --smoke >/dev/null
"$dir/bench/bench_migrate" --smoke >/dev/null
build USE
