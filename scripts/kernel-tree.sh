#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs Debian's linux-source-VERSION (default 6.12) and unpacks the files
# the "kernel" teardown strategy reads into .deps/linux-source-VERSION, where
# CMake's MHPSIM_KERNEL_TREE looks by default. Idempotent.
#
#   bash scripts/kernel-tree.sh [6.12|6.1]
#   bash scripts/kernel-tree.sh 7.2|7.3     a later tree, for trees with fixes 6.12 lacks (docs/history.md)
#
# 6.12 and 6.1 come from the host's apt (bookworm-security, bookworm). A later
# version is downloaded through a private apt root under .deps/apt (trixie,
# its backports, forky, sid: the host's apt sources are left as they are) and
# only its .deb is unpacked; nothing is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-6.12}
dest=.deps/linux-source-$version
# mmu.c, init_64.c and riscv's init.c for the kernel strategy (arm64, x86-64, RISC-V); the memory-hotplug selftest for mhpsim mount's test (tests/mount.sh);
# nolibc for the reference lane's page census (reference/census.c).
files=(arch/arm64/mm/mmu.c mm/sparse-vmemmap.c arch/x86/mm/init_64.c arch/riscv/mm/init.c Makefile tools/testing/selftests/memory-hotplug/mem-on-off-test.sh tools/include/nolibc)
have=1
for f in "${files[@]}"; do [ -e "$dest/$f" ] || have=; done
[ -n "$have" ] && exit 0
tarball=/usr/src/linux-source-$version.tar.xz
# A later version than bookworm has: its package from a private apt root, unpacked under .deps/.
newer_tarball() {
  local root=$PWD/.deps/apt key=signed-by=/usr/share/keyrings/debian-archive-keyring.gpg
  mkdir -p "$root"/{lists/partial,archives/partial,etc,pkg}
  cat > "$root/etc/sources.list" <<SRC
deb [$key] http://deb.debian.org/debian trixie main
deb [$key] http://deb.debian.org/debian trixie-backports main
deb [$key] http://deb.debian.org/debian forky main
deb [$key] http://deb.debian.org/debian sid main
SRC
  : > "$root/status"
  local opts=(-o "Dir::State=$root" -o "Dir::State::Lists=$root/lists" -o "Dir::State::status=$root/status"
    -o "Dir::Cache=$root" -o "Dir::Cache::archives=$root/archives" -o "Dir::Etc::SourceList=$root/etc/sources.list"
    -o "Dir::Etc::SourceParts=/nonexistent" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
  apt-get "${opts[@]}" update -qq
  # The newest package of that version in any of the suites (backports and sid are pinned low: name it).
  local pkgver
  pkgver=$(apt-cache "${opts[@]}" madison "linux-source-$version" | awk '{print $3}' | sort -V | tail -1)
  [ -n "$pkgver" ] || { echo "kernel tree: no linux-source-$version in trixie, trixie-backports, forky or sid" >&2; exit 1; }
  echo "kernel tree: downloading linux-source-$version=$pkgver (about 160 MB)" >&2
  (cd "$root/archives" && apt-get "${opts[@]}" download -qq "linux-source-$version=$pkgver")
  dpkg-deb -x "$root"/archives/linux-source-"$version"_*.deb "$root/pkg"
  tarball=$root/pkg/usr/src/linux-source-$version.tar.xz
}
case $version in 6.1|6.12) ;; *) [ -f "$tarball" ] || newer_tarball ;; esac
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
case $tarball in "$PWD"/.deps/apt/*) rm -rf .deps/apt/pkg .deps/apt/archives/*.deb ;; esac   # the files are out
echo "kernel tree: $dest ($(sed -n 's/^SUBLEVEL = //p' "$dest/Makefile" | sed "s/^/$version./"))"
