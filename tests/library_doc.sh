#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# docs/library.md shows examples/library.c verbatim, and the output it gives.
set -euo pipefail
example=$1   # the example, built against the library
doc=$(awk '/^```c$/ { on = 1; next } /^```$/ { if (on) exit } on' docs/library.md)
[ "$doc" = "$(cat examples/library.c)" ] || { echo "docs/library.md does not show examples/library.c as it is"; exit 1; }
shown=$(awk '/^It prints:$/ { on = 1; next } on && /^```$/ { n++; if (n == 2) exit; next } on && n == 1' docs/library.md)
out=$("$example")
[ "$shown" = "$out" ] || { echo "docs/library.md shows another output than the example gives:"; echo "$out"; exit 1; }
echo "library doc: the example and its output as the page shows them"
