#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Regenerates what docs/tutorial embeds from replayed scenarios, or checks it is current.

    python3 scripts/docs.py [--check]        (MHPSIM: the CLI, default build/mhpsim)

In a chapter, a block of output is

    <!-- generate: run --narrate SCENARIO.yaml [| steps N-M] -->
    ```text
    ...what `mhpsim run --narrate SCENARIO.yaml` prints (only steps N to M: a
    filter of this script's, after the command, not an option of mhpsim)...
    ```
    <!-- end generate -->

and a picture is a line

    <!-- generate-image: draw map --step 3 SCENARIO.yaml -o docs/img/NAME.svg -->

followed by the Markdown that shows it. Every command replays its scenario
(expectations and invariants checked: a failing one fails here). --check
writes nothing and exits 1, naming each stale block or picture.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MHPSIM = os.environ.get("MHPSIM", os.path.join(ROOT, "build", "mhpsim"))
BLOCK = re.compile(r"(<!-- generate: (.+?) -->\n```text\n)(.*?)(```\n<!-- end generate -->)", re.S)
IMAGE = re.compile(r"<!-- generate-image: (.+?) -o (\S+) -->")


def mhpsim(args):
    r = subprocess.run([MHPSIM] + args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise SystemExit("mhpsim %s failed:\n%s" % (" ".join(args), r.stderr.decode()))
    return r.stdout.decode()


def select_steps(text, first, last):
    """The header, the paragraphs of steps first..last (a '> ' narration goes with the step after it), the footer."""
    paras = text.split("\n\n")
    head, body = paras[0], paras[1:]
    kept, pending = [], []
    for p in body:
        m = re.match(r"step (\d+):", p)
        if p.startswith("> "):
            pending.append(p)
            continue
        if m and first <= int(m.group(1)) <= last:
            kept += pending + [p]
        elif not m:   # the footer: the kernel functions named, the state hash
            kept.append(p)
        pending = []
    return "\n\n".join([head, "(steps %d to %d)" % (first, last)] + kept)


def run_block(command):
    command, _, steps = command.partition("|")
    out = mhpsim(command.split())
    if steps:
        m = re.fullmatch(r"\s*steps (\d+)-(\d+)\s*", steps)
        if not m:
            raise SystemExit("docs.py: expected '| steps N-M' after the command, found '|%s'" % steps)
        out = select_steps(out, int(m.group(1)), int(m.group(2)))
    return out if out.endswith("\n") else out + "\n"


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] not in ([], ["--check"]):
        print(__doc__, file=sys.stderr)
        return 2
    stale = []
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "tutorial", "*.md"))):
        text = open(path).read()
        new = BLOCK.sub(lambda m: m.group(1) + run_block(m.group(2)) + m.group(4), text)
        rel = os.path.relpath(path, ROOT)
        if new != text:
            stale.append(rel)
            if not check:
                open(path, "w").write(new)
        for command, target in IMAGE.findall(text):
            with tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, "picture.svg")
                mhpsim(command.split() + ["-o", out])
                svg = open(out).read()
            dest = os.path.join(ROOT, target)
            if not os.path.exists(dest) or open(dest).read() != svg:
                stale.append(target)
                if not check:
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                    open(dest, "w").write(svg)
    if check and stale:
        print("docs/tutorial: generated output is stale (run python3 scripts/docs.py): " + ", ".join(stale))
        return 1
    print("docs/tutorial: %s" % ("current" if check else "regenerated: " + (", ".join(stale) or "nothing changed")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
