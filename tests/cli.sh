#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The command line as its users expect it: --version, help for each command on
# stdout, unknown options named, --opt=value, numbers checked, exit statuses
# kept (0 ok, 1 failed, 2 bad input or usage), the man page and completion.
set -u
mhpsim=$1
fail() { echo "cli test: $*"; exit 1; }
expect_status() {   # STATUS COMMAND...: runs it, its status must be STATUS; its output in $out
  local want=$1; shift
  out=$("$@" 2>&1); local got=$?
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, not $want: $out"
}

version=$(sed -n 's/^#define MHPSIM_VERSION "\(.*\)"$/\1/p' include/mhpsim/version.h)
[ "$("$mhpsim" --version)" = "mhpsim $version" ] || fail "--version is not 'mhpsim $version'"

# Help: the command's own usage, on stdout, exit 0; both spellings give the same text.
for cmd in run cat ptdump fuzz diff observe reference-steps reference-diff draw report mount invariants mutants help completion; do
  h1=$("$mhpsim" help "$cmd" 2>/dev/null) || fail "mhpsim help $cmd failed"
  h2=$("$mhpsim" "$cmd" --help 2>/dev/null) || fail "mhpsim $cmd --help failed"
  [ "$h1" = "$h2" ] || fail "help $cmd and $cmd --help differ"
  [[ "$h1" == "usage: mhpsim $cmd"* ]] || fail "help $cmd does not start with its usage: $h1"
done
expect_status 0 "$mhpsim" help
[[ "$out" == *"commands:"*"exit status: 0 ok; 1 "* ]] || fail "mhpsim help lists no commands or exit statuses"
expect_status 2 "$mhpsim"
expect_status 2 "$mhpsim" no-such-command
[[ "$out" == *"'no-such-command' is not a command"* ]] || fail "an unknown command is not named: $out"
expect_status 2 "$mhpsim" help no-such-command

# Unknown options are named; --opt=value is an option with its value.
expect_status 2 "$mhpsim" run --bogus scenarios/03-refusals.yaml
[[ "$out" == *"unrecognized option '--bogus'"*"usage: mhpsim run"* ]] || fail "--bogus is not named: $out"
expect_status 0 "$mhpsim" run --quiet --teardown=arm64 scenarios/03-refusals.yaml
expect_status 2 "$mhpsim" run --max-memory=12X scenarios/03-refusals.yaml
[[ "$out" == *"--max-memory: '12X' is not a size"* ]] || fail "a bad size is not named: $out"

# run --cmdline adds words after the scenario's command line; mhpsim's own what-if words are checked.
expect_status 0 "$mhpsim" run --quiet scenarios/53-boot-memory-guard.yaml
expect_status 1 "$mhpsim" run --quiet --cmdline mhpsim.bootmem=allow scenarios/53-boot-memory-guard.yaml
[[ "$out" == *"invariant COUNTERS"* ]] || fail "--cmdline mhpsim.bootmem=allow did not reach the boot: $out"
expect_status 1 "$mhpsim" run --quiet --cmdline mhpsim.bootmem=bogus scenarios/53-boot-memory-guard.yaml
[[ "$out" == *"53-boot-memory-guard.yaml:1:1: error: boot failed: mhpsim.bootmem=bogus: expected veto"* ]] ||
  fail "a bad mhpsim.bootmem is not named: $out"
expect_status 1 "$mhpsim" run --quiet --cmdline mhpsim.strict_tlb=2 scenarios/53-boot-memory-guard.yaml
[[ "$out" == *"mhpsim.strict_tlb=2: expected 1 or 0"* ]] || fail "a bad mhpsim.strict_tlb is not named: $out"
expect_status 1 "$mhpsim" run --quiet --cmdline mhpsim.strict_bug=yes scenarios/53-boot-memory-guard.yaml
[[ "$out" == *"mhpsim.strict_bug=yes: expected 1 or 0"* ]] || fail "a bad mhpsim.strict_bug is not named: $out"
# Without mhpsim.strict_bug (a later word wins) the failed add unwinds, and PT-COVER holds.
expect_status 1 "$mhpsim" run --quiet --cmdline mhpsim.strict_bug=0 scenarios/55-strict-bug-partial-map.yaml
[[ "$out" == *"expected invariant PT-COVER to fail, but every invariant held"* ]] ||
  fail "mhpsim.strict_bug=0 did not unwind the failed add: $out"
long=$(printf 'x%.0s' $(seq 1100))
expect_status 1 "$mhpsim" run --quiet --cmdline "$long" scenarios/53-boot-memory-guard.yaml
[[ "$out" == *"kernel command line longer than"* ]] || fail "an over-long --cmdline is not refused: $out"
# The tree's own code frees boot memory as 6.12 does: the reserved what-if is the model's alone.
if "$mhpsim" run --quiet --teardown kernel scenarios/03-refusals.yaml >/dev/null 2>&1; then
  expect_status 1 "$mhpsim" run --quiet --teardown kernel --cmdline mhpsim.bootmem=reserved scenarios/53-boot-memory-guard.yaml
  [[ "$out" == *"mhpsim.bootmem=reserved is a change to it that only the model's strategies make"* ]] ||
    fail "kernel with mhpsim.bootmem=reserved is not refused: $out"
fi

# Numbers are checked, whole.
expect_status 2 "$mhpsim" fuzz --seed x --steps 1
[[ "$out" == *"--seed: 'x' is not a whole number"* ]] || fail "--seed x: $out"
expect_status 2 "$mhpsim" fuzz --seed 1 --steps 1e6
expect_status 2 "$mhpsim" fuzz --seed 1 --steps -5
expect_status 2 "$mhpsim" fuzz --seed 1 --steps 99999999999999999999999
expect_status 2 "$mhpsim" fuzz --seed 1 --steps 5 stray
expect_status 2 "$mhpsim" ptdump qemu-virt-arm64-4k foo bar
expect_status 2 "$mhpsim" ptdump qemu-virt-arm64-4k 0x2000 0x1000
expect_status 0 "$mhpsim" fuzz --seed=3 --steps=20

# fuzz --out: a missing directory is made before the run; one it cannot make is refused before it, not after.
outdir=$(mktemp -d)
expect_status 1 "$mhpsim" fuzz --seed 1 --steps 300 --mutant offline-forgets-totalram --out "$outdir/new"
[ -f "$outdir/new/fuzz-offline-forgets-totalram-seed1.yaml" ] || fail "fuzz --out did not make its directory: $out"
expect_status 2 "$mhpsim" fuzz --seed 1 --steps 300 --mutant offline-forgets-totalram --out "$outdir/no/such"
[[ "$out" == *"--out $outdir/no/such: cannot make the directory"* && "$out" != *"violation"* ]] ||
  fail "an --out that cannot be made is not refused before the run: $out"
rm -rf "$outdir"

# Exit statuses: a failed expectation is 1, a bad file 2.
expect_status 1 "$mhpsim" run --quiet --mutant offline-forgets-totalram scenarios/01-flagship-tour.yaml
expect_status 2 "$mhpsim" run tests/bad/01-unknown-top-key.yaml
expect_status 2 "$mhpsim" cat no-such-model /proc/meminfo
[[ "$out" == *"model 'no-such-model' not found"* ]] || fail "a missing model is not named: $out"

# Several scenarios for a CI system: TAP on stdout, JUnit XML beside, the worst outcome as the status.
junit=$(mktemp)
expect_status 2 "$mhpsim" run --tap --junit "$junit" scenarios/03-refusals.yaml tests/bad/01-unknown-top-key.yaml
[ "$(head -n 4 <<<"$out" | sed 's/ #.*//')" = "TAP version 13
1..2
ok 1 scenarios/03-refusals.yaml
not ok 2 tests/bad/01-unknown-top-key.yaml" ] || fail "--tap: $out"
python3 - "$junit" <<'PY' || fail "--junit: $(cat "$junit")"
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot()
assert s.tag == "testsuite" and s.get("tests") == "2" and s.get("errors") == "1" and s.get("failures") == "0"
cases = s.findall("testcase")
assert [c.get("name") for c in cases] == ["scenarios/03-refusals.yaml", "tests/bad/01-unknown-top-key.yaml"]
assert cases[1].find("error").get("message").startswith("tests/bad/01-unknown-top-key.yaml:4:1: error:")
PY
expect_status 1 "$mhpsim" run --tap --mutant offline-forgets-totalram scenarios/01-flagship-tour.yaml
[[ "$out" == *"not ok 1 scenarios/01-flagship-tour.yaml"*"# scenarios/01-flagship-tour.yaml:"*"COUNTERS"* ]] ||
  fail "--tap failure: $out"
rm -f "$junit"

# The man page names every command; it renders where groff is.
man=$("$mhpsim" help --man) || fail "help --man failed"
[[ "$man" == ".TH MHPSIM 1 "* ]] || fail "the man page has no .TH line"
for cmd in run cat ptdump fuzz diff draw report mount; do
  grep -q "^\.SS $cmd$" <<<"$man" || fail "the man page has no section for $cmd"
done
if command -v groff >/dev/null; then
  warn=$(groff -man -Tutf8 -ww <<<"$man" 2>&1 >/dev/null)
  [ -z "$warn" ] || fail "groff warns about the man page: $warn"
fi

# Page runs are never refused as they are written: the check after a step stops the run that they took past
# its budget. 2048 pages allocated as one run, then every other one freed, each free a run more.
runs=$(mktemp --suffix=.yaml)
{ printf 'scenario: page-runs-past-the-budget\nmodel: qemu-virt-arm64-4k\nkernel_allocations: false\nsteps:\n'
  printf '  - alloc: { kind: anon, pages: 2048, tag: 1 }\n'
  for t in $(seq 1 2 2047); do printf '  - free: { tag: %d, pages: 1 }\n' "$t"; done; } > "$runs"
expect_status 0 "$mhpsim" run --quiet --max-memory 1M "$runs"
expect_status 1 "$mhpsim" run --quiet --max-memory 140K "$runs"
[[ "$out" =~ step\ [0-9]+\ \(free\):\ host\ memory\ budget:\ .*\ past\ its\ budget\ of\ 143360\ \(--max-memory\):\ the\ page\ runs\ this\ step\ wrote ]] ||
  fail "page runs past the budget did not stop the run: $out"
rm -f "$runs"
# A fuzz run the budget stopped: its replay line gives the budget again, and that replay stops too.
fz=$(mktemp -d)
expect_status 1 "$mhpsim" fuzz --seed 2026 --steps 2000 --model qemu-virt-arm64-4k --max-memory 1M --out "$fz"
replay=$(sed -n 's/^# Replay: mhpsim run \(.*\)  (breaks host memory budget)$/\1/p' "$fz"/fuzz-real-seed2026.yaml)
[ "$replay" = "--max-memory 1048576 $fz/fuzz-real-seed2026.yaml" ] || fail "the replay line lacks the budget: $replay"
expect_status 1 "$mhpsim" run --quiet $replay
[[ "$out" == *"host memory budget: "* ]] || fail "the replay with its budget did not stop on it: $out"
rm -rf "$fz"

# Completion: commands, then a command's options.
source <("$mhpsim" completion bash) || fail "the completion script does not load"
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _mhpsim; echo "${COMPREPLY[*]}"; }
[[ " $(complete_words mhpsim ru) " == *" run "* ]] || fail "completion does not offer run"
[[ " $(complete_words mhpsim fuzz --se) " == *" --seed "* ]] || fail "completion does not offer fuzz --seed"
[[ " $(complete_words mhpsim help pt) " == *" ptdump "* ]] || fail "completion does not offer help ptdump"
expect_status 2 "$mhpsim" completion zsh
echo "cli test: ok"
