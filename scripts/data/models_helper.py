#!/usr/bin/python3
"""Small steps of scripts/make-models.sh that the mlpipe programs do not do (stdlib only).

  add-scores IN OUT NAME=SCORES.json ...   put out-of-fold decision values into scores.NAME
  eval-sentences SCORED TASK...            held-out metrics of sentence models (label field = score name)
  eval-pairs SCORED                        held-out metrics of the link model on gold candidate pairs
  eval-pipeline LINKED GOLD                the whole pipeline on held-out motions: linked pairs it keeps
                                           vs the gold links
  readme METRICS.json [BASELINE.json]      print data/samples/models/README.md
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evalmetrics  # noqa: E402


def records(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def add_scores(src, dst, specs):
    cols = []
    for spec in specs:
        name, path = spec.split("=", 1)
        with open(path, encoding="utf-8") as f:
            cols.append((name, json.load(f)))
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        n = 0
        for line in fin:
            if not line.strip():
                continue
            r = json.loads(line)
            scores = r.setdefault("scores", {})
            for name, vals in cols:
                scores[name] = vals[n]
            n += 1
            fout.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    for name, vals in cols:
        if len(vals) != n:
            sys.exit("models_helper: %s has %d scores for %d records" % (name, len(vals), n))


def eval_sentences(path, tasks):
    labels = {t: [] for t in tasks}
    scores = {t: [] for t in tasks}
    for r in records(path):
        for t in tasks:
            labels[t].append(int(r[t]))
            scores[t].append(float(r["scores"][t]))
    return {t: evalmetrics.binary_metrics(labels[t], scores[t]) for t in tasks}


def linked(claim, evidence):
    return int(bool(set(claim.get("claim_ids", [])) & set(evidence.get("supports", []))))


def eval_pairs(path):
    labels, scores = [], []
    for r in records(path):
        labels.append(linked(r["claim"], r["evidence"]))
        scores.append(float(r["scores"]["link"]))
    return evalmetrics.binary_metrics(labels, scores)


def sid(r):
    return (r["doc"], r["sent"])


def eval_pipeline(linked_path, gold_path):
    """Gold links: (claim sentence, evidence sentence) of one motion, the evidence supporting the claim."""
    by_motion = {}
    for r in records(gold_path):
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
    found = set()
    for r in records(linked_path):
        found.add((sid(r["claim"]), sid(r["evidence"])))
    tp = len(found & gold)
    p = tp / len(found) if found else 0.0
    rec = tp / len(gold) if gold else 0.0
    return {"gold_links": len(gold), "kept_pairs": len(found), "correct": tp, "precision": p, "recall": rec,
            "f1": 2 * p * rec / (p + rec) if p + rec else 0.0}


def table(mine, base):
    out = ["| task | tool | precision | recall | F1 | AP | positives | n |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for task in ("claim", "evidence", "link"):
        for tool, res in (("mlpipe", mine), ("scikit-learn", base)):
            if res and task in res:
                m = res[task]
                out.append("| %s | %s | %.3f | %.3f | %.3f | %.3f | %d | %d |" % (
                    task, tool, m["precision"], m["recall"], m["f1"], m["ap"], m["positives"], m["n"]))
    return "\n".join(out)


def readme(metrics_path, baseline_path=None):
    with open(metrics_path, encoding="utf-8") as f:
        m = json.load(f)
    base = None
    if baseline_path and os.path.exists(baseline_path):
        with open(baseline_path, encoding="utf-8") as f:
            base = json.load(f)
    tr = m["training"]
    e2e = m["pipeline"]
    lines = []
    lines.append("# Shipped models: claim, evidence and link\n")
    lines.append("Linear SVMs (libsvm model files, one collapsed weight vector each, plus `MODEL.json` sidecars)")
    lines.append("trained by `make models` (`scripts/make-models.sh BIN_DIR`) on the labelled sentences in")
    lines.append("`data/samples/ibm/` (see its README). All three share the feature spec `features.json`")
    lines.append("(mlfeat: %s), with its vocabulary `vocab.tsv` fitted on the training motions only:\n" % m["features"])
    lines.append("    M=data/samples/models")
    lines.append("    mlsplit DOCS | mlfeat --spec $M/features.json \\")
    lines.append("      | mlclassify -m claim=$M/claim.model -m evidence=$M/evidence.model --keep any \\")
    lines.append("      | mljoin --key doc | mllink -m $M/link.model\n")
    lines.append("- `claim.model`: a sentence contains a claim (`scores.claim > 0`).")
    lines.append("- `evidence.model`: a sentence is (part of) evidence (`scores.evidence > 0`).")
    lines.append("- `link.model` (pair layout in `link.pairs.json`, also in its sidecar): the evidence supports the")
    lines.append("  claim. Its features are mllink's: both sides' vectors, their similarity, shared terms,")
    lines.append("  distance, order, same paragraph and the two sides' claim/evidence scores.\n")
    lines.append("## How they were trained\n")
    lines.append("- Split by motion: %d training motions (%d sentences), %d held-out motions (%d sentences),"
                 % (tr["train_motions"], tr["train_sentences"], tr["test_motions"], tr["test_sentences"]))
    lines.append("  listed in `data/samples/ibm/split.json`. No motion is on both sides, and nothing was tuned on")
    lines.append("  the held-out motions.")
    lines.append("- C and the positive-class weight were chosen by grouped 5-fold cross-validation over the")
    lines.append("  training motions (each fold holds out whole motions; ranked by F1 at decision value > 0):")
    for k in ("claim", "evidence", "link"):
        b = m["cv"][k]["best"]
        lines.append("  %s C=%g, weight %s (CV F1 %.3f, AP %.3f);" % (k, b["cost"], b["pos_weight"], b["f1"], b["ap"]))
    lines.append("- Link training pairs: every (claim sentence, evidence sentence) pair of one training motion,")
    lines.append("  gold labels (`mljoin --key motion`), labelled 1 when the evidence supports the claim")
    lines.append("  (`mllink --features-only --label-overlap claim_ids,supports`): %d pairs, %d linked." %
                 (tr["link_pairs"], tr["link_positives"]))
    lines.append("  The sides' claim/evidence scores in those pairs are out-of-fold (from the cross-validation),")
    lines.append("  so the link model does not learn from in-sample scores.\n")
    lines.append("## Held-out metrics\n")
    lines.append("On the %d held-out motions: precision, recall and F1 at the default threshold (decision value"
                 % tr["test_motions"])
    lines.append("> 0), average precision (AP) of the ranking. Sentences for claim and evidence; for link, every")
    lines.append("(gold claim sentence, gold evidence sentence) pair of a motion, scored with the predicted")
    lines.append("sides' scores. The scikit-learn baseline (`scripts/baseline-sklearn.py`: TF-IDF word 1-2-grams")
    lines.append("+ LinearSVC, balanced class weights, C by grouped CV over the training motions; link pairs get")
    lines.append("the same pair-only features as mllink's) uses the same split, labels and pairs.\n")
    lines.append(table(m["heldout"], base))
    lines.append("")
    lines.append("The whole pipeline on the held-out motions (`mlclassify --keep any | mljoin --key motion |")
    lines.append("mllink`, all defaults): it keeps %d pairs, %d of them gold links, out of %d gold links:" %
                 (e2e["kept_pairs"], e2e["correct"], e2e["gold_links"]))
    lines.append("precision %.3f, recall %.3f, F1 %.3f.\n" % (e2e["precision"], e2e["recall"], e2e["f1"]))
    lines.append("Claims and evidence here are *context dependent* (a claim of its motion, evidence for such a")
    lines.append("claim), while the models see one sentence and no motion: the figures are low, as in the")
    lines.append("literature for topic-independent detection on this corpus. Use the scores as a ranking.")
    lines.append("The link model was trained on gold claim x gold evidence pairs; in the whole pipeline most")
    lines.append("candidate sides are false claims or evidence, which is why its end-to-end precision is far")
    lines.append("below its precision on gold pairs: raise `--left-min`/`--right-min` or `mllink --min` to trade")
    lines.append("recall for precision.\n")
    lines.append("`metrics.json` holds these figures and the cross-validation tables, `baseline.json` the")
    lines.append("baseline's; `tests/e2e/models_heldout.sh` recomputes the held-out figures from the committed")
    lines.append("test sentences and checks that they still match.\n")
    lines.append("## License\n")
    lines.append("Derived from the IBM Debater(R) Claims and Evidence data set (CE-EMNLP-2015 v3),")
    lines.append("Rinott et al. 2015, \"Show Me Your Evidence - an Automatic Method for Context Dependent")
    lines.append("Evidence Detection\", EMNLP 2015. Article texts (c) Wikipedia contributors; annotations (c) IBM 2015.")
    lines.append("Released under the Creative Commons Attribution-ShareAlike 3.0 license (CC BY-SA 3.0,")
    lines.append("https://creativecommons.org/licenses/by-sa/3.0/). The models, vocabulary and feature spec in")
    lines.append("this folder are derived from it and distributed under the same license, with this attribution.")
    return "\n".join(lines) + "\n"


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "add-scores":
        add_scores(args[0], args[1], args[2:])
    elif cmd == "eval-sentences":
        print(json.dumps(eval_sentences(args[0], args[1:])))
    elif cmd == "eval-pairs":
        print(json.dumps(eval_pairs(args[0])))
    elif cmd == "eval-pipeline":
        print(json.dumps(eval_pipeline(args[0], args[1])))
    elif cmd == "readme":
        sys.stdout.write(readme(args[0], args[1] if len(args) > 1 else None))
    else:
        sys.exit("models_helper: unknown command %s" % cmd)


if __name__ == "__main__":
    main()
