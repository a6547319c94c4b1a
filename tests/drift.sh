#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# reference/record.sh --drift's comparison: the kernel's boot-to-boot noise of one
# reserved page is not drift; any other change is, and is shown.
set -eu
out=$1
mkdir -p "$out"
golden=$out/golden.obs
printf '# reference record: x\n### step 0: boot\nresult: ok\nMemTotal: 991616 kB\n  DMA     start_pfn=262144 spanned=262144 present=262144 managed=247904\n' > "$golden"
sed 's/991616/991620/; s/managed=247904/managed=247905/; s/^# reference record: x/# reference record: y/' "$golden" > "$out/noise.obs"
python3 reference/driver.py drift "$golden" "$out/noise.obs" > "$out/noise.txt"
grep -q "golden: no drift (2 lines within one boot page" "$out/noise.txt"
sed 's/^result: ok/result: error EBUSY (Device or resource busy)/' "$golden" > "$out/changed.obs"
if python3 reference/driver.py drift "$golden" "$out/changed.obs" > "$out/changed.txt"; then
  echo "a changed result was not reported as drift"; exit 1
fi
grep -q "+ result: error EBUSY" "$out/changed.txt"
echo "drift: noise ignored, a change reported"
