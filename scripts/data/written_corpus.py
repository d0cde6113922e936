#!/usr/bin/python3
"""The texts written for mlpipe (data/samples/written/): check them, or turn them into records.

    written_corpus.py check FILE...                         report every format error, exit 1 if any
    written_corpus.py records --bin BIN [--titles] FILE... > out.ndjson  labelled sentence records (via mlsplit)
    written_corpus.py docs FILE... > docs.ndjson             document records (doc, genre, topic, title, text)

The format and the annotation rules are in data/samples/written/README.md. `records` builds each
document's text, splits it with mlsplit --ndjson as the pipeline would, and requires mlsplit's
sentences to be exactly the annotated ones (an error names the first that differs). Each record is
mlsplit's (doc, para, sent, start, end, text, plus the document's genre, topic and title) and:

    claim, support, thesis   0/1
    role                     "thesis" | "claim" | "support" | "none"
    unit                     the sentence's id in the file ("T1", "C2", "S3"), "" for [-]
    claim_ids                [id] for a claim, [] otherwise (the id is doc-qualified: "DOC#C2")
    supports, attacks        claim ids this support backs / argues against (through its chain)
    serves                   for a claim: the claim id it supports (C2>T1), "" if none
    opposes                  for a claim: the claim id it argues against (C9!T1), "" if none
    against                  for the thesis, claims and supports: 1 when the unit argues against the
                             thesis (its chain of targets reaches it through an odd number of `!`)

With --titles, an op-ed's or blog post's title (and every other essay's) opens its text as a
paragraph of its own, with no role, as a headline does in the texts people bring.
"""

import json
import os
import re
import subprocess
import sys

TAG = re.compile(r"^\[(?:(-)|([TCS])(\d+)(?:([>!])([TCS])(\d+))?)\]\s+(\S.*)$")


class FormatError(Exception):
    pass


def parse(path):
    """A document: header dict and paragraphs of sentences (dicts)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        m = re.match(r"^([a-z]+):\s*(.*\S)\s*$", lines[i])
        if not m:
            raise FormatError(f"{path}:{i + 1}: expected a header line 'key: value' (genre, topic, title)")
        header[m.group(1)] = m.group(2)
        i += 1
    for k in ("genre", "topic"):
        if k not in header:
            raise FormatError(f"{path}:1: the header has no '{k}:' line")
    paragraphs, current = [], []
    for n in range(i, len(lines)):
        line = lines[n].rstrip()
        if not line.strip():
            if current:
                paragraphs.append(current)
                current = []
            continue
        m = TAG.match(line)
        if not m:
            raise FormatError(f"{path}:{n + 1}: expected a sentence opening with a tag ([-], [T1], [C2>T1], "
                              f"[S3>C2], [S4!C2]), found: {line[:60]}")
        none, kind, num, rel, tkind, tnum, text = m.groups()
        s = {"line": n + 1, "text": text.strip()}
        if none:
            s.update(kind="-", id="")
        else:
            s.update(kind=kind, id=kind + num, rel=rel, target=(tkind + tnum) if rel else None)
        current.append(s)
    if current:
        paragraphs.append(current)
    check(path, header, paragraphs)
    return header, paragraphs


def check(path, header, paragraphs):
    sents = [s for p in paragraphs for s in p]
    if not sents:
        raise FormatError(f"{path}: no sentences")
    by_num = {}
    for s in sents:
        if not s["id"]:
            continue
        num = s["id"][1:]
        if num in by_num:
            raise FormatError(f"{path}:{s['line']}: id number {num} is used twice ({by_num[num]['id']} and {s['id']})")
        by_num[num] = s
    ids = {s["id"]: s for s in sents if s["id"]}
    theses = [s for s in sents if s["kind"] == "T"]
    if len(theses) != 1:
        raise FormatError(f"{path}: expected exactly one thesis [T…], found {len(theses)}")
    for s in sents:
        if s["kind"] == "T" and s["rel"]:
            raise FormatError(f"{path}:{s['line']}: the thesis has no target")
        if s["kind"] == "S" and not s["rel"]:
            raise FormatError(f"{path}:{s['line']}: a support needs a target ([S3>C2] or [S3!C2])")
        if s["kind"] in "CS" and s["rel"]:
            t = s["target"]
            if t not in ids:
                raise FormatError(f"{path}:{s['line']}: target {t} is not a sentence of this document")
            if t == s["id"]:
                raise FormatError(f"{path}:{s['line']}: {t} targets itself")
            if s["kind"] == "C" and t[0] == "S":
                raise FormatError(f"{path}:{s['line']}: a claim targets a claim or the thesis, not a support ({t})")
    for s in sents:  # every chain of targets ends at a claim, without cycles
        if s["kind"] != "S":
            continue
        seen, cur = set(), s
        while cur["kind"] == "S":
            if cur["id"] in seen:
                raise FormatError(f"{path}:{s['line']}: the targets of {s['id']} go round in a cycle")
            seen.add(cur["id"])
            cur = ids[cur["target"]]
    genre = header["genre"]
    if genre not in ("micro", "essay", "oped", "comment", "blog"):
        raise FormatError(f"{path}:1: genre '{genre}' is not one of micro, essay, oped, comment, blog")
    base = os.path.basename(path)
    if not base.startswith(genre + "-") or not base.endswith(".txt"):
        raise FormatError(f"{path}: the file name should be {genre}-SLUG.txt")


def doc_name(path):
    return os.path.basename(path)[:-4]


def doc_text(paragraphs):
    return "\n\n".join(" ".join(s["text"] for s in p) for p in paragraphs) + "\n"


def with_title(path, header, paragraphs):
    """The paragraphs, opened by the title as a headline for op-eds, blog posts and every other essay."""
    title = header.get("title")
    genre = header["genre"]
    if not title or genre in ("micro", "comment"):
        return paragraphs
    if genre == "essay" and sum(map(ord, doc_name(path))) % 2:
        return paragraphs
    return [[{"kind": "-", "id": "", "text": title, "line": 0}]] + paragraphs


def polarity(sents):
    """Each claim's and support's side: -1 when its chain of targets reaches the thesis through an
    odd number of `!` (it argues against the thesis), +1 otherwise (also when it reaches no thesis)."""
    ids = {s["id"]: s for s in sents if s["id"]}
    out = {}
    for s in sents:
        if s["kind"] not in "CS":
            continue
        sign, cur, seen = 1, s, set()
        while cur.get("rel") and cur["id"] not in seen:
            seen.add(cur["id"])
            if cur["rel"] == "!":
                sign = -sign
            cur = ids[cur["target"]]
        out[s["id"]] = sign if cur["kind"] == "T" else 1
    return out


def resolve(sents):
    """For each support: (claim id reached, +1 support / -1 attack)."""
    ids = {s["id"]: s for s in sents if s["id"]}
    out = {}
    for s in sents:
        if s["kind"] != "S":
            continue
        sign, cur = 1, s
        while cur["kind"] == "S":
            if cur["rel"] == "!":
                sign = -sign
            cur = ids[cur["target"]]
        out[s["id"]] = (cur["id"], sign)
    return out


def cmd_check(paths):
    bad = 0
    counts = {}
    for p in paths:
        try:
            header, paras = parse(p)
            g = header["genre"]
            n = sum(len(x) for x in paras)
            c = counts.setdefault(g, [0, 0, 0, 0, 0])
            c[0] += 1
            c[1] += n
            c[2] += sum(1 for x in paras for s in x if s["kind"] in "TC")
            c[3] += sum(1 for x in paras for s in x if s["kind"] == "S")
            c[4] += sum(1 for x in paras for s in x if s.get("rel") == "!")
        except FormatError as e:
            print(f"written_corpus: error: {e}", file=sys.stderr)
            bad += 1
    for g, c in sorted(counts.items()):
        print(f"{g}: {c[0]} documents, {c[1]} sentences, {c[2]} claims, {c[3]} supports, {c[4]} objections")
    return 1 if bad else 0


def cmd_docs(paths, out=sys.stdout):
    for p in paths:
        header, paras = parse(p)
        rec = {"doc": doc_name(p), "genre": header["genre"], "topic": header["topic"]}
        if "title" in header:
            rec["title"] = header["title"]
        rec["text"] = doc_text(paras)
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def cmd_records(bin_dir, paths, titles=False):
    parsed = [(p, *parse(p)) for p in paths]
    if titles:
        parsed = [(p, h, with_title(p, h, paras)) for p, h, paras in parsed]
    docs = "".join(
        json.dumps({"doc": doc_name(p), "genre": h["genre"], "topic": h["topic"], "title": h.get("title", ""),
                    "text": doc_text(paras)}, ensure_ascii=False) + "\n" for p, h, paras in parsed)
    res = subprocess.run([os.path.join(bin_dir, "mlsplit"), "--ndjson"], input=docs.encode(), capture_output=True)
    if res.returncode != 0:
        sys.exit("written_corpus: mlsplit failed: " + res.stderr.decode())
    by_doc = {}
    for line in res.stdout.decode().splitlines():
        r = json.loads(line)
        by_doc.setdefault(r["doc"], []).append(r)
    bad = 0
    for p, h, paras in parsed:
        name = doc_name(p)
        sents = [s for x in paras for s in x]
        got = by_doc.get(name, [])
        if [r["text"] for r in got] != [s["text"] for s in sents]:
            for k, s in enumerate(sents):
                if k >= len(got) or got[k]["text"] != s["text"]:
                    other = got[k]["text"] if k < len(got) else "(nothing)"
                    print(f"written_corpus: error: {p}:{s['line']}: mlsplit splits this sentence otherwise: "
                          f"it gives {other!r}", file=sys.stderr)
                    break
            bad += 1
            continue
        links = resolve(sents)
        sides = polarity(sents)
        qual = lambda i: f"{name}#{i}"
        for r, s in zip(got, sents):
            k = s["kind"]
            r["role"] = {"T": "thesis", "C": "claim", "S": "support", "-": "none"}[k]
            r["claim"] = int(k in "TC")
            r["support"] = int(k == "S")
            r["thesis"] = int(k == "T")
            r["unit"] = s["id"]
            r["claim_ids"] = [qual(s["id"])] if k in "TC" else []
            sup, att = [], []
            if k == "S":
                target, sign = links[s["id"]]
                (sup if sign > 0 else att).append(qual(target))
            r["supports"], r["attacks"] = sup, att
            r["serves"] = qual(s["target"]) if k == "C" and s.get("rel") == ">" else ""
            r["opposes"] = qual(s["target"]) if k == "C" and s.get("rel") == "!" else ""
            if k in "TCS":
                r["against"] = int(sides.get(s["id"], 1) < 0)
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    if bad:
        sys.exit(f"written_corpus: {bad} document(s) split differently by mlsplit")


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0
    cmd, args = sys.argv[1], sys.argv[2:]
    try:
        if cmd == "check":
            return cmd_check(args)
        if cmd == "docs":
            cmd_docs(args)
            return 0
        if cmd == "records":
            titles = "--titles" in args
            args = [a for a in args if a != "--titles"]
            if len(args) < 2 or args[0] != "--bin":
                sys.exit("written_corpus: usage: records --bin BIN [--titles] FILE...")
            cmd_records(args[1], args[2:], titles)
            return 0
    except FormatError as e:
        sys.exit(f"written_corpus: error: {e}")
    sys.exit(f"written_corpus: unknown command '{cmd}' (check, records, docs)")


if __name__ == "__main__":
    sys.exit(main())
