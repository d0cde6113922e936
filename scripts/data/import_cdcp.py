#!/usr/bin/python3
"""CDCP (Cornell eRulemaking Corpus, Park and Cardie) as labelled sentence records.

    import_cdcp.py --bin BIN --repo GIT_DIR OUT_DIR

GIT_DIR is a clone (or the bare mirror that `fetch` brings) of AGalassi/StructurePrediction18;
the corpus is read with `git show` at the commit below, folder
Datasets/cdcp_ACL17/original_data/{train,test}: NNNNN.txt (a public comment on the Consumer
Financial Protection Bureau's proposed debt-collection rule) and NNNNN.ann.json (its propositions,
typed policy / value / fact / testimony / reference, and the reason and evidence links between
them). License: Open Database License 1.0, contents under the Database Contents License 1.0
(readme.txt in that folder); a model trained on it is a Produced Work and carries the notice in
NOTICE and data/samples/models/README.md.

Writes OUT_DIR/train.ndjson and OUT_DIR/test.ndjson (the corpus' own split: test is held out),
one record per sentence as mlsplit cuts the comment, with the labels of
scripts/data/written_corpus.py (claim, support, thesis, role, claim_ids, supports, attacks,
serves) plus genre "comment", corpus "cdcp", and `thesis_known` (0 when the comment has no link,
so that no proposition is argued for). How propositions become roles (their function first,
their type second):

- a proposition offered for another (the source of a reason or evidence link) is a support,
  unless it is a policy or value that is itself argued for (then a claim that serves its target);
- a proposition that is argued for (a link target), or a policy or value judgement, is a claim;
- a fact, testimony or reference that is neither is background (no role);
- the thesis is the claim with the most propositions supporting it, directly or through a chain,
  among the claims that support nothing (ties: a policy first, then the earlier one);
- a sentence holds the roles of the propositions that overlap it; a support is linked to the
  claim its chain of links reaches first. CDCP has no attack relation: every link supports.
"""

import argparse
import json
import os
import subprocess
import sys

COMMIT = "607c9fc24a28429a96bcca61929a62b934504936"
FOLDER = "Datasets/cdcp_ACL17/original_data"


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], check=True, capture_output=True).stdout


def comments(repo, split):
    names = git(repo, "ls-tree", "--name-only", f"{COMMIT}:{FOLDER}/{split}").decode().split()
    ids = sorted(n[:-4] for n in names if n.endswith(".txt") and not n.endswith(".txt.json"))
    for i in ids:
        text = git(repo, "show", f"{COMMIT}:{FOLDER}/{split}/{i}.txt").decode("utf-8")
        ann = json.loads(git(repo, "show", f"{COMMIT}:{FOLDER}/{split}/{i}.ann.json"))
        yield i, text, ann


def roles(ann):
    """Per proposition: role ('claim', 'support', None), the claim it backs, and the thesis index."""
    types = ann["prop_labels"]
    n = len(types)
    links = []  # (source, target)
    for kind in ("reasons", "evidences"):
        for (a, b), target in ann.get(kind) or []:
            for s in range(a, b + 1):
                if s != target:
                    links.append((s, target))
    sources = {s for s, _ in links}
    targets = {t for _, t in links}
    role = []
    for p in range(n):
        opinion = types[p] in ("policy", "value")
        if p in sources:
            role.append("claim" if opinion and p in targets else "support")
        elif p in targets or opinion:
            role.append("claim")
        else:
            role.append(None)
    out_edges = {}
    for s, t in links:
        out_edges.setdefault(s, []).append(t)

    def reached(p, seen=()):
        """The claims p's links reach first (a support's chain followed upward)."""
        found = []
        for t in out_edges.get(p, []):
            if t in seen:
                continue
            if role[t] == "claim":
                found.append(t)
            else:
                found.extend(reached(t, seen + (p,)))
        return found

    backs = {p: sorted(set(reached(p))) for p in range(n) if role[p] == "support"}
    serves = {p: sorted(set(out_edges.get(p, []))) for p in range(n) if role[p] == "claim"}
    # The thesis: the root claim with the most supporters, direct or indirect.
    supporters = {p: set() for p in range(n)}
    for s, t in links:
        supporters[t].add(s)
    changed = True
    while changed:
        changed = False
        for p in range(n):
            more = set().union(*(supporters[q] for q in supporters[p])) if supporters[p] else set()
            if not more <= supporters[p]:
                supporters[p] |= more
                changed = True
    roots = [p for p in range(n) if role[p] == "claim" and p not in sources]
    thesis = None
    if links and roots:
        thesis = max(roots, key=lambda p: (len(supporters[p]), types[p] == "policy", -p))
    return role, backs, serves, thesis, bool(links)


def split_sentences(bin_dir, docs):
    res = subprocess.run([os.path.join(bin_dir, "mlsplit"), "--ndjson"],
                         input="".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode(),
                         capture_output=True)
    if res.returncode != 0:
        sys.exit("import_cdcp: mlsplit failed: " + res.stderr.decode())
    out = {}
    for line in res.stdout.decode().splitlines():
        r = json.loads(line)
        out.setdefault(r["doc"], []).append(r)
    return out


def byte_offsets(text):
    """Character offset -> byte offset (CDCP's offsets count characters; mlsplit's count bytes)."""
    table, b = [], 0
    for ch in text:
        table.append(b)
        b += len(ch.encode("utf-8"))
    table.append(b)
    return table


def convert(bin_dir, repo, split, out_path):
    items = list(comments(repo, split))
    docs = [{"doc": f"cdcp-{split}-{i}", "genre": "comment", "corpus": "cdcp", "text": text} for i, text, _ in items]
    sents = split_sentences(bin_dir, docs)
    counts = {"comments": 0, "sentences": 0, "claim": 0, "support": 0, "links": 0, "theses": 0}
    with open(out_path, "w", encoding="utf-8") as out:
        for (i, text, ann), d in zip(items, docs):
            name = d["doc"]
            role, backs, serves, thesis, has_links = roles(ann)
            to_byte = byte_offsets(text)
            spans = [(to_byte[a], to_byte[min(b, len(text))]) for a, b in ann["prop_offsets"]]
            qual = lambda p: f"{name}#P{p}"
            counts["comments"] += 1
            for r in sents.get(name, []):
                inside = [p for p, (a, b) in enumerate(spans) if a < r["end"] and b > r["start"]]
                claims = [p for p in inside if role[p] == "claim"]
                supports = [p for p in inside if role[p] == "support"]
                is_thesis = thesis is not None and thesis in claims
                r["claim"] = int(bool(claims))
                r["support"] = int(bool(supports))
                r["thesis"] = int(is_thesis)
                r["thesis_known"] = int(has_links)
                r["role"] = "thesis" if is_thesis else "claim" if claims else "support" if supports else "none"
                r["claim_ids"] = [qual(p) for p in claims]
                r["supports"] = sorted({qual(t) for p in supports for t in backs[p]})
                r["attacks"] = []
                r["serves"] = next((qual(t) for p in claims for t in serves[p]), "")
                r["opposes"] = ""
                r["props"] = [ann["prop_labels"][p] for p in inside]
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
                counts["sentences"] += 1
                counts["claim"] += r["claim"]
                counts["support"] += r["support"]
                counts["links"] += len(r["supports"])
                counts["theses"] += r["thesis"]
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the folder of mlsplit")
    ap.add_argument("--repo", required=True, help="git directory of AGalassi/StructurePrediction18")
    ap.add_argument("out")
    a = ap.parse_args()
    try:
        git(a.repo, "cat-file", "-e", COMMIT)
    except subprocess.CalledProcessError:
        sys.exit(f"import_cdcp: {a.repo} does not hold commit {COMMIT} (fetch AGalassi/StructurePrediction18)")
    os.makedirs(a.out, exist_ok=True)
    for split in ("train", "test"):
        c = convert(a.bin, a.repo, split, os.path.join(a.out, f"{split}.ndjson"))
        print(f"import_cdcp: {split}: " + ", ".join(f"{v} {k}" for k, v in c.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
