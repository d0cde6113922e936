#!/usr/bin/python3
"""scikit-learn baseline for the shipped models: TF-IDF + LinearSVC on the same motion split.

    /usr/bin/python3 scripts/baseline-sklearn.py [--data data/samples/ibm] [--mlpipe OUT/metrics.json]

Same data, same labels and same metrics as scripts/make-models.sh:
- claim and evidence: one record per sentence of data/samples/ibm/{train,test}.ndjson.gz;
- link: every (claim-labelled sentence, evidence-labelled sentence) pair of one motion, a sentence
  never paired with itself, labelled 1 when the evidence supports the claim.
Features: TF-IDF over word 1-2-grams (sublinear tf, L2); a link pair is the claim's vector, the
evidence's vector, their element-wise product and cosine, and the pair features mllink has too
(same document, distance, adjacency, order, same paragraph, the sides' claim/evidence decision
values: out-of-fold on the training motions). LinearSVC with balanced class
weights; C is chosen by F1 in grouped cross-validation over the training motions (a fold holds
out whole motions), never on the held-out motions. Metrics on the held-out motions: precision,
recall, F1 at decision value > 0, and average precision.
With --mlpipe, prints mlpipe's held-out metrics (written by make-models.sh) side by side.
"""

import argparse
import gzip
import json
import os
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import evalmetrics  # noqa: E402

GRID = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0]


def read(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def pairs(recs):
    """(claim index, evidence index, label) for claim x evidence sentences of the same motion."""
    by_motion = {}
    for i, r in enumerate(recs):
        c, e = by_motion.setdefault(r["motion"], ([], []))
        if r["claim"]:
            c.append(i)
        if r["evidence"]:
            e.append(i)
    out = []
    for m in sorted(by_motion):
        cl, ev = by_motion[m]
        for i in cl:
            ids = set(recs[i]["claim_ids"])
            for j in ev:
                if i != j:
                    out.append((i, j, int(bool(ids & set(recs[j]["supports"])))))
    return out


def pair_matrix(X, P, recs, side_scores):
    """Claim vector, evidence vector, their product and cosine, and the pair-only features that
    mllink computes too: same document, distance, adjacency, order, same paragraph, and the two
    sides' claim and evidence decision values."""
    ci = np.array([p[0] for p in P], dtype=np.int64)
    ei = np.array([p[1] for p in P], dtype=np.int64)
    A, B = X[ci], X[ei]
    prod = A.multiply(B).tocsr()
    cos = np.asarray(prod.sum(axis=1))
    extra = []
    for i, j, _ in P:
        c, e = recs[i], recs[j]
        if c["doc"] == e["doc"]:
            d = abs(c["sent"] - e["sent"])
            extra.append([1.0, 1.0 / (1 + d), np.log1p(d), float(d == 1), float(c["sent"] < e["sent"]),
                          float(c["para"] == e["para"])])
        else:
            extra.append([0.0] * 6)
    extra = np.hstack([np.array(extra), side_scores[ci], side_scores[ei]])
    return sp.hstack([A, B, prod, sp.csr_matrix(cos), sp.csr_matrix(extra)]).tocsr()


def out_of_fold(X, y, groups, c, folds=5):
    """Grouped out-of-fold decision values, so that link training never sees in-sample scores."""
    out = np.zeros(X.shape[0])
    for tr, va in GroupKFold(n_splits=folds).split(X, y, groups):
        out[va] = LinearSVC(C=c, class_weight="balanced", max_iter=20000).fit(X[tr], y[tr]).decision_function(X[va])
    return out


def choose_c(X, y, groups, folds=5):
    best = None
    table = []
    for c in GRID:
        f1s = []
        for tr, va in GroupKFold(n_splits=folds).split(X, y, groups):
            clf = LinearSVC(C=c, class_weight="balanced", max_iter=20000).fit(X[tr], y[tr])
            m = evalmetrics.binary_metrics(list(y[va]), list(clf.decision_function(X[va])))
            f1s.append(m["f1"])
        f1 = float(np.mean(f1s))
        table.append((c, f1))
        if best is None or f1 > best[1] + 1e-12:
            best = (c, f1)
    return best[0], table


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="data/samples/ibm")
    ap.add_argument("--mlpipe", help="metrics.json written by make-models.sh, to print side by side")
    ap.add_argument("--json", help="write the baseline's metrics to this file")
    args = ap.parse_args()

    train = read(os.path.join(args.data, "train.ndjson.gz"))
    test = read(os.path.join(args.data, "test.ndjson.gz"))
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)
    Xtr = vec.fit_transform(r["text"] for r in train)
    Xte = vec.transform(r["text"] for r in test)
    gtr = np.array([r["motion"] for r in train])

    results = {}
    side_tr, side_te = [], []
    for task in ("claim", "evidence"):
        y = np.array([r[task] for r in train])
        c, table = choose_c(Xtr, y, gtr)
        clf = LinearSVC(C=c, class_weight="balanced", max_iter=20000).fit(Xtr, y)
        te = clf.decision_function(Xte)
        m = evalmetrics.binary_metrics([r[task] for r in test], list(te))
        side_te.append(te)
        side_tr.append(out_of_fold(Xtr, y, gtr, c))
        m["C"] = c
        m["cv_f1"] = dict(table)
        results[task] = m
        print("baseline-sklearn: %s: C=%g (CV F1 by C: %s)" % (task, c, ", ".join("%g:%.3f" % t for t in table)),
              file=sys.stderr)

    Ptr, Pte = pairs(train), pairs(test)
    PXtr = pair_matrix(Xtr, Ptr, train, np.column_stack(side_tr))
    PXte = pair_matrix(Xte, Pte, test, np.column_stack(side_te))
    ytr = np.array([p[2] for p in Ptr])
    pg = np.array([train[p[0]]["motion"] for p in Ptr])
    c, table = choose_c(PXtr, ytr, pg)
    clf = LinearSVC(C=c, class_weight="balanced", max_iter=20000).fit(PXtr, ytr)
    m = evalmetrics.binary_metrics([p[2] for p in Pte], list(clf.decision_function(PXte)))
    m["C"] = c
    m["cv_f1"] = dict(table)
    results["link"] = m
    print("baseline-sklearn: link: C=%g (CV F1 by C: %s)" % (c, ", ".join("%g:%.3f" % t for t in table)),
          file=sys.stderr)

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
            f.write("\n")

    mine = evalmetrics.load(args.mlpipe) if args.mlpipe else {}
    print("Held-out motions: %d sentences, %d link pairs (gold claim x gold evidence sentences of a motion)"
          % (len(test), len(Pte)))
    print(evalmetrics.HEADER)
    for task in ("claim", "evidence", "link"):
        if task in mine:
            print(evalmetrics.fmt_row(task + "/mlpipe", mine[task]))
        print(evalmetrics.fmt_row(task + "/sklearn", results[task]))


if __name__ == "__main__":
    main()
