#!/usr/bin/env bash
# Benchmarks, optimised build: the 64 GiB hotplug cycle for each teardown strategy.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DMHPSIM_TESTS=OFF >/dev/null
cmake --build build-release -j"$(nproc)" >/dev/null
build-release/bench/bench_cycle models
echo
build-release/bench/bench_migrate models

# Instruction counts of the removal alone (mhp_remove_memory), repeatable where
# wall time is not: a 16 GiB cycle under callgrind for each strategy.
if command -v valgrind >/dev/null; then
  echo
  echo "callgrind: instructions inside mhp_remove_memory, 16 GiB cycle"
  base=""
  strategies="arm64 x86 generic"
  # The tree's own code too, when the library was built with one (mhpsim diff needs it).
  build-release/mhpsim diff scenarios/11-pgtable-teardown.yaml >/dev/null 2>&1 && strategies="$strategies kernel"
  for s in $strategies; do
    out=$(mktemp)
    valgrind --tool=callgrind --toggle-collect=mhp_remove_memory --callgrind-out-file="$out" \
      build-release/bench/bench_cycle models "$s" 16 >/dev/null 2>&1
    ir=$(grep -m1 '^summary:' "$out" | awk '{print $2}')
    rm -f "$out"
    [ -n "$base" ] || base=$ir
    awk -v s="$s" -v ir="$ir" -v b="$base" 'BEGIN { printf "%-8s %14d Ir   %.2f x arm64\n", s, ir, ir / b }'
  done
fi

# Fuzz throughput on the 16 GiB 4K model, same seed, side by side: incremental
# checks only (one full check at the end), a full check every 1000 steps (the
# default), and a full check after every step. Steps/s depends on the work a
# step does, so the page work per step is printed with it.
echo
echo "fuzz throughput, fuzz-arm64-4k (16 GiB, 4K), seed 1"
fuzz() { build-release/mhpsim fuzz --seed 1 --model fuzz-arm64-4k --out /tmp "$@"; }
inc=$(fuzz --steps 20000 --check-every 1000000)
k1000=$(fuzz --steps 20000 --check-every 1000)
echo "20000 steps, incremental checks only:  $(echo "$inc" | head -1)"
echo "20000 steps, full check every 1000:    $(echo "$k1000" | head -1)"
echo "$inc" | grep -E '^(ops|work)'
# The ratio on the same first 1000 steps: incremental against a full check after every one.
a=$(fuzz --steps 1000 --check-every 1000000 | head -1)
b=$(fuzz --steps 1000 --check-every 1 | head -1)
echo "1000 steps, incremental checks only:   $a"
echo "1000 steps, full check every step:     $b"
awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
  printf "incremental / full check per step: %.0f x faster\n", y[4] / x[4] }'
if command -v valgrind >/dev/null; then
  out=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file="$out" build-release/mhpsim fuzz --seed 1 --model fuzz-arm64-4k \
    --out /tmp --steps 20000 --check-every 1000000 >/dev/null 2>&1
  awk '/^summary:/ { printf "callgrind, incremental only: %.0f instructions per step\n", $2 / 20000 }' "$out"
  rm -f "$out"
fi
