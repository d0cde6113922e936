#!/usr/bin/python3
"""Small steps of scripts/make-models.sh and train-argument-models.sh that the mlpipe programs
do not do (stdlib only).

  oof-sides IN OUT NAME=OOF.ndjson NAME.threshold=MODEL.json ...
                                           link training sides: out-of-fold probabilities and decisions
  metrics WORK SPLIT.json                  print metrics.json from make-models.sh's work folder
  readme METRICS.json [BASELINE.json]      print data/samples/models/README.md
"""

import json
import os
import sys

def records(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def oof_sides(src, dst, specs):
    """Sentence records with out-of-fold scores and decisions, as link training sides.

    specs: NAME=OOF.ndjson (mltrain --oof) and NAME.threshold=MODEL.json (its sidecar). A side's
    passed.NAME is true when its out-of-fold probability is above the model's threshold, or when
    the sentence is a gold NAME: the link model must learn both the pipeline's false sides and
    the true ones it misses.
    """
    oof, thresholds = {}, {}
    for spec in specs:
        key, path = spec.split("=", 1)
        if key.endswith(".threshold"):
            with open(path, encoding="utf-8") as f:
                thresholds[key[:-len(".threshold")]] = float(json.load(f)["threshold"]["probability"])
        else:
            oof[key] = [r["probability"] for r in records(path)]
    n = 0
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for line in fin:
            if not line.strip():
                continue
            r = json.loads(line)
            scores = r.setdefault("scores", {})
            passed = r.setdefault("passed", {})
            for name, vals in oof.items():
                scores[name] = vals[n]
                passed[name] = bool(vals[n] > thresholds[name] or int(r.get(name, 0)) == 1)
            n += 1
            fout.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    for name, vals in oof.items():
        if len(vals) != n:
            sys.exit("models_helper: %s has %d out-of-fold values for %d records" % (name, len(vals), n))


def distance_profile(path, limits=(0, 2, 5, 10, 20, 30, 50, 100)):
    """Gold claim x gold evidence pairs of one document (training motions): for each --max-distance,
    the share of those pairs and of their links it keeps, and the share linked among them."""
    by_doc = {}
    for r in records(path):
        c, e = by_doc.setdefault(r["doc"], ([], []))
        if r["claim"]:
            c.append(r)
        if r["evidence"]:
            e.append(r)
    pairs, links = {}, {}
    for cl, ev in by_doc.values():
        for c in cl:
            for e in ev:
                d = abs(c["sent"] - e["sent"])
                pairs[d] = pairs.get(d, 0) + 1
                if set(c["claim_ids"]) & set(e["supports"]):
                    links[d] = links.get(d, 0) + 1
    P, L = sum(pairs.values()), sum(links.values())
    rows = []
    for lim in limits:
        p = sum(v for d, v in pairs.items() if d <= lim)
        l = sum(v for d, v in links.items() if d <= lim)
        rows.append({"max_distance": lim, "pairs": p / P, "links": l / L, "linked": l / p if p else 0.0})
    rows.append({"max_distance": None, "pairs": 1.0, "links": 1.0, "linked": L / P})
    return rows


def metrics(work, split_path):
    """metrics.json of make-models.sh: both model sets' held-out figures, CV, ablation, counts."""
    load = lambda *p: json.load(open(os.path.join(work, *p), encoding="utf-8"))
    count = lambda p: sum(1 for l in open(p, encoding="utf-8") if l.strip())
    split = json.load(open(split_path, encoding="utf-8"))
    out = {"sets": {}}
    for name, sub in (("topic_free", "free"), ("topic_aware", "topic")):
        s = {"heldout": load("heldout-%s.json" % sub), "cv": {}}
        for k in ("claim", "evidence", "link"):
            s["cv"][k] = load(sub, k + ".cv.json")["best"]
        link = os.path.join(work, sub, "link.train.ndjson")
        s["link_pairs"] = count(link)
        s["link_positives"] = sum(json.loads(l)["label"] for l in open(link, encoding="utf-8"))
        out["sets"][name] = s
    if os.path.exists(os.path.join(work, "ablation.json")):
        out["ablation"] = load("ablation.json")
    out["distance"] = distance_profile(os.path.join(work, "train.ndjson"))
    out["training"] = {"train_motions": len(split["train"]), "test_motions": len(split["test"]),
                       "train_sentences": count(os.path.join(work, "train.ndjson")),
                       "test_sentences": count(os.path.join(work, "test.ndjson"))}
    return out


# The models shipped before syntax, cue and topic features, on the same held-out motions (their
# link figure is on every gold pair of a motion, the end-to-end one with mljoin --key motion and
# no --top): the baseline the current models must beat.
PREVIOUS = {"claim": (0.142, 0.398, 0.209, 0.154), "evidence": (0.141, 0.390, 0.207, 0.133),
            "link": (0.283, 0.420, 0.338, 0.288), "pipeline": (0.007, 0.049, 0.012)}


def readme(metrics_path, baseline_path=None):
    m = json.load(open(metrics_path, encoding="utf-8"))
    base = json.load(open(baseline_path, encoding="utf-8")) if baseline_path and os.path.exists(baseline_path) else None
    tr = m["training"]
    free, topic = m["sets"]["topic_free"], m["sets"]["topic_aware"]
    settings = free["heldout"]["settings"]
    L = []
    add = L.append
    add("# Shipped models: claim, evidence and link\n")
    add("Two sets of linear SVMs (libsvm model files, one collapsed weight vector each, plus `MODEL.json`")
    add("sidecars holding the feature spec, a Platt calibration and a decision threshold), trained by")
    add("`make models` (`scripts/make-models.sh BIN_DIR`, which runs `scripts/train-argument-models.sh`)")
    add("on the labelled sentences in `data/samples/ibm/` (see its README):\n")
    add("- this folder, **topic-free**: `features.json` (mlfeat: word 1-2-grams TF-IDF over a 20,000-term")
    add("  vocabulary `vocab.tsv`, and the feature groups `claim-cues`, `evidence-cues`, `shape`, `opinion`,")
    add("  `syntax:pos=3,bits=16`), `claim.model`, `evidence.model`, `link.model` (+ `link.pairs.json`);")
    add("- `topic/`, **topic-aware**: the same plus the `topic` group; records need a `topic` field")
    add("  (or `mlfeat --topic TEXT`).\n")
    add("    M=data/samples/models        # or M=data/samples/models/topic, with a topic")
    add("    mlsplit DOCS | mlfeat --spec $M/features.json \\")
    add("      | mlclassify -m claim=$M/claim.model -m evidence=$M/evidence.model --keep any \\")
    add("      | mljoin --key doc --max-distance %d | mllink -m $M/link.model --top %d\n" % (settings["max_distance"], settings["top"]))
    add("Scores are calibrated probabilities; `mlclassify` decides with each sidecar's threshold and")
    add("records it in `passed`, which `mljoin` follows; `mllink` keeps a pair above the link model's")
    add("threshold, and `--top %d` the %d best of each claim.\n" % (settings["top"], settings["top"]))
    add("## How they were trained\n")
    add("- Split by motion: %d training motions (%d sentences), %d held-out motions (%d sentences), listed"
        % (tr["train_motions"], tr["train_sentences"], tr["test_motions"], tr["test_sentences"]))
    add("  in `data/samples/ibm/split.json`. No motion is on both sides; nothing was tuned on the held-out ones.")
    add("- Every choice is made by 5-fold cross-validation whose folds hold whole training motions")
    add("  (`mltrain --cv 5 --group motion`): C (by F1, then AP), the Platt calibration (fitted on the")
    add("  out-of-fold decision values, `--calibrate`) and the threshold (the out-of-fold value with the")
    add("  best F1, `--threshold best-f1`).")
    for name, s in (("topic-free", free), ("topic-aware", topic)):
        add("  %s: %s." % (name, "; ".join("%s C=%g (CV F1 %.3f, AP %.3f)" % (k, s["cv"][k]["cost"], s["cv"][k]["f1"],
                                                                              s["cv"][k]["ap"]) for k in ("claim", "evidence", "link"))))
    add("- Link training pairs are the pairs the pipeline makes: sentences that passed the claim or")
    add("  evidence threshold *out of fold*, and the gold claims and evidence, paired within a document")
    add("  at most %d sentences apart (`mljoin --key doc --max-distance %d`), labelled 1 when the evidence"
        % (settings["max_distance"], settings["max_distance"]))
    add("  supports the claim: %d pairs (%d linked) topic-free, %d (%d) topic-aware. The link model reads"
        % (free["link_pairs"], free["link_positives"], topic["link_pairs"], topic["link_positives"]))
    add("  the pair features and the sides' out-of-fold probabilities, not the sides' words")
    add("  (`mllink --features-only --pair-only`): with the words it learns the training motions.\n")
    if "distance" in m:
        add("- The pipeline's locality, `--max-distance %d`, comes from the training motions: among the gold" % settings["max_distance"])
        add("  claim x gold evidence pairs of one document, the share each limit keeps, of the pairs and of")
        add("  their links, and the share linked among the pairs kept. Close pairs are linked twice as often")
        add("  as the average; %d sentences keep about half the links for a quarter of the pairs (a book-length" % settings["max_distance"])
        add("  document without a limit makes millions of pairs).\n")
        add("| --max-distance | pairs kept | links kept | linked |")
        add("|---:|---:|---:|---:|")
        for r in m["distance"]:
            add("| %s | %.3f | %.3f | %.3f |" % ("none" if r["max_distance"] is None else r["max_distance"], r["pairs"], r["links"], r["linked"]))
        add("")
    add("## Held-out metrics\n")
    add("On the %d held-out motions, with the shipped defaults: precision, recall and F1 of the" % tr["test_motions"])
    add("decisions (`passed`, the sidecar thresholds), and average precision (AP) of the scores.")
    add("*link (gold pairs)*: every gold claim x gold evidence pair the pipeline's join forms (one")
    add("document, at most %d sentences apart). *Previous*: the models shipped before this version" % settings["max_distance"])
    add("(words only; their link row is over every gold pair of a motion). *scikit-learn*:")
    add("`scripts/baseline-sklearn.py`, TF-IDF 1-2-grams + LinearSVC, C by the same grouped CV, on the")
    add("same sentences (its link row: every gold pair of a motion, as the previous models').\n")
    add("| task | models | precision | recall | F1 | AP |")
    add("|---|---|---:|---:|---:|---:|")
    for task in ("claim", "evidence", "link"):
        rows = [("topic-free", free["heldout"][task]), ("topic-aware", topic["heldout"][task])]
        for label, r in rows:
            add("| %s | mlpipe %s | %.3f | %.3f | %.3f | %.3f |" % (task if task != "link" else "link (gold pairs)", label,
                                                                  r["precision"], r["recall"], r["f1"], r["ap"]))
        pr = PREVIOUS[task]
        add("| %s | previous | %.3f | %.3f | %.3f | %.3f |" % (task, *pr))
        if base and task in base:
            b = base[task]
            add("| %s | scikit-learn | %.3f | %.3f | %.3f | %.3f |" % (task, b["precision"], b["recall"], b["f1"], b["ap"]))
    add("")
    add("End to end (`mlclassify --keep any | mljoin --key doc --max-distance %d | mllink --top %d`), against"
        % (settings["max_distance"], settings["top"]))
    add("every gold link of the held-out motions (a claim sentence and an evidence sentence of one motion,")
    add("in any document, the evidence supporting the claim), and against those inside one document (the")
    add("only ones a per-document pipeline can find):\n")
    add("| models | links kept | correct | precision | recall | F1 | F1 (same document) | precision of the top 100 | links per claim (median, max) |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, s in (("topic-free", free), ("topic-aware", topic)):
        e = s["heldout"]["pipeline"]
        add("| %s | %d | %d | %.3f | %.3f | %.3f | %.3f | %.2f | %d, %d |" % (
            label, e["kept_pairs"], e["correct"], e["precision"], e["recall"], e["f1"], e["same_document"]["f1"],
            e["precision_at_100"], e["links_per_claim_median"], e["links_per_claim_max"]))
    pp = PREVIOUS["pipeline"]
    add("| previous (`--key motion`, no `--top`) | 16023 | 114 | %.3f | %.3f | %.3f | | | |\n" % pp)
    if "recall_ceiling" in free["heldout"]["pipeline"]:
        add("What the link model had to choose from: the pairs the join made of the sentences that passed,")
        add("and the gold links among them (the recall no link model could pass):\n")
        add("| models | candidate pairs | gold links among them | recall ceiling |")
        add("|---|---:|---:|---:|")
        for label, s_ in (("topic-free", free), ("topic-aware", topic)):
            e = s_["heldout"]["pipeline"]
            add("| %s | %d | %d | %.3f |" % (label, e["candidate_pairs"], e["gold_among_candidates"], e["recall_ceiling"]))
        add("")
    add("Targets set for this version (issue \"argument mining a person can use\"), at the shipped defaults:\n")
    add("| measure | target | topic-free | topic-aware |")
    add("|---|---:|---:|---:|")
    tg = [("claim F1", 0.30, lambda h: h["claim"]["f1"]), ("evidence F1", 0.30, lambda h: h["evidence"]["f1"]),
          ("link F1 on gold pairs", 0.50, lambda h: h["link"]["f1"]),
          ("end-to-end link F1", 0.05, lambda h: h["pipeline"]["f1"]),
          ("end-to-end precision of the top 100 links", 0.30, lambda h: h["pipeline"]["precision_at_100"])]
    for name, target, get in tg:
        cells = []
        for s_ in (free, topic):
            v = get(s_["heldout"])
            cells.append("%.3f%s" % (v, "" if v >= target else " (missed)"))
        add("| %s | %.2f | %s | %s |" % (name, target, cells[0], cells[1]))
    add("")
    if "ablation" in m:
        add("## What each feature group gives\n")
        add("`scripts/data/ablation.sh`: for each feature set, the vocabulary fitted on the training motions,")
        add("a linear SVM (C=0.03, balanced, threshold by best F1 over 5 grouped folds, no C search), scored")
        add("on the held-out motions. F1 at the threshold and AP:\n")
        add("| features | claim F1 | claim AP | evidence F1 | evidence AP |")
        add("|---|---:|---:|---:|---:|")
        ab = m["ablation"]
        for k in ab["claim"]:
            c, e = ab["claim"][k], ab["evidence"][k]
            add("| %s | %.3f | %.3f | %.3f | %.3f |" % (k, c["f1"], c["ap"], e["f1"], e["ap"]))
        add("")
        add("(`+G`: the words and group G; `all-G`: every group but G; `all`: every group, topic included.)\n")
    add("`metrics.json` holds these figures and the cross-validation choices, `baseline.json` the baseline's;")
    add("`tests/e2e/models_heldout.sh` recomputes the held-out figures from the committed test sentences")
    add("and checks that they still match.\n")
    add("## License\n")
    add("Derived from the IBM Debater(R) Claims and Evidence data set (CE-EMNLP-2015 v3),")
    add("Rinott et al. 2015, \"Show Me Your Evidence - an Automatic Method for Context Dependent")
    add("Evidence Detection\", EMNLP 2015. Article texts (c) Wikipedia contributors; annotations (c) IBM 2015.")
    add("Released under the Creative Commons Attribution-ShareAlike 3.0 license (CC BY-SA 3.0,")
    add("https://creativecommons.org/licenses/by-sa/3.0/). The models, vocabularies and feature specs in")
    add("this folder are derived from it and distributed under the same license, with this attribution.")
    return "\n".join(L) + "\n"


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "oof-sides":
        oof_sides(args[0], args[1], args[2:])
    elif cmd == "metrics":
        json.dump(metrics(args[0], args[1]), sys.stdout, indent=1)
        sys.stdout.write("\n")
    elif cmd == "readme":
        sys.stdout.write(readme(args[0], args[1] if len(args) > 1 else None))
    else:
        sys.exit("models_helper: unknown command %s" % cmd)


if __name__ == "__main__":
    main()
