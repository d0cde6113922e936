#!/usr/bin/env python3
"""Include cycles inside each folder of lib/mlpipe/: a file's .h and .cpp are one component,
and a component depends on every header of its folder that either of them includes. A cycle
means some include climbs back to a higher level of the folder.

Usage: include-cycles.py [LIB_DIR]   (default: lib/mlpipe). Exits 1 when there is a cycle.
"""
import os
import re
import sys


def folder_graph(folder_dir, folder):
    graph = {}
    include = re.compile(r'#include "mlpipe/%s/(\w+)\.h"' % re.escape(folder))
    for name in os.listdir(folder_dir):
        if not name.endswith(('.h', '.cpp')):
            continue
        component = name.rsplit('.', 1)[0]
        with open(os.path.join(folder_dir, name), encoding='utf-8') as f:
            for m in include.finditer(f.read()):
                if m.group(1) != component:
                    graph.setdefault(component, set()).add(m.group(1))
    return graph


def reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def main(argv):
    root = argv[0] if argv else 'lib/mlpipe'
    cycles = 0
    for folder in sorted(os.listdir(root)):
        d = os.path.join(root, folder)
        if not os.path.isdir(d):
            continue
        graph = folder_graph(d, folder)
        reach = {c: reachable(graph, c) for c in graph}
        pairs = sorted({tuple(sorted((a, b))) for a in graph for b in reach[a] if a != b and a in reach.get(b, ())})
        for a, b in pairs:
            print(f'{folder}: {a} <-> {b}')
        cycles += len(pairs)
    print(f'{cycles} pair(s) of components in a cycle')
    return 1 if cycles else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
