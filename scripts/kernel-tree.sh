#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs Debian's linux-source-VERSION (default 6.12) and unpacks the files
# the "kernel" teardown strategy reads into .deps/linux-source-VERSION, where
# CMake's MHPSIM_KERNEL_TREE looks by default. Idempotent.
#
#   bash scripts/kernel-tree.sh [6.12|6.1]
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-6.12}
dest=.deps/linux-source-$version
# mmu.c, init_64.c and riscv's init.c for the kernel strategy (arm64, x86-64, RISC-V); the memory-hotplug selftest for mhpsim mount's test (tests/mount.sh);
# nolibc for the reference lane's page census (reference/census.c).
files=(arch/arm64/mm/mmu.c arch/x86/mm/init_64.c arch/riscv/mm/init.c Makefile tools/testing/selftests/memory-hotplug/mem-on-off-test.sh tools/include/nolibc)
have=1
for f in "${files[@]}"; do [ -e "$dest/$f" ] || have=; done
[ -n "$have" ] && exit 0
tarball=/usr/src/linux-source-$version.tar.xz
if [ ! -f "$tarball" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "kernel tree: installing linux-source-$version with apt-get" >&2
  $SUDO apt-get update -qq
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "linux-source-$version" \
      >/dev/null; then
    # Bookworm carries 6.12 in its security suite (bookworm-security) and 6.1 in main.
    echo "kernel tree: apt-get cannot install linux-source-$version: add bookworm-security to the apt sources" \
         "(deb http://security.debian.org/debian-security bookworm-security main), or build without the kernel" \
         "strategy: cmake -S . -B build -DMHPSIM_KERNEL_TREE=OFF" >&2
    exit 1
  fi
fi
mkdir -p .deps
tar -xJf "$tarball" -C .deps "${files[@]/#/linux-source-$version/}"
echo "kernel tree: $dest ($(sed -n 's/^SUBLEVEL = //p' "$dest/Makefile" | sed "s/^/$version./"))"
