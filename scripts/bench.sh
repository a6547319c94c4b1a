#!/usr/bin/env bash
# Benchmarks (bench/README.md), optimised build, every ratio measured side by
# side in one run:
#   bash scripts/bench.sh           the full set: bench/results/*.json, docs/benchmarks.md, docs/img/*.svg
#   bash scripts/bench.sh --smoke   a small run of every benchmark, the callgrind mode, the profile and
#                                   the report, into a scratch directory (CI; nothing committed changes)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
smoke=
[ "${1:-}" = --smoke ] && smoke=--smoke
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DMHPSIM_TESTS=OFF >/dev/null
cmake --build build-release -j"$(nproc)" >/dev/null
b=build-release/bench
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ -n "$smoke" ]; then
  out=$scratch/results doc=$scratch/benchmarks.md img=$scratch/img cg_max=1 prof_sizes=(--max-size 1)
else
  out=bench/results doc=docs/benchmarks.md img=docs/img cg_max=4 prof_sizes=(--min-size 1 --max-size 64)
fi
mkdir -p "$out" "$img"
printf '{"machine": "%s, %s CPUs"}\n' "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc)" \
  > "$out/meta.json"

$b/bench_teardown $smoke --json "$out/teardown.json"
echo
$b/bench_scale $smoke ${smoke:---strategies} --json "$out/scale.json"
echo
$b/bench_migrate $smoke --json "$out/migrate.json"
echo
# The replay ratio against the real kernel's recorded time per scenario (scenarios/reference/*.time).
python3 bench/replay.py build-release/mhpsim "$out/replay.json" --runs "$([ -n "$smoke" ] && echo 1 || echo 5)"

# Instruction counts, repeatable where wall time is not: each teardown and floor collected alone.
echo
echo "callgrind: every case up to $cg_max GiB"
valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$scratch/cg.out" \
  $b/bench_teardown --callgrind --max-size "$cg_max" >/dev/null 2>"$scratch/cg.log" || { cat "$scratch/cg.log"; exit 1; }
python3 bench/report.py --callgrind "$scratch/cg.out." "$out/callgrind.json"

# The CPU profile of the arm64 teardown cases (gperftools), its call graph as SVG.
echo "profile: gperftools, 4K page-granular arm64 teardowns"
CPUPROFILE_FREQUENCY=4000 $b/bench_teardown --granule 4K --mapping page --strategy arm64 "${prof_sizes[@]}" \
  --profile "$scratch/teardown.prof" >/dev/null
google-pprof --svg $b/bench_teardown "$scratch/teardown.prof" > "$img/profile-teardown.svg" 2>/dev/null
grep -q '<svg' "$img/profile-teardown.svg"

# Fuzz throughput on the 16 GiB 4K model, same seed, by how often everything is checked (docs/fuzzing.md).
if [ -z "$smoke" ]; then
  echo
  echo "fuzz throughput, fuzz-arm64-4k (16 GiB, 4K), seed 1"
  fuzz() { build-release/mhpsim fuzz --seed 1 --model fuzz-arm64-4k --out "$scratch" "$@" | head -1; }
  echo "20000 steps, incremental checks only:  $(fuzz --steps 20000 --check-every 1000000)"
  echo "20000 steps, full check every 1000:    $(fuzz --steps 20000 --check-every 1000)"
  echo "1000 steps, incremental checks only:   $(fuzz --steps 1000 --check-every 1000000)"
  echo "1000 steps, full check every step:     $(fuzz --steps 1000 --check-every 1)"
fi

python3 bench/report.py "$out" "$doc" "$img"
echo "report: $doc"
if [ -n "$smoke" ]; then
  # The smoke proves each part produced something: every result file and plot is there and not empty.
  for f in "$out"/teardown.json "$out"/scale.json "$out"/migrate.json "$out"/callgrind.json "$out"/replay.json \
           "$img"/teardown-4K-page.svg "$img"/scale-time.svg "$img"/scale-memory.svg; do
    [ -s "$f" ] || { echo "bench smoke: $f is missing or empty"; exit 1; }
  done
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r and all(x['ratio_to_floor'] for x in r)" \
    "$out/callgrind.json"
  grep -q '^## Goals' "$doc"
  grep -q '^## Replay against the real kernel' "$doc"
  echo "bench smoke: every benchmark ran, and the report was generated"
fi
