#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmarks (bench/README.md), optimised build, every ratio measured side by
# side in one run:
#   bash scripts/bench.sh [--out DIR]     the full set into DIR (default build-release/bench): results/*.json,
#                                         benchmarks.md, img/*.svg; nothing tracked changes
#   bash scripts/bench.sh --update-docs   the same into the tracked bench/results, docs/benchmarks.md, docs/img
#   bash scripts/bench.sh --smoke         a small run of every benchmark, the callgrind mode, the profile and
#                                         the report, into a scratch directory (CI; nothing committed changes)
set -euo pipefail
cd "$(dirname "$0")/.."
smoke= update= dir=build-release/bench
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=--smoke ;;
    --update-docs) update=1 ;;
    --out) [ $# -gt 1 ] || { echo "bench.sh: --out needs a directory" >&2; exit 2; }; dir=$2; shift ;;
    *) echo "usage: bash scripts/bench.sh [--smoke | --update-docs | --out DIR]" >&2; exit 2 ;;
  esac
  shift
done
bash scripts/setup.sh
# Wall-clock figures need the CPUs to themselves: say so when something else is running.
load_check() {
  awk -v n="$(nproc)" -v when="$1" '{ if ($1 > n - 0.5) printf "bench.sh: warning: load average %s on %d CPUs %s: wall-clock figures are unreliable (callgrind counts are not)\n", $1, n, when }' /proc/loadavg >&2
}
load_check "before the run"
# The figures come from the profile-guided build; a plain -O3 build beside it measures what PGO adds (phase 7).
bash scripts/build-release.sh ${smoke:+--quick} build-release
bash scripts/build-release.sh --no-pgo build-release-plain
b=build-release/bench
# The report's plots need python3-matplotlib (scripts/setup.sh): Debian's interpreter has it, where another
# python3 (a pyenv shim) may come first on the PATH.
py=python3
python3 -c 'import matplotlib' 2>/dev/null || { [ -x /usr/bin/python3 ] && py=/usr/bin/python3; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ -n "$smoke" ]; then
  out=$scratch/results doc=$scratch/benchmarks.md img=$scratch/img cg_max=1 prof_sizes=(--max-size 1)
elif [ -n "$update" ]; then
  out=bench/results doc=docs/benchmarks.md img=docs/img cg_max=4 prof_sizes=(--min-size 1 --max-size 64)
else
  out=$dir/results doc=$dir/benchmarks.md img=$dir/img cg_max=4 prof_sizes=(--min-size 1 --max-size 64)
fi
mkdir -p "$out" "$img"
printf '{"machine": "%s, %s CPUs"}\n' "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc)" \
  > "$out/meta.json"

# Each phase says where the run is and how long it has taken (the whole set takes tens of minutes).
phase() { echo "bench.sh: [$1/8] $2 (${SECONDS}s so far)" >&2; }
phase 1 "bench_teardown: every architecture's teardown against its scan floor"
$b/bench_teardown $smoke --json "$out/teardown.json"
echo
phase 2 "bench_scale: add/online/offline/remove cycles up to TiBs"
$b/bench_scale $smoke ${smoke:---strategies} --json "$out/scale.json"
echo
phase 3 "bench_migrate: migration of page runs"
$b/bench_migrate $smoke --json "$out/migrate.json"
echo
# The replay ratio against the real kernel's recorded time per scenario (scenarios/reference/*.time).
phase 4 "replay against the real kernel's recorded times"
python3 bench/replay.py build-release/mhpsim "$out/replay.json" --runs "$([ -n "$smoke" ] && echo 1 || echo 5)"

# Instruction counts, repeatable where wall time is not: each teardown and floor collected alone.
echo
phase 5 "callgrind instruction counts"
echo "callgrind: every case up to $cg_max GiB"
valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$scratch/cg.out" \
  $b/bench_teardown --callgrind --max-size "$cg_max" >/dev/null 2>"$scratch/cg.log" || { cat "$scratch/cg.log"; exit 1; }
"$py" bench/report.py --callgrind "$scratch/cg.out." "$out/callgrind.json"
# The fuzz's instructions a step: what its steps/s goal comes down to, repeatable on a noisy machine.
fz_steps=$([ -n "$smoke" ] && echo 1000 || echo 20000)
echo "callgrind: fuzz-arm64-4k, seed 1, $fz_steps steps, a full check every 1000"
valgrind --tool=callgrind --callgrind-out-file="$scratch/fuzz.cg" build-release/mhpsim fuzz --seed 1 \
  --model fuzz-arm64-4k --out "$scratch" --steps "$fz_steps" --check-every 1000 >/dev/null 2>"$scratch/fuzz.log" \
  || { cat "$scratch/fuzz.log"; exit 1; }
"$py" bench/report.py --fuzz-callgrind "$scratch/fuzz.cg" "$fz_steps" "$out/fuzz-callgrind.json"

# The CPU profile of the arm64 teardown cases (gperftools), its call graph as SVG.
phase 6 "gperftools profile"
echo "profile: gperftools, 4K page-granular arm64 teardowns"
CPUPROFILE_FREQUENCY=4000 $b/bench_teardown --granule 4K --mapping page --strategy arm64 "${prof_sizes[@]}" \
  --profile "$scratch/teardown.prof" >/dev/null
google-pprof --svg $b/bench_teardown "$scratch/teardown.prof" > "$img/profile-teardown.svg" 2>/dev/null
grep -q '<svg' "$img/profile-teardown.svg"

# Fuzz throughput on the 16 GiB 4K model, same seed, by how often everything is checked (docs/fuzzing.md).
phase 7 "fuzz throughput"
if [ -z "$smoke" ]; then
  echo
  echo "fuzz throughput, fuzz-arm64-4k (16 GiB, 4K), seed 1"
  fuzz() { build-release/mhpsim fuzz --seed 1 --model fuzz-arm64-4k --out "$scratch" "$@" | head -1; }
  echo "20000 steps, incremental checks only:  $(fuzz --steps 20000 --check-every 1000000)"
  echo "20000 steps, full check every 1000:    $(fuzz --steps 20000 --check-every 1000)"
  echo "1000 steps, incremental checks only:   $(fuzz --steps 1000 --check-every 1000000)"
  echo "1000 steps, full check every step:     $(fuzz --steps 1000 --check-every 1)"
fi
# The profile-guided build against the plain one: the same run, alternated, so both see the same machine.
pgo_rounds=$([ -n "$smoke" ] && echo 1 || echo 15) pgo_steps=$([ -n "$smoke" ] && echo 1000 || echo 20000)
for ((i = 0; i < pgo_rounds; i++)); do
  for build in build-release-plain build-release; do
    $build/mhpsim fuzz --seed 1 --model fuzz-arm64-4k --out "$scratch" --steps "$pgo_steps" --check-every 1000 \
      | sed -n "1,2s|^|$build |p"   # sed reads to the end: the fuzz never meets a closed pipe
  done
done > "$scratch/pgo.txt"
"$py" bench/report.py --pgo "$scratch/pgo.txt" "$pgo_steps" "$out/pgo.json"

phase 8 "the report and its plots"
"$py" bench/report.py "$out" "$doc" "$img"
echo "report: $doc"
load_check "at the end"
if [ -n "$smoke" ]; then
  # The smoke proves each part produced something: every result file and plot is there and not empty.
  for f in "$out"/teardown.json "$out"/scale.json "$out"/migrate.json "$out"/callgrind.json "$out"/replay.json \
           "$out"/fuzz-callgrind.json "$out"/pgo.json \
           "$img"/teardown-4K-page.svg "$img"/scale-time.svg "$img"/scale-memory.svg; do
    [ -s "$f" ] || { echo "bench smoke: $f is missing or empty"; exit 1; }
  done
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r and all(x['ratio_to_floor'] for x in r)" \
    "$out/callgrind.json"
  grep -q '^## Goals' "$doc"
  grep -q '^## Replay against the real kernel' "$doc"
  echo "bench smoke: every benchmark ran, and the report was generated"
fi
