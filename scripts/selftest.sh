#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel's own memory-hotplug selftest (mem-on-off-test.sh from Debian's
# linux-source-6.12, unmodified) against the simulated machine, reported in TAP:
# mhpsim mount serves /sys over FUSE, and the selftest runs in a mount namespace
# with it bound over /sys/devices/system/memory and /sys/kernel/debug.
#   bash scripts/selftest.sh [MODEL|SCENARIO.yaml]   mounts it, runs, unmounts (default: a scenario that
#                                                    plugs memory, scenarios/teaching/02-adding-memory.yaml;
#                                                    on a bare arm64 model boot memory cannot go offline)
#   bash scripts/selftest.sh --mounted DIR           against a mount that is already up at DIR
# Needs FUSE and mount namespaces (unshare -m): run as root, or where user namespaces allow it.
# Exit status: 0 the selftest passed, 1 it failed, 2 it could not be run.
set -euo pipefail
cd "$(dirname "$0")/.."
mhpsim=${MHPSIM:-build/mhpsim}
selftest=.deps/linux-source-6.12/tools/testing/selftests/memory-hotplug/mem-on-off-test.sh
cannot() { echo "TAP version 13"; echo "1..0 # SKIP $*"; exit 2; }
[ -f "$selftest" ] || bash scripts/kernel-tree.sh >/dev/null 2>&1 || cannot "no $selftest: bash scripts/kernel-tree.sh"
scratch=$(mktemp -d)
pid=
cleanup() {
  [ -z "$pid" ] || { fusermount3 -u "$scratch/mnt" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$scratch"
}
trap cleanup EXIT
if [ "${1:-}" = --mounted ]; then
  mnt=${2:?--mounted DIR}
else
  [ -x "$mhpsim" ] || cannot "no $mhpsim: bash scripts/main.sh builds it"
  mnt=$scratch/mnt
  mkdir -p "$mnt"
  "$mhpsim" mount "${1:-scenarios/teaching/02-adding-memory.yaml}" "$mnt" 2>"$scratch/mount.log" &
  pid=$!
  for _ in $(seq 100); do [ -e "$mnt/sys/devices/system/memory/block_size_bytes" ] && break; sleep 0.1; done
  [ -e "$mnt/sys/devices/system/memory/block_size_bytes" ] || cannot "the mount did not come up: $(tail -1 "$scratch/mount.log")"
fi
mem=$mnt/sys/devices/system/memory
# modprobe is a no-op: the injector is the mount's (mhpsim mount loads memory-notifier-error-inject).
printf '#!/bin/sh\nexit 0\n' > "$scratch/modprobe" && chmod +x "$scratch/modprobe"
status=0
unshare -m sh -c "mount --bind '$mem' /sys/devices/system/memory && mount -t debugfs none /sys/kernel/debug &&
  mount --bind '$mnt/sys/kernel/debug' /sys/kernel/debug &&
  { [ ! -e /sbin/modprobe ] || mount --bind '$scratch/modprobe' /sbin/modprobe; } &&
  bash '$PWD/$selftest'" > "$scratch/selftest.log" 2>&1 || status=$?
echo "TAP version 13"
echo "1..1"
sed 's/^/# /' "$scratch/selftest.log"
if [ "$status" -eq 0 ] && grep -q -- "-> Success" "$scratch/selftest.log"; then
  echo "ok 1 selftests: memory-hotplug: mem-on-off-test.sh"
else
  echo "not ok 1 selftests: memory-hotplug: mem-on-off-test.sh # exit status $status"
  exit 1
fi
