#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The proof that a refactor is hash-neutral: a manifest of what every scenario,
# strategy, model and fuzz seed produces, one line each (a sha256 of the whole
# output, and the state-hash where there is one).
#
#   bash scripts/hashes.sh [BUILD]          the manifest of BUILD's mhpsim (default build/)
#   bash scripts/hashes.sh --against REV    builds REV in a scratch worktree, compares both
#                                           manifests and fails on any difference
set -euo pipefail
cd "$(dirname "$0")/.."

manifest() {
  local sim=$1/mhpsim f t m out
  [ -x "$sim" ] || { echo "hashes.sh: no $sim (build first)" >&2; exit 2; }
  # The fuzzer's speed line is wall-clock time, the one thing meant to vary. The state hash is
  # text's "state-hash: X" or JSON Lines' "state_hash":"X".
  line() { printf '%s %s %s\n' "$1" "$(grep -Ev '^[0-9]+ steps in [0-9.]+ s' <<<"$2" | sha256sum | cut -c1-16)" "$(grep -oE 'state-hash: [0-9a-f]+|"state_hash":"[0-9a-f]+"' <<<"$2" | tail -n1 | grep -oE '[0-9a-f]{16}')"; }
  for f in scenarios/*.yaml scenarios/teaching/*.yaml; do
    for t in arm64 x86-whatif generic kernel; do
      out=$("$sim" run --json --teardown "$t" "$f" 2>&1 || true)
      line "run:$t:$f" "$out"
    done
    out=$("$sim" run --observe "$f" 2>&1 || true); line "observe:$f" "$out"
    out=$("$sim" run --narrate "$f" 2>&1 || true); line "narrate:$f" "$out"
    out=$("$sim" ptdump "$f" 2>&1 || true); line "ptdump:$f" "$out"
  done
  # The other arches' machines: their own scenarios with the model's walk and the tree's code.
  for f in scenarios/x86_64/*.yaml scenarios/riscv64/*.yaml; do
    for t in default kernel; do
      out=$("$sim" run --json $([ "$t" = kernel ] && echo --teardown kernel) "$f" 2>&1 || true)
      line "run:$t:$f" "$out"
    done
    out=$("$sim" ptdump "$f" 2>&1 || true); line "ptdump:$f" "$out"
  done
  for m in qemu-q35-x86_64 qemu-q35-x86_64-la57 qemu-virt-riscv64-sv39 qemu-virt-riscv64-sv48 qemu-virt-riscv64-sv57; do
    out=$("$sim" fuzz --seed 7 --steps 3000 --model "$m" --out /tmp 2>&1 || true)
    line "fuzz:$m" "$out"
    out=$("$sim" fuzz --seed 7 --steps 2000 --model "$m" --differential kernel --out /tmp 2>&1 || true)
    line "fuzz-differential:$m" "$out"
  done
  for f in tests/bad/*.yaml; do
    out=$("$sim" run --quiet "$f" 2>&1 || true); line "bad:$f" "$out"
  done
  # Every mutant on the scenarios that exercise the most paths, with and without the tree's code.
  for mu in $("$sim" mutants | cut -d' ' -f1); do
    for f in scenarios/01-flagship-tour.yaml scenarios/11-pgtable-teardown.yaml scenarios/19-offline-migrates-movable-pages.yaml; do
      for t in arm64 kernel; do
        out=$("$sim" run --json --teardown "$t" --mutant "$mu" "$f" 2>&1 || true)
        line "mutant:$mu:$t:$f" "$out"
      done
    done
    out=$("$sim" fuzz --seed 3 --steps 500 --mutant "$mu" --out /tmp 2>&1 || true)
    line "fuzz-mutant:$mu" "$out"
  done
  for m in models/*.yaml; do
    m=$(basename "$m" .yaml)
    out=$("$sim" cat "$m" /proc/zoneinfo /proc/meminfo /proc/iomem /sys/devices/system/memory 2>&1 || true)
    line "cat:$m" "$out"
  done
  for m in qemu-virt-arm64-4k qemu-virt-arm64-16k qemu-virt-arm64-64k; do
    for t in arm64 x86-whatif generic kernel; do
      out=$("$sim" fuzz --seed 7 --steps 3000 --model "$m" --strategy "$t" --out /tmp 2>&1 || true)
      line "fuzz:$m:$t" "$out"
    done
    out=$("$sim" fuzz --seed 7 --steps 3000 --model "$m" --virtio-mem --out /tmp 2>&1 || true)
    line "fuzz-virtio-mem:$m" "$out"
    out=$("$sim" fuzz --seed 7 --steps 2000 --model "$m" --differential kernel --out /tmp 2>&1 || true)
    line "fuzz-differential:$m" "$out"
  done
}

if [ "${1:-}" = "--against" ]; then
  rev=${2:?usage: hashes.sh --against REV}
  scratch=$(mktemp -d)
  trap 'git worktree remove --force "$scratch/tree" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
  git worktree add --detach "$scratch/tree" "$rev" >/dev/null
  [ -d .deps ] && ln -s "$PWD/.deps" "$scratch/tree/.deps"
  cmake -S "$scratch/tree" -B "$scratch/build" -DMHPSIM_TESTS=OFF >/dev/null
  cmake --build "$scratch/build" --target mhpsim -j"$(nproc)" >/dev/null
  cmake --build build --target mhpsim -j"$(nproc)" >/dev/null
  manifest "$scratch/build" >"$scratch/before.txt"
  manifest build >"$scratch/after.txt"
  if diff "$scratch/before.txt" "$scratch/after.txt"; then
    echo "hash-neutral against $rev: $(wc -l <"$scratch/after.txt") outputs byte-identical"
  else
    echo "NOT hash-neutral against $rev (above: < $rev, > working tree)"
    exit 1
  fi
else
  manifest "${1:-build}"
fi
