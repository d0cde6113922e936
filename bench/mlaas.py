#!/usr/bin/python3
"""mltrain --compare against scikit-learn on scikit-learn's own small data sets.

Both sides see the same rows and the same five folds: the folds are drawn once here
(StratifiedKFold / KFold, shuffled, seed 0) and written as a `fold` column, which mltrain
reads with --group fold (five groups for five folds: each group is one fold) and
scikit-learn with PredefinedSplit. mltrain ranks by accuracy (classes) or R² (regression),
its defaults for these data; scikit-learn's best of SVC (scaled), LogisticRegression
(scaled), RandomForest and HistGradientBoosting is scored the same way.

Usage: bench/mlaas.py BIN_DIR OUT_DIR"""
import csv
import gzip
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
from sklearn import datasets
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, PredefinedSplit, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR

bin_dir, out_dir = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)

sets = [
    ("iris", datasets.load_iris, True),
    ("wine", datasets.load_wine, True),
    ("breast_cancer", datasets.load_breast_cancer, True),
    ("digits", datasets.load_digits, True),
    ("diabetes", datasets.load_diabetes, False),
]


def write_csv(path, X, y, folds):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["f%d" % (j + 1) for j in range(X.shape[1])] + ["target", "fold"])
        for row, t, k in zip(X, y, folds):
            w.writerow([repr(float(v)) for v in row] + [int(t) if isinstance(t, (np.integer, int)) else repr(float(t)), k])


def sklearn_models(classify):
    if classify:
        return {
            "SVC (scaled)": make_pipeline(StandardScaler(), SVC()),
            "LogisticRegression (scaled)": make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)),
            "RandomForest": RandomForestClassifier(random_state=0),
            "HistGradientBoosting": HistGradientBoostingClassifier(random_state=0),
        }
    return {
        "SVR (scaled)": make_pipeline(StandardScaler(), SVR()),
        "Ridge (scaled)": make_pipeline(StandardScaler(), Ridge()),
        "RandomForest": RandomForestRegressor(random_state=0),
        "HistGradientBoosting": HistGradientBoostingRegressor(random_state=0),
    }


rows = []
for name, load, classify in sets:
    d = load()
    X, y = d.data, d.target
    splitter = (StratifiedKFold if classify else KFold)(n_splits=5, shuffle=True, random_state=0)
    folds = np.zeros(len(y), dtype=int)
    for k, (_, test) in enumerate(splitter.split(X, y)):
        folds[test] = k
    path = os.path.join(out_dir, name + ".csv")
    write_csv(path, X, y, folds)

    task = [] if classify else ["--task", "regression"]
    model = os.path.join(out_dir, name + ".model")
    t0 = time.perf_counter()
    out = subprocess.run([os.path.join(bin_dir, "mltrain"), "--format", "csv", "--label", "target", "--group", "fold",
                          "--cv", "5", "--compare", "-o", model, path] + task,
                         check=True, capture_output=True, text=True).stdout
    ours_seconds = time.perf_counter() - t0
    table = [l for l in out.splitlines() if re.match(r"^\d+ ", l)]
    best_line = table[0].split()
    ours_algorithm = best_line[1] if best_line[2].startswith(("C=", "trees=")) else " ".join(best_line[1:3])
    metric_line = [l for l in out.splitlines() if l.startswith(("accuracy ", "MSE "))][-1]
    ours = float(re.search(r"accuracy (\S+)", metric_line).group(1)) if classify else \
        float(re.search(r"R2 (\S+)", metric_line).group(1))
    # Prediction: the written model over every row, through mlclassify.
    t0 = time.perf_counter()
    subprocess.run([os.path.join(bin_dir, "mlclassify"), "--format", "csv", "-m", model, "--drop-features", path],
                   check=True, stdout=subprocess.DEVNULL)
    ours_predict = time.perf_counter() - t0

    best, best_name, theirs_seconds = -1e9, "", 0.0
    cv = PredefinedSplit(folds)
    for label, est in sklearn_models(classify).items():
        t0 = time.perf_counter()
        score = cross_val_score(est, X, y, cv=cv, scoring="accuracy" if classify else "r2").mean()
        theirs_seconds += time.perf_counter() - t0
        if score > best:
            best, best_name, best_est = score, label, est
    best_est.fit(X, y)
    t0 = time.perf_counter()
    best_est.predict(X)
    theirs_predict = time.perf_counter() - t0
    rows.append(dict(set=name, rows=len(y), metric="accuracy" if classify else "R2", mltrain=ours,
                     mltrain_best=ours_algorithm, sklearn=best, sklearn_best=best_name, points=100 * (ours - best),
                     mltrain_seconds=ours_seconds, sklearn_seconds=theirs_seconds, mlclassify_seconds=ours_predict,
                     sklearn_predict_seconds=theirs_predict))

print("%-14s %5s %-8s %-8s %-22s %-8s %-28s %7s %7s %7s %6s %8s %8s %6s" %
      ("data", "rows", "metric", "mltrain", "(best)", "sklearn", "(best)", "points", "ml s", "sk s", "ratio",
       "pred ms", "sk ms", "ratio"))
for r in rows:
    print("%-14s %5d %-8s %-8.4f %-22s %-8.4f %-28s %+7.2f %7.2f %7.2f %5.1fx %8.1f %8.1f %5.2fx" %
          (r["set"], r["rows"], r["metric"], r["mltrain"], r["mltrain_best"], r["sklearn"], r["sklearn_best"],
           r["points"], r["mltrain_seconds"], r["sklearn_seconds"], r["sklearn_seconds"] / r["mltrain_seconds"],
           1000 * r["mlclassify_seconds"], 1000 * r["sklearn_predict_seconds"],
           r["sklearn_predict_seconds"] / r["mlclassify_seconds"]))
print("points: mltrain's best minus scikit-learn's best, in percentage points (target: > -0.5 on every set)")
print("ml s / sk s: the whole 5-fold comparison (mltrain --compare, one process; scikit-learn's four estimators);")
print("  ratio: scikit-learn's time / mltrain's")
print("pred ms / sk ms: the chosen model over every row (an mlclassify process, start-up included; the fitted")
print("  estimator's predict() in the running interpreter); ratio: scikit-learn's time / mlclassify's")
with open(os.path.join(out_dir, "mlaas.json"), "w") as f:
    json.dump(rows, f, indent=1)
