#!/usr/bin/python3
"""The training and held-out sets of the shipped argument models, from every corpus.

    argument_data.py --bin BIN [--cdcp GIT_DIR] [--ibm-evidence GIT_DIR] [--tests-only] OUT_DIR

Writes OUT_DIR/train.ndjson (every training sentence) and one held-out file per genre:
OUT_DIR/test-wikipedia.ndjson (the held-out IBM motions), test-comment.ndjson (CDCP's test
split), test-written.ndjson (data/samples/written/test). Sources:

  corpus        genre      from                                    split
  ibm-ce        wikipedia  data/samples/ibm/{train,test}.ndjson.gz by motion (split.json)
  written       micro, essay, oped, comment, blog  data/samples/written/{train,test}  by folder
  cdcp          comment    --cdcp: AGalassi/StructurePrediction18   its own (import_cdcp.py)
  ibm-evidence  wikipedia  --ibm-evidence: Open-Argumentation/Canary  its train split only
                                                                   (import_ibm_evidence.py)

Without --cdcp or --ibm-evidence that corpus is left out (and said so). Every record has the
labels the training script reads, the same in every corpus:

  claim, support   1/0, or absent when the corpus does not say (IBM's evidence sentences mark no claims)
  thesis           1/0; thesis_known 0 when the document has no central claim marked
  claim_ids, supports, attacks   link labels (a support backs / argues against these claims)
  genre, corpus    where the sentence comes from
  group            what cross-validation keeps in one fold: the motion (IBM), the topic (IBM's
                   evidence sentences), else the document
and the place fields of mlsplit (para_sent, para_sents, doc_paras, doc_sents), computed from the
records' para and sent where an older split left them out.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def records(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def add_place(recs):
    """mlsplit's place fields for complete documents that lack them."""
    by_doc = defaultdict(list)
    for r in recs:
        by_doc[r["doc"]].append(r)
    for rs in by_doc.values():
        if all("para_sent" in r for r in rs) or any("para" not in r for r in rs):
            continue
        paras = defaultdict(list)
        for r in rs:
            paras[r["para"]].append(r)
        for p in paras.values():
            p.sort(key=lambda r: r["sent"])
            for k, r in enumerate(p):
                r["para_sent"], r["para_sents"] = k, len(p)
        for r in rs:
            r["doc_paras"], r["doc_sents"] = len(paras), len(rs)
    return recs


def ibm(split):
    out = []
    for r in records(os.path.join(ROOT, "data/samples/ibm", f"{split}.ndjson.gz")):
        r["support"] = r["evidence"]
        r["thesis"], r["thesis_known"] = 0, 0
        r.setdefault("attacks", [])
        r["genre"], r["corpus"] = "wikipedia", "ibm-ce"
        r["group"] = f"motion-{r['motion']}"
        out.append(r)
    return add_place(out)


def run_script(args):
    res = subprocess.run(["/usr/bin/python3", *args], capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"argument_data: {' '.join(args[:1])} failed:\n{res.stderr}")
    if res.stderr.strip():
        print(res.stderr.strip(), file=sys.stderr)
    return res.stdout


def written(bin_dir, split):
    folder = os.path.join(ROOT, "data/samples/written", split)
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".txt"))
    out = []
    for line in run_script([os.path.join(HERE, "written_corpus.py"), "records", "--bin", bin_dir, "--titles", *files]).splitlines():
        r = json.loads(line)
        r["corpus"], r["thesis_known"], r["group"] = "written", 1, r["doc"]
        r["evidence"] = r["support"]
        out.append(r)
    return out


def cdcp(bin_dir, repo, tmp):
    run_script([os.path.join(HERE, "import_cdcp.py"), "--bin", bin_dir, "--repo", repo, os.path.join(tmp, "cdcp")])
    parts = {}
    for split in ("train", "test"):
        rs = list(records(os.path.join(tmp, "cdcp", f"{split}.ndjson")))
        for r in rs:
            r["group"] = r["doc"]
            r["evidence"] = r["support"]
        parts[split] = rs
    return parts


def ibm_evidence(repo, tmp):
    path = os.path.join(tmp, "ibm-es.ndjson")
    run_script([os.path.join(HERE, "import_ibm_evidence.py"), "--repo", repo, "--exclude-topics",
                os.path.join(ROOT, "data/samples/ibm/split.json"), path])
    out = []
    for r in records(path):
        r["group"] = "topic-" + r["topic"]
        r["thesis"], r["thesis_known"] = 0, 0
        r["claim_ids"], r["supports"], r["attacks"] = [], [], []
        out.append(r)
    return out


def write(path, recs):
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--cdcp", help="git directory of AGalassi/StructurePrediction18 (CDCP)")
    ap.add_argument("--ibm-evidence", help="git directory of Open-Argumentation/Canary (IBM evidence sentences)")
    ap.add_argument("--tests-only", action="store_true", help="write only the held-out sets (no training set)")
    ap.add_argument("out")
    a = ap.parse_args()
    bin_dir = os.path.abspath(a.bin)
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        train = [] if a.tests_only else ibm("train") + written(bin_dir, "train")
        tests = {"wikipedia": ibm("test"), "written": written(bin_dir, "test")}
        if a.cdcp:
            parts = cdcp(bin_dir, a.cdcp, tmp)
            train += [] if a.tests_only else parts["train"]
            tests["comment"] = parts["test"]
        else:
            print("argument_data: no --cdcp: CDCP left out", file=sys.stderr)
        if a.ibm_evidence and not a.tests_only:
            train += ibm_evidence(a.ibm_evidence, tmp)
        else:
            print("argument_data: no --ibm-evidence: IBM's evidence sentences left out", file=sys.stderr)
    if not a.tests_only:
        write(os.path.join(a.out, "train.ndjson"), train)
    for name, recs in tests.items():
        write(os.path.join(a.out, f"test-{name}.ndjson"), recs)
    counts = defaultdict(lambda: [0, 0, 0, 0])
    for r in train:
        c = counts[r["corpus"]]
        c[0] += 1
        c[1] += int(r.get("claim") or 0)
        c[2] += int(r.get("support") or 0)
        c[3] += int(r.get("thesis") or 0)
    for k, c in sorted(counts.items()):
        print(f"argument_data: train {k}: {c[0]} sentences, {c[1]} claims, {c[2]} supports, {c[3]} theses",
              file=sys.stderr)
    for name, recs in tests.items():
        print(f"argument_data: test-{name}: {len(recs)} sentences", file=sys.stderr)


if __name__ == "__main__":
    main()
