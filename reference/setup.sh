#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The reference lane's set-up on Debian bookworm (docs/reference.md):
#  - QEMU 10 (qemu-system-arm from bookworm-backports: 7.2 lacks virtio-mem on arm64);
#  - Debian's arm64 kernel 6.12 (4K and 16K flavours) and busybox-static for arm64,
#    downloaded, not installed, through a private apt configuration with arm64 added;
#  - virtio_mem.ko and the notifier-error-inject modules taken out of the kernel package;
#  - one busybox initramfs per flavour, with reference/guest-init as its /init and
#    reference/census.c cross-compiled (gcc-aarch64-linux-gnu, the kernel tree's nolibc) as /bin/census.
#  - riscv64 (issue 23): QEMU 10's qemu-system-riscv, Debian trixie's riscv64 6.12 kernel and busybox-static
#    through a second private apt root (trixie, trixie-security), the census with gcc-riscv64-linux-gnu.
# Everything lands in .deps/reference/. Idempotent; TCG only, no KVM needed. What it adds to the
# host (an apt source, packages) it says on stderr before it does it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.deps/reference
mkdir -p "$out"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# QEMU 10 and the host tools the driver uses: said before anything on the host changes.
if ! qemu-system-aarch64 --version 2>/dev/null | grep -q "version 10\."; then
  echo "reference/setup.sh: adding apt source /etc/apt/sources.list.d/mhpsim-backports.list (bookworm-backports)" >&2
  echo "reference/setup.sh: then installing qemu-system-arm (QEMU 10) from it with apt-get" >&2
  echo "deb http://deb.debian.org/debian bookworm-backports main" | $SUDO tee /etc/apt/sources.list.d/mhpsim-backports.list >/dev/null
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports qemu-system-arm >/dev/null
fi
for p in python3 cpio xz-utils zstd gcc-aarch64-linux-gnu linux-libc-dev-arm64-cross linux-libc-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
  echo "reference/setup.sh: installing $p with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done

# A private apt root for arm64 downloads: the host's apt is left as it is.
apt_root=$PWD/$out/apt
mkdir -p "$apt_root"/{lists/partial,archives/partial,etc}
cat > "$apt_root/etc/sources.list" <<SRC
deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main
SRC
: > "$apt_root/status"
apt_opts=(-o "Dir::State=$apt_root" -o "Dir::State::Lists=$apt_root/lists" -o "Dir::State::status=$apt_root/status"
  -o "Dir::Cache=$apt_root" -o "Dir::Cache::archives=$apt_root/archives" -o "Dir::Etc::SourceList=$apt_root/etc/sources.list"
  -o "Dir::Etc::SourceParts=/nonexistent" -o "APT::Architecture=arm64" -o "APT::Architectures=arm64"
  -o "Debug::NoLocking=1")
if [ ! -f "$out/kernel-version" ]; then
  apt-get "${apt_opts[@]}" update -qq
  # The newest 6.12 arm64 image in backports, 4K pages and the 16K flavour.
  ver=$(apt-cache "${apt_opts[@]}" search '^linux-image-6\.12\.[0-9.]+\+deb12-arm64-unsigned$' | awk '{print $1}' |
        sed 's/^linux-image-//; s/-arm64-unsigned$//' | sort -V | tail -1)
  [ -n "$ver" ] || { echo "reference/setup.sh: no linux-image-6.12 for arm64 found" >&2; exit 1; }
  (cd "$out" && apt-get "${apt_opts[@]}" download -qq "linux-image-$ver-arm64-unsigned" \
     "linux-image-$ver-arm64-16k-unsigned" "busybox-static:arm64")
  echo "$ver" > "$out/kernel-version"
fi
ver=$(cat "$out/kernel-version")

# nolibc, from the kernel tree, for the census.
bash scripts/kernel-tree.sh >/dev/null
nolibc=$PWD/.deps/linux-source-6.12/tools/include/nolibc

# One initramfs per flavour: busybox, the init, and the modules uncompressed (busybox insmod reads plain .ko).
#   initramfs LANE-FLAVOUR KERNEL-FLAVOUR KERNEL-VERSION BUSYBOX-ARCH CC [DEB-SUFFIX]
# DEB-SUFFIX: what follows the flavour in the image's package name (bookworm's -unsigned; trixie's riscv64
# image has none). Bookworm's packages put the kernel at boot/vmlinuz-*, modules under lib/ and busybox in
# bin/; trixie's (merged /usr) put modules under usr/lib/ and busybox in usr/bin/, and its riscv64 kernel
# is boot/vmlinux-* (an Image, which QEMU's -kernel boots as it is).
initramfs() {
  local lane=$1 flavour=$2 ver=$3 bbarch=$4 cc=$5 suffix=${6--unsigned}
  local dir=$out/$lane
  [ -f "$dir/initramfs.cpio.gz" ] && [ "$dir/initramfs.cpio.gz" -nt reference/guest-init ] &&
    [ "$dir/initramfs.cpio.gz" -nt reference/census.c ] && return 0
  rm -rf "$dir" && mkdir -p "$dir/pkg" "$dir/root"/{bin,dev,proc,sys,mnt,lib/modules}
  dpkg-deb -x "$out"/linux-image-"$ver"-"$flavour""$suffix"_*.deb "$dir/pkg"
  if [ -f "$dir/pkg/boot/vmlinuz-$ver-$flavour" ]; then
    cp "$dir/pkg/boot/vmlinuz-$ver-$flavour" "$dir/vmlinuz"
  else
    cp "$dir/pkg/boot/vmlinux-$ver-$flavour" "$dir/vmlinux"
  fi
  cp "$dir/pkg/boot/config-$ver-$flavour" "$dir/config"
  for m in virtio_mem notifier-error-inject memory-notifier-error-inject; do
    f=$(find "$dir/pkg" -path "*/lib/modules/*" -name "$m.ko*" | head -1)
    if [ -z "$f" ]; then
      # Debian's riscv64 6.12 has "# CONFIG_VIRTIO_MEM is not set": no module to take (and QEMU no device).
      [ "$m" = virtio_mem ] && grep -qx '# CONFIG_VIRTIO_MEM is not set' "$dir/config" && continue
      echo "reference/setup.sh: $m.ko not in the $flavour image" >&2; exit 1
    fi
    case $f in
      *.xz) xz -dc "$f" > "$dir/root/lib/modules/$m.ko" ;;
      *.zst) zstd -qdc "$f" > "$dir/root/lib/modules/$m.ko" ;;
      *) cp "$f" "$dir/root/lib/modules/$m.ko" ;;
    esac
  done
  local bb=$dir/bb
  mkdir -p "$bb" && dpkg-deb -x "$out"/busybox-static_*_"$bbarch".deb "$bb"
  if [ -f "$bb/bin/busybox" ]; then cp "$bb/bin/busybox" "$dir/root/bin/busybox"; else cp "$bb/usr/bin/busybox" "$dir/root/bin/busybox"; fi
  cp reference/guest-init "$dir/root/init"
  chmod +x "$dir/root/init"
  # The initrd is padded with zeros (which the kernel's unpacker skips) to 8 KiB past what it was
  # without the census: its size stays what the QEMU models' initrd: says (1019568 bytes for arm64:
  # 249 pages reserved, 248 freed), census or not.
  local size=$( (cd "$dir/root" && find . | cpio -o -H newc --quiet | gzip -9) | wc -c)
  # The page census (reference/census.c): static, on nolibc, a few kilobytes compressed.
  $cc -Os -static -nostdlib -ffreestanding -fno-asynchronous-unwind-tables -fno-ident -s \
    -Wall -Wextra -Werror -include "$nolibc/nolibc.h" -I"$nolibc" -o "$dir/root/bin/census" reference/census.c -lgcc
  (cd "$dir/root" && find . | cpio -o -H newc --quiet | gzip -9) > "$dir/initramfs.cpio.gz"
  local pad=$((size + 8192 - $(wc -c < "$dir/initramfs.cpio.gz")))
  [ "$pad" -ge 0 ] || { echo "reference/setup.sh: the census outgrew the initrd's padding" >&2; exit 1; }
  head -c "$pad" /dev/zero >> "$dir/initramfs.cpio.gz"
  rm -rf "$dir/pkg" "$bb"
}
for flavour in arm64 arm64-16k; do
  initramfs "$flavour" "$flavour" "$ver" arm64 aarch64-linux-gnu-gcc
done

# x86-64 (issue 20): QEMU 10's qemu-system-x86_64 (q35, TCG), Debian's amd64 6.12 kernel and
# busybox-static, downloaded (not installed) with the host's own apt and architecture.
if ! qemu-system-x86_64 --version 2>/dev/null | grep -q "version 10\."; then
  echo "reference/setup.sh: installing qemu-system-x86 (QEMU 10) from bookworm-backports with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports qemu-system-x86 >/dev/null
fi
if [ ! -f "$out/kernel-version-x86_64" ]; then
  $SUDO apt-get update -qq
  xver=$(apt-cache search '^linux-image-6\.12\.[0-9.]+\+deb12-amd64-unsigned$' | awk '{print $1}' |
         sed 's/^linux-image-//; s/-amd64-unsigned$//' | sort -V | tail -1)
  [ -n "$xver" ] || { echo "reference/setup.sh: no linux-image-6.12 for amd64 found" >&2; exit 1; }
  (cd "$out" && apt-get download -qq "linux-image-$xver-amd64-unsigned" "busybox-static:amd64" 2>/dev/null)
  echo "$xver" > "$out/kernel-version-x86_64"
fi
xver=$(cat "$out/kernel-version-x86_64")
# Debian's flavour is amd64; the lane's directory is x86_64, as the model's arch says.
initramfs x86_64 amd64 "$xver" amd64 gcc

# riscv64 (issue 23): QEMU 10's qemu-system-riscv64 (virt, OpenSBI's -bios default, TCG), and Debian
# trixie's riscv64 6.12 kernel and busybox-static, downloaded (not installed) through a second private
# apt root with riscv64 as its architecture: bookworm has no riscv64 port, trixie (13) does, and its
# security suite carries the newest 6.12. The census is cross-compiled with gcc-riscv64-linux-gnu.
if ! qemu-system-riscv64 --version 2>/dev/null | grep -q "version 10\."; then
  echo "reference/setup.sh: installing qemu-system-riscv (QEMU 10) from bookworm-backports with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports qemu-system-riscv >/dev/null
fi
for p in gcc-riscv64-linux-gnu linux-libc-dev-riscv64-cross; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
  echo "reference/setup.sh: installing $p with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done
rv_root=$PWD/$out/apt-riscv64
mkdir -p "$rv_root"/{lists/partial,archives/partial,etc}
cat > "$rv_root/etc/sources.list" <<SRC
deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security trixie-security main
SRC
: > "$rv_root/status"
rv_opts=(-o "Dir::State=$rv_root" -o "Dir::State::Lists=$rv_root/lists" -o "Dir::State::status=$rv_root/status"
  -o "Dir::Cache=$rv_root" -o "Dir::Cache::archives=$rv_root/archives" -o "Dir::Etc::SourceList=$rv_root/etc/sources.list"
  -o "Dir::Etc::SourceParts=/nonexistent" -o "APT::Architecture=riscv64" -o "APT::Architectures=riscv64"
  -o "Debug::NoLocking=1")
if [ ! -f "$out/kernel-version-riscv64" ]; then
  apt-get "${rv_opts[@]}" update -qq
  rver=$(apt-cache "${rv_opts[@]}" search '^linux-image-6\.12\.[0-9.]+\+deb13-riscv64$' | awk '{print $1}' |
         sed 's/^linux-image-//; s/-riscv64$//' | sort -V | tail -1)
  [ -n "$rver" ] || { echo "reference/setup.sh: no linux-image-6.12 for riscv64 found" >&2; exit 1; }
  (cd "$out" && apt-get "${rv_opts[@]}" download -qq "linux-image-$rver-riscv64" "busybox-static" 2>/dev/null)
  echo "$rver" > "$out/kernel-version-riscv64"
fi
rver=$(cat "$out/kernel-version-riscv64")
initramfs riscv64 riscv64 "$rver" riscv64 riscv64-linux-gnu-gcc ""
echo "reference lane: QEMU $(qemu-system-aarch64 --version | head -1 | awk '{print $4}'), kernel $ver (arm64, arm64-16k), $xver (x86_64), $rver (riscv64) in $out"
