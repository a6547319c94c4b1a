#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A build without a kernel tree (cmake -DMHPSIM_KERNEL_TREE=OFF) is honest
# about it: every command that needs the kernel strategy says so in one line,
# with what builds it, and exits 2; diff never reports a disagreement it did
# not observe.
set -u
mhpsim=$1
fail() { echo "no-kernel test: $*"; exit 1; }
for args in "run --teardown kernel scenarios/11-pgtable-teardown.yaml" \
            "run --teardown kernel scenarios/11-pgtable-teardown.yaml scenarios/03-refusals.yaml" \
            "fuzz --strategy kernel --steps 5" "fuzz --differential kernel --steps 5" \
            "ptdump --teardown kernel scenarios/11-pgtable-teardown.yaml" \
            "diff scenarios/11-pgtable-teardown.yaml" "diff scenarios/11-pgtable-teardown.yaml kernel arm64"; do
  out=$($mhpsim $args 2>&1); status=$?
  [ "$status" -eq 2 ] || fail "mhpsim $args exited $status, not 2: $out"
  [ "$(wc -l <<<"$out")" -eq 1 ] || fail "mhpsim $args says more than one line: $out"
  [[ "$out" == *"the kernel teardown strategy is not built into this mhpsim: bash scripts/kernel-tree.sh"* ]] ||
    fail "mhpsim $args does not say what is missing: $out"
  [[ "$out" != *disagree* ]] || fail "mhpsim $args reports a disagreement: $out"
done
echo "no-kernel test: ok"
