#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Whether a long fuzz run keeps reaching teardown: the run in chunks (each
chunk saves the machine and the generator, the next loads them, so the chunks
are one run), and per chunk the add success rate, removes per 1000 steps and
steps per second. A long run, so a benchmark, not a test.

    bench/fuzz_decay.py MHPSIM [--model M] [--seed S] [--steps N] [--chunk C] [--json OUT]
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def arg(a, name, default):
    return a[a.index(name) + 1] if name in a else default


def chunk_row(out, first_step, steps):
    ops = dict((k, (int(ok), int(tried))) for k, ok, tried in re.findall(r"(\w+) (\d+)/(\d+)", out.split("ops")[1]))
    speed = re.search(r"in ([0-9.]+) s: ([0-9]+) steps/s, ([0-9]+) teardowns/s", out)
    add_ok, add_tried = ops["add"]
    return {"from_step": first_step, "steps": steps, "add_ok": add_ok, "add_tried": add_tried,
            "add_success": add_ok / add_tried if add_tried else 0, "removes_ok": ops["remove"][0],
            "removes_per_1000": 1000.0 * ops["remove"][0] / steps,
            "steps_per_second": float(speed.group(2)), "teardowns_per_second": float(speed.group(3))}


def main():
    a = sys.argv[1:]
    if not a or a[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    mhpsim, model, seed = a[0], arg(a, "--model", "fuzz-arm64-4k"), arg(a, "--seed", "1")
    total, chunk = int(arg(a, "--steps", "1000000")), int(arg(a, "--chunk", "100000"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        snap = os.path.join(tmp, "run.snap")
        for first in range(0, total, chunk):
            steps = min(chunk, total - first)
            start = ["--seed", seed, "--model", model] if first == 0 else ["--load", snap]
            cmd = [mhpsim, "fuzz", "--models", os.path.join(ROOT, "models"), "--out", tmp, "--steps", str(steps),
                   "--save", snap] + start
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0 or "no invariant violated" not in p.stdout:
                print(p.stdout + p.stderr, file=sys.stderr)
                return 1
            r = chunk_row(p.stdout, first, steps)
            rows.append(r)
            print("steps %9d-%-9d add %5.1f%% ok (%d/%d), %5.1f removes per 1000 steps, %6.0f steps/s, "
                  "%5.0f teardowns/s" % (first, first + steps, 100 * r["add_success"], r["add_ok"], r["add_tried"],
                                        r["removes_per_1000"], r["steps_per_second"], r["teardowns_per_second"]),
                  flush=True)
    out = arg(a, "--json", None)
    if out:
        json.dump({"model": model, "seed": seed, "chunks": rows}, open(out, "w"), indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
