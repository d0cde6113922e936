#!/usr/bin/python3
"""Grouped cross-validation with mltrain and mlclassify: folds hold out whole groups (motions).

    grouped_cv.py --bin BIN --label claim --group motion --cost 0.1,0.3 --pos-weight balanced,8 \
        [--oof SCORES.json] [mltrain options after --] FILE.ndjson

mltrain's own --cv/--grid deal rows into stratified folds at random, so sentences of one motion
land on both sides of a fold, which flatters the scores and favours over-fitting C; here each fold
holds out whole values of --group (shuffled with --seed, dealt round robin), as the held-out test
does. For every (C, positive-class weight) point the helper trains with `mltrain` on K-1 folds,
scores the last with `mlclassify`, and ranks points by F1 at decision value > 0 (then by average
precision). Prints the table on stderr and the best point as JSON on stdout. With --oof, the
out-of-fold decision values of the best point are written (a JSON array in input order), for a
later stage that must not see in-sample scores.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalmetrics  # noqa: E402


def get(rec, path):
    for part in path.split("."):
        rec = rec[part]
    return rec


def run(cmd, **kw):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if proc.returncode != 0:
        sys.exit("grouped_cv: %s failed (exit %d):\n%s" % (" ".join(cmd), proc.returncode, proc.stderr.decode()))
    return proc.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="folder holding mltrain and mlclassify")
    ap.add_argument("--label", required=True, help="label field (0/1; 1 is the positive class)")
    ap.add_argument("--group", required=True, help="field whose values are never split across folds")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cost", default="0.03,0.1,0.3,1", help="comma-separated C values")
    ap.add_argument("--pos-weight", default="balanced",
                    help="comma-separated weights of the positive class ('balanced': mltrain --balanced)")
    ap.add_argument("--oof", help="write the best point's out-of-fold decision values here (JSON array)")
    ap.add_argument("--name", default="m", help="score name (a label for the table)")
    ap.add_argument("file")
    ap.add_argument("mltrain_args", nargs="*", help="more mltrain options (after --)")
    args = ap.parse_args()

    with open(args.file, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    labels, groups = [], []
    for line in lines:
        r = json.loads(line)
        labels.append(int(get(r, args.label)))
        groups.append(get(r, args.group))
    uniq = sorted(set(groups), key=lambda g: (str(type(g)), g))
    random.Random(args.seed).shuffle(uniq)
    fold_of_group = {g: i % args.folds for i, g in enumerate(uniq)}
    fold = [fold_of_group[g] for g in groups]

    tmp = tempfile.mkdtemp(prefix="grouped-cv-")
    try:
        for k in range(args.folds):
            with open(os.path.join(tmp, "train%d" % k), "w", encoding="utf-8") as tr, \
                 open(os.path.join(tmp, "val%d" % k), "w", encoding="utf-8") as va:
                for line, fk in zip(lines, fold):
                    (va if fk == k else tr).write(line)
        points = []
        for c in [float(x) for x in args.cost.split(",")]:
            for w in args.pos_weight.split(","):
                points.append((c, w))
        table = []
        for c, w in points:
            scores = [0.0] * len(lines)
            for k in range(args.folds):
                model = os.path.join(tmp, "m%d.model" % k)
                cmd = [os.path.join(args.bin, "mltrain"), "--label", args.label, "-t", "linear", "-c", repr(c),
                       "--positive", "1", "-o", model] + args.mltrain_args
                cmd += ["--balanced"] if w == "balanced" else ["--weight", "1=" + w]
                run(cmd + [os.path.join(tmp, "train%d" % k)])
                out = run([os.path.join(args.bin, "mlclassify"), "-m", "s=" + model, "--drop-features",
                           os.path.join(tmp, "val%d" % k)])
                it = iter(out.decode("utf-8").splitlines())
                for i, fk in enumerate(fold):
                    if fk == k:
                        scores[i] = json.loads(next(it))["scores"]["s"]
            m = evalmetrics.binary_metrics(labels, scores)
            table.append({"cost": c, "pos_weight": w, "f1": m["f1"], "ap": m["ap"], "precision": m["precision"],
                          "recall": m["recall"], "scores": scores})
            print("grouped_cv: %s C=%-6g w=%-8s P %.3f R %.3f F1 %.3f AP %.3f" %
                  (args.name, c, w, m["precision"], m["recall"], m["f1"], m["ap"]), file=sys.stderr)
        best = max(table, key=lambda t: (round(t["f1"], 6), t["ap"]))
        if args.oof:
            with open(args.oof, "w", encoding="utf-8") as f:
                json.dump(best["scores"], f)
        for t in table:
            del t["scores"]
        print(json.dumps({"name": args.name, "folds": args.folds, "group": args.group, "rows": len(lines),
                          "best": {k: best[k] for k in ("cost", "pos_weight", "f1", "ap", "precision", "recall")},
                          "table": table}))
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
