#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Every source file says its licence in an SPDX line near its top (REUSE.toml
# covers the data that cannot), and LICENSE holds the text it names.
set -euo pipefail
grep -q "GNU GENERAL PUBLIC LICENSE" LICENSE && grep -q "Version 2, June 1991" LICENSE ||
  { echo "LICENSE is not the GPL version 2"; exit 1; }
missing=0
while IFS= read -r f; do
  case "$f" in
    tests/layers-mutant/*|tests/exports-mutant/*) continue ;;   # test data: its line numbers are what it tests
    *.c|*.h|*.sh|*.py|*.cmake|*.in|*CMakeLists.txt|reference/guest-init) ;;
    *) continue ;;
  esac
  head -n 3 "$f" | grep -q "SPDX-License-Identifier: GPL-2.0-only" || { echo "no SPDX line: $f"; missing=$((missing + 1)); }
done < <(git ls-files 2>/dev/null || find . -path ./build -prune -o -type f -print | sed 's|^\./||')
[ "$missing" -eq 0 ] || { echo "$missing source file(s) without an SPDX line"; exit 1; }
echo "spdx: every source file carries GPL-2.0-only"
