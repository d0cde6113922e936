#!/usr/bin/python3
"""Held-out figures of a set of argument-mining models (claim, evidence, link).

    eval_argument_models.py --bin BIN --models DIR [--max-distance 20] [--top 2] TEST.ndjson > metrics.json

TEST.ndjson: labelled sentence records (claim, evidence, claim_ids, supports, motion; topic when
the models use it). Runs the programs as a user would, with the models' shipped defaults:

- claim, evidence: mlclassify's decision (`passed`, the sidecar's threshold) and the ranking of
  its scores (average precision);
- link on gold pairs: every gold claim x gold evidence pair that the pipeline's join forms
  (same document, at most --max-distance sentences apart), scored by mllink, decided at the link
  model's threshold;
- end to end: mlclassify --keep any | mljoin --key doc --max-distance N | mllink --top K, against
  every gold link of the test motions (a claim sentence and an evidence sentence of one motion whose
  evidence supports the claim, in any document), and against the gold links inside one document;
  plus the precision of the 100 highest-scored links, the links per claim, and how many gold
  links were among the join's candidate pairs at all (the recall no link model could pass).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalmetrics  # noqa: E402


def records(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def run(cmd, out_path, stdin_path=None):
    with open(out_path, "w") as out:
        fin = open(stdin_path) if stdin_path else subprocess.DEVNULL
        try:
            subprocess.run(cmd, stdout=out, stdin=fin, check=True)
        finally:
            if stdin_path:
                fin.close()


def pipe(cmds, out_path):
    """cmds[0] | cmds[1] | ... > out_path"""
    procs = []
    prev = None
    for i, c in enumerate(cmds):
        last = i == len(cmds) - 1
        p = subprocess.Popen(c, stdin=prev, stdout=open(out_path, "w") if last else subprocess.PIPE)
        if prev:
            prev.close()
        prev = p.stdout
        procs.append(p)
    for p in procs:
        if p.wait() != 0:
            sys.exit("eval_argument_models: %s failed" % " ".join(p.args))


def linked(c, e):
    return bool(set(c.get("claim_ids", [])) & set(e.get("supports", [])))


def sid(r):
    return (r["doc"], r["sent"])


def decided(labels, decisions, scores):
    tp = sum(1 for y, d in zip(labels, decisions) if y and d)
    pred = sum(1 for d in decisions if d)
    pos = sum(1 for y in labels if y)
    p = tp / pred if pred else 0.0
    r = tp / pos if pos else 0.0
    return {"n": len(labels), "positives": pos, "predicted": pred, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0, "ap": evalmetrics.average_precision(labels, scores)}


def sidecar_threshold(model):
    with open(model + ".json", encoding="utf-8") as f:
        t = json.load(f).get("threshold")
    return float(t["probability"]) if t and "probability" in t else 0.5


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--max-distance", type=int, default=20)
    ap.add_argument("--top", type=int, default=2)
    ap.add_argument("test")
    a = ap.parse_args()
    b = lambda t: os.path.join(a.bin, t)
    m = lambda f: os.path.join(a.models, f)
    tmp = tempfile.mkdtemp(prefix="eval-args-")
    t = lambda f: os.path.join(tmp, f)
    out = {"settings": {"max_distance": a.max_distance, "top": a.top}}

    run([b("mlfeat"), "--spec", m("features.json"), a.test], t("f.ndjson"))
    run([b("mlclassify"), "-m", "claim=" + m("claim.model"), "-m", "evidence=" + m("evidence.model"), t("f.ndjson")],
        t("scored.ndjson"))
    rows = list(records(t("scored.ndjson")))
    for task in ("claim", "evidence"):
        out[task] = decided([int(r[task]) for r in rows], [r["passed"][task] for r in rows],
                            [r["scores"][task] for r in rows])

    # Gold pairs as the pipeline's join forms them.
    link_threshold = sidecar_threshold(m("link.model"))
    pipe([[b("mljoin"), "--key", "doc", "--max-distance", str(a.max_distance), "--left-field", "claim",
           "--right-field", "evidence", t("scored.ndjson")],
          [b("mllink"), "-m", m("link.model"), "--all"]], t("gold_pairs.ndjson"))
    labels, scores = [], []
    for r in records(t("gold_pairs.ndjson")):
        labels.append(int(linked(r["claim"], r["evidence"])))
        scores.append(float(r["scores"]["link"]))
    out["link"] = decided(labels, [s > link_threshold for s in scores], scores)

    # End to end, with the defaults; the join's candidate pairs are kept to see what the link
    # model had to choose from.
    pipe([[b("mlclassify"), "-m", "claim=" + m("claim.model"), "-m", "evidence=" + m("evidence.model"),
           "--keep", "any", t("f.ndjson")],
          [b("mljoin"), "--key", "doc", "--max-distance", str(a.max_distance)]], t("candidates.ndjson"))
    run([b("mllink"), "-m", m("link.model"), "--top", str(a.top), t("candidates.ndjson")], t("linked.ndjson"))
    gold_rows = list(records(a.test))
    by_motion = {}
    for r in gold_rows:
        c, e = by_motion.setdefault(r["motion"], ([], []))
        if r["claim"]:
            c.append(r)
        if r["evidence"]:
            e.append(r)
    gold = set()
    for cl, ev in by_motion.values():
        for c in cl:
            for e in ev:
                if sid(c) != sid(e) and linked(c, e):
                    gold.add((sid(c), sid(e)))
    gold_same_doc = {g for g in gold if g[0][0] == g[1][0]}
    found = [(float(r["scores"]["link"]), (sid(r["claim"]), sid(r["evidence"]))) for r in records(t("linked.ndjson"))]
    keys = {k for _, k in found}

    def prf(gold_set):
        tp = len(keys & gold_set)
        p = tp / len(keys) if keys else 0.0
        r = tp / len(gold_set) if gold_set else 0.0
        return {"gold_links": len(gold_set), "kept_pairs": len(keys), "correct": tp, "precision": p, "recall": r,
                "f1": 2 * p * r / (p + r) if p + r else 0.0}

    e2e = prf(gold)
    e2e["same_document"] = prf(gold_same_doc)
    # The recall no link model could pass: the gold links among the join's candidates.
    candidates = {(sid(r["claim"]), sid(r["evidence"])) for r in records(t("candidates.ndjson"))}
    e2e["candidate_pairs"] = len(candidates)
    e2e["gold_among_candidates"] = len(candidates & gold)
    e2e["recall_ceiling"] = len(candidates & gold) / len(gold) if gold else 0.0
    ranked = sorted(found, key=lambda x: -x[0])[:100]
    e2e["precision_at_100"] = sum(1 for _, k in ranked if k in gold) / len(ranked) if ranked else 0.0
    per_claim = Counter(k[0] for _, k in found)
    counts = sorted(per_claim.values())
    e2e["claims_linked"] = len(counts)
    e2e["links_per_claim_median"] = counts[len(counts) // 2] if counts else 0
    e2e["links_per_claim_max"] = counts[-1] if counts else 0
    out["pipeline"] = e2e
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
