#!/usr/bin/python3
"""Projects mlmr's communication and output phases to many nodes: a MODEL, not a measurement.

Input: the --stats lines of one mlmr run on 1 rank and one on 2 ranks of the same job (bench/mlmr.sh
saves them to bench/out/mlmr-stats-1rank.txt and -2rank.txt). From each rank's line

    mlmr: stats: rank R: exchange directory rounds=N messages=M bytes=B; routing rounds=N
    messages=M bytes=B; records rounds=N messages=M bytes=B; slices messages=M bytes=B;
    output mode=file|dir|stdout bytes=B seconds=S

it takes what crosses the network at N=2 and the work and output at N=1, then projects, for
N = 2 .. 1024 ranks on the same input (strong scaling), each phase's messages, bytes and rounds
per rank and their cost under an alpha-beta network model:

    time = rounds * 2 * alpha_coll * log2(N)     (an Alltoall of counts and an Allreduce per round)
         + messages * alpha                       (one point-to-point message per destination)
         + bytes / beta                           (the rank's injection bandwidth)

Assumptions (each printed with the results):
  - the volume of an exchange that crosses ranks is the part of a movable volume V held
    elsewhere, V * (N-1)/N in total, spread evenly: V/N * (N-1)/N per rank; V is measured at N=2
    (where half of it crosses);
  - a rank sends at most one message per destination per round, to at most N-1 destinations,
    and no more than it has items (keys) to send;
  - rounds: each round carries at most max(shuffle-mb / 2 / N, 64 KiB) to each destination
    (mlmr's exchange buffer), so rounds = ceil(bytes per destination / that);
  - output: one file written by all ranks with MPI-IO at min(N * per-node write rate,
    the file system's aggregate rate), plus an open/close collective of log2(N) latencies;
  - the work (records through the stages) divides perfectly: T1 / N ("ideal compute").
Networks: InfiniBand-class alpha 1.5 us, beta 10 GB/s per rank, collective step 1.5 us, file
system 50 GB/s aggregate and 2 GB/s per node; Ethernet-class alpha 50 us, beta 1 GB/s, collective
step 50 us, file system 1 GB/s aggregate and 0.5 GB/s per node.

An mlmr whose --stats lacks the "exchange" line gives no per-phase counters: the projection is
skipped with a message, unless --estimate-old-stats, which derives the directory and routing
volumes from the key groups (an assumed entry size) and the records' from "records moved out".

Usage: project.py STATS_1RANK STATS_2RANK [--out DIR] [--estimate-old-stats]
Writes DIR/project.tsv and, when gnuplot is installed, DIR/project.png.
"""
import math
import os
import re
import shutil
import subprocess
import sys

NETWORKS = [
    # name, alpha s, beta B/s, collective step s, fs aggregate B/s, fs per node B/s
    ("infiniband", 1.5e-6, 10e9, 1.5e-6, 50e9, 2e9),
    ("ethernet", 50e-6, 1e9, 50e-6, 1e9, 0.5e9),
]
RANKS = [2 ** k for k in range(1, 11)]
EXCHANGES = ["directory", "routing", "records", "slices"]
MIN_PER_DEST = 64 << 10
ENTRY_BYTES = 112  # --estimate-old-stats: a directory entry (tag, counts, a 64-byte key)

STATS = re.compile(r"mlmr: stats: rank (\d+): (.*)")
PHASE = re.compile(r"(directory|routing|records|slices)(?: rounds=(\d+))? messages=(\d+) bytes=(\d+)")
OUTPUT = re.compile(r"output mode=(\w+) bytes=(\d+) seconds=([0-9.]+)")
OLD = {
    "total": re.compile(r"total ([0-9.]+) s"),
    "moved_out_mb": re.compile(r"records moved out ([0-9.]+) MB"),
    "groups": re.compile(r"key groups written (\d+)"),
    "rss": re.compile(r"peak RSS ([0-9.]+) MB"),
}


def read_stats(path):
    """Per rank: the older line's figures and, when present, the exchange counters."""
    ranks, header = {}, {}
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                header.update(re.findall(r"(\w+)=(\S+)", line))
                continue
            m = STATS.match(line.strip())
            if not m:
                continue
            r = ranks.setdefault(int(m.group(1)), {})
            text = m.group(2)
            if text.startswith("exchange"):
                for name, rounds, messages, nbytes in PHASE.findall(text):
                    r[name] = {"rounds": int(rounds or 0), "messages": int(messages), "bytes": int(nbytes)}
                o = OUTPUT.search(text)
                if o:
                    r["output"] = {"mode": o.group(1), "bytes": int(o.group(2)), "seconds": float(o.group(3))}
            else:
                for key, rx in OLD.items():
                    v = rx.search(text)
                    if v:
                        r[key] = float(v.group(1))
    return header, ranks


def measured(stats1, stats2, estimate):
    """What the model starts from: movable volumes V and items per exchange, output bytes, T1."""
    h1, r1 = stats1
    h2, r2 = stats2
    if not r1 or not r2:
        return None, "no 'mlmr: stats: rank' lines"
    have = all("directory" in r for r in r2.values()) and all("output" in r for r in r1.values())
    base = {"t1": max(r.get("total", 0) for r in r1.values()), "shuffle_mb": float(h2.get("shuffle_mb", 256)),
            "estimated": not have}
    if have:
        for x in EXCHANGES:
            sent = sum(r[x]["bytes"] for r in r2.values() if x in r)
            msgs = sum(r[x]["messages"] for r in r2.values() if x in r)
            base[x] = {"volume": 2.0 * sent, "messages2": msgs}
        base["output_bytes"] = sum(r["output"]["bytes"] for r in r1.values())
        base["t1"] -= max(r["output"]["seconds"] for r in r1.values())
    elif estimate:
        # Every key's entry would cross ranks if keys were spread over many: V = keys * entry.
        keys = sum(r.get("groups", 0) for r in r2.values())
        base["directory"] = {"volume": keys * ENTRY_BYTES, "messages2": 2}
        base["routing"] = {"volume": keys * ENTRY_BYTES, "messages2": 2}
        moved = sum(r.get("moved_out_mb", 0) for r in r2.values()) * 1e6
        base["records"] = {"volume": 2.0 * moved, "messages2": 2 if moved else 0}
        base["slices"] = {"volume": 0.0, "messages2": 0}
        if "output_bytes" not in h1:
            return None, "no output_bytes= in the 1-rank file's header"
        base["output_bytes"] = float(h1["output_bytes"])
    else:
        return None, ("this mlmr's --stats has no per-phase counters ('exchange directory ... output ...'); "
                      "rerun with an mlmr that prints them, or pass --estimate-old-stats")
    base["keys"] = max(1.0, sum(r.get("groups", 0) for r in r2.values()))
    return base, ""


def project(base, n, net):
    name, alpha, beta, coll, fs_aggregate, fs_node = net
    per_dest_cap = max(base["shuffle_mb"] * (1 << 20) / 2 / n, MIN_PER_DEST)
    row = {"ranks": n}
    messages = nbytes = 0.0
    comm = 0.0
    max_rounds = 0
    for x in EXCHANGES:
        v = base[x]["volume"]
        per_rank = v / n * (n - 1) / n
        if per_rank <= 0 and base[x]["messages2"] == 0:
            rounds, msgs = (0 if x == "slices" else 1), 0.0
        else:
            per_dest = per_rank / (n - 1)
            rounds = 0 if x == "slices" else max(1, math.ceil(per_dest / per_dest_cap))
            # Items a rank can send (keys it holds, or the slices' destinations) cap its messages.
            items = base["keys"] / n if x in ("directory", "routing") else base[x]["messages2"] * (n - 1) / n
            msgs = max(rounds, 1) * min(n - 1, max(1.0, items)) if per_rank > 0 else 0.0
        t = rounds * 2 * coll * math.log2(n) + msgs * alpha + per_rank / beta
        row[x] = t
        comm += t
        messages += msgs
        nbytes += per_rank
        max_rounds = max(max_rounds, rounds)
    out = base["output_bytes"] / min(n * fs_node, fs_aggregate) + 2 * coll * math.log2(n)
    row.update(output=out, messages=messages, bytes=nbytes, rounds=max_rounds, comm=comm + out,
               compute=base["t1"] / n)
    return row


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    estimate = "--estimate-old-stats" in argv
    out_dir = None
    if "--out" in argv:
        out_dir = argv[argv.index("--out") + 1]
        args.remove(out_dir)
    if len(args) != 2:
        print(__doc__.split("Usage: ")[1].splitlines()[0], file=sys.stderr)
        return 2
    for p in args:
        if not os.path.exists(p):
            print(f"projection skipped: {p} is missing (run bench/mlmr.sh first)")
            return 0
    base, why = measured(read_stats(args[0]), read_stats(args[1]), estimate)
    if base is None:
        print(f"projection skipped: {why}")
        return 0

    print("Many-node projection: a MODEL from the counters of one run on 1 and 2 ranks, not a measurement.")
    if base["estimated"]:
        print(f"  (per-phase counters absent: directory and routing volumes estimated as {ENTRY_BYTES} B per key, "
              "records from 'records moved out', output from the file written)")
    print(f"  measured: 1 rank's total time less its output {base['t1']:.2f} s; output {base['output_bytes'] / 1e6:.1f} MB; "
          f"movable volume V: " + ", ".join(f"{x} {base[x]['volume'] / 1e6:.2f} MB" for x in EXCHANGES) +
          f"; {base['keys']:.0f} keys; --shuffle-mb {base['shuffle_mb']:.0f}")
    print("  model: per round 2 collectives of log2(N) steps; one message per destination (<= N-1); bytes/rank = "
          "V/N*(N-1)/N; output by MPI-IO at min(N x node rate, file system rate); work divides perfectly (T1/N)")
    rows = []
    for net in NETWORKS:
        name, alpha, beta, coll, fs_aggregate, fs_node = net
        print(f"\n{name}: alpha {alpha * 1e6:g} us per message, {beta / 1e9:g} GB/s per rank, collective step "
              f"{coll * 1e6:g} us; file system {fs_aggregate / 1e9:g} GB/s aggregate, {fs_node / 1e9:g} GB/s per node")
        print(f"{'ranks':>6} {'msgs/rank':>10} {'MB/rank':>9} {'rounds':>6} {'dir ms':>8} {'route ms':>8} "
              f"{'records ms':>10} {'slices ms':>9} {'output ms':>9} {'comm ms':>9} {'work ms':>9} {'comm %':>6}")
        for n in RANKS:
            r = project(base, n, net)
            r["network"] = name
            rows.append(r)
            share = 100 * r["comm"] / (r["comm"] + r["compute"]) if r["comm"] + r["compute"] > 0 else 0
            print(f"{n:>6} {r['messages']:>10.0f} {r['bytes'] / 1e6:>9.3f} {r['rounds']:>6} "
                  f"{r['directory'] * 1e3:>8.2f} {r['routing'] * 1e3:>8.2f} {r['records'] * 1e3:>10.2f} "
                  f"{r['slices'] * 1e3:>9.2f} {r['output'] * 1e3:>9.1f} {r['comm'] * 1e3:>9.1f} "
                  f"{r['compute'] * 1e3:>9.1f} {share:>6.1f}")
    if out_dir:
        write_outputs(rows, out_dir, base["estimated"])
    return 0


def write_outputs(rows, out_dir, estimated):
    cols = ["network", "ranks", "messages", "bytes", "rounds", "directory", "routing", "records", "slices",
            "output", "comm", "compute"]
    tsv = os.path.join(out_dir, "project.tsv")
    with open(tsv, "w") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            f.write("\t".join(str(r[c]) for c in cols) + "\n")
    print(f"\nwritten: {tsv}", end="")
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print(" (no gnuplot: no plot)")
        return
    png = os.path.join(out_dir, "project.png")
    note = " (volumes estimated)" if estimated else ""
    blocks = []
    for i, (name, *_rest) in enumerate(NETWORKS):
        blocks.append(
            f"'{tsv}' using (strcol(1) eq '{name}' ? $2 : NaN):($6+$7+$8+$9) with linespoints lt {i + 1} pt 7 "
            f"title '{name}: directory + routing + shuffle', "
            f"'' using (strcol(1) eq '{name}' ? $2 : NaN):10 with linespoints lt {i + 1} dt 2 pt 5 "
            f"title '{name}: output (MPI-IO, one file)'")
    script = f"""
set terminal pngcairo size 960,600 noenhanced
set output '{png}'
set datafile separator '\\t'
set key autotitle columnhead
set logscale xy
set xlabel 'ranks N'
set ylabel 'seconds per rank'
set xtics (2,4,8,16,32,64,128,256,512,1024)
set xrange [1.6:1300]
set format y '%g'
set grid
set key top right
set title 'mlmr at scale: a MODEL (alpha-beta network), not a measurement{note}'
plot {', '.join(blocks)}, '{tsv}' using (strcol(1) eq 'infiniband' ? $2 : NaN):12 with lines lt 8 lw 2 title 'work per rank if it divides perfectly (T1/N)'
"""
    subprocess.run([gnuplot], input=script, text=True, check=True)
    print(f", {png}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
