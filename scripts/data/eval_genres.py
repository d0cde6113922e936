#!/usr/bin/python3
"""Held-out figures of a set of argument models on one test set, running the programs as a user would.

    eval_genres.py --bin BIN --models DIR [--max-distance 20] [--top 3] [--top-right 1] TEST.ndjson > figures.json

TEST.ndjson: labelled sentence records (scripts/data/argument_data.py's test-*.ndjson: claim,
support, thesis, claim_ids, supports, attacks, genre). DIR holds features.json, claim.model,
support.model (or, for the models shipped before, evidence.model), link.model and, when trained,
thesis.model and attack.model. Per genre (the records' `genre`) and for all records:

- claim, support: precision, recall, F1 of mlclassify's decisions (passed.*), average precision;
- thesis: top-1 accuracy over the documents that have one: the sentence mljoin --thesis marks
  (without a thesis model: the sentence with the highest claim score, as a user of older models
  would take it), and the first sentence of each document (the baseline to beat);
- links, end to end: mlclassify --keep any | mljoin --key doc --max-distance N --thesis --sentences |
  mllink -m link.model --top K --top-right R, against the gold links inside one document (a
  claim sentence and a support sentence whose ids meet); precision, recall, F1, the precision of
  the 100 highest-scored links, and the stance right among the right links; also with
  independent decisions (--top K alone) and with every link above the threshold;
- links on gold sides: the same join and link model with the gold claims and supports as sides
  (the link model alone);
- nearest-claim: each support the pipeline found linked to the nearest claim it found in its
  paragraph (else in its document): the structural baseline for links.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalmetrics  # noqa: E402


def records(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def pipe(cmds, out_path, stdin_path=None):
    procs, prev = [], open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with open(out_path, "wb") as out:
        for i, c in enumerate(cmds):
            p = subprocess.Popen(c, stdin=prev, stdout=out if i == len(cmds) - 1 else subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            if prev not in (subprocess.DEVNULL, None):
                prev.close()
            prev = p.stdout
            procs.append(p)
        for p in procs:
            err = p.stderr.read().decode()
            if p.wait() != 0:
                sys.exit(f"eval_genres: {' '.join(p.args)} failed: {err}")


def prf(tp, predicted, positives):
    p = tp / predicted if predicted else 0.0
    r = tp / positives if positives else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "predicted": predicted,
            "positives": positives, "correct": tp}


def sid(r):
    return (r["doc"], r["sent"])


def gold_links(rows):
    """(claim sid, support sid) -> stance, for the links inside one document."""
    by_doc = defaultdict(list)
    for r in rows:
        by_doc[r["doc"]].append(r)
    gold = {}
    for rs in by_doc.values():
        claims = [r for r in rs if r.get("claim")]
        for s in rs:
            if not s.get("support"):
                continue
            for c in claims:
                if c is s:
                    continue
                ids = set(c.get("claim_ids") or [])
                if ids & set(s.get("supports") or []):
                    gold[(sid(c), sid(s))] = "support"
                elif ids & set(s.get("attacks") or []):
                    gold[(sid(c), sid(s))] = "attack"
    return gold


def link_figures(links, gold, genre_of):
    """links: [(score, claim sid, support sid, stance)] -> figures per genre and overall."""
    out = {}
    genres = sorted({genre_of[k[0][0]] for k in gold} | {genre_of[l[1][0]] for l in links})
    for g in genres + ["all"]:
        mine = [l for l in links if g == "all" or genre_of[l[1][0]] == g]
        gs = {k: v for k, v in gold.items() if g == "all" or genre_of[k[0][0]] == g}
        keys = {(l[1], l[2]) for l in mine}
        tp = len(keys & set(gs))
        f = prf(tp, len(keys), len(gs))
        top = sorted(mine, key=lambda l: -l[0])[:100]
        f["precision_at_100"] = (sum(1 for l in top if (l[1], l[2]) in gs) / len(top)) if top else 0.0
        right = [l for l in mine if (l[1], l[2]) in gs and l[3]]
        f["stance_right"] = (sum(1 for l in right if l[3] == gs[(l[1], l[2])]) / len(right)) if right else None
        out[g] = f
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--max-distance", type=int, default=20)
    ap.add_argument("--top", type=int, default=3)
    ap.add_argument("--top-right", type=int, default=1)
    ap.add_argument("test")
    a = ap.parse_args()
    b = lambda t: os.path.join(a.bin, t)
    m = lambda f: os.path.join(a.models, f)
    right = "support" if os.path.exists(m("support.model")) else "evidence"
    have_thesis = os.path.exists(m("thesis.model"))
    have_against = os.path.exists(m("against.model"))
    with tempfile.TemporaryDirectory(prefix="eval-genres-") as tmp:
        evaluate(a, b, m, right, have_thesis, have_against, lambda f: os.path.join(tmp, f))


def evaluate(a, b, m, right, have_thesis, have_against, t):
    rows = list(records(a.test))
    genre_of = {r["doc"]: r.get("genre", "?") for r in rows}
    models = ["-m", "claim=" + m("claim.model"), "-m", f"{right}=" + m(f"{right}.model")]
    if have_thesis:
        models += ["-m", "thesis=" + m("thesis.model")]
    if have_against:
        models += ["-m", "against=" + m("against.model")]
    pipe([[b("mlfeat"), "--spec", m("features.json"), a.test]], t("f.ndjson"))
    pipe([[b("mlclassify"), *models, "--drop-features", t("f.ndjson")]], t("scored.ndjson"))
    scored = list(records(t("scored.ndjson")))
    out = {"settings": {"models": os.path.abspath(a.models), "max_distance": a.max_distance, "top": a.top,
                        "top_right": a.top_right, "right": right, "thesis_model": have_thesis}}

    # Sentences.
    sent = defaultdict(dict)
    for g in sorted(set(genre_of.values())) + ["all"]:
        sel = [(r, s) for r, s in zip(rows, scored) if g == "all" or r.get("genre") == g]
        for task, field in (("claim", "claim"), ("support", right)):
            ys = [int(r.get(task) or 0) for r, _ in sel]
            ds = [bool(s["passed"][field]) for _, s in sel]
            sc = [float(s["scores"][field]) for _, s in sel]
            f = prf(sum(1 for y, d in zip(ys, ds) if y and d), sum(ds), sum(ys))
            f["ap"] = evalmetrics.average_precision(ys, sc) if sum(ys) else None
            f["n"] = len(ys)
            sent[g][task] = f
    out["sentences"] = sent

    # End to end, joint decisions (the shipped defaults), then independent and threshold-only.
    join = [b("mljoin"), "--key", "doc", "--right", right, "--max-distance", str(a.max_distance), "--sentences"]
    if have_thesis:
        join.append("--thesis")
    else:
        join += ["--thesis", "--thesis-score", "scores.claim"]
    variants = {"joint": ["--top", str(a.top), "--top-right", str(a.top_right)], "independent": ["--top", str(a.top)],
                "threshold": []}
    gold = gold_links(rows)
    out["links"] = {}
    found_sides = None
    for name, extra in variants.items():
        pipe([[b("mlclassify"), *models, "--keep", "any", t("f.ndjson")], join,
              [b("mllink"), "-m", m("link.model"), "--right", right, *extra]], t(f"links-{name}.ndjson"))
        links, sentences = [], []
        for r in records(t(f"links-{name}.ndjson")):
            if isinstance(r.get("claim"), dict):
                links.append((r["scores"]["link"], sid(r["claim"]), sid(r[right]), r.get("stance")))
            else:
                sentences.append(r)
        out["links"][name] = link_figures(links, gold, genre_of)
        if name == "joint":
            found_sides = sentences
    # Thesis: the marked sentence (or, without a thesis model, the best claim score), and the first sentence.
    marked = {r["doc"]: r["sent"] for r in found_sides if r.get("thesis")}
    if not have_thesis:
        best = {}
        for r, s in zip(rows, scored):
            if r["doc"] not in best or s["scores"]["claim"] > best[r["doc"]][0]:
                best[r["doc"]] = (s["scores"]["claim"], r["sent"])
        marked = {d: v[1] for d, v in best.items()}
    theses = {r["doc"]: r["sent"] for r in rows if r.get("thesis")}
    first = {}
    for r in rows:
        if r["doc"] not in first or r["sent"] < first[r["doc"]]:
            first[r["doc"]] = r["sent"]
    th = {}
    for g in sorted({genre_of[d] for d in theses}) + (["all"] if theses else []):
        docs = [d for d in theses if g == "all" or genre_of[d] == g]
        th[g] = {"documents": len(docs), "top1": sum(1 for d in docs if marked.get(d) == theses[d]) / len(docs),
                 "first_sentence": sum(1 for d in docs if first[d] == theses[d]) / len(docs),
                 "marked": sum(1 for d in docs if d in marked)}
    out["thesis"] = th

    # Nearest claim: each found support to the nearest found claim (same paragraph first).
    by_doc = defaultdict(list)
    for r in found_sides:
        by_doc[r["doc"]].append(r)
    near = []
    for rs in by_doc.values():
        claims = [r for r in rs if "claim" in r["roles"] or "thesis" in r["roles"]]
        for s in rs:
            if right not in s["roles"]:
                continue
            cands = [c for c in claims if c["sent"] != s["sent"]]
            if not cands:
                continue
            c = min(cands, key=lambda c: (c["para"] != s["para"], abs(c["sent"] - s["sent"]), c["sent"]))
            near.append((0.0, sid(c), sid(s), None))
    out["links"]["nearest_claim"] = link_figures(near, gold, genre_of)

    # The link model on gold sides.
    gold_sides = t("gold-sides.ndjson")
    # Scores of the gold sides come from the scored file (same order as the test).
    with open(gold_sides, "w", encoding="utf-8") as f:
        for r, fr, s in zip(rows, records(t("f.ndjson")), scored):
            if not (r.get("claim") or r.get("support")):
                continue
            fr["scores"] = s["scores"]
            fr["passed"] = dict(s["passed"])
            fr["passed"]["claim"] = bool(r.get("claim"))
            fr["passed"][right] = bool(r.get("support"))
            f.write(json.dumps(fr) + "\n")
    pipe([[b("mljoin"), "--key", "doc", "--right", right, "--max-distance", str(a.max_distance), gold_sides],
          [b("mllink"), "-m", m("link.model"), "--right", right, "--top", str(a.top), "--top-right", str(a.top_right)]],
         t("gold-links.ndjson"))
    gl = [(r["scores"]["link"], sid(r["claim"]), sid(r[right]), r.get("stance")) for r in records(t("gold-links.ndjson"))]
    out["links"]["gold_sides"] = link_figures(gl, gold, genre_of)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
