#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# mhpsim mount against the tools written for the kernel: the modes and errnos
# of the files, lsmem --sysroot, chmem and the kernel's own memory-hotplug
# selftest (unmodified, from Debian's linux-source-6.12) in a mount namespace,
# and a state that survives SIGTERM. Skipped (77), never passed, where FUSE or
# mount namespaces are not available.
#   tests/mount.sh MHPSIM OUTDIR
set -euo pipefail
mhpsim=$(realpath "$1") out=$2
skip() { echo "mount test skipped: $*"; exit 77; }
fail() { echo "mount test: $*"; exit 1; }
[ -c /dev/fuse ] || skip "no /dev/fuse"
command -v fusermount3 >/dev/null || skip "no fusermount3 (apt-get install fuse3)"
unshare -m true 2>/dev/null || skip "no mount namespaces (unshare -m)"
unshare -m sh -c 'mount -t debugfs none /sys/kernel/debug' 2>/dev/null || skip "cannot mount debugfs in a namespace"
"$mhpsim" mount 2>&1 | grep -q "built without libfuse3" && skip "mhpsim was built without libfuse3"
# Bad arguments: the usage line, and a scenario's YAML error with its file:line:column.
err=$("$mhpsim" mount 2>&1) && fail "a mount without arguments succeeded"
[[ "$err" == *"usage: mhpsim mount "* ]] || fail "no usage line: '$err'"
err=$("$mhpsim" mount tests/bad/01-unknown-top-key.yaml "$PWD" 2>&1) && fail "a bad scenario mounted"
[[ "$err" == "mhpsim mount: tests/bad/01-unknown-top-key.yaml:4:1: error: unknown key 'author'"* ]] || fail "bad scenario: '$err'"
err=$("$mhpsim" mount no-such-model "$PWD" 2>&1) && fail "a missing model mounted"
[[ "$err" == *"model 'no-such-model' not found (looked for models/no-such-model.yaml"* ]] || fail "missing model: '$err'"
selftest=.deps/linux-source-6.12/tools/testing/selftests/memory-hotplug/mem-on-off-test.sh
have_selftest=1   # without the tree the rest still runs, and the test then reports itself skipped
[ -f "$selftest" ] || have_selftest=

rm -rf "$out" && mkdir -p "$out/mnt"
mnt=$out/mnt state=$out/state.snap mem=$out/mnt/sys/devices/system/memory
pid=
start() {
  "$mhpsim" mount --state "$state" scenarios/teaching/02-adding-memory.yaml "$mnt" 2>>"$out/mount.log" &
  pid=$!
  for _ in $(seq 100); do [ -e "$mem/memory17/state" ] && return 0; sleep 0.1; done
  kill "$pid" 2>/dev/null || true
  grep -q "fuse: " "$out/mount.log" && skip "FUSE mounts are refused here: $(tail -1 "$out/mount.log")"
  fail "the mount did not come up: $(cat "$out/mount.log")"
}
stop() { kill -TERM "$pid"; wait "$pid" || fail "mhpsim mount exited with $? on SIGTERM"; pid=; }
trap '[ -n "$pid" ] && { fusermount3 -u "$mnt" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; }' EXIT
start

# The modes and contents of 6.12; a write's errno is the kernel's.
modes=$(cd "$mem" && stat -c '%a %n' block_size_bytes auto_online_blocks memory16/state memory16/online \
  memory16/valid_zones memory16/phys_index ../../../kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error)
[ "$modes" = "444 block_size_bytes
644 auto_online_blocks
644 memory16/state
644 memory16/online
444 memory16/valid_zones
444 memory16/phys_index
600 ../../../kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error" ] || fail "modes: $modes"
[ "$(readlink "$mem/memory16/node0")" = ../../node/node0 ] || fail "memory16/node0 link"
[ "$(cat "$mem/memory16/valid_zones")" = "Normal Movable" ] || fail "valid_zones"
err=$( { echo bogus > "$mem/memory16/state"; } 2>&1 || true)
[[ "$err" == *"Invalid argument"* ]] || fail "a bad state write: '$err'"
err=$( { echo 1 > "$mem/memory16/valid_zones"; } 2>&1 || true)
[[ "$err" == *"Permission denied"* ]] || fail "a write to a 0444 file: '$err'"
# Names are sysfs's to make and remove: a create is EACCES, the rest EPERM (fs/namei.c, fs/kernfs/dir.c).
expect_err() { local want=$1; shift; err=$("$@" 2>&1) && fail "$* succeeded"; [[ "$err" == *"$want"* ]] || fail "$*: '$err'"; }
expect_err "Permission denied" touch "$mem/newfile"
expect_err "Operation not permitted" mkdir "$mem/newdir"
expect_err "Operation not permitted" rmdir "$mem/memory16"
expect_err "Operation not permitted" rm -f "$mem/memory16/state"
expect_err "Operation not permitted" ln -s memory16 "$mem/alias"
expect_err "Operation not permitted" ln "$mem/memory16/state" "$mem/state2"
expect_err "Operation not permitted" mv "$mem/memory16/state" "$mem/memory16/state2"
# Paths walk as in sysfs: a file is not a directory, links lead where they point.
expect_err "Not a directory" cat "$mem/memory16/state/"
[ "$(cat "$mem/memory16/node0/memory16/state")" = "$(cat "$mem/memory16/state")" ] || fail "through the node0 link"
# The files every device has and a node's own: listed, stat-able (ls -l), with 6.12's modes and text.
node=$mnt/sys/devices/system/node/node0
[ "$(stat -c '%a %n' "$mem/hard_offline_page" "$node/compact" "$node/cpulist" "$mem/uevent")" = "200 $mem/hard_offline_page
200 $node/compact
444 $node/cpulist
644 $mem/uevent" ] || fail "modes of the device files"
ls -l "$mem" "$node" "$node/power" "$node/memory_failure" > /dev/null || fail "ls -l of the memory and node directories"
[ "$(cat "$node/cpulist" "$node/distance" "$node/power/runtime_status")" = "0-1
10
unsupported" ] || fail "node0's cpulist, distance, power/runtime_status"
err=$(cat "$mem/soft_offline_page" 2>&1 || true)
[[ "$err" == *"Permission denied"* ]] || fail "a read of a write-only file: '$err'"
[ "$(readlink "$node/subsystem")" = ../../../../bus/node ] || fail "node0/subsystem link"

# lsmem reads the mount as it reads /sys (its output for this state: tests/mount-lsmem.expected).
lsmem --sysroot "$mnt" > "$out/lsmem.txt"
diff -u tests/mount-lsmem.expected "$out/lsmem.txt" || fail "lsmem --sysroot differs"

# chmem in a mount namespace, the mount bound over /sys/devices/system/memory: its writes reach the model.
unshare -m sh -c "mount --bind '$mem' /sys/devices/system/memory && chmem -e 0x80000000-0x8fffffff" ||
  fail "chmem -e"
[ "$(cat "$mem/memory16/state" "$mem/memory17/state" | tr '\n' ' ')" = "online online " ] || fail "chmem did not online"

# The kernel's selftest, unmodified, through the wrapper a user runs (scripts/selftest.sh): TAP, ok.
if [ -n "$have_selftest" ]; then
  bash scripts/selftest.sh --mounted "$mnt" > "$out/selftest.tap" 2>&1 ||
    { cat "$out/selftest.tap"; fail "mem-on-off-test.sh failed"; }
  grep -q "^ok 1 selftests: memory-hotplug: mem-on-off-test.sh$" "$out/selftest.tap" || fail "no TAP ok line"
  grep -q -- "^# -> Success" "$out/selftest.tap" || fail "the selftest offlined nothing"
fi

# SIGTERM, then a mount with the same state: nothing lost.
echo offline > "$mem/memory17/state"
echo -7 > "$mnt/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error"
stop
[ -s "$state" ] && [ ! -e "$state.tmp" ] || fail "no state file after SIGTERM"
start
[ "$(cat "$mem/memory17/state")" = offline ] || fail "memory17's state was lost"
[ "$(cat "$mnt/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_OFFLINE/error")" = -7 ] ||
  fail "the injected error was lost"
stop
[ -n "$have_selftest" ] || skip "the kernel's selftest is not here ($selftest): bash scripts/kernel-tree.sh (the rest passed)"
echo "mount test: modes, errnos, lsmem, chmem, the kernel's selftest and a resumed state all as the kernel"
