#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""scripts/history.py's edit engine on a small C file: each operation lands on the named function's
line only, and an edit that no longer applies (a fragment on no line, on two, a missing function)
stops with a message that names it."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import history  # noqa: E402

SRC = """static void __meminit
remove_a(int x)
{
\tif (x)
\t\tfree_it(x);
\tclear_it(x);
}

static void remove_b(int x);

static void remove_b(int x)
{
\tclear_it(x);
\tclear_it(x + 1);
}
"""


def edited(ops):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "f.c"), "w") as f:
            f.write(SRC)
        history.apply_edit(d, dict(file="f.c", ops=ops))
        return open(os.path.join(d, "f.c")).read()


def fails(ops, words):
    try:
        edited(ops)
    except history.EditError as e:
        assert words in str(e), f"{e!s} does not say {words}"
        return
    raise AssertionError(f"{ops} applied")


def main():
    out = edited([("delete", "remove_a", "if (x)")])
    assert "\tif (x)\n" not in out and "\t\tfree_it(x);\n\tclear_it(x);" in out, out
    out = edited([("after", "remove_b", "clear_it(x + 1);", "\tflush();")])
    assert "clear_it(x + 1);\n\tflush();\n}" in out, out
    out = edited([("before", "remove_a", "clear_it(x);", "\tflush();")])
    assert "free_it(x);\n\tflush();\n\tclear_it(x);" in out, out
    out = edited([("replace", "remove_a", "free_it", "free_it(x)", "free_it(0)")])
    assert "free_it(0);" in out and out.count("clear_it(x);") == 2, out
    out = edited([("delete", "remove_b", "clear_it(x", 2)])
    assert "static void remove_b(int x)\n{\n}" in out, out
    out = edited([("before-function", "remove_a", "static int n;")])
    assert out.startswith("static int n;\nstatic void __meminit\nremove_a"), out
    fails([("delete", "remove_a", "flush(")], "is on 0 lines")
    fails([("delete", "remove_b", "clear_it(")], "is on 2 lines")
    fails([("delete", "remove_c", "x")], "no definition of remove_c()")
    fails([("replace", "remove_a", "free_it", "nothing", "x")], "'nothing' is not in the line")
    print("history edit engine: 10 cases")


if __name__ == "__main__":
    main()
