#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turns a memblock=debug boot log into a model file's memblock: list.

    python3 reference/memblock-calls.py BOOT.log

BOOT.log is the console of a boot with "memblock=debug earlycon=pl011,0x9000000"
(reference/driver.py's Guest gives it). Each allocation the kernel logs
(memblock_alloc_try_nid, memblock_phys_alloc_range, ..._raw) becomes one entry
with its size, alignment, window and caller; identical calls in a row become a
count; a reservation logged without an allocation before it (alloc_node_data,
cma_declare_contiguous_nid) and each free are printed as comments to be worded
by hand, with where the kernel put them. The output is a draft to check against
the MEMBLOCK configuration dump, not a file to trust blindly.
"""
import re
import sys

ALLOC = re.compile(r"(memblock_\w*alloc\w*): (\d+) bytes align=(0x[0-9a-f]+)(?: nid=(-?\d+))? "
                   r"from=(0x[0-9a-f]+) max_addr=(0x[0-9a-f]+) (\w+)\+")
RESERVE = re.compile(r"memblock_reserve: \[(0x[0-9a-f]+)-(0x[0-9a-f]+)\] (\w+)\+")
FREE = re.compile(r"memblock_(?:phys_)?free: \[(0x[0-9a-f]+)-(0x[0-9a-f]+)\] (\w+)\+")


def size_words(n):
    for unit, shift in (("G", 30), ("M", 20), ("K", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return "%d%s" % (n >> shift, unit)
    return str(n)


def entry(size, align, nid, lo, hi, by):
    words = ["size: %s" % size_words(size), "align: %s" % size_words(align)]
    if nid is not None and int(nid) >= 0:
        words.append("nid: %s" % nid)
    if lo and lo < 1 << 48:         # a virtual from= (0xfff1...) finds nothing and memblock retries from 0
        words.append("min: %#x" % lo)
    if hi > 1:                      # 0 and 1 (MEMBLOCK_ALLOC_NOLEAKTRACE) mean no limit
        words.append("max: %#x" % hi)
    return "{ %s, by: %s }" % (", ".join(words), by)


def main(path):
    out, pending, last = [], None, None
    with open(path, errors="replace") as f:
        for line in f:
            m = ALLOC.search(line)
            if m:
                _, size, align, nid, lo, hi, by = m.groups()
                pending = entry(int(size), int(align, 16), nid, int(lo, 16), int(hi, 16), by)
                continue
            m = RESERVE.search(line)
            if m and m.group(3) == "memblock_alloc_range_nid":
                at = "%s-%s" % (m.group(1), m.group(2))
                text = pending or "# a reservation no allocation line names: [%s]" % at
                if last and last[0] == text and pending:
                    last[1] += 1
                    last[3] = at
                else:
                    last = [text, 1, at, at]
                    out.append(last)
                pending = None
                continue
            m = FREE.search(line)
            if m and int(m.group(2), 16) >= int(m.group(1), 16):
                last = None
                out.append(["# free [%s-%s]" % (m.group(1), m.group(2)), 1, "", ""])
    for text, count, first, end in out:
        if count > 1:
            text = text.replace(", by:", ", count: %d, by:" % count)
        note = "   # %s" % first if first and count == 1 else ("   # %s .. %s" % (first, end) if first else "")
        print("  - " + text + note if not text.startswith("#") else "  " + text)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
