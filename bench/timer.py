#!/usr/bin/python3
"""Runs a shell command several times; prints the medians of wall-clock seconds, CPU seconds
(user+system of all its processes) and the largest peak RSS of any one process (MB).

    timer.py RUNS 'COMMAND'      ->  "WALL CPU PEAK_MB"

The machine is shared and noisy: medians of several runs, and CPU time beside wall time.
"""
import os
import resource
import statistics
import subprocess
import sys
import time


def main():
    runs, cmd = int(sys.argv[1]), sys.argv[2]
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        # Each run in its own shell, so that ru_maxrss is the peak of this run's processes.
        proc = subprocess.run(["/bin/bash", "-o", "pipefail", "-c", cmd], stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            sys.exit(f"timer.py: command failed ({proc.returncode}): {cmd}")
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        peaks.append(after.ru_maxrss / 1024)
    print(f"{statistics.median(walls):.4f} {statistics.median(cpus):.4f} {max(peaks):.0f}")


if __name__ == "__main__":
    main()
