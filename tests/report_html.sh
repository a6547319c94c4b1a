#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# mhpsim report in headless Chromium: the page loads, its script runs, it holds
# every step with its pictures and invariants, the step named in the address is
# the one shown, and a screenshot is taken. Skipped (77) without Chromium.
#   tests/report_html.sh MHPSIM OUTDIR
set -eu
mhpsim=$1 out=$2
command -v chromium >/dev/null 2>&1 || { echo "chromium is not installed: skipped"; exit 77; }
mkdir -p "$out"
scenario=scenarios/teaching/05-removal-and-teardown.yaml
"$mhpsim" report "$scenario" -o "$out/report.html"
browse() {
  timeout 120 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$out/chromium" \
    --virtual-time-budget=5000 "$@" 2>/dev/null
}
browse --dump-dom "file://$out/report.html#step-5" > "$out/report.dom"
fail() { echo "report_html: $*"; exit 1; }
steps=$(grep -c '^  - ' "$scenario")   # one page per step, and one for boot
grep -q "data-ready=\"$((steps + 1))\"" "$out/report.dom" || fail "the script did not run over $((steps + 1)) pages"
[ "$(grep -o '<li class="step' "$out/report.dom" | wc -l)" -eq $((steps + 1)) ] || fail "the step list is not $((steps + 1)) long"
[ "$(grep -o '<section class="step current"' "$out/report.dom" | wc -l)" -eq 1 ] || fail "not exactly one step shown"
grep -q '<section class="step current" id="step-5">' "$out/report.dom" || fail "#step-5 is not the step shown"
grep -q '<h3>page tables</h3>' "$out/report.dom" || fail "no page-table picture"
[ "$(grep -o '<div class="map"><svg' "$out/report.dom" | wc -l)" -eq $((steps + 1)) ] || fail "a step lacks its memory map"
grep -q 'free_hotplug_pgtable_page()' "$out/report.dom" || fail "the narration does not name the kernel functions"
grep -q '<td class="held">held</td><td>PT-LEAK</td>' "$out/report.dom" || fail "no invariant table"
browse --screenshot="$out/report.png" --window-size=1280,900 "file://$out/report.html#step-5" >/dev/null
[ "$(head -c 8 "$out/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
[ "$(wc -c < "$out/report.png")" -gt 20000 ] || fail "the screenshot is nearly empty"
echo "report_html: $((steps + 1)) pages, step 5 shown, screenshot $out/report.png"
