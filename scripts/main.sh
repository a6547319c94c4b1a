#!/usr/bin/env bash
# The main job: set up, build, replay the flagship scenario with its narrated trace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec build/mhpsim run scenarios/01-flagship-tour.yaml
