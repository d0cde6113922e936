#!/usr/bin/python3
"""Derives the small data sets the model tests use from scikit-learn's bundled data
(iris, breast cancer Wisconsin, diabetes; public data sets shipped with scikit-learn,
BSD-3-Clause). Features are scaled to [-1, 1] and rounded to 4 decimals, so that float
and double readers see the same numbers. Run with Debian's /usr/bin/python3."""
import json
import numpy as np
from sklearn import datasets


def scale(X):
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1)
    return np.round(2 * (X - lo) / span - 1, 4)


def fmt(v):
    s = repr(float(v))
    return s[:-2] if s.endswith(".0") else s


def write(name, X, labels, names, dense, label_field="label", numeric=False):
    with open(name + ".libsvm", "w") as lf, open(name + ".ndjson", "w") as nf:
        for i, (row, y) in enumerate(zip(X, labels)):
            nz = [(j + 1, v) for j, v in enumerate(row) if v != 0]
            lf.write(fmt(y) + "".join(" %d:%s" % (j, fmt(v)) for j, v in nz) + "\n")
            rec = {"id": i}
            if dense:
                rec["x"] = [float(fmt(v)) for v in row]
            else:
                rec["features"] = {"idx": [j for j, _ in nz], "val": [float(fmt(v)) for _, v in nz]}
            rec[label_field] = float(y) if numeric else names[y]
            nf.write(json.dumps(rec, separators=(",", ":")) + "\n")


rng = np.random.RandomState(0)
d = datasets.load_breast_cancer()
idx = np.sort(rng.choice(len(d.target), 300, replace=False))
# libsvm labels: +1 malignant, -1 benign
y = np.where(d.target[idx] == 0, 1, -1)
write("cancer", scale(d.data)[idx], y, {1: "malignant", -1: "benign"}, dense=False)

d = datasets.load_iris()
write("iris", scale(d.data), d.target + 1, {1: "setosa", 2: "versicolor", 3: "virginica"}, dense=True)

d = datasets.load_diabetes()
idx = np.sort(rng.choice(len(d.target), 200, replace=False))
write("diabetes", scale(d.data)[idx], d.target[idx], None, dense=True, label_field="y", numeric=True)

# iris.csv: the raw measurements as a CSV a user would bring (mltrain --format csv): an id
# column with quoted values, header names with commas, species names as the label.
import csv
d = datasets.load_iris()
with open("iris.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "sepal length, cm", "sepal width, cm", "petal length, cm", "petal width, cm", "species"])
    for i, (row, t) in enumerate(zip(d.data, d.target)):
        w.writerow(['plant "%d"' % i if i % 50 == 0 else "p%d" % i] + [fmt(v) for v in row] +
                   [["setosa", "versicolor", "virginica"][t]])

# visits.csv: a made-up table as users bring them (mltrain --format csv): an identifier
# column, whole numbers, a number column with missing cells written as pandas' NA marks
# and "?", text columns (categories) with missing cells, a column with no value at all,
# and a yes/no outcome whose rarer class ("yes", a quarter of the rows) comes second.
r = np.random.default_rng(7)
with open("visits.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "age", "bmi", "smoker", "region", "notes", "outcome"])
    for i in range(60):
        age = int(r.integers(20, 80))
        bmi = round(float(r.normal(26, 4)), 1)
        smoker = ["yes", "no", "no"][int(r.integers(0, 3))]
        region = ["north", "south", "east", "west"][int(r.integers(0, 4))]
        risk = (age - 50) / 15 + (bmi - 26) / 4 + (1.5 if smoker == "yes" else 0) + r.normal(0, 0.5)
        outcome = "yes" if risk > 1.4 else "no"
        if i == 0:
            outcome = "no"
        bmi_cell = ["", "NA", "?", "NaN"][i % 4] if i % 7 == 3 else fmt(bmi)
        smoker_cell = "NA" if i % 11 == 5 else smoker
        region_cell = "" if i % 13 == 6 else region
        w.writerow(["v%03d" % i, age, bmi_cell, smoker_cell, region_cell, "", outcome])

# counts.csv: a whole-number target with many distinct values for its rows (a quantity,
# which mltrain trains as regression unless told otherwise), as scikit-learn's diabetes has.
r = np.random.default_rng(11)
with open("counts.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["hours", "site", "target"])
    for i in range(80):
        hours = round(float(r.uniform(0, 40)), 1)
        site = ["a", "b", "c"][int(r.integers(0, 3))]
        target = int(round(2 * hours + {"a": 0, "b": 10, "c": 25}[site] + r.normal(0, 4)))
        w.writerow([fmt(hours), site, target])
