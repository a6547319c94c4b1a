#!/usr/bin/env bash
# reference record: replays every scenario the lane can boot on the real
# kernel (QEMU, TCG) and stores its observations as goldens under
# scenarios/reference/, printing the kernel's time next to the simulator's.
#   bash reference/record.sh [SCENARIO.yaml...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash reference/setup.sh >/dev/null
[ -x build/mhpsim ] || { cmake -S . -B build >/dev/null && cmake --build build -j"$(nproc)" >/dev/null; }
mkdir -p scenarios/reference
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(scenarios/*.yaml)
for f in "${files[@]}"; do
  name=$(basename "$f" .yaml)
  build/mhpsim reference-steps "$f" >/dev/null 2>&1 || continue   # not a machine the lane boots
  python3 reference/driver.py record-scenario "$f" "scenarios/reference/$name.obs" ||
    { echo "$name: not recorded (the guest failed; see above)"; rm -f "scenarios/reference/$name.obs"; failed=1; }
done
exit "${failed:-0}"
