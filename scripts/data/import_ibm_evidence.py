#!/usr/bin/python3
"""IBM Debater Evidence Sentences (Shnarch et al. 2018) as labelled sentence records.

    import_ibm_evidence.py --repo GIT_DIR [--exclude-topics SPLIT_JSON] OUT.ndjson

GIT_DIR is a clone (or the bare mirror that `fetch` brings) of Open-Argumentation/Canary; the
data set is read with `git show` at the commit below, file
canary/data/datasets/ibm/IBM_debater_evidence_sentences/train.csv: 4,066 (topic, Wikipedia
sentence) pairs over 83 debate topics, each labelled by ten annotators as evidence for or against
the topic (1) or not (0). License: CC BY-SA 3.0, as the IBM Debater data sets (README.txt there).
Only the train split is used; its test topics are left alone.

Each sentence becomes a record with no document around it:
    {"doc":"ibm-es-NNNN","text":…,"topic":…,"support":0|1,"genre":"wikipedia","corpus":"ibm-evidence",
     "title":<the article>}
with the `[REF]` citation markers removed (the pipeline never sees them in other text). The
sentences carry no claim label (the set marks only evidence) and no place in a document.
--exclude-topics drops the topics that name a motion held out in data/samples/ibm/split.json
(their content words are compared: two thirds of the shorter topic's must be in the other, so
"We should ban gambling" matches "This house would ban gambling").
"""

import argparse
import csv
import io
import json
import re
import subprocess
import sys

COMMIT = "fdc5f891c5c74c0f2a490afad801be4e915d4b3f"
PATH = "canary/data/datasets/ibm/IBM_debater_evidence_sentences/train.csv"
STOP = set("this house would believes believe that we should the a an of in to be for and is are "
           "not its it all only".split())


def content_words(topic):
    return {w for w in re.findall(r"[a-z]+", topic.lower()) if w not in STOP}


def held_out_topics(split_json):
    with open(split_json, encoding="utf-8") as f:
        return [content_words(m["topic"]) for m in json.load(f)["test"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", required=True, help="git directory of Open-Argumentation/Canary")
    ap.add_argument("--exclude-topics", help="split.json whose held-out motions' topics are left out")
    ap.add_argument("out")
    a = ap.parse_args()
    try:
        raw = subprocess.run(["git", "--git-dir", a.repo, "show", f"{COMMIT}:{PATH}"], check=True,
                             capture_output=True).stdout.decode("utf-8")
    except subprocess.CalledProcessError as e:
        sys.exit(f"import_ibm_evidence: cannot read {PATH} at {COMMIT} in {a.repo}: {e.stderr.decode().strip()}")
    held = held_out_topics(a.exclude_topics) if a.exclude_topics else []
    rows = list(csv.reader(io.StringIO(raw)))
    header, rows = rows[0], rows[1:]
    col = {name: k for k, name in enumerate(header)}
    kept = dropped = positives = 0
    dropped_topics = set()
    with open(a.out, "w", encoding="utf-8") as out:
        for n, row in enumerate(rows):
            topic = row[col["topic"]]
            words = content_words(topic)
            # A held-out motion's topic: two thirds of the shorter one's content words are in the other.
            if any(h and words and 3 * len(h & words) >= 2 * min(len(h), len(words)) for h in held):
                dropped += 1
                dropped_topics.add(topic)
                continue
            text = re.sub(r"\s*\[REF\]", "", row[col["candidate"]]).strip()
            label = int(row[col["label"]])
            rec = {"doc": f"ibm-es-{n:04d}", "text": text, "topic": topic, "support": label, "evidence": label,
                   "genre": "wikipedia", "corpus": "ibm-evidence", "title": row[col["wikipedia article name"]]}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            kept += 1
            positives += label
    print(f"import_ibm_evidence: {kept} sentences ({positives} evidence), {dropped} dropped from held-out topics: "
          + "; ".join(sorted(dropped_topics)), file=sys.stderr)


if __name__ == "__main__":
    main()
