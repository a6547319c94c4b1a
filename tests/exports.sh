#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Checks a shared library's dynamic symbol table against its public headers:
# it exports only mhp_* (or mhpsim_*) symbols, and every function the headers
# declare, so neither an internal helper leaking out nor a missing MHP_EXPORT
# goes unnoticed.
#
#   sh tests/exports.sh LIBRARY HEADER_DIR      (NM names nm, default nm)
set -eu
[ $# -eq 2 ] || { echo "usage: exports.sh LIBRARY HEADER_DIR" >&2; exit 2; }
lib=$1 inc=$2 nm=${NM:-nm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Defined dynamic symbols, less what the linker itself provides.
"$nm" -D --defined-only "$lib" >"$tmp/nm" || { echo "exports.sh: $nm cannot read $lib" >&2; exit 2; }
awk 'NF >= 3 { print $3 }' "$tmp/nm" | sed 's/@.*//' |
	grep -Ev '^(_init|_fini|__bss_start|_edata|_end|__bss_end__|_bss_end__|__end__)$' | sort -u >"$tmp/exported"

# Functions the headers declare: mhp_NAME( outside comments.
perl -0777 -ne 's{/\*.*?\*/}{}gs; s{//[^\n]*}{}g; print "$1\n" while /\b(mhp(?:sim)?_[a-z0-9_]+)\s*\(/g' \
	"$inc"/*.h | sort -u >"$tmp/declared"
[ -s "$tmp/declared" ] || { echo "exports.sh: no mhp_ function declared in $inc/*.h" >&2; exit 2; }

bad=0
for s in $(grep -Ev '^mhp(sim)?_' "$tmp/exported" || true); do
	echo "exports.sh: $lib exports $s, which is not mhp_*"
	bad=1
done
for s in $(comm -23 "$tmp/declared" "$tmp/exported"); do
	echo "exports.sh: $inc declares $s, which $lib does not export (no MHP_EXPORT?)"
	bad=1
done
[ $bad -eq 0 ] || exit 1
echo "exports.sh: $lib exports $(wc -l <"$tmp/exported") symbols, all mhp_*;" \
	"each of the $(wc -l <"$tmp/declared") functions $inc declares among them"
