#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The whole test suite: set up, build, run ctest (cmocka unit tests, every
# scenario, determinism), then the same suite again under ASan+UBSan, fuzz
# runs, the 6.1 tree, the history gauntlet, a build without a kernel tree, coverage, libFuzzer and
# the benchmarks' smoke run. Each phase says its name; the last line sums up
# everything that ran.
set -euo pipefail
cd "$(dirname "$0")/.."
nphases=13 phase_no=0 summary=()
phase() { phase_no=$((phase_no + 1)); echo; echo "== test.sh [$phase_no/$nphases] $* (${SECONDS}s so far)"; }
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
# ctest with its output kept: "N tests" for the summary (a failure stops the run with ctest's report).
run_ctest() {
  local name=$1; shift
  ctest "$@" 2>&1 | tee "$logs/$name.log"
  local passed
  passed=$(sed -n 's/^[0-9]*% tests passed, 0 tests failed out of \([0-9]*\)$/\1/p' "$logs/$name.log")
  [ -n "$passed" ] || { echo "test.sh: $name failed"; exit 1; }
  summary+=("$name $passed tests")
}

phase "set-up: packages (scripts/setup.sh) and Debian's linux-source-6.12 (scripts/kernel-tree.sh)"
bash scripts/setup.sh
bash scripts/kernel-tree.sh   # Debian's linux-source-6.12: the "kernel" strategy and its differential test
jobs=$(nproc)

phase "build and ctest (cmocka, every scenario, determinism, CLI, JSON Lines)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMHPSIM_TESTS=ON >/dev/null
cmake --build build -j"$jobs" >/dev/null
run_ctest ctest --test-dir build --output-on-failure -j"$jobs" -LE history

phase "the same suite under ASan+UBSan"
cmake -S . -B build-asan -DMHPSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  run_ctest asan --test-dir build-asan --output-on-failure -j"$jobs" -LE history

# Short fuzz runs with fixed seeds: a violation fails the run. Each says what it is.
fuzz_runs=0
fuzz() {
  fuzz_runs=$((fuzz_runs + 1))
  echo "-- fuzz $fuzz_runs: $*"
  build/mhpsim fuzz --seed 2026 --steps 20000 --out build "$@"
}
phase "fuzz: each arm64 granule with each strategy, the differential and virtio-mem"
for model in qemu-virt-arm64-4k qemu-virt-arm64-16k qemu-virt-arm64-64k; do
  for strategy in arm64 x86-whatif generic kernel; do
    fuzz --model "$model" --strategy "$strategy"
  done
  # The model against the tree's own code, step by step: any difference fails the run.
  fuzz --model "$model" --differential kernel
  # Memory through the virtio-mem driver only: plug and unplug requests among the rest.
  fuzz --model "$model" --virtio-mem
done
# ZONE_DEVICE ranges of 2 to 8 MiB beside the rest (memremap_pages), the tree's teardown beside the model's.
# Only 4K pages: with 16K and 64K two subsections share a vmemmap page, which arm64 frees under the other
# (scenarios/57; RISC-V frees a shared 2 MiB leaf: scenarios/riscv64/14), so those runs find that at once.
fuzz --model qemu-virt-arm64-4k --zone-device --differential kernel
fuzz --model server-2node-arm64-4k --zone-device

phase "fuzz: the x86-64 machines, the model and the tree's own init_64.c"
for model in qemu-q35-x86_64 qemu-q35-x86_64-la57; do
  for strategy in x86 kernel; do
    fuzz --model "$model" --strategy "$strategy"
  done
  fuzz --model "$model" --differential kernel
  fuzz --model "$model" --virtio-mem
  fuzz --model "$model" --zone-device --differential kernel
done

phase "fuzz: the RISC-V machines in each paging mode, the model and the tree's own arch/riscv/mm/init.c"
for model in qemu-virt-riscv64-sv39 qemu-virt-riscv64-sv48 qemu-virt-riscv64-sv57 fuzz-riscv64-sv48; do
  for strategy in riscv kernel; do
    fuzz --model "$model" --strategy "$strategy"
  done
  fuzz --model "$model" --differential kernel
  fuzz --model "$model" --virtio-mem
done
summary+=("fuzz $fuzz_runs runs of 20000 steps")

# The extraction works on an older tree too: Debian's linux-source-6.1, its
# hot-remove code run against the same scenarios by the differential test.
phase "the kernel strategy from Debian's linux-source-6.1"
bash scripts/kernel-tree.sh 6.1
cmake -S . -B build-k61 -DMHPSIM_KERNEL_TREE="$PWD/.deps/linux-source-6.1" >/dev/null
cmake --build build-k61 -j"$jobs" >/dev/null
run_ctest linux-6.1 --test-dir build-k61 --output-on-failure -R 'test_kernel_loop|_kernel$'

# Real kernel bugs put back into the 6.12 tree (or 7.3), one build each: each must be caught, and a tree
# with the fix (the stock one, an edit of ours, or Debian's 7.3) must pass the same probe (docs/history.md).
phase "the history gauntlet: real bugs put back into the tree"
bash scripts/kernel-tree.sh 7.3   # Debian's later tree: the fixes 6.12 lacks (A3, A4)
run_ctest history --test-dir build --output-on-failure -j"$jobs" -L history

# Without a kernel tree every command that needs the strategy says so and exits 2.
phase "a build without a kernel tree"
cmake -S . -B build-nokernel -DMHPSIM_KERNEL_TREE=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-nokernel --target mhpsim -j"$jobs" >/dev/null
run_ctest no-kernel --test-dir build-nokernel --output-on-failure -R 'cli_no_kernel_strategy|cli_conventions'

# Line coverage of libsim/ by the whole suite: at least 85%, with an HTML report.
phase "coverage (gcovr, at least 85% of lines)"
cmake -S . -B build-cov -DMHPSIM_COVERAGE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-cov -j"$jobs" >/dev/null
find build-cov -name '*.gcda' -delete
ctest --test-dir build-cov -j"$jobs" -LE history >/dev/null
mkdir -p build-cov/coverage
gcovr -r . --filter '(libsim|harness)/' build-cov --print-summary --fail-under-line 85 \
  --html-details build-cov/coverage/index.html | tee "$logs/coverage.log"
summary+=("coverage $(sed -n 's/^lines: \([0-9.]*%\).*/\1/p' "$logs/coverage.log") of lines")
echo "coverage report: build-cov/coverage/index.html"

# The libFuzzer harnesses (fuzz/README.md), built with clang: each runs its
# seeds, then fixed-seed mutations for at most 45 s (about 1000 inputs for
# fuzz_ops and fuzz_sysfs). A crash, leak, UB report, broken invariant or
# input slower than 25 s fails the run; libFuzzer leaves the input in build-fuzz/.
phase "libFuzzer: ops, scenario, sysfs"
CC=clang cmake -S . -B build-fuzz -DMHPSIM_FUZZ=ON -DMHPSIM_TESTS=OFF >/dev/null
cmake --build build-fuzz --target fuzzers -j"$jobs" >/dev/null
for h in ops scenario sysfs; do
  scratch=$(mktemp -d)
  log=build-fuzz/fuzz_$h.log
  dict=()
  [ -f "fuzz/fuzz_$h.dict" ] && dict=(-dict="fuzz/fuzz_$h.dict")
  if ! build-fuzz/fuzz/fuzz_$h "${dict[@]}" -runs=20000 -seed=1 -max_total_time=45 -timeout=25 \
      -artifact_prefix=build-fuzz/fuzz_$h- -print_final_stats=1 "$scratch" "fuzz/corpus/$h" >"$log" 2>&1; then
    tail -n 60 "$log"
    rm -rf "$scratch"
    echo "fuzz_$h failed: the input is in build-fuzz/, the log in $log"
    exit 1
  fi
  rm -rf "$scratch"
  echo "fuzz_$h: $(grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$log" | tr '\n' ' ')"
done
summary+=("libFuzzer 3 harnesses")

# A small run of every benchmark, its callgrind mode, its profile and the report (bench/README.md).
phase "the benchmarks' smoke run"
bash scripts/bench.sh --smoke
summary+=("bench smoke")

# The live reference lane, where it is set up (bash reference/setup.sh: QEMU 10
# and the arm64 kernels): every scenario re-recorded on the real kernel and
# compared with its committed golden. Drift fails the run (docs/reference.md).
# A fresh machine has no lane: the goldens are still diffed by ctest above.
phase "the live reference lane's drift check"
if [ "${MHPSIM_SKIP_DRIFT:-}" = 1 ]; then
  echo "reference drift: skipped (MHPSIM_SKIP_DRIFT=1)"
  summary+=("drift skipped")
elif [ -f .deps/reference/arm64/initramfs.cpio.gz ] && command -v qemu-system-aarch64 >/dev/null; then
  bash reference/record.sh --drift
  summary+=("drift checked")
else
  echo "reference drift: skipped (the live lane is not set up here: bash reference/setup.sh)"
  summary+=("drift skipped (no lane)")
fi

echo
IFS=';'
echo "test.sh: PASS in ${SECONDS}s: ${summary[*]}" | sed 's/;/; /g'
