#!/usr/bin/env bash
# Installs what mhpsim needs to build and test on Debian bookworm. Idempotent.
set -euo pipefail
pkgs=(cmake gcc g++ make pkg-config libyaml-dev libcmocka-dev gcovr valgrind clang libclang-rt-14-dev
      python3 libgoogle-perftools-dev google-perftools graphviz chromium libfuse3-dev fuse3 bc)
# g++: the public headers are compiled as C++ too (tests/CMakeLists.txt); python3: docs, fidelity and
# bench reports; gperftools and graphviz: benchmark profiles; chromium: the HTML report test; libfuse3
# and fuse3: mhpsim mount; bc: the kernel's memory-hotplug selftest (tests/mount.sh)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
