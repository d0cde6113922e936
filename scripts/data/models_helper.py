#!/usr/bin/python3
"""Small steps of scripts/make-models.sh and train-argument-models.sh that the mlpipe programs
do not do (stdlib only).

  metrics WORK              print metrics.json from make-models.sh's work folder
  readme METRICS.json       print data/samples/models/README.md
"""

import json
import os
import sys

def records(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def metrics(work):
    """metrics.json of make-models.sh: each set's held-out figures and CV choices, the models
    shipped before, the baseline, the ablation, and the training data's counts."""
    ev = os.path.join(work, "eval")
    tests = sorted(n[len("free."):-len(".json")] for n in os.listdir(ev) if n.startswith("free."))
    out = {"sets": {}, "tests": tests}
    for name, sub in (("topic_free", "free"), ("topic_aware", "topic")):
        s = {"heldout": {t: load(os.path.join(ev, f"{sub}.{t}.json")) for t in tests}, "cv": {}}
        models = os.path.join(work, "new") if sub == "free" else os.path.join(work, "new", "topic")
        for task in ("claim", "support", "thesis", "against", "link"):
            side = os.path.join(models, f"{task}.model.json")
            if os.path.exists(side):
                m = load(side)
                s["cv"][task] = {"cost": m["params"]["cost"], "f1": m["threshold"].get("f1"),
                                 "ap": m.get("cv", {}).get("average_precision"),
                                 "threshold": m["threshold"]["probability"], "rows": m["training"]["rows"]}
        out["sets"][name] = s
    out["previous"] = {t: load(os.path.join(ev, f"previous.{t}.json")) for t in tests
                       if os.path.exists(os.path.join(ev, f"previous.{t}.json"))}
    for k in ("baseline", "ablation"):
        if os.path.exists(os.path.join(ev, f"{k}.json")):
            out[k] = load(os.path.join(ev, f"{k}.json"))
    counts = {}
    for line in open(os.path.join(work, "data", "train.ndjson"), encoding="utf-8"):
        r = json.loads(line)
        c = counts.setdefault(r["corpus"], {"sentences": 0, "documents": set(), "claim": 0, "support": 0, "thesis": 0})
        c["sentences"] += 1
        c["documents"].add(r["doc"])
        for k in ("claim", "support", "thesis"):
            c[k] += int(r.get(k) or 0)
    out["training"] = {k: dict(v, documents=len(v["documents"])) for k, v in counts.items()}
    return out


# Niculae, Park and Cardie (2017) on CDCP's test split, as Galassi et al. (2018, Table 2) report
# their best structured configurations: proposition-level, gold segmentation, macro F1 over the five
# proposition types, and F1 of the links (272). Not the same units as ours (sentences, predicted).
CDCP_PUBLISHED = {"svm": {"link_f1": 0.267, "proposition_macro_f1": 0.735},
                  "rnn": {"link_f1": 0.146, "proposition_macro_f1": 0.727}}

TEST_NAMES = {"wikipedia": "IBM held-out motions (Wikipedia)", "comment": "CDCP test split (public comments)",
              "written": "texts written for mlpipe, test part"}


def fmt(v, digits=3):
    return "" if v is None else ("%.*f" % (digits, v))


def readme(metrics_path):
    m = load(metrics_path)
    free, topic = m["sets"]["topic_free"], m["sets"]["topic_aware"]
    prev, base = m.get("previous", {}), m.get("baseline")
    L = []
    add = L.append
    add("# Shipped models: claim, support, thesis, stance and link, for every genre\n")
    add("Two sets of linear SVMs (libsvm model files, each one collapsed weight vector, with `MODEL.json`")
    add("sidecars holding the feature spec, a Platt calibration and a decision threshold), trained by")
    add("`make models` (`scripts/make-models.sh`, which runs `scripts/train-argument-models.sh`) on")
    add("sentences of four corpora in five genres (see *Data* below):\n")
    add("- this folder, **topic-free**, for any text: `features.json` + `vocab.tsv` (mlfeat: word 1-2-grams")
    add("  TF-IDF over a 20,000-term vocabulary; the groups `claim-cues`, `evidence-cues`, `shape`, `opinion`,")
    add("  `syntax:pos=3,bits=16`, `position`, `discourse`, `wordnet`; and `--long-docs 40`, a second copy of")
    add("  the features of sentences in documents over 40 sentences, so that long reference articles and")
    add("  short argumentative texts each get their own weights where they differ), `claim.model`,")
    add("  `support.model`, `thesis.model`, `against.model`, `link.model` (+ `link.pairs.json`);")
    add("- `topic/`, **topic-aware**: the same plus the `topic` group; records need a `topic` field")
    add("  (or `mlfeat --topic TEXT`).\n")
    add("    M=data/samples/models        # or M=data/samples/models/topic, with a topic")
    add("    mlsplit DOCS | mlfeat --spec $M/features.json \\")
    add("      | mlclassify -m claim=$M/claim.model -m support=$M/support.model -m thesis=$M/thesis.model \\")
    add("          -m against=$M/against.model --keep any \\")
    add("      | mljoin --key doc --max-distance 20 --thesis --sentences \\")
    add("      | mllink -m $M/link.model --top 3 --top-right 1\n")
    add("Roles are genre-neutral. A **claim** is a position, a policy or a value judgement; a **support** is")
    add("what is offered for or against a claim (a reason, a fact, an example, testimony, a study or a")
    add("figure: IBM's evidence is one kind); the **thesis** is the claim a document serves; a **link** says")
    add("that a support backs (stance `support`) or argues against (stance `attack`) a claim. What each model")
    add("decides:\n")
    add("| model | a sentence is positive when | read by |")
    add("|---|---|---|")
    add("| `claim` | it states a claim | mljoin (left side) |")
    add("| `support` | it is offered for or against a claim | mljoin (right side) |")
    add("| `thesis` | it is its document's central claim; its threshold lets through 95% of the theses out of fold, and mljoin --thesis keeps the best candidate of each document | mljoin --thesis |")
    add("| `against` | it argues against its document's thesis (an opponent's view, an objection) | mllink: a link between sentences on opposite sides is an attack |")
    add("| `link` | (a pair) the claim and the support hold their roles and the one backs the other: the probability that the whole link is right, from the pair features and the sides' probabilities | mllink |\n")
    add("## Data\n")
    add("| corpus | genre | sentences | documents | claims | supports | theses | license |")
    add("|---|---|---:|---:|---:|---:|---:|---|")
    lic = {"ibm-ce": "CC BY-SA 3.0", "ibm-evidence": "CC BY-SA 3.0", "cdcp": "ODbL 1.0 / DbCL 1.0",
           "written": "CC BY 4.0 (mlpipe)"}
    genre = {"ibm-ce": "Wikipedia articles", "ibm-evidence": "Wikipedia sentences", "cdcp": "public comments",
             "written": "micro texts, essays, op-eds, comments, blog posts"}
    for k, c in sorted(m["training"].items()):
        add("| %s | %s | %d | %d | %d | %d | %d | %s |" % (k, genre.get(k, ""), c["sentences"], c["documents"],
                                                        c["claim"], c["support"], c["thesis"], lic.get(k, "")))
    add("")
    add("- **ibm-ce**: IBM Debater Claims and Evidence (CE-EMNLP-2015 v3), the 29 training motions of")
    add("  `data/samples/ibm/split.json`; claim = a claim of the motion, support = its evidence, a link = the")
    add("  evidence supports the claim; no thesis (an encyclopedia article argues for nothing: its sentences")
    add("  are the thesis model's negatives).")
    add("- **cdcp**: Cornell eRulemaking Corpus (Park and Cardie), its training split (581 comments); test")
    add("  split held out. A proposition offered for another (reason or evidence link) is a support unless")
    add("  it is a policy or value that is itself argued for; a proposition argued for, or a policy or value")
    add("  judgement, is a claim; an unlinked fact, testimony or reference has no role; the thesis is the")
    add("  root claim with the most supporters (comments without links have none marked). Sentences hold")
    add("  the roles of the propositions they overlap. No attacks are annotated.")
    add("- **ibm-evidence**: IBM Debater Evidence Sentences (Shnarch et al. 2018), its train split without")
    add("  the topics of our held-out motions; support = evidence; no claim label, no document.")
    add("- **written**: `data/samples/written/train` (its README has the annotation rules): thesis,")
    add("  claims, supports and their targets with `>` (for) and `!` (against); a support is linked to the")
    add("  claim its chain of targets reaches first; against = an odd number of `!` on the way to the thesis.")
    add("")
    add("Rows are weighed by corpus (`weights.json`): each corpus weighs in proportion to its mass (IBM 4,")
    add("the others 1) and, within a corpus, a positive row weighs as much more as makes the F1-optimal")
    add("threshold about the same in every genre (a rare role, as claims in Wikipedia, needs a lower one):")
    add("a single threshold per model then serves every genre. C, the calibration and the threshold come")
    add("from 5-fold cross-validation whose folds keep a motion or a document together:\n")
    add("| set | model | C | CV F1 at the threshold | threshold (probability) | rows (with copies) |")
    add("|---|---|---:|---:|---:|---:|")
    for name, s in (("topic-free", free), ("topic-aware", topic)):
        for task, c in s["cv"].items():
            add("| %s | %s | %g | %s | %.3f | %d |" % (name, task, c["cost"], fmt(c["f1"]), c["threshold"], c["rows"]))
    add("")
    add("## Held-out figures, per genre\n")
    add("Nothing was tuned on these sets. Sentences: precision, recall and F1 of mlclassify's decisions.")
    add("Thesis: the share of documents whose marked thesis is the annotated one. Links: the pipeline")
    add("above against the annotated links inside a document (a claim sentence and a support sentence);")
    add("*gold sides*: the join and the link model given the annotated claims and supports. *previous*:")
    add("the models shipped before this version (claim, evidence, link; the thesis is the sentence with the")
    add("highest claim score); *scikit-learn*: `scripts/baseline-genres.py`, TF-IDF + LinearSVC on the same")
    add("training sentences; *first sentence*: the thesis is the document's first sentence.\n")
    add("| test set | genre | models | claim P | claim R | claim F1 | support P | support R | support F1 | thesis top-1 | link F1 | link F1 (gold sides) | link precision of top 100 |")
    add("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in m["tests"]:
        ef, et = free["heldout"][t], topic["heldout"][t]
        genres = [g for g in ef["sentences"] if g != "all"]
        rows_g = genres + (["all"] if len(genres) > 1 else [])
        for g in rows_g:
            for label, e in (("mlpipe topic-free", ef), ("mlpipe topic-aware", et), ("previous", prev.get(t))):
                if not e:
                    continue
                sc = e["sentences"][g]
                th = e["thesis"].get(g, {}).get("top1")
                lk = e["links"]["joint"].get(g, {})
                gs = e["links"]["gold_sides"].get(g, {})
                add("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    TEST_NAMES.get(t, t), g, label, fmt(sc["claim"]["precision"]), fmt(sc["claim"]["recall"]),
                    fmt(sc["claim"]["f1"]), fmt(sc["support"]["precision"]), fmt(sc["support"]["recall"]),
                    fmt(sc["support"]["f1"]), fmt(th), fmt(lk.get("f1")), fmt(gs.get("f1")),
                    fmt(lk.get("precision_at_100"), 2)))
            if base and t in base["tests"] and g in base["tests"][t]:
                b = base["tests"][t][g]
                add("| %s | %s | scikit-learn | %s | %s | %s | %s | %s | %s | %s | | | |" % (
                    TEST_NAMES.get(t, t), g, fmt(b["claim"]["precision"]), fmt(b["claim"]["recall"]),
                    fmt(b["claim"]["f1"]), fmt(b["support"]["precision"]), fmt(b["support"]["recall"]),
                    fmt(b["support"]["f1"]), fmt(b.get("thesis_top1"))))
            th = ef["thesis"].get(g)
            if th:
                add("| %s | %s | first sentence | | | | | | | %s | | | |" % (TEST_NAMES.get(t, t), g,
                                                                         fmt(th["first_sentence"])))
    add("")
    add("CDCP's published figures (Niculae, Park and Cardie 2017, best structured SVM / RNN, as reported by")
    add("Galassi et al. 2018) are proposition-level with gold segmentation: link F1 %.3f / %.3f, macro F1 of"
        % (CDCP_PUBLISHED["svm"]["link_f1"], CDCP_PUBLISHED["rnn"]["link_f1"]))
    add("the five proposition types %.3f / %.3f. Ours are sentence-level with predicted sentences and roles."
        % (CDCP_PUBLISHED["svm"]["proposition_macro_f1"], CDCP_PUBLISHED["rnn"]["proposition_macro_f1"]))
    add("")
    add("## Link decisions\n")
    add("Link F1 (topic-free models) with the shipped joint decisions (`--top 3 --top-right 1`: each support")
    add("backs at most its best claim, each claim keeps its 3 best supports), with independent decisions")
    add("(`--top 3` alone), with every link above the threshold, and with the structural baseline (each")
    add("support the pipeline found linked to the nearest claim it found, in its paragraph first); and the")
    add("stance right among the right links:\n")
    add("| test set | genre | joint | independent | threshold only | nearest claim | stance right |")
    add("|---|---|---:|---:|---:|---:|---:|")
    for t in m["tests"]:
        lk = free["heldout"][t]["links"]
        for g in lk["joint"]:
            add("| %s | %s | %s | %s | %s | %s | %s |" % (TEST_NAMES.get(t, t), g, fmt(lk["joint"][g]["f1"]),
                                                      fmt(lk["independent"].get(g, {}).get("f1")),
                                                      fmt(lk["threshold"].get(g, {}).get("f1")),
                                                      fmt(lk["nearest_claim"].get(g, {}).get("f1")),
                                                      fmt(lk["joint"][g].get("stance_right"))))
    add("")
    if "ablation" in m:
        ab = m["ablation"]
        add("## What each feature group gives\n")
        add("`scripts/data/ablation.sh`: each feature set trained as the shipped models are, but with one C")
        add("(2^-9) and no search, scored on the held-out sets: F1 per genre (claim / support). `all-G`: every")
        add("group but G; `all-long-docs`: every group, without the long-document copy.\n")
        genres = sorted({g for s in ab["claim"].values() for g in s})
        add("| features | " + " | ".join(genres) + " |")
        add("|---|" + "---:|" * len(genres))
        for k in ab["claim"]:
            add("| %s | %s |" % (k, " | ".join("%s / %s" % (fmt(ab["claim"][k].get(g, {}).get("f1")),
                                                              fmt(ab["support"][k].get(g, {}).get("f1"))) for g in genres)))
        add("")
    add("`metrics.json` holds these figures, `baseline.json` the baseline's; `tests/e2e/models_heldout.sh`")
    add("recomputes the figures of the committed test sets and checks that they still match.\n")
    add("## License and attribution\n")
    add("The models, vocabularies and feature specs in this folder are derived from:\n")
    add("- the IBM Debater(R) Claims and Evidence data set (CE-EMNLP-2015 v3), Rinott et al. 2015, \"Show")
    add("  Me Your Evidence - an Automatic Method for Context Dependent Evidence Detection\", EMNLP 2015, and")
    add("  the IBM Debater(R) Evidence Sentences data set, Shnarch et al. 2018, \"Will it Blend? Blending Weak")
    add("  and Strong Labeled Data in a Neural Network for Argumentation Mining\", ACL 2018. Article texts (c)")
    add("  Wikipedia contributors; annotations (c) IBM. Creative Commons Attribution-ShareAlike 3.0")
    add("  (https://creativecommons.org/licenses/by-sa/3.0/);")
    add("- the Cornell eRulemaking Corpus - CDCP, Park and Cardie 2018 (LREC) and Niculae, Park and Cardie")
    add("  2017 (ACL), made available under the Open Database License 1.0")
    add("  (http://opendatacommons.org/licenses/odbl/1.0/), its contents under the Database Contents License")
    add("  1.0 (http://opendatacommons.org/licenses/dbcl/1.0/). These models are a Produced Work of it;")
    add("- the texts written for mlpipe (`data/samples/written`), CC BY 4.0;")
    add("- WordNet 3.0 (Princeton University, the WordNet license), whose classes the `wordnet` group reads.\n")
    add("They are distributed under the Creative Commons Attribution-ShareAlike 3.0 license, with this")
    add("attribution. The project's NOTICE file lists the same sources.")
    return "\n".join(L) + "\n"


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "metrics":
        json.dump(metrics(args[0]), sys.stdout, indent=1)
        sys.stdout.write("\n")
    elif cmd == "readme":
        sys.stdout.write(readme(args[0]))
    else:
        sys.exit("models_helper: unknown command %s" % cmd)


if __name__ == "__main__":
    main()
