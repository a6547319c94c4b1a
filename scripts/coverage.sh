#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Line and branch coverage of libsim/ by the whole suite (gcovr), in build-cov/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
command -v gcovr >/dev/null || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo; $SUDO apt-get install -y -qq gcovr >/dev/null; }
cmake -S . -B build-cov -DMHPSIM_COVERAGE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-cov -j"$(nproc)" >/dev/null
find build-cov -name '*.gcda' -delete
ctest --test-dir build-cov -j"$(nproc)" >/dev/null
gcovr -r . --filter '(libsim|harness)/' build-cov --print-summary --txt build-cov/coverage.txt
