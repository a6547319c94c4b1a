#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The layers of mhpsim and the rule each boundary keeps (docs/architecture.md).

Reads every #include "..." of libsim/ and harness/, files each source under
its layer, and

  layers.py --check [--root DIR]   fails naming every include that crosses a
                                   boundary it may not cross
  layers.py --dot [FILE]           the layer graph (what includes what, how
                                   often) as Graphviz text: docs/architecture.dot

The build enforces the same rules with include paths (harness/ cannot find
the model's headers); this catches what one include path cannot tell apart,
such as mm/ reaching into arch/arm64/ or a model file including a check.
"""
import argparse
import os
import re
import sys

# Headers under libsim/include/sim/ by the layer whose files implement them.
SIM_HEADER_LAYER = {
    'mmzone.h': 'mm', 'sparse.h': 'mm', 'sparse-vmemmap.h': 'mm', 'page.h': 'mm', 'page_alloc.h': 'mm', 'memblock.h': 'mm',
    'mm_init.h': 'mm', 'migrate.h': 'mm', 'page_isolation.h': 'mm', 'memory_hotplug.h': 'mm',
    'workload.h': 'mm', 'ptdump.h': 'mm', 'memory.h': 'drivers/base', 'node.h': 'drivers/base',
}

# drivers/base/ of the kernel (memory block and node devices, the notifier chain) is
# what mm/memory_hotplug.c calls by name; a driver (virtio-mem) it never does.
DRIVERS_BASE = {'libsim/drivers/memory.c', 'libsim/drivers/node.c', 'libsim/drivers/notifier.c'}

# Known debts, each with its reason: reported, not failed.
DEBTS = {}

# What each layer may include (besides itself). The model (mm, arch, drivers)
# never sees the checks, the inspect views or the harness: it raises hooks.
MAY_INCLUDE = {
    'lib': {'public'},
    'core': {'lib', 'public', 'mm', 'arch', 'drivers/base', 'drivers', 'check'},
    'mm': {'lib', 'public', 'core', 'arch', 'drivers/base'},
    'arch': {'lib', 'public', 'core', 'mm'},
    'arch/arm64': {'lib', 'public', 'core', 'mm', 'arch', 'drivers/base'},
    'arch/x86': {'lib', 'public', 'core', 'mm', 'arch', 'drivers/base'},
    'arch/riscv': {'lib', 'public', 'core', 'mm', 'arch', 'drivers/base'},
    'drivers/base': {'lib', 'public', 'core', 'mm', 'arch', 'drivers'},
    'drivers': {'lib', 'public', 'core', 'mm', 'arch', 'drivers/base'},
    'check': {'lib', 'public', 'core', 'mm', 'arch', 'drivers/base', 'drivers'},
    'inspect': {'lib', 'public', 'core', 'mm', 'arch', 'drivers/base', 'drivers', 'check'},
    'harness': {'lib', 'public', 'inspect'},
}

INCLUDE_DIRS = ['libsim', 'libsim/include', 'libsim/arch/arm64', 'libsim/lib', 'libsim/inspect', 'harness', 'include']


def layer_of(path):
    p = path.replace(os.sep, '/')
    if p.startswith('include/'):
        return 'public'
    if p.startswith('harness/'):
        return 'harness'
    if p.startswith('libsim/include/sim/'):
        return SIM_HEADER_LAYER.get(os.path.basename(p), 'core')
    parts = p.split('/')
    if len(parts) > 2 and parts[0] == 'libsim':
        sub = parts[1]
        if sub == 'arch':
            return 'arch' if len(parts) == 3 else 'arch/' + parts[2]
        if p in DRIVERS_BASE:
            return 'drivers/base'
        if sub in ('lib', 'mm', 'drivers', 'check', 'inspect'):
            return sub
        if sub in ('kernel', 'fs'):
            return 'core'
    if len(parts) == 2 and parts[0] == 'libsim':
        return 'core'
    return None


def sources(root):
    for top in ('libsim', 'harness'):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if f.endswith(('.c', '.h')):
                    yield os.path.relpath(os.path.join(d, f), root)


def resolve(root, src, inc):
    for d in [os.path.dirname(src)] + INCLUDE_DIRS:
        cand = os.path.normpath(os.path.join(d, inc))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def edges(root):
    for src in sorted(sources(root)):
        with open(os.path.join(root, src), encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                target = resolve(root, src, m.group(1))
                if target:   # kshim.h and generated files live outside the layers
                    yield src, n, m.group(1), layer_of(src), layer_of(target)


def unconverted(root):
    """Harness files harness/CMakeLists.txt still lets see the model's headers."""
    try:
        with open(os.path.join(root, 'harness/CMakeLists.txt'), encoding='utf-8') as f:
            m = re.search(r'set\(MHPSIM_HARNESS_UNCONVERTED([^)]*)\)', f.read())
    except OSError:
        return set()
    return {'harness/' + w for w in m.group(1).split()} if m else set()


def check(root):
    bad = 0
    transit = unconverted(root)
    for src, n, inc, a, b in edges(root):
        if not (a and b and a != b and b not in MAY_INCLUDE.get(a, set())):
            continue
        why = DEBTS.get((src, inc)) or ('not yet on the inspect views (harness/CMakeLists.txt)'
                                        if src in transit else None)
        if why:
            print(f'{src}:{n}: known: "{inc}": {why}')
            continue
        print(f'{src}:{n}: layer {a} includes "{inc}" of layer {b}, which it may not '
              f'(it may include: {", ".join(sorted(MAY_INCLUDE.get(a, ())))})')
        bad += 1
    return bad


def dot(root):
    count = {}
    for _, _, _, a, b in edges(root):
        if a and b and a != b:
            count[(a, b)] = count.get((a, b), 0) + 1
    out = ['// Generated by scripts/layers.py --dot: which layer includes which, and how often.',
           'digraph layers {', '  rankdir=BT; node [shape=box, fontname="sans-serif"];']
    for (a, b), k in sorted(count.items()):
        out.append(f'  "{a}" -> "{b}" [label="{k}"];')
    out.append('}')
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--root', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
    ap.add_argument('--check', action='store_true')
    ap.add_argument('--dot', nargs='?', const='-')
    args = ap.parse_args()
    if args.dot:
        text = dot(args.root)
        if args.dot == '-':
            sys.stdout.write(text)
        else:
            with open(args.dot, 'w', encoding='utf-8') as f:
                f.write(text)
    if args.check:
        bad = check(args.root)
        if bad:
            print(f'layers: {bad} include(s) cross a boundary (docs/architecture.md)')
            return 1
        print('layers: every include keeps its boundary')
    return 0


if __name__ == '__main__':
    sys.exit(main())
