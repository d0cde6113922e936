#!/usr/bin/python3
"""Training rows for scripts/train-argument-models.sh (stdlib only).

  task-rows TASK IN OUT [WEIGHTS.json]
      The rows of IN (mlfeat's output) that carry TASK's label, with the label in "y" (0/1) and
      their line number in IN in "row". TASK is claim, support, thesis (rows with a "thesis"
      field) or against (claims and supports that argue against their document's thesis).
      With WEIGHTS, rows are repeated to weigh them (below).
  oof-sides IN OUT TASK=OOF.ndjson:ROWS.ndjson:MODEL.json ...
      IN's rows with each task's out-of-fold probability in scores.TASK and its decision at the
      model's threshold in passed.TASK (OOF: mltrain --oof over ROWS, task-rows' output). Rows a
      task did not see get neither. "backs" = supports + attacks, for link labels.
  weigh-pairs IN OUT WEIGHTS.json
      Link training pairs (mllink --features-only, with "label") repeated as rows are, by the
      corpus of their claim side and the positive weights of task "link".

WEIGHTS: {"field": "corpus", "mass": {"ibm-ce": 4, "written": 1, ...},
          "positive": {"claim": {"ibm-ce": 9, ...}, "support": {...}}}
Within a corpus (the value of FIELD), a positive row weighs positive[TASK][corpus] times a negative
one (default 1); each corpus then weighs in proportion to its mass. mltrain has no row weights,
so weights become whole numbers of copies (the largest corpus' negatives are kept once, smaller
corpora repeated, fractions carried over so that the totals are right). Linear learners minimise
a sum over rows, so k copies of a row are that row weighed k times.
"""

import json
import sys
from collections import defaultdict


def records(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if line.strip():
                yield n, line, json.loads(line)


def label(task, r):
    if task == "support" and r.get("support") is None and r.get("evidence") is not None:
        return int(r["evidence"])
    v = r.get(task)
    return None if v is None else int(v)


def copies_plan(rows, weights, task):
    """rows: [(corpus, y)] -> copies per row."""
    field_mass = weights.get("mass", {})
    ratio = weights.get("positive", {}).get(task, {})
    raw = defaultdict(float)
    for corpus, y in rows:
        raw[corpus] += ratio.get(corpus, 1.0) if y else 1.0
    # The corpus whose negatives stay single: the one with the most raw weight per unit of mass.
    scale = {}
    ref = max(raw, key=lambda c: raw[c] / max(field_mass.get(c, 1.0), 1e-9))
    for c in raw:
        target = raw[ref] * field_mass.get(c, 1.0) / max(field_mass.get(ref, 1.0), 1e-9)
        scale[c] = target / raw[c]
    carry = defaultdict(float)
    out = []
    for corpus, y in rows:
        w = scale[corpus] * (ratio.get(corpus, 1.0) if y else 1.0) + carry[(corpus, y)]
        k = int(w + 0.5) if w >= 0.5 else 0
        carry[(corpus, y)] = w - k
        out.append(k)
    return out


def task_rows(task, src, dst, weights_path=None):
    weights = json.load(open(weights_path, encoding="utf-8")) if weights_path else None
    kept = []
    for n, line, r in records(src):
        y = label(task, r)
        if y is None:
            continue
        r["y"], r["row"] = y, n
        kept.append(r)
    if not kept:
        sys.exit(f"training_rows: no row of {src} carries a {task} label")
    field = weights.get("field", "corpus") if weights else None
    copies = copies_plan([(str(r.get(field, "")), r["y"]) for r in kept], weights, task) if weights else [1] * len(kept)
    total = 0
    with open(dst, "w", encoding="utf-8") as out:
        for r, k in zip(kept, copies):
            line = json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
            out.write(line * k)
            total += k
    pos = sum(r["y"] for r in kept)
    print(f"training_rows: {task}: {len(kept)} rows ({pos} positive), {total} with their copies", file=sys.stderr)


def oof_sides(src, dst, specs):
    oof, thresholds = {}, {}
    for spec in specs:
        task, rest = spec.split("=", 1)
        oof_path, rows_path, model_json = rest.split(":", 2)
        with open(model_json, encoding="utf-8") as f:
            thresholds[task] = float(json.load(f)["threshold"]["probability"])
        # mltrain --oof numbers the rows it read (the task's rows, copies included); each names
        # its line in IN in "row".
        source = [r["row"] for _, _, r in records(rows_path)]
        vals = {}
        for _, _, r in records(oof_path):
            vals.setdefault(source[r["row"]], r["probability"])  # copies of a row share its fold
        oof[task] = vals
    with open(dst, "w", encoding="utf-8") as out:
        for n, line, r in records(src):
            r.pop("y", None)
            scores, passed = r.setdefault("scores", {}), r.setdefault("passed", {})
            for task, vals in oof.items():
                if n in vals:
                    scores[task] = vals[n]
                    passed[task] = vals[n] > thresholds[task]
            r["backs"] = list(r.get("supports") or []) + list(r.get("attacks") or [])
            out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


def weigh_pairs(src, dst, weights_path):
    weights = json.load(open(weights_path, encoding="utf-8"))
    field = weights.get("field", "corpus")
    rows = [(n, line, str(r["claim"].get(field, "")), int(r["label"])) for n, line, r in records(src)]
    copies = copies_plan([(c, y) for _, _, c, y in rows], weights, "link")
    with open(dst, "w", encoding="utf-8") as out:
        for (_, line, _, _), k in zip(rows, copies):
            out.write(line * k)


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "task-rows":
        task_rows(*args)
    elif cmd == "oof-sides":
        oof_sides(args[0], args[1], args[2:])
    elif cmd == "weigh-pairs":
        weigh_pairs(*args)
    else:
        sys.exit(f"training_rows: unknown command {cmd}")


if __name__ == "__main__":
    main()
