#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# bench/report.py --pgo: the plain and the profile-guided build's alternated
# fuzz runs give best and median steps/s for each; runs that end in different
# state hashes (a build that changed a result) are refused.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs() {   # runs HASH_OF_THE_PGO_BUILD: three alternated rounds as bench.sh writes them
  for v in 1 2 3; do
    printf 'build-release-plain 20000 steps in 0.2 s: %d steps/s, 3000 teardowns/s (seed 1)\n' $((90000 + v))
    printf 'build-release-plain state-hash: adacb07c892818e4\n'
    printf 'build-release 20000 steps in 0.2 s: %d steps/s, 3100 teardowns/s (seed 1)\n' $((97000 + 10 * v))
    printf 'build-release state-hash: %s\n' "$1"
  done
}
runs adacb07c892818e4 > "$tmp/same.txt"
python3 bench/report.py --pgo "$tmp/same.txt" 20000 "$tmp/pgo.json"
python3 - "$tmp/pgo.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["state_hash"] == "adacb07c892818e4", r
assert (r["plain"]["runs"], r["plain"]["best"], r["plain"]["median"]) == (3, 90003, 90002), r["plain"]
assert (r["pgo"]["runs"], r["pgo"]["best"], r["pgo"]["median"]) == (3, 97030, 97020), r["pgo"]
PY
runs 0123456789abcdef > "$tmp/differ.txt"
if python3 bench/report.py --pgo "$tmp/differ.txt" 20000 "$tmp/bad.json" 2> "$tmp/err"; then
  echo "report.py --pgo took runs whose state hashes differ"; exit 1
fi
grep -q "end in different states" "$tmp/err" || { echo "the refusal does not say why: $(cat "$tmp/err")"; exit 1; }
[ ! -e "$tmp/bad.json" ] || { echo "a refused comparison still wrote its results"; exit 1; }
# A line from neither build (a renamed directory, a stray line) is named, not a traceback.
{ runs adacb07c892818e4; echo 'build-other 20000 steps in 0.2 s: 1 steps/s'; } > "$tmp/stray.txt"
if python3 bench/report.py --pgo "$tmp/stray.txt" 20000 "$tmp/stray.json" 2> "$tmp/err"; then
  echo "report.py --pgo took a line from an unknown build"; exit 1
fi
grep -q "stray.txt:13: expected" "$tmp/err" || { echo "the refusal does not name the line: $(cat "$tmp/err")"; exit 1; }
echo "report_pgo: best and median per build; differing state hashes and unknown lines refused"
