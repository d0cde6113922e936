#!/usr/bin/python3
"""mltrain --compare on tabular files as a user has them, against scikit-learn.

Classic public data sets are exported to CSV exactly as their packages hold them (R's
write.csv without row names, pandas' to_csv without the index): missing cells as NA, text
columns as text, the target as it is. For each file:

- mlpipe: `mltrain --format csv --label TARGET --compare --cv 5` on the file with one column
  appended, `fold`, given as `--group fold` (five groups: each is one fold), so that both
  sides see the same folds; then the model kept (-o) predicts the raw file back through
  `mlclassify --format csv --output-format csv` (nothing refused, one prediction a row).
- scikit-learn: the best of logistic regression (ridge for regression), random forest,
  histogram gradient boosting and an RBF SVM, each behind SimpleImputer + OneHotEncoder
  (text columns, unknown levels ignored) + StandardScaler, out-of-fold predictions over
  the same folds (PredefinedSplit).

Both are scored by the metric mltrain chooses for the file (its report's "ranked by"): F1
of the rarer class for imbalanced binary data, accuracy for other classes, R² for
regression, on the pooled out-of-fold predictions. Rows whose target is missing are left
out on both sides (mltrain does so itself, and says so).

Honesty: mltrain's defaults (imputation, the forest's depth and samples, the identifier
rule) were chosen on the DEV files only; the others are held out and were not looked at
while choosing. The table says which is which.

Usage: bench/mlaas.py BIN_DIR OUT_DIR   (MLAAS_FILES=Vehicle,Ozone: only those files)"""
import csv
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from sklearn import datasets
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, f1_score, r2_score
from sklearn.model_selection import KFold, PredefinedSplit, StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC, SVR

bin_dir, out_dir = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)

# (file, where it comes from, target column, what it is). The first three chose mltrain's
# defaults ("dev"); the rest are held out.
DEV = ["HouseVotes84", "Vehicle", "Ozone"]
FILES = [
    ("HouseVotes84", "R mlbench", "Class", "binary; 16 y/n text columns, 392 NA cells"),
    ("Vehicle", "R mlbench", "Class", "4 classes, numbers"),
    ("Ozone", "R mlbench", "V4", "regression; NA cells (target too), number-coded factors"),
    ("BreastCancer", "R mlbench", "Class", "binary 35%; Bare.nuclei has NA cells"),
    ("PimaIndiansDiabetes2", "R mlbench", "diabetes", "binary 35%; 652 NA cells"),
    ("infert", "R datasets", "case", "binary 33%; text column education"),
    ("nwtco", "R survival", "rel", "binary 14% (imbalanced); TRUE/FALSE column"),
    ("Glass", "R mlbench", "Type", "6 classes"),
    ("Soybean", "R mlbench", "Class", "19 classes; 35 coded columns, 2337 NA cells"),
    ("airquality", "R datasets", "Ozone", "regression; NA cells, 37 in the target"),
    ("Servo", "R mlbench", "Class", "regression; text columns Motor, Screw"),
    ("diabetes", "scikit-learn", "target", "regression; whole-number target, 214 values"),
]


def export(path_of):
    """Writes every file of FILES that is not there yet."""
    r_sets = [(n, src) for n, src, _, _ in FILES if src.startswith("R ") and not os.path.exists(path_of(n))]
    if r_sets:
        lines = ["suppressMessages({library(mlbench); library(survival)})"]
        for name, src in r_sets:
            if src == "R mlbench":
                lines.append("data(%s)" % name)
            lines.append('write.csv(%s, "%s", row.names = FALSE)' % (name, path_of(name)))
        subprocess.run(["Rscript", "-e", "; ".join(lines)], check=True)
    if not os.path.exists(path_of("diabetes")):
        datasets.load_diabetes(as_frame=True, scaled=False).frame.to_csv(path_of("diabetes"), index=False)


def with_folds(path, out, folds):
    """The file with a last column "fold": its lines as they are, one fold a row."""
    with open(path, newline="") as f:
        lines = f.read().splitlines()
    assert len(lines) == len(folds) + 1, "a quoted line break: rows and lines differ"
    with open(out, "w") as f:
        f.write(lines[0] + ',"fold"\n')
        for line, k in zip(lines[1:], folds):
            f.write("%s,%d\n" % (line, k))


def run(args):
    t0 = time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s: status %d\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout, p.stderr, time.perf_counter() - t0


def mlpipe_score(report):
    """(metric, positive class or None, best algorithm, its score) from mltrain's report."""
    head = next(l for l in report.splitlines() if "ranked by" in l)
    ranked = re.search(r"ranked by (.*?)(?: \(|$)", head).group(1)
    best = next(l for l in report.splitlines() if re.match(r"^1 ", l))
    algorithm = re.split(r"\s{2,}", best)[1]
    if ranked.startswith("F1 of class "):
        cls = ranked[len("F1 of class "):]
        row = next(l for l in report.splitlines() if l.split()[:1] == [cls] and len(l.split()) == 5)
        return "F1 " + cls, cls, algorithm, float(row.split()[3])
    if ranked == "accuracy":
        return "accuracy", None, algorithm, float(re.search(r"^accuracy (\S+)", report, re.M).group(1))
    if ranked == "R2":
        return "R2", None, algorithm, float(re.search(r"^MSE .*  R2 (\S+)$", report, re.M).group(1))
    raise RuntimeError("unexpected metric: " + ranked)


def sklearn_models(X, regression):
    text = [c for c in X.columns if X[c].dtype == object]
    numbers = [c for c in X.columns if c not in text]

    def prep():
        return ColumnTransformer([
            ("num", make_pipeline(SimpleImputer(), StandardScaler()), numbers),
            ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                  OneHotEncoder(handle_unknown="ignore")), text)])
    if regression:
        return {"Ridge": make_pipeline(prep(), Ridge()),
                "RandomForest": make_pipeline(prep(), RandomForestRegressor(random_state=0)),
                "HistGradientBoosting": make_pipeline(prep(), HistGradientBoostingRegressor(random_state=0)),
                "SVR": make_pipeline(prep(), SVR())}
    return {"LogisticRegression": make_pipeline(prep(), LogisticRegression(max_iter=5000)),
            "RandomForest": make_pipeline(prep(), RandomForestClassifier(random_state=0)),
            "HistGradientBoosting": make_pipeline(prep(), HistGradientBoostingClassifier(random_state=0)),
            "SVC": make_pipeline(prep(), SVC())}


def score(metric, cls, y, pred):
    if metric == "accuracy":
        return accuracy_score(y, pred)
    if metric == "R2":
        return r2_score(y, pred)
    return f1_score(y.astype(str), pd.Series(pred).astype(str), pos_label=cls)


def main():
    def path_of(name):
        return os.path.join(out_dir, name + ".csv")
    export(path_of)
    rows = []
    only = os.environ.get("MLAAS_FILES", "")  # a comma-separated subset, to look at a few
    for name, source, target, what in FILES:
        if only and name not in only.split(","):
            continue
        path = path_of(name)
        df = pd.read_csv(path)  # what pandas reads, mltrain must read
        labelled = df[target].notna().to_numpy()
        X, y = df.loc[labelled].drop(columns=[target]), df.loc[labelled, target]
        # TRUE/FALSE columns are categories to scikit-learn's encoder (its imputer takes no booleans).
        X = X.astype({c: str for c in X.columns if X[c].dtype == bool})
        regression = what.startswith("regression")
        splitter = (KFold if regression else StratifiedKFold)(n_splits=5, shuffle=True, random_state=0)
        folds = np.zeros(len(df), dtype=int)
        fold_of_labelled = np.zeros(len(y), dtype=int)
        for k, (_, test) in enumerate(splitter.split(X, y)):
            fold_of_labelled[test] = k
        folds[labelled] = fold_of_labelled
        folded = os.path.join(out_dir, name + ".folds.csv")
        with_folds(path, folded, folds)

        model = os.path.join(out_dir, name + ".model")
        report, notes, seconds = run([os.path.join(bin_dir, "mltrain"), "--format", "csv", "--label", target,
                                      "--group", "fold", "--cv", "5", "--compare", "-o", model, folded])
        metric, cls, algorithm, ours = mlpipe_score(report)
        task_ok = (metric == "R2") == regression
        # The model kept predicts the raw file: every row, nothing refused.
        predicted, _, _ = run([os.path.join(bin_dir, "mlclassify"), "--format", "csv", "--output-format", "csv",
                               "-m", "y=" + model, path])
        predicted_rows = len(predicted.splitlines()) - 1

        best, best_name, sk_seconds = -1e9, "", 0.0
        for label, est in sklearn_models(X, regression).items():
            t0 = time.perf_counter()
            pred = cross_val_predict(est, X, y, cv=PredefinedSplit(fold_of_labelled))
            sk_seconds += time.perf_counter() - t0
            s = score(metric, cls, y, pred)
            if s > best:
                best, best_name = s, label
        rows.append(dict(file=name, role="dev" if name in DEV else "held out", source=source, what=what,
                         rows=len(df), labelled=int(labelled.sum()), metric=metric, mlpipe=ours,
                         mlpipe_best=algorithm, sklearn=best, sklearn_best=best_name, points=100 * (ours - best),
                         task_ok=task_ok, predicted_rows=predicted_rows, mlpipe_seconds=seconds,
                         sklearn_seconds=sk_seconds, notes=[l for l in notes.splitlines() if "wrote" not in l]))

    print("%-20s %-8s %5s  %-15s %-30s %-30s %7s %8s" % ("file", "set", "rows", "metric", "mlpipe (best)",
                                                         "scikit-learn (best)", "points", "s ml/sk"))
    for r in rows:
        print("%-20s %-8s %5d  %-15s %.4f %-23s %.4f %-23s %+7.2f %4.0f/%-4.0f%s" % (
            r["file"], r["role"], r["rows"], r["metric"], r["mlpipe"], "(" + r["mlpipe_best"] + ")", r["sklearn"],
            "(" + r["sklearn_best"] + ")", r["points"], r["mlpipe_seconds"], r["sklearn_seconds"],
            "" if r["task_ok"] else "  WRONG TASK"))
    held = [r for r in rows if r["role"] == "held out"]
    short = [r for r in held if r["points"] < -0.5]
    print("points: mlpipe's best minus scikit-learn's best, percentage points, pooled out-of-fold predictions of the "
          "same 5 folds (target: > -0.5 on every file)")
    print("held out: %d files, %d within 0.5 points or better%s" % (
        len(held), len(held) - len(short), "" if not short else "; short: " + ", ".join(r["file"] for r in short)))
    refused = [r["file"] for r in rows if r["predicted_rows"] != r["rows"]]
    print("every file read as it comes and predicted back row for row by mlclassify: %s" %
          ("yes" if not refused else "NO: " + ", ".join(refused)))
    print("mltrain said:")
    for r in rows:
        for n in r["notes"]:
            print("  %s: %s" % (r["file"], n))
    with open(os.path.join(out_dir, "mlaas.json"), "w") as f:
        json.dump(rows, f, indent=1)


main()
