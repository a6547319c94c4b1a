#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Every line `mhpsim run --json` writes, held to the table in docs/json.md.

Runs every scenario (and a run that fails) with --json: each line must be one
JSON object whose type the table lists, with exactly the listed fields, each
of its kind; the first line is "run" with the schema the page names, the last
"end". Usage: json_lines.py MHPSIM [--teardown NAME]
"""
import glob
import json
import re
import subprocess
import sys

KINDS = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**53,
    "string": lambda v: isinstance(v, str),
    "hex": lambda v: isinstance(v, str) and re.fullmatch(r"0x[0-9a-f]+", v) is not None,
    "hash": lambda v: isinstance(v, str) and re.fullmatch(r"[0-9a-f]{16}", v) is not None,
}


def read_schema(path):
    """{type: (kind, [(field, kind, optional)])} from the page's table."""
    text = open(path, encoding="utf-8").read()
    version = int(re.search(r'\{"type":"run","schema":(\d+)', text).group(1))
    table = text.split("<!-- schema:", 1)[1]
    types = {}
    for row in table.splitlines():
        m = re.match(r"\| `(\w+)` \| (run|event) \| (.*?) \| .* \|$", row)
        if not m:
            continue
        fields = []
        for part in m.group(3).split(", "):
            f = re.fullmatch(r"`(\w+)`(\?)? (\w+)", part.strip())
            if not f or f.group(3) not in KINDS:
                sys.exit(f"docs/json.md: cannot read the field '{part}' of {m.group(1)}")
            fields.append((f.group(1), f.group(3), f.group(2) == "?"))
        types[m.group(1)] = (m.group(2), fields)
    if not types:
        sys.exit("docs/json.md: no schema rows")
    return version, types


def check_line(where, obj, types, problems):
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        problems.append(f"{where}: not an object with a type: {obj!r:.120}")
        return None
    t = obj["type"]
    if t not in types:
        problems.append(f"{where}: type '{t}' is not in docs/json.md")
        return t
    kind, fields = types[t]
    want = {"type": ("string", False)}
    if kind == "event":
        want["seq"] = ("integer", False)
        want["text"] = ("string", False)
    for name, k, optional in fields:
        want[name] = (k, optional)
    for name, value in obj.items():
        if name not in want:
            problems.append(f"{where}: {t} has a field '{name}' docs/json.md does not list")
        elif not KINDS[want[name][0]](value):
            problems.append(f"{where}: {t}.{name} is {value!r:.60}, not {want[name][0]}")
    for name, (k, optional) in want.items():
        if name not in obj and not optional:
            problems.append(f"{where}: {t} lacks '{name}'")
    return t


def check_run(mhpsim, args, version, types, seen, problems):
    out = subprocess.run([mhpsim, "run", "--json"] + args, capture_output=True, text=True)
    lines = out.stdout.splitlines()
    where = " ".join(args)
    if not lines:
        problems.append(f"{where}: no output ({out.stderr.strip()[:200]})")
        return
    last_seq = -1
    for i, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{where}:{i}: not JSON ({e}): {line[:120]}")
            continue
        t = check_line(f"{where}:{i}", obj, types, problems)
        seen.add(t)
        if isinstance(obj, dict) and "seq" in obj:
            if not obj["seq"] > last_seq:
                problems.append(f"{where}:{i}: seq {obj['seq']} does not follow {last_seq}")
            last_seq = obj["seq"]
    first, end = json.loads(lines[0]), json.loads(lines[-1])
    if first.get("type") != "run" or first.get("schema") != version:
        problems.append(f"{where}: the first line is not run with schema {version}")
    if end.get("type") != "end":
        problems.append(f"{where}: the last line is not end")
    elif (end["result"] == "ok") != (out.returncode == 0):
        problems.append(f"{where}: end says {end['result']}, the exit status is {out.returncode}")


def main():
    mhpsim = sys.argv[1]
    extra = sys.argv[2:]
    version, types = read_schema("docs/json.md")
    seen, problems = set(), []
    files = sorted(glob.glob("scenarios/*.yaml") + glob.glob("scenarios/x86_64/*.yaml")
                   + glob.glob("scenarios/teaching/*.yaml"))
    for f in files:
        check_run(mhpsim, extra + [f], version, types, seen, problems)
    # A run that fails: its failure line, and end saying so.
    check_run(mhpsim, ["--mutant", "offline-forgets-totalram", "scenarios/01-flagship-tour.yaml"], version, types,
              seen, problems)
    for must in ("run", "read", "failure", "violation_shown", "end", "step", "printk"):
        if must not in seen:
            problems.append(f"no run showed a '{must}' line")
    for p in problems[:40]:
        print(p)
    unseen = sorted(set(types) - seen)
    print(f"json lines: {len(files) + 1} runs, {len(seen)} of {len(types)} documented types seen"
          f"{' (not reached: ' + ', '.join(unseen) + ')' if unseen else ''}; {len(problems)} problems")
    sys.exit(1 if problems else 0)


main()
