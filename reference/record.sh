#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# reference record: replays every scenario the lane can boot on the real
# kernel (QEMU, TCG) and stores its observations as goldens under
# scenarios/reference/, printing the kernel's time next to the simulator's.
#   bash reference/record.sh [--drift] [SCENARIO.yaml...]
# A scenario of another machine (scenarios/x86_64/, scenarios/riscv64/) has its golden under
# scenarios/reference/<that directory>/.
# --drift records into a scratch directory instead and reports, per scenario,
# whether the kernel now shows something other than the committed golden
# (exit status 1 when any drifted); the goldens stay untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
drift=
[ "${1:-}" = --drift ] && { drift=1; shift; }
bash reference/setup.sh >/dev/null
[ -x build/mhpsim ] || { cmake -S . -B build >/dev/null && cmake --build build -j"$(nproc)" >/dev/null; }
out=scenarios/reference
if [ -n "$drift" ]; then
  out=$(mktemp -d /tmp/mhpsim-drift.XXXXXX)
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(scenarios/*.yaml)
drifted=0 same=0
for f in "${files[@]}"; do
  name=$(basename "$f" .yaml)
  sub=$(basename "$(dirname "$f")")
  case $sub in x86_64|riscv64) sub=/$sub ;; *) sub= ;; esac
  build/mhpsim reference-steps "$f" >/dev/null 2>&1 || continue   # not a machine the lane boots
  mkdir -p "$out$sub"
  python3 reference/driver.py record-scenario "$f" "$out$sub/$name.obs" ||
    { echo "$name: not recorded (the guest failed; see above)"; rm -f "$out$sub/$name.obs"; failed=1; continue; }
  [ -n "$drift" ] || continue
  golden=scenarios/reference$sub/$name.obs
  if [ ! -f "$golden" ]; then
    echo "$name: DRIFT: no committed golden"; drifted=$((drifted + 1))
  elif python3 reference/driver.py drift "$golden" "$out$sub/$name.obs"; then
    same=$((same + 1))
  else
    drifted=$((drifted + 1))
  fi
done
[ -z "$drift" ] || echo "drift: $same scenario(s) as recorded, $drifted drifted"
[ "$drifted" -eq 0 ] || failed=1
exit "${failed:-0}"
