#!/usr/bin/python3
"""Synthetic data and models for bench/classify.sh and bench/train.sh (no ../shared needed).

  model-data.py rows OUT ROWS DIM NNZ SEED        sparse rows: OUT.libsvm and OUT.ndjson
  model-data.py svm OUT KERNEL NSV DIM NNZ SEED   a libsvm model with NSV support vectors
  model-data.py liblinear SVM_MODEL OUT DIM       the same linear model collapsed, in liblinear's format
  model-data.py dense OUT ROWS DIM SEED           dense rows with a non-linear class boundary
  model-data.py serve OUT ROWS DIM BATCH SEED     dense rows with a linear boundary as OUT.csv (columns
                                                  f1..fDIM and y: pos or neg), and two Open Inference
                                                  Protocol request bodies: OUT.one.json (the first row)
                                                  and OUT.batch.json (the first BATCH rows)

Sparse rows look like hashed text features: NNZ random indices in 1..DIM, values rounded
to 4 decimals (so float and double readers agree), labels from a hidden hyperplane plus
noise. Support vectors are drawn the same way, with libsvm-like coefficients."""
import json
import sys

import numpy as np


def sparse_rows(rng, n, dim, nnz):
    for _ in range(n):
        idx = np.sort(rng.choice(dim, size=nnz, replace=False)) + 1
        val = np.round(rng.random(nnz) * 0.5, 4)
        val[val == 0] = 0.0001
        yield idx, val


def fmt(v):
    return ("%.4f" % v).rstrip("0").rstrip(".")


def rows(out, n, dim, nnz, seed):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=dim + 1)
    with open(out + ".libsvm", "w") as lf, open(out + ".ndjson", "w") as nf:
        for idx, val in sparse_rows(rng, n, dim, nnz):
            score = float(np.dot(w[idx], val)) + rng.normal() * 0.5
            y = 1 if score > 0 else -1
            lf.write("%d %s\n" % (y, " ".join("%d:%s" % (i, fmt(v)) for i, v in zip(idx, val))))
            nf.write(json.dumps({"label": y, "features": {"idx": idx.tolist(), "val": [float(fmt(v)) for v in val]}},
                                separators=(",", ":")) + "\n")


def svm(out, kernel, nsv, dim, nnz, seed):
    rng = np.random.default_rng(seed)
    pos = nsv // 2
    with open(out, "w") as f:
        f.write("svm_type c_svc\nkernel_type %s\n" % kernel)
        if kernel == "rbf":
            f.write("gamma %r\n" % (1.0 / nnz))
        f.write("nr_class 2\ntotal_sv %d\nrho %r\nlabel 1 -1\nnr_sv %d %d\nSV\n" % (nsv, rng.normal() * 0.1, pos, nsv - pos))
        for k, (idx, val) in enumerate(sparse_rows(rng, nsv, dim, nnz)):
            coef = rng.random() * (1 if k < pos else -1)
            f.write("%r %s\n" % (coef, " ".join("%d:%s" % (i, fmt(v)) for i, v in zip(idx, val))))


def liblinear(model, out, dim):
    w = np.zeros(dim + 1)
    rho = 0.0
    with open(model) as f:
        for line in f:
            if line.startswith("rho "):
                rho = float(line.split()[1])
            if line.strip() == "SV":
                break
        for line in f:
            parts = line.split()
            coef = float(parts[0])
            for p in parts[1:]:
                i, v = p.split(":")
                w[int(i)] += coef * float(v)
    # With "bias 1", liblinear's predict appends feature nr_feature+1 = 1 to every row:
    # its weight (the last line) is the libsvm model's -rho.
    with open(out, "w") as f:
        f.write("solver_type L2R_L2LOSS_SVC_DUAL\nnr_class 2\nlabel 1 -1\nnr_feature %d\nbias 1\nw\n" % dim)
        for i in range(1, dim + 1):
            f.write("%r \n" % w[i])
        f.write("%r \n" % (-rho))
    np.save(out + ".npy", np.concatenate([w[1:], [-rho]]))


def dense(out, n, dim, seed):
    rng = np.random.default_rng(seed)
    X = np.round(rng.uniform(-1, 1, size=(n, dim)), 4)
    r = np.sqrt((X[:, : dim // 2] ** 2).sum(axis=1))
    y = np.where(r + rng.normal(scale=0.1, size=n) > np.median(r), 1, -1)
    with open(out + ".libsvm", "w") as lf, open(out + ".ndjson", "w") as nf:
        for row, label in zip(X, y):
            lf.write("%d %s\n" % (label, " ".join("%d:%s" % (i + 1, fmt(v)) for i, v in enumerate(row) if v != 0)))
            nf.write(json.dumps({"label": int(label), "x": [float(fmt(v)) for v in row]}, separators=(",", ":")) + "\n")


def serve(out, n, dim, batch, seed):
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, dim)) * rng.uniform(0.5, 2, size=dim), 4)
    w = rng.normal(size=dim)
    y = np.where(X @ w + rng.normal(scale=0.5 * np.sqrt(dim), size=n) > 0, "pos", "neg")
    with open(out + ".csv", "w") as f:
        f.write(",".join(["f%d" % (j + 1) for j in range(dim)] + ["y"]) + "\n")
        for row, label in zip(X, y):
            f.write(",".join([fmt(v) for v in row] + [label]) + "\n")
    for name, rows in (("one", X[:1]), ("batch", X[:batch])):
        body = {"inputs": [{"name": "x", "shape": list(rows.shape), "datatype": "FP64",
                            "data": [float(fmt(v)) for v in rows.ravel()]}]}
        with open("%s.%s.json" % (out, name), "w") as f:
            f.write(json.dumps(body, separators=(",", ":")))


cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "rows":
    rows(args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4]))
elif cmd == "svm":
    svm(args[0], args[1], int(args[2]), int(args[3]), int(args[4]), int(args[5]))
elif cmd == "liblinear":
    liblinear(args[0], args[1], int(args[2]))
elif cmd == "dense":
    dense(args[0], int(args[1]), int(args[2]), int(args[3]))
elif cmd == "serve":
    serve(args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4]))
