#!/usr/bin/python3
"""Turn the claims-and-evidence corpus (CE-EMNLP-2015, CC BY-SA 3.0) into labelled sentence records.

    /usr/bin/python3 scripts/prepare-ibm.py ../shared/data/ibm-ce-2015 --mlsplit build/bin/mlsplit

Reads SRC/{motions,articles,claims,evidence}.tsv and SRC/articles/clean_<id>.txt, splits every
article into sentences (with `mlsplit --ndjson`, so that training sentences are cut exactly as the
pipeline cuts them; `--mlsplit none` uses a crude built-in splitter, for development only), labels
each sentence and writes, under OUT (default data/samples/ibm):

  train.ndjson.gz, test.ndjson.gz   one record per sentence, split by motion (split.json)
  claims.ndjson, evidence.ndjson    the annotations, with their ids and how each was matched
  split.json                        which motions are held out, and how they were chosen
  stats.json                        match counts and label counts

Sentence records: doc (article id), title, motion (motion id), topic (the motion's text), para,
sent, start, end (byte offsets in the article text after "[REF]" markers are removed), text,
claim 0/1, evidence 0/1, claim_ids (claims this sentence contains), evidence_ids (evidence
passages it overlaps), supports (ids of the claims supported by those evidence passages).
A (claim sentence, evidence sentence) pair of one motion is linked when
set(claim.claim_ids) & set(evidence.supports) is not empty.

Claims are spans inside sentences and about a quarter of them are not verbatim in the article.
They are matched in three steps: verbatim; after normalisation (case folded, accents removed,
punctuation and whitespace ignored: the word-token sequence must occur); fuzzily (the best
sentence, or two adjacent sentences, covering >= --fuzzy of the claim's tokens in order,
as measured by difflib's matching blocks). Evidence is matched the same way.
"""

import argparse
import bisect
import collections
import difflib
import gzip
import json
import os
import random
import re
import subprocess
import sys
import unicodedata

REF = re.compile(r"[ \t]*\[REF\]?")
TOKEN = re.compile(r"\w+")


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return lines[0], lines[1:]


def clean(text):
    """Article text as the pipeline sees it: without the corpus' "[REF]" citation markers."""
    return REF.sub("", text)


def fold(word):
    word = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in word if not unicodedata.combining(c))


def tokens(text):
    """Normalised word tokens with their character spans."""
    out = []
    for m in TOKEN.finditer(text):
        w = fold(m.group())
        if w:
            out.append((w, m.start(), m.end()))
    return out


def norm_words(text):
    return [t[0] for t in tokens(clean(text))]


# ---------------------------------------------------------------------------------------------
# sentence splitting


def split_with_mlsplit(mlsplit, docs):
    """docs: list of dicts with doc, text and extra fields. Returns records per doc, in order."""
    lines = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    proc = subprocess.run([mlsplit, "--ndjson"], input=lines.encode("utf-8"), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        sys.exit("prepare-ibm: mlsplit failed (exit %d): %s" % (proc.returncode, proc.stderr.decode()[:2000]))
    by_doc = collections.defaultdict(list)
    for line in proc.stdout.decode("utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            by_doc[r["doc"]].append(r)
    return by_doc


STANDIN_END = re.compile(r'(?<=[.!?])["\')\]]*\s+(?=["\'(\[]*[A-Z0-9])')


def split_standin(docs):
    """Crude splitter for development before mlsplit exists: paragraphs are lines."""
    by_doc = {}
    for d in docs:
        text = d["text"]
        recs = []
        para = -1
        pos = 0
        for line in text.split("\n"):
            lstart = pos
            pos += len(line) + 1
            if not line.strip():
                continue
            para += 1
            s = 0
            cuts = [m.end() for m in STANDIN_END.finditer(line)] + [len(line)]
            sent = 0
            for c in cuts:
                seg = line[s:c]
                a = s + len(seg) - len(seg.lstrip())
                b = s + len(seg.rstrip())
                s = c
                if b <= a:
                    continue
                cs, ce = lstart + a, lstart + b
                bs = len(text[:cs].encode("utf-8"))
                be = bs + len(text[cs:ce].encode("utf-8"))
                r = {k: v for k, v in d.items() if k != "text"}
                r.update(para=para, sent=sent, start=bs, end=be, text=text[cs:ce])
                recs.append(r)
                sent += 1
        by_doc[d["doc"]] = recs
    return by_doc


# ---------------------------------------------------------------------------------------------
# matching


class Doc:
    def __init__(self, doc_id, motion, text, sentences):
        self.id = doc_id
        self.motion = motion
        self.text = text
        self.sentences = sentences
        raw = text.encode("utf-8")
        # byte offset -> char offset, for the sentence spans mlsplit reports in bytes
        self.byte_to_char = {}
        b = 0
        for i, ch in enumerate(text):
            self.byte_to_char[b] = i
            b += len(ch.encode("utf-8"))
        self.byte_to_char[b] = len(text)
        assert b == len(raw)
        self.spans = []  # sentence char spans
        for r in sentences:
            cs = self.char_at(r["start"])
            ce = self.char_at(r["end"])
            self.spans.append((cs, ce))
        self.toks = tokens(text)
        self.norm = " " + " ".join(t[0] for t in self.toks) + " "
        # char position in self.norm -> token index
        self.norm_starts = []
        p = 1
        for t in self.toks:
            self.norm_starts.append(p)
            p += len(t[0]) + 1
        self.sent_starts = [s for s, _ in self.spans]
        # token index ranges per sentence
        tok_starts = [t[1] for t in self.toks]
        self.sent_tok = []
        for cs, ce in self.spans:
            a = bisect.bisect_left(tok_starts, cs)
            b = bisect.bisect_left(tok_starts, ce)
            self.sent_tok.append((a, b))

    def char_at(self, b):
        while b not in self.byte_to_char:  # a span inside a multi-byte character: move to its start
            b -= 1
        return self.byte_to_char[b]

    def sentences_overlapping(self, cs, ce):
        out = []
        for i, (a, b) in enumerate(self.spans):
            if a < ce and cs < b:
                out.append(i)
        return out

    def find_verbatim(self, needle):
        spans = []
        i = self.text.find(needle)
        while i >= 0 and needle:
            spans.append((i, i + len(needle)))
            i = self.text.find(needle, i + 1)
        return spans

    def find_normalised(self, words):
        if not words:
            return []
        key = " " + " ".join(words) + " "
        spans = []
        i = self.norm.find(key)
        while i >= 0:
            t0 = bisect.bisect_left(self.norm_starts, i + 1)
            t1 = t0 + len(words) - 1
            spans.append((self.toks[t0][1], self.toks[t1][2]))
            i = self.norm.find(key, i + 1)
        return spans

    def sentence_words(self, i):
        a, b = self.sent_tok[i]
        return [t[0] for t in self.toks[a:b]]


def ordered_coverage(needle, hay):
    sm = difflib.SequenceMatcher(None, needle, hay, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / len(needle)


def match_span(text, docs, fuzzy_min, alt_text=None):
    """Find `text` in the docs. Returns (how, score, [(doc, sentence index), ...])."""
    hits = []
    for d in docs:
        for cs, ce in d.find_verbatim(clean(text).strip()):
            hits.extend((d, i) for i in d.sentences_overlapping(cs, ce))
    if hits:
        return "verbatim", 1.0, hits
    for candidate in [text] + ([alt_text] if alt_text else []):
        words = norm_words(candidate)
        for d in docs:
            for cs, ce in d.find_normalised(words):
                hits.extend((d, i) for i in d.sentences_overlapping(cs, ce))
        if hits:
            return "normalised", 1.0, hits
    best, best_hits = 0.0, []
    for candidate in [text] + ([alt_text] if alt_text else []):
        words = norm_words(candidate)
        if not words:
            continue
        wset = collections.Counter(words)
        for d in docs:
            n = len(d.sentences)
            for i in range(n):
                # one sentence, or this sentence and the next of the same paragraph
                for j in (i, i + 1):
                    if j >= n or (j > i and d.sentences[j]["para"] != d.sentences[i]["para"]):
                        continue
                    a = d.sent_tok[i][0]
                    b = d.sent_tok[j][1]
                    hay = [t[0] for t in d.toks[a:b]]
                    cover = sum((wset & collections.Counter(hay)).values()) / len(words)
                    if cover < fuzzy_min or cover + 1e-9 < best:
                        continue
                    score = ordered_coverage(words, hay)
                    # prefer one sentence to two at the same score
                    key = score - (0.001 if j > i else 0.0)
                    if key > best + 1e-9:
                        best, best_hits = key, [(d, k) for k in range(i, j + 1)]
                    elif abs(key - best) <= 1e-9:
                        best_hits.extend((d, k) for k in range(i, j + 1))
    if best + 0.001 >= fuzzy_min and best_hits:
        return "fuzzy", round(best + (0.001 if len(best_hits) > 1 else 0), 3), best_hits
    return "unmatched", round(best, 3), []


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", help="the corpus folder (motions.tsv, articles.tsv, claims.tsv, evidence.tsv, articles/)")
    ap.add_argument("--out", default="data/samples/ibm", help="output folder (default: %(default)s)")
    ap.add_argument("--mlsplit", default="build/bin/mlsplit",
                    help="mlsplit program used to split articles, or 'none' for the built-in stand-in")
    ap.add_argument("--holdout", type=int, default=10, help="number of motions held out for testing")
    ap.add_argument("--seed", type=int, default=2015, help="seed of the shuffle that picks the held-out motions")
    ap.add_argument("--fuzzy", type=float, default=0.8,
                    help="minimum share of a claim's tokens a sentence must cover, in order (default %(default)s)")
    args = ap.parse_args()

    _, motions = read_tsv(os.path.join(args.src, "motions.tsv"))
    _, articles = read_tsv(os.path.join(args.src, "articles.tsv"))
    _, claims = read_tsv(os.path.join(args.src, "claims.tsv"))
    _, evidence = read_tsv(os.path.join(args.src, "evidence.tsv"))

    motion_id = {topic: int(mid) for mid, topic, _ in motions}

    # documents
    docs_in = []
    for topic, title, aid in articles:
        with open(os.path.join(args.src, "articles", "clean_%s.txt" % aid), encoding="utf-8") as f:
            text = clean(f.read())
        docs_in.append({"doc": aid, "title": title, "motion": motion_id[topic], "topic": topic, "text": text})
    if args.mlsplit == "none":
        splitter = "built-in stand-in splitter"
        by_doc = split_standin(docs_in)
    else:
        splitter = "mlsplit --ndjson"
        by_doc = split_with_mlsplit(args.mlsplit, docs_in)
    docs = []
    for d in docs_in:
        sents = by_doc.get(d["doc"], [])
        docs.append(Doc(d["doc"], d["motion"], d["text"], sents))
    docs_of = collections.defaultdict(list)
    for d in docs:
        docs_of[d.motion].append(d)
    n_sent = sum(len(d.sentences) for d in docs)
    print("prepare-ibm: %d articles, %d sentences (%s)" % (len(docs), n_sent, splitter), file=sys.stderr)

    labels = {}  # (doc id, sentence index) -> dict of sets

    def label(d, i):
        key = (d.id, i)
        if key not in labels:
            labels[key] = {"claim_ids": set(), "evidence_ids": set(), "supports": set()}
        return labels[key]

    # claims: one id per distinct (motion, normalised claim); duplicates rows share it
    claim_recs = []
    claim_by_key = {}
    per_motion = collections.Counter()
    counts = collections.Counter()
    for topic, original, corrected in claims:
        m = motion_id[topic]
        key = (m, " ".join(norm_words(original)))
        counts["claim rows"] += 1
        if key in claim_by_key:
            counts["claim rows repeating a claim"] += 1
            claim_by_key[key]["rows"] += 1
            continue
        per_motion[m] += 1
        cid = "c%d-%d" % (m, per_motion[m])
        how, score, hits = match_span(original, docs_of[m], args.fuzzy, alt_text=corrected)
        counts["claims " + how] += 1
        rec = {"id": cid, "motion": m, "text": original, "corrected": corrected, "match": how,
               "score": score, "sentences": sorted({"%s:%d" % (d.id, i) for d, i in hits}), "rows": 1}
        claim_recs.append(rec)
        claim_by_key[key] = rec
        for d, i in hits:
            label(d, i)["claim_ids"].add(cid)

    # evidence: one id per distinct (motion, evidence text); each evidence.tsv row is a link
    ev_recs = []
    ev_by_key = {}
    per_motion = collections.Counter()
    for topic, claim_text, ev_text, ev_type in evidence:
        m = motion_id[topic]
        counts["evidence rows"] += 1
        ckey = (m, " ".join(norm_words(claim_text)))
        crec = claim_by_key.get(ckey)
        if crec is None:
            counts["evidence rows whose claim is not in claims.tsv"] += 1
            continue
        key = (m, ev_text)
        if key not in ev_by_key:
            per_motion[m] += 1
            eid = "e%d-%d" % (m, per_motion[m])
            how, score, hits = match_span(ev_text, docs_of[m], args.fuzzy)
            counts["evidence " + how] += 1
            rec = {"id": eid, "motion": m, "text": clean(ev_text), "type": ev_type.strip("[]").split(", "),
                   "match": how, "score": score, "sentences": sorted({"%s:%d" % (d.id, i) for d, i in hits}),
                   "supports": []}
            ev_recs.append(rec)
            ev_by_key[key] = (rec, hits)
        rec, hits = ev_by_key[key]
        if crec["id"] not in rec["supports"]:
            rec["supports"].append(crec["id"])
        for d, i in hits:
            lab = label(d, i)
            lab["evidence_ids"].add(rec["id"])
            lab["supports"].add(crec["id"])

    # split by motion
    ids = sorted(motion_id.values())
    order = ids[:]
    random.Random(args.seed).shuffle(order)
    test = sorted(order[: args.holdout])
    train = sorted(order[args.holdout:])
    topic_of = {v: k for k, v in motion_id.items()}

    os.makedirs(args.out, exist_ok=True)

    def idkey(s):
        a, b = s[1:].split("-")
        return (int(a), int(b))

    outs = {"train": [], "test": []}
    n_pos = collections.Counter()
    for d_in, d in zip(docs_in, docs):
        part = "test" if d.motion in test else "train"
        for i, r in enumerate(d.sentences):
            lab = labels.get((d.id, i), {"claim_ids": set(), "evidence_ids": set(), "supports": set()})
            rec = {"doc": d.id, "title": d_in["title"], "motion": d.motion, "topic": d_in["topic"],
                   "para": r["para"], "sent": r["sent"], "start": r["start"], "end": r["end"], "text": r["text"],
                   "claim": 1 if lab["claim_ids"] else 0, "evidence": 1 if lab["evidence_ids"] else 0,
                   "claim_ids": sorted(lab["claim_ids"], key=idkey),
                   "evidence_ids": sorted(lab["evidence_ids"], key=idkey),
                   "supports": sorted(lab["supports"], key=idkey)}
            outs[part].append(rec)
            n_pos[part + " sentences"] += 1
            n_pos[part + " claim"] += rec["claim"]
            n_pos[part + " evidence"] += rec["evidence"]
            n_pos[part + " both"] += rec["claim"] and rec["evidence"]

    # link pairs within a motion (claim sentence x evidence sentence, never a sentence with itself)
    for part in outs:
        by_m = collections.defaultdict(lambda: ([], []))
        for r in outs[part]:
            if r["claim"]:
                by_m[r["motion"]][0].append(r)
            if r["evidence"]:
                by_m[r["motion"]][1].append(r)
        for cl, ev in by_m.values():
            for c in cl:
                cs = set(c["claim_ids"])
                for e in ev:
                    if c is e:
                        continue
                    n_pos[part + " pairs"] += 1
                    n_pos[part + " linked pairs"] += bool(cs & set(e["supports"]))

    for part, recs in outs.items():
        path = os.path.join(args.out, part + ".ndjson.gz")
        tmp = path + ".tmp"
        # mtime 0 and no file name in the header: the same input gives the same bytes
        with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            for r in recs:
                f.write((json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
        os.replace(tmp, path)

    def write_json_lines(name, recs):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

    write_json_lines("claims.ndjson", claim_recs)
    write_json_lines("evidence.ndjson", ev_recs)
    split = {"seed": args.seed, "how": "motion ids sorted, shuffled with Python's random.Random(seed); "
                                      "the first %d are held out" % args.holdout,
             "test": [{"motion": m, "topic": topic_of[m]} for m in test],
             "train": [{"motion": m, "topic": topic_of[m]} for m in train]}
    with open(os.path.join(args.out, "split.json"), "w", encoding="utf-8") as f:
        json.dump(split, f, ensure_ascii=False, indent=1)
        f.write("\n")
    stats = {"splitter": splitter, "articles": len(docs), "sentences": n_sent, "fuzzy_min": args.fuzzy}
    stats.update(sorted(counts.items()))
    stats.update(sorted(n_pos.items()))
    with open(os.path.join(args.out, "stats.json"), "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=1)
        f.write("\n")
    for k, v in stats.items():
        print("prepare-ibm: %s: %s" % (k, v), file=sys.stderr)


if __name__ == "__main__":
    main()
