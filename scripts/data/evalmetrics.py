"""Held-out metrics shared by make-models.sh and baseline-sklearn.py (stdlib only).

Binary labels 0/1, real-valued scores; a record is predicted positive when score > threshold.
Average precision is the step-wise area under the precision/recall curve over the distinct
scores, as scikit-learn's average_precision_score computes it (no interpolation).
"""

import json


def binary_metrics(labels, scores, threshold=0.0):
    tp = fp = fn = 0
    for y, s in zip(labels, scores):
        if s > threshold:
            if y:
                tp += 1
            else:
                fp += 1
        elif y:
            fn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"n": len(labels), "positives": tp + fn, "predicted": tp + fp, "precision": p, "recall": r,
            "f1": f, "ap": average_precision(labels, scores)}


def average_precision(labels, scores):
    pairs = sorted(zip(scores, labels), key=lambda t: -t[0])
    total = sum(1 for y in labels if y)
    if not total:
        return 0.0
    ap = 0.0
    tp = seen = 0
    prev_recall = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:  # ties form one threshold
            tp += pairs[j][1] != 0
            seen += 1
            j += 1
        recall = tp / total
        ap += (recall - prev_recall) * (tp / seen)
        prev_recall = recall
        i = j
    return ap


def fmt_row(name, m):
    return "%-17s %9.3f %9.3f %9.3f %9.3f %8d %8d" % (name, m["precision"], m["recall"], m["f1"], m["ap"],
                                                     m["positives"], m["n"])


HEADER = "%-17s %9s %9s %9s %9s %8s %8s" % ("task", "precision", "recall", "F1", "AP", "pos", "n")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
