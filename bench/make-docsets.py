#!/usr/bin/python3
"""Builds NDJSON document sets of about N sentences from the benchmark corpus, by repeating
its documents under new names ("copy3/federalist-papers.txt"), as the benchmark reports say.

    make-docsets.py CORPUS_DIR SENTENCE_COUNTS.ndjson OUT_DIR N1 N2 ...

SENTENCE_COUNTS is mlsplit's output on the corpus (only `doc` is read), so that each set
stops at the first whole document that reaches N sentences.
"""
import collections
import json
import os
import sys


def main():
    corpus, counts_file, out_dir, *targets = sys.argv[1:]
    counts = collections.Counter(json.loads(line)["doc"] for line in open(counts_file))
    names = sorted(counts)
    texts = {n: open(os.path.join(corpus, n), encoding="utf-8").read() for n in names}
    for target in map(int, targets):
        total, copy = 0, 0
        path = os.path.join(out_dir, f"docs-{target}.ndjson")
        with open(path, "w", encoding="utf-8") as out:
            while total < target:
                for n in names:
                    if total >= target:
                        break
                    out.write(json.dumps({"doc": f"copy{copy}/{n}", "text": texts[n]}) + "\n")
                    total += counts[n]
                copy += 1
        print(f"{path} {total} {copy}")


if __name__ == "__main__":
    main()
