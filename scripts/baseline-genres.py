#!/usr/bin/python3
"""scikit-learn baseline for the shipped argument models, on every held-out genre.

    /usr/bin/python3 scripts/baseline-genres.py --data WORK > baseline.json

WORK is make-models.sh's data folder (scripts/data/argument_data.py's output): train.ndjson and
test-*.ndjson. The same training sentences as the shipped models, without their features or
weights: TF-IDF over word 1-2-grams (sublinear tf, L2) and a LinearSVC with balanced class
weights per task (claim, support), C chosen by F1 in 5-fold cross-validation whose folds keep a
training group (a motion, a document) together, never on a held-out set. The thesis of a document
is its sentence with the highest claim decision value. Metrics per test set and genre: precision,
recall and F1 at decision value > 0, average precision, thesis top-1.
"""

import argparse
import glob
import json
import os
import sys
from collections import defaultdict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import evalmetrics  # noqa: E402

GRID = [0.01, 0.03, 0.1, 0.3, 1.0]


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def f1_at_zero(y, d):
    tp = int(np.sum((y == 1) & (d > 0)))
    pred, pos = int(np.sum(d > 0)), int(np.sum(y == 1))
    p = tp / pred if pred else 0.0
    r = tp / pos if pos else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def fit(texts, y, groups):
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True, max_features=200000)
    X = vec.fit_transform(texts)
    best = None
    for c in GRID:
        oof = np.zeros(len(y))
        for tr, te in GroupKFold(5).split(X, y, groups):
            oof[te] = LinearSVC(C=c, class_weight="balanced").fit(X[tr], y[tr]).decision_function(X[te])
        f = f1_at_zero(y, oof)["f1"]
        print(f"baseline-genres: C={c} grouped-CV F1 {f:.3f}", file=sys.stderr)
        if best is None or f > best[0]:
            best = (f, c)
    return vec, LinearSVC(C=best[1], class_weight="balanced").fit(X, y), best[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    a = ap.parse_args()
    train = read(os.path.join(a.data, "train.ndjson"))
    models = {}
    for task in ("claim", "support"):
        rows = [r for r in train if r.get(task) is not None]
        y = np.array([int(r[task]) for r in rows])
        models[task] = fit([r["text"] for r in rows], y, [str(r["group"]) for r in rows])
    out = {"method": "TF-IDF 1-2-grams + LinearSVC (balanced), C by grouped 5-fold CV",
           "C": {t: m[2] for t, m in models.items()}, "tests": {}}
    for path in sorted(glob.glob(os.path.join(a.data, "test-*.ndjson"))):
        test = read(path)
        name = os.path.basename(path)[len("test-"):-len(".ndjson")]
        dec = {t: m[1].decision_function(m[0].transform([r["text"] for r in test])) for t, m in models.items()}
        res = {}
        for g in sorted({r["genre"] for r in test}) + ["all"]:
            idx = [i for i, r in enumerate(test) if g == "all" or r["genre"] == g]
            cell = {}
            for task in ("claim", "support"):
                y = np.array([int(test[i].get(task) or 0) for i in idx])
                d = dec[task][idx]
                cell[task] = f1_at_zero(y, d)
                cell[task]["ap"] = evalmetrics.average_precision(list(y), list(d)) if y.sum() else None
            best, gold = {}, {}
            for i in idx:
                r = test[i]
                if r["doc"] not in best or dec["claim"][i] > best[r["doc"]][0]:
                    best[r["doc"]] = (dec["claim"][i], r["sent"])
                if r.get("thesis"):
                    gold[r["doc"]] = r["sent"]
            if gold:
                cell["thesis_top1"] = sum(1 for d, s in gold.items() if best[d][1] == s) / len(gold)
            res[g] = cell
        out["tests"][name] = res
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
