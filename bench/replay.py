#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The replay ratio from recordings: for every scenario the reference lane
recorded, the real kernel's time (scenarios/reference/NAME.time: its boot and
its steps under QEMU TCG, as recorded) against the simulator's replay of the
same scenario, measured here (the best of several runs of `mhpsim run
--quiet`, boot included), and all of them replayed by one `mhpsim run` (one
process, each machine booted once: the way CI replays a directory). Writes
JSON for bench/report.py: {"rows": [...], "one_process_s": ...}.

    bench/replay.py MHPSIM OUT.json [--runs N]
"""
import glob
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def kernel_time(path):
    boot = steps = 0.0
    for line in open(path):
        w = line.split()
        if w and w[0] == "boot":
            boot = float(w[1])
        elif w and w[0] == "step":
            steps += float(w[2])
    return boot, steps


def main():
    a = sys.argv[1:]
    runs = int(a[a.index("--runs") + 1]) if "--runs" in a else 5
    mhpsim, out = a[0], a[1]
    rows = []
    for t in sorted(glob.glob(os.path.join(ROOT, "scenarios", "reference", "*.time"))):
        name = os.path.basename(t)[:-5]
        scenario = os.path.join(ROOT, "scenarios", name + ".yaml")
        best = None
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([mhpsim, "run", "--quiet", scenario], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=ROOT)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        boot, steps = kernel_time(t)
        rows.append({"scenario": name, "kernel_boot_s": boot, "kernel_steps_s": steps, "simulator_s": best,
                     "ratio": (boot + steps) / best if best else 0})
    scenarios = [os.path.join(ROOT, "scenarios", r["scenario"] + ".yaml") for r in rows]
    one = None
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([mhpsim, "run"] + scenarios, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        dt = time.perf_counter() - t0
        one = dt if one is None else min(one, dt)
    json.dump({"rows": rows, "one_process_s": one}, open(out, "w"), indent=1)
    total_k = sum(r["kernel_boot_s"] + r["kernel_steps_s"] for r in rows)
    total_s = sum(r["simulator_s"] for r in rows)
    print("replay: %d recorded scenarios, real kernel %.1f s; simulator %.2f s a process each: %.0fx; "
          "%.2f s in one process: %.0fx" % (len(rows), total_k, total_s, total_k / total_s if total_s else 0,
                                            one, total_k / one if one else 0))


if __name__ == "__main__":
    sys.exit(main())
