#!/usr/bin/python3
"""Model switch latency of a stream under mlclassify --reload: the time from the rename of
a new model into place to the first output record scored by it.

    reload.py MLCLASSIFY MODEL_A MODEL_B ROWS SWITCHES MODE   ->  "MEDIAN_MS MIN_MS MAX_MS"

MODE paced: one record per millisecond, --line-buffered (an interactive stream);
MODE flood: records as fast as mlclassify takes them, default batches (a busy stream).
Every record is the same row, so a score tells which model made it. The models are
renamed into place alternately (a copy beside the live file, then rename, as mltrain does).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def main():
    exe, model_a, model_b, rows_path, switches, mode = sys.argv[1:7]
    switches = int(switches)
    row = open(rows_path).readline().encode()
    work = tempfile.mkdtemp()
    live = os.path.join(work, "m.model")

    def put(src):
        shutil.copyfile(src, live + ".new")
        os.rename(live + ".new", live)
        return time.monotonic()

    # The score of the row under each model, from fresh runs.
    def score_of(model):
        out = subprocess.run([exe, "-m", "m=" + model], input=row, capture_output=True, check=True).stdout
        return out.split(b'"m":')[1].split(b",")[0].split(b"}")[0]

    scores = {"a": score_of(model_a), "b": score_of(model_b)}
    assert scores["a"] != scores["b"], "the two models score the row alike"

    put(model_a)
    args = [exe, "--reload", "--threads", "1", "-m", "m=" + live]
    if mode == "paced":
        args.append("--line-buffered")
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stop = threading.Event()

    def feed():
        chunk = row * 256
        try:
            while not stop.is_set():
                if mode == "paced":
                    proc.stdin.write(row)
                    proc.stdin.flush()
                    time.sleep(0.001)
                else:
                    proc.stdin.write(chunk)
        except (BrokenPipeError, ValueError):
            pass
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    latest = {"model": "a"}
    seen = threading.Condition()

    def read():
        for line in proc.stdout:
            which = "a" if (b'"m":' + scores["a"]) in line else "b"
            if which != latest["model"]:
                with seen:
                    latest["model"] = which
                    latest["at"] = time.monotonic()
                    seen.notify_all()

    feeder = threading.Thread(target=feed, daemon=True)
    reader = threading.Thread(target=read, daemon=True)
    feeder.start()
    reader.start()
    time.sleep(0.3)
    latencies = []
    try:
        for i in range(switches):
            want = "b" if i % 2 == 0 else "a"
            with seen:
                t0 = put(model_b if want == "b" else model_a)
                if not seen.wait_for(lambda: latest["model"] == want, timeout=10):
                    sys.exit(f"reload.py: no record scored by model {want} within 10 s")
                latencies.append((latest["at"] - t0) * 1000)
            time.sleep(0.2)
    finally:
        stop.set()
        feeder.join(timeout=5)
        proc.terminate()  # the stream never ends by itself
        proc.wait(timeout=10)
        shutil.rmtree(work)
    print(f"{statistics.median(latencies):.1f} {min(latencies):.1f} {max(latencies):.1f}")


if __name__ == "__main__":
    main()
