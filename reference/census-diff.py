#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compares the simulator's page census (mhpsim run --census) with the real
kernel's (scenarios/reference/NAME.census), step by step, on what decides
whether memory can leave: for each zone, its pageblocks by migrate type
(/proc/pagetypeinfo) of the zones boot left empty, and for each hot-added block, which pageblocks hold
slab, page-table or reserved pages (the census letter U), which no offline
and no virtio-mem unplug can move.

    reference/census-diff.py SCENARIO.yaml [KERNEL.census] [--verbose] [--row]

Prints one summary line: "NAME: zones a/b, blocks' unmovable pageblocks c/d".
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse(text):
    """{step: {"zones": {(node, zone): line}, "blocks": {block: letters}, "boot": set(block)}}"""
    steps, cur = {}, None
    for line in text.splitlines():
        if line.startswith("### step "):
            cur = steps.setdefault(int(line.split()[2].rstrip(":")), {"zones": {}, "blocks": {}})
        elif cur is None:
            continue
        elif line.startswith("pageblocks memory"):
            name, letters = line[len("pageblocks "):].split(": ", 1) if ": " in line else (line.split()[1].rstrip(":"), "")
            cur["blocks"][name] = letters
        elif line.startswith("Node "):
            key = " ".join(line.split()[:4])
            cur["zones"][key] = " ".join(line.split()[4:])
    return steps


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    scenario = args[0]
    name = os.path.basename(scenario)[:-5]
    golden = args[1] if len(args) > 1 else os.path.join(ROOT, "scenarios", "reference", name + ".census")
    mhpsim = os.environ.get("MHPSIM", os.path.join(ROOT, "build", "mhpsim"))
    sim = subprocess.run([mhpsim, "run", "--census", scenario], stdout=subprocess.PIPE, cwd=ROOT).stdout.decode()
    k, s = parse(open(golden).read()), parse(sim)
    boot = set(k.get(0, {"blocks": {}})["blocks"])
    boot_zones = set(k.get(0, {"zones": {}})["zones"])   # what boot placed there is not modelled page by page
    zones = zones_eq = blocks = blocks_eq = 0
    for step in sorted(k):
        if step not in s:
            continue
        for z, line in k[step]["zones"].items():
            if z in boot_zones:
                continue
            zones += 1
            same = s[step]["zones"].get(z) == line
            zones_eq += same
            if verbose and not same:
                print("step %d %s: kernel %s, simulator %s" % (step, z, line, s[step]["zones"].get(z)))
        for b, letters in k[step]["blocks"].items():
            if b in boot:
                continue
            blocks += 1
            mine = s[step]["blocks"].get(b, "")
            want = "".join("U" if c == "U" else "." for c in letters)
            got = "".join("U" if c == "U" else "." for c in mine)
            blocks_eq += want == got
            if verbose and want != got:
                print("step %d %s: kernel %s\n%s  simulator %s" % (step, b, want, " " * len("step %d %s:" % (step, b)), got))
    if "--row" in sys.argv:   # a row of docs/fidelity.md's census table
        print("| `%s` | %d/%d | %d/%d |" % (name, zones_eq, zones, blocks_eq, blocks))
    else:
        print("%s: zones' pageblock types %d/%d, hot-added blocks' unmovable pageblocks %d/%d" %
              (name, zones_eq, zones, blocks_eq, blocks))


if __name__ == "__main__":
    main()
