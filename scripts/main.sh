#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job: install what it needs, build the CLI, replay the flagship
# scenario narrated (each event under the kernel function it models, what each
# read returned, repeated events folded), then one line saying what was checked.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --main
echo "main.sh: building mhpsim (build/mhpsim)" >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMHPSIM_TESTS=OFF >/dev/null   # no cmocka needed
cmake --build build -j"$(nproc)" --target mhpsim >/dev/null
scenario=scenarios/01-flagship-tour.yaml
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
build/mhpsim run --narrate "$scenario" | tee "$out" || status=$?
steps=$(grep -cE '^step [0-9]+:' "$out" || true)
hash=$(sed -n 's/^state-hash: //p' "$out")
echo
if [ "$status" -eq 0 ]; then
  echo "main.sh: PASS: $scenario replayed, $steps steps, every expectation and every invariant" \
       "($(build/mhpsim invariants | grep -c '^[A-Z]') of them) held after each; state-hash $hash"
else
  echo "main.sh: FAIL: $scenario (exit status $status): the failure is above"
fi
exit "$status"
