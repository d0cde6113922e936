#!/usr/bin/python3
"""Prints the strongest links of mllink's output readably: score, claim, evidence.

Usage: mllink ... | show-links.py [--top N] [--left claim] [--right evidence]
"""
import argparse
import json
import sys
import textwrap


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--left", default="claim")
    ap.add_argument("--right", default="evidence")
    args = ap.parse_args()

    pairs = []
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            pairs.append((rec["scores"]["link"], rec))
        except (ValueError, KeyError, TypeError) as e:
            sys.exit(f"show-links: error: <stdin>:{n}: not a scored pair record ({e})")
    pairs.sort(key=lambda p: -p[0])
    print(f"{len(pairs)} links; the {min(args.top, len(pairs))} strongest:\n")
    wrap = textwrap.TextWrapper(width=100, initial_indent="", subsequent_indent=" " * 14)
    for rank, (score, rec) in enumerate(pairs[: args.top], 1):
        left, right = rec[args.left], rec[args.right]
        where = f"{left.get('doc', '?')}, sentences {left.get('sent', '?')} and {right.get('sent', '?')}"
        print(f"{rank:2}. link {score:+.3f}   ({where})")
        print(wrap.fill(f"    {args.left:9} {left.get('text', '')}"))
        print(wrap.fill(f"    {args.right:9} {right.get('text', '')}"))
        print()


if __name__ == "__main__":
    main()
