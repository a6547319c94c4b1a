#!/usr/bin/env bash
# The whole test suite: set up, build, run ctest (cmocka unit tests, every
# scenario, determinism), then the same suite again under ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" >/dev/null
ctest --test-dir build --output-on-failure -j"$jobs"
cmake -S . -B build-asan -DMHPSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

# A short fuzz run per granule and strategy, fixed seeds: a violation fails the run.
for model in qemu-virt-arm64-4k qemu-virt-arm64-16k qemu-virt-arm64-64k; do
  for strategy in arm64 x86 generic; do
    build/mhpsim fuzz --seed 2026 --steps 20000 --model "$model" --strategy "$strategy" --out build
  done
done

# Line coverage of libsim/ by the whole suite: at least 85%, with an HTML report.
cmake -S . -B build-cov -DMHPSIM_COVERAGE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-cov -j"$jobs" >/dev/null
find build-cov -name '*.gcda' -delete
ctest --test-dir build-cov -j"$jobs" >/dev/null
mkdir -p build-cov/coverage
gcovr -r . --filter 'libsim/' build-cov --print-summary --fail-under-line 85 \
  --html-details build-cov/coverage/index.html
echo "coverage report: build-cov/coverage/index.html"
