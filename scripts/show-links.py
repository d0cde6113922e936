#!/usr/bin/python3
"""Prints the strongest links of mllink's output readably: score, claim, evidence.

Usage: mllink ... | show-links.py [--top N] [--left claim] [--right evidence] [--sentences SCORED]

With --sentences, first the sentences of mlclassify's output SCORED that passed each role's
threshold, strongest first (at most --top of each).
"""
import argparse
import json
import os
import sys
import textwrap


def count(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")


def strongest(top, n):
    """'; the 5 strongest:', '; the strongest:', or '.' when there is nothing to show."""
    if n == 0:
        return "."
    return ":" if n == 1 else f"; the {min(top, n)} strongest:"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--left", default="claim")
    ap.add_argument("--right", default="evidence")
    ap.add_argument("--sentences", help="mlclassify's output: show the sentences that passed each role")
    args = ap.parse_args()
    wrap = textwrap.TextWrapper(width=100, initial_indent="", subsequent_indent=" " * 14)

    if args.sentences:
        with open(args.sentences, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        for role in (args.left, args.right):
            passed = sorted((r for r in rows if r.get("passed", {}).get(role)), key=lambda r: -r["scores"][role])
            print(f"{count(len(passed), 'sentence')} passed the {role} threshold{strongest(args.top, len(passed))}\n")
            for r in passed[: args.top]:
                text = r.get("text", "")
                text = text if len(text) <= 240 else text[:239] + "\u2026"
                print(wrap.fill(f"  {r['scores'][role]:.2f}  {os.path.basename(str(r.get('doc', '?')))}:{r.get('sent', '?')}  {text}"))
            print()

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
    print(f"{count(len(pairs), 'link')}{strongest(args.top, len(pairs))}\n")
    for rank, (score, rec) in enumerate(pairs[: args.top], 1):
        left, right = rec[args.left], rec[args.right]
        where = f"{left.get('doc', '?')}, sentences {left.get('sent', '?')} and {right.get('sent', '?')}"
        print(f"{rank:2}. link {score:.3f}   ({where})")
        print(wrap.fill(f"    {args.left:9} {left.get('text', '')}"))
        print(wrap.fill(f"    {args.right:9} {right.get('text', '')}"))
        print()


if __name__ == "__main__":
    main()
