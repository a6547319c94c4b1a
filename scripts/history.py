#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The history gauntlet (docs/history.md): real kernel bugs, put back into a
kernel tree with a small edit of ours, must be caught by mhpsim's generic
invariants or its differential; the tree with the fix must pass the same probe.

  scripts/history.py tree ID DIR             the tree with bug ID put back (or, where 6.12 has it, fixed), in DIR
  scripts/history.py run [ID ...] [--stock BIN] [--out DIR] [--write-docs]
  scripts/history.py check-docs              docs/history.md has a row per bug of HISTORY.md
  scripts/history.py list                    the bugs with an edit and a probe

The bugs, their edits (described in words) and their probes are data, in
tests/history/bugs.py. An edit is a list of operations on one function of one
file, each naming a line by a fragment it contains; a fragment that matches no
line, or more lines than it says, stops the run: an edit that no longer
applies is reported, never skipped.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "history"))
import bugs as bugdata  # noqa: E402

DOC = os.path.join(ROOT, "docs", "history.md")
HISTORY = os.path.join(ROOT, "..", "shared", "HISTORY.md")


class EditError(Exception):
    pass


def function_span(lines, name):
    """The lines [first, last] of the definition of function NAME: from the
    line that names it (its return type may sit on the line above, x86's
    style) to the closing brace in column 0."""
    pat = re.compile(r"^(?:[A-Za-z_][\w\s\*]*[\s\*])?" + re.escape(name) + r"\(")
    for i, line in enumerate(lines):
        if not pat.match(line):
            continue
        j = i
        while j < len(lines) and "{" not in lines[j] and not lines[j].rstrip().endswith(";"):
            j += 1
        if j >= len(lines) or lines[j].rstrip().endswith(";"):
            continue  # a prototype
        for k in range(j, len(lines)):
            if lines[k].startswith("}"):
                first = i - 1 if i > 0 and re.match(r"^[A-Za-z_][\w\s\*]*$", lines[i - 1]) else i
                return first, k
        break
    raise EditError(f"no definition of {name}()")


def matching(lines, lo, hi, fragment, count, where):
    hits = [i for i in range(lo, hi + 1) if fragment in lines[i]]
    if len(hits) != count:
        raise EditError(f"{where}: '{fragment}' is on {len(hits)} lines, the edit expects {count}")
    return hits


def apply_edit(tree, edit):
    """Applies one edit ({file, ops}) to the copy of a tree. Operations:
    ("delete", fn, fragment[, count]), ("after", fn, fragment, text),
    ("before", fn, fragment, text), ("replace", fn, fragment, old, new),
    ("before-function", fn, text)."""
    path = os.path.join(tree, edit["file"])
    with open(path) as f:
        lines = f.read().split("\n")
    for op in edit["ops"]:
        kind, fn = op[0], op[1]
        lo, hi = function_span(lines, fn)
        where = f"{edit['file']}:{fn}()"
        if kind == "before-function":
            lines[lo:lo] = op[2].split("\n")
        elif kind == "delete":
            count = op[3] if len(op) > 3 else 1
            for i in reversed(matching(lines, lo, hi, op[2], count, where)):
                del lines[i]
        elif kind in ("after", "before"):
            (i,) = matching(lines, lo, hi, op[2], 1, where)
            at = i + 1 if kind == "after" else i
            lines[at:at] = op[3].split("\n")
        elif kind == "replace":
            (i,) = matching(lines, lo, hi, op[2], 1, where)
            if op[3] not in lines[i]:
                raise EditError(f"{where}: '{op[3]}' is not in the line with '{op[2]}'")
            lines[i] = lines[i].replace(op[3], op[4])
        else:
            raise EditError(f"unknown operation {kind}")
    with open(path, "w") as f:
        f.write("\n".join(lines))


def make_tree(change, base, dest):
    """A copy of the tree at base with change's edits (an undo puts a bug back, a fix takes one out)."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(base, dest, symlinks=True)
    for edit in change["edits"]:
        apply_edit(dest, edit)


def tree_binary(bug, tree, out):
    """The binary built from a tree as it is (a later Debian tree, with fixes 6.12 lacks)."""
    path = os.path.join(ROOT, tree)
    if not os.path.exists(path):
        raise EditError(f"{tree} is missing: run bash scripts/kernel-tree.sh {tree.rsplit('-', 1)[-1]}")
    return build(path, os.path.join(out, bug["id"], "build-fixed-tree"))   # one per bug: ctest runs them in parallel


def edited_binary(bug, change, out, name):
    base = os.path.join(ROOT, change.get("base", ".deps/linux-source-6.12"))
    tree = os.path.join(out, bug["id"], name)
    make_tree(change, base, tree)
    return build(tree, os.path.join(out, bug["id"], "build-" + name))


def build(tree, bdir):
    os.makedirs(bdir, exist_ok=True)
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for cmd in (["cmake", "-S", ROOT, "-B", bdir, "-DMHPSIM_TESTS=OFF", "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                 f"-DMHPSIM_KERNEL_TREE={tree}"],
                ["cmake", "--build", bdir, "--target", "mhpsim", f"-j{os.cpu_count() or 1}"]):
        r = subprocess.run(cmd, **quiet)
        if r.returncode:
            raise EditError(f"{' '.join(cmd[:2])} failed:\n{r.stderr[-3000:]}")
    return os.path.join(bdir, "mhpsim")


def run_probe(binary, probe, out):
    """One probe, one binary: (caught, step, seconds, the output's last lines)."""
    args = [binary] + [a.replace("@OUT@", out) for a in probe["args"]]
    t0 = time.monotonic()
    r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True,
                       env=dict(os.environ, MHPSIM_MODELS=os.path.join(ROOT, "models")))
    secs = time.monotonic() - t0
    text = r.stdout + r.stderr
    if r.returncode not in (0, 1):
        raise EditError(f"{' '.join(args)}: exit {r.returncode}\n{text[-2000:]}")
    line = next((ln for ln in text.splitlines() if re.search(probe["catch"], ln)), None)
    caught = r.returncode == 1 and line is not None
    m = re.search(r"step (\d+)", line) if caught else None   # the step the report names
    return caught, (int(m.group(1)) if m else None), secs, text


def doc_rows():
    """docs/history.md's table: id -> its cells."""
    rows = {}
    if not os.path.exists(DOC):
        return rows
    for line in open(DOC):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and re.fullmatch(r"[AXRM]\d+", cells[0]):
            rows[cells[0]] = cells
    return rows


COLUMNS = ["id", "fix", "arch", "function", "what breaks", "status", "caught by", "probe",
           "steps", "seconds", "with the fix", "the bug comes from"]


def origin(bug):
    """Where the probe's bug comes from: an edit of the tree, the model's mutant, or 6.12 itself."""
    if "same_as" in bug:
        return f"as {bug['same_as']}"
    if "fix" in bug:
        return "the 6.12 tree itself; the fix is an edit of ours"
    if "fixed_tree" in bug and "undo" not in bug:
        return f"the 6.12 tree itself; the fix is in {bug['fixed_tree'].rsplit('/', 1)[-1]}"
    undo = bug.get("undo", {})
    if "mutant" in undo:
        return f"mutant `{undo['mutant']}` (the code is the model's)"
    base = undo.get("base", ".deps/linux-source-6.12").rsplit("-", 1)[-1]
    return f"an edit of the {base} tree" if "edits" in undo else ""


def runnable(bug):
    """A bug the gauntlet runs: put back (an edit or a mutant), or in the stock tree with a fix to compare."""
    return ("undo" in bug or "fix" in bug or "fixed_tree" in bug) and "probe" in bug


def put_back_probe(bug):
    """The probe as run against the bug: with the mutant's flag where a mutant puts the bug back."""
    probe, mutant = bug.get("probe"), bug.get("undo", {}).get("mutant")
    return dict(probe, args=probe["args"] + ["--mutant", mutant]) if probe and mutant else probe


def by_id(ident):
    return next(b for b in bugdata.BUGS if b["id"] == ident)


def row_for(bug, result):
    probe = put_back_probe(by_id(bug["same_as"]) if "same_as" in bug else bug)
    return [bug["id"], bug["commit"], bug["arch"], bug["function"], bug["breaks"], bug["status"],
            bug.get("caught_by", bug.get("lacks", "")),
            f"`mhpsim {shlex.join(probe['args'])}`".replace("@OUT@", "OUT") if probe else "",
            str(result["step"]) if result else "", f"{result['secs']:.2f}" if result else "",
            bug.get("fixed", ""), origin(bug)]


def write_doc(results):
    old = doc_rows()
    with open(os.path.join(ROOT, "tests", "history", "head.md")) as f:
        head = f.read()
    out = [head.rstrip("\n"), "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for bug in bugdata.BUGS:
        r = results.get(bug.get("same_as", bug["id"]))
        cells = row_for(bug, r)
        if r is None and bug["id"] in old and len(old[bug["id"]]) == len(COLUMNS):
            cells[8:10] = old[bug["id"]][8:10]   # not run this time: keep the last measured figures
        out.append("| " + " | ".join(cells) + " |")
    status = [b["status"] for b in bugdata.BUGS]
    out += ["", f"{len(status)} bugs: {status.count('caught')} caught, {status.count('out of reach')} out of reach."]
    with open(DOC, "w") as f:
        f.write("\n".join(out) + "\n")


def check_bug(bug, stock, out):
    """Builds the tree with the bug (or takes the model's mutant of it, or the stock tree when it has the bug)
    and the tree with the fix, and runs the probe on both."""
    probe, binary, fixed_binary = put_back_probe(bug), stock, stock
    if "fix" in bug:   # the stock tree has the bug; the fix is an edit of ours
        fixed_binary = edited_binary(bug, bug["fix"], out, "fixed-tree")
    if "fixed_tree" in bug:   # the fix is in a later tree, as it is
        fixed_binary = tree_binary(bug, bug["fixed_tree"], out)
    if "edits" in bug.get("undo", {}):
        binary = edited_binary(bug, bug["undo"], out, "tree")
    caught, step, secs, text = run_probe(binary, probe, os.path.join(out, bug["id"]))
    if not caught:
        raise EditError(f"{bug['id']}: the tree with the bug is not caught by {probe['catch']}:\n{text[-1500:]}")
    fixed, _, _, ftext = run_probe(fixed_binary, bug["probe"], os.path.join(out, bug["id"] + "-fixed"))
    if fixed:
        raise EditError(f"{bug['id']}: the tree with the fix is caught too:\n{ftext[-1500:]}")
    return dict(step=step, secs=secs, line=[ln for ln in text.splitlines() if re.search(probe["catch"], ln)][:1])


def cmd_run(args):
    ids = set(args.ids)
    chosen = [b for b in bugdata.BUGS if runnable(b) and (not ids or b["id"] in ids)]
    unknown = ids - {b["id"] for b in bugdata.BUGS}
    if unknown:
        sys.exit(f"history.py: no bug {', '.join(sorted(unknown))} in tests/history/bugs.py")
    results, failed = {}, []
    rows = doc_rows()
    for bug in chosen:
        try:
            r = check_bug(bug, args.stock, args.out)
        except EditError as e:
            print(f"FAIL {bug['id']}: {e}")
            failed.append(bug["id"])
            continue
        results[bug["id"]] = r
        print(f"ok   {bug['id']}: caught at step {r['step']} in {r['secs']:.2f} s: {' '.join(r['line'])}; "
              f"the tree with the fix passes")
        for twin in (b["id"] for b in bugdata.BUGS if bug["id"] in (b["id"], b.get("same_as"))):
            doc = rows.get(twin)
            if not args.write_docs and (doc is None or doc[8] != str(r["step"])):
                print(f"FAIL {twin}: docs/history.md says step {doc[8] if doc else '(no row)'}, the run "
                      f"{r['step']}: run scripts/history.py run --write-docs")
                failed.append(twin)
    if args.write_docs:
        write_doc(results)
    if failed:
        sys.exit(f"history.py: {len(failed)} of {len(chosen)} failed: {' '.join(failed)}")


def cmd_check_docs(_args):
    ids_history = re.findall(r"^\| ([AXRM]\d+) \|", open(HISTORY).read(), re.M) if os.path.exists(HISTORY) else []
    ids_data = [b["id"] for b in bugdata.BUGS]
    rows = doc_rows()
    problems = [f"{i} is in HISTORY.md but not in tests/history/bugs.py" for i in ids_history if i not in ids_data]
    for bug in bugdata.BUGS:
        doc = rows.get(bug["id"])
        want = row_for(bug, None)
        if doc is None:
            problems.append(f"{bug['id']} has no row in docs/history.md")
        elif doc[:8] + doc[10:] != want[:8] + want[10:]:
            problems.append(f"{bug['id']}'s row in docs/history.md differs from tests/history/bugs.py")
        if bug["status"] == "caught" and not (runnable(bug) or bug.get("same_as") in ids_data):
            problems.append(f"{bug['id']} is called caught with no probe")
    if problems:
        sys.exit("history.py: " + "; ".join(problems) + " (scripts/history.py run --write-docs)")
    print(f"docs/history.md: {len(ids_data)} bugs, {sum(b['status'] == 'caught' for b in bugdata.BUGS)} caught")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tree")
    t.add_argument("id")
    t.add_argument("dir")
    r = sub.add_parser("run")
    r.add_argument("ids", nargs="*")
    r.add_argument("--stock", default=os.path.join(ROOT, "build", "mhpsim"))
    r.add_argument("--out", default=os.path.join(ROOT, "build", "history"))
    r.add_argument("--write-docs", action="store_true")
    sub.add_parser("check-docs")
    sub.add_parser("list", help="the bugs the gauntlet runs, one id a line (for ctest)")
    a = ap.parse_args()
    if a.cmd == "tree":
        bug = next((b for b in bugdata.BUGS if b["id"] == a.id), None)
        change = bug and (bug.get("fix") or bug.get("undo"))
        if not change or "edits" not in change:
            sys.exit(f"history.py: no edit for {a.id}")
        make_tree(change, os.path.join(ROOT, change.get("base", ".deps/linux-source-6.12")), a.dir)
    elif a.cmd == "list":
        print("\n".join(b["id"] for b in bugdata.BUGS if runnable(b)))
    elif a.cmd == "run":
        cmd_run(a)
    else:
        cmd_check_docs(a)


if __name__ == "__main__":
    main()
