#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what mhpsim needs to build and test on Debian bookworm. Idempotent.
set -euo pipefail
# --main: only what the main job needs (build the CLI and replay a scenario); else the whole test toolchain.
if [ "${1:-}" = --main ]; then
  pkgs=(cmake gcc make pkg-config libyaml-dev)
else
  pkgs=(cmake gcc g++ make pkg-config libyaml-dev libcmocka-dev gcovr valgrind clang libclang-rt-14-dev
        python3 python3-matplotlib libgoogle-perftools-dev google-perftools graphviz chromium libfuse3-dev fuse3 bc
        groff-base)
fi
# g++: the public headers are compiled as C++ too (tests/CMakeLists.txt); python3: docs, fidelity and
# bench reports, python3-matplotlib: their plots; gperftools and graphviz: benchmark profiles; chromium: the HTML report test; libfuse3
# and fuse3: mhpsim mount; bc: the kernel's memory-hotplug selftest (tests/mount.sh); groff-base: the
# man page's check (tests/cli.sh)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup.sh: installing ${#missing[@]} Debian packages with apt-get: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  # apt's own progress (one line per package fetched and set up), so a long install is seen to move.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q -o Dpkg::Use-Pty=0 "${missing[@]}" |
    grep -E '^(Get:|Setting up|Need to get)' >&2 || true
  for p in "${missing[@]}"; do   # the filter above must not hide a failure
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      { echo "setup.sh: $p did not install" >&2; exit 1; }
  done
fi
