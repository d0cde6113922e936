"""A model as a service: mlserve driven by a Python client (requests), step by step.

 1. Model 'line' is created by posting CSV rows of y = 2x + 1 (x = 0..99) to its train
    route with a regression learner; the job is followed to 'succeeded'; x = 36 gives ~73.
 2. Trained again with --compare: the job's report holds the compare table, version 2 is
    served (metadata), and predicts ~73 too.
 3. A job that fails (a label column that is not there) leaves version 2 served and
    DIR/line.model unchanged byte for byte, and takes no version number.
 4. The index lists the models; a model is deleted with its files.
 5. A restart over the same directory keeps the models, their versions and the finished jobs.
 6. A new version published while threads send one-row requests without pause: no request
    fails, every answer is exactly one version's (its model_version and its score agree,
    the two versions predicting far apart), and no thread sees the old version after the new.
 7. A job still queued or running when the server stops runs at the next start.
Every wait has a deadline; the server is stopped by SIGTERM and must exit 0. The test waits for
events (the server's line saying it listens, answers counted by the client threads); a job is
followed as a client follows one, by asking for it until it has finished.
Usage: serve_mlaas.py BIN_DIR
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import requests

BIN = sys.argv[1]
FAILURES = []


def check(ok, what):
    if not ok:
        FAILURES.append(what)
        print(f"FAIL: {what}", flush=True)
    return ok


def wait_for(predicate, seconds, what):
    """Polls predicate() until it returns something true; fails the test after `seconds`.
    For the job routes only: a job is followed by asking for it (there is no notification)."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s: {what}")
        time.sleep(0.02)


class Server:
    """mlserve over DIR on a free port, stopped by SIGTERM."""

    def __init__(self, models, log):
        self.models, self.log = models, log
        self.proc = self.copier = None

    def start(self):
        """Starts the server and waits for its stderr line saying it listens (15 s at most);
        a thread copies its stderr to the log meanwhile and after."""
        port_file = os.path.join(self.models, "..", "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        self.proc = subprocess.Popen(
            [os.path.join(BIN, "mlserve"), "--models", self.models, "--port", "0", "--port-file", port_file,
             "-q", "--no-default-pipeline", "--threads", "4"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        listening = threading.Event()  # set by the line, or by the end of stderr

        def copy(err):
            with open(self.log, "ab") as log:
                for line in err:
                    log.write(line)
                    log.flush()
                    if line.startswith(b"mlserve: listening on "):
                        listening.set()
            listening.set()
        self.copier = threading.Thread(target=copy, args=(self.proc.stderr,))
        self.copier.start()
        if not listening.wait(15):
            raise AssertionError("mlserve did not say it listens within 15 s")
        if self.proc.poll() is not None or not os.path.exists(port_file):
            raise AssertionError(f"mlserve ended before listening: {self.proc.wait()}")
        with open(port_file) as f:
            self.url = f"http://127.0.0.1:{f.read().strip()}"
        return self

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            status = "still running 15 s after SIGTERM"
        self.ended()
        check(status == 0, f"mlserve after SIGTERM: exit status {status}")

    def kill(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.ended()

    def ended(self):
        self.copier.join()
        self.proc.stderr.close()
        self.proc = self.copier = None


def xy_csv(slope, intercept, xs=range(100)):
    return "x,y\n" + "".join(f"{x},{slope * x + intercept}\n" for x in xs)


def train(s, model, query, rows):
    r = s.post(f"{s.url}/v2/repository/models/{model}/train?{query}", data=rows,
               headers={"Content-Type": "text/csv"})
    check(r.status_code == 202, f"train {model}?{query}: status {r.status_code}: {r.text[:300]}")
    job = r.json()
    check(r.headers.get("Location") == f"/v2/jobs/{job['id']}", f"train: Location {r.headers.get('Location')}")
    check(job["state"] == "queued" and job["model"] == model, f"train: the job as queued: {job}")
    return job["id"]


def finished(s, job_id, seconds=60):
    def look():
        r = s.get(f"{s.url}/v2/jobs/{job_id}")
        r.raise_for_status()
        job = r.json()
        return job if job["state"] in ("succeeded", "failed") else None
    return wait_for(look, seconds, f"job {job_id} to finish")


def predict(s, model, x):
    body = {"id": "q", "inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [x]}]}
    r = s.post(f"{s.url}/v2/models/{model}/infer", json=body)
    check(r.status_code == 200, f"infer {model}: status {r.status_code}: {r.text[:300]}")
    answer = r.json()
    score = [o for o in answer["outputs"] if o["name"] == "score"]
    check(len(score) == 1 and score[0]["shape"] == [1], f"infer {model}: the score tensor: {answer}")
    return answer["model_version"], score[0]["data"][0]


def metadata(s, model):
    r = s.get(f"{s.url}/v2/models/{model}")
    return r.status_code, (r.json() if r.headers.get("Content-Type", "").startswith("application/json") else None)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    tmp = tempfile.mkdtemp()
    models = os.path.join(tmp, "models")
    os.mkdir(models)
    server = Server(models, os.path.join(tmp, "server.log"))
    try:
        run(server, models)
    except Exception as e:  # noqa: BLE001 - any error is a failure of the test, with its log
        FAILURES.append(repr(e))
        print(f"FAIL: {e!r}")
        print(open(server.log, errors="replace").read()[-3000:])
    finally:
        server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILURES:
        print(f"serve_mlaas: {len(FAILURES)} failure(s)")
        return 1
    print("serve_mlaas: ok")
    return 0


def run(server, models):
    s = requests.Session()
    s.url = server.start().url
    line_model = os.path.join(models, "line.model")

    # 1. Create 'line' from rows, follow the job, predict.
    job1 = train(s, "line", "label=y&learner=svm&type=epsilon-svr&kernel=linear", xy_csv(2, 1))
    job = finished(s, job1)
    check(job["state"] == "succeeded" and job["version"] == 1 and job["rows"] == 100,
          f"job 1: {job}")
    check(job["report"] is None, f"job 1 ran no model selection, yet has a report: {job['report']}")
    version, y = predict(s, "line", 36)
    check(version == "1" and abs(y - 73) < 0.5, f"line(36) = {y} (version {version}), expected ~73 from version 1")
    status, meta = metadata(s, "line")
    check(status == 200 and meta["versions"] == ["1"] and meta["parameters"]["task"] == "regression"
          and [i["name"] for i in meta["inputs"]] == ["x"], f"line's metadata: {meta}")
    print("ok: a model created from posted rows, its job followed, x = 36 predicted")

    # 2. Again with --compare: the report holds the table; version 2 is served.
    job2 = train(s, "line", "label=y&task=regression&compare", xy_csv(2, 1))
    job = finished(s, job2)
    check(job["state"] == "succeeded" and job["version"] == 2, f"job 2: {job}")
    report = job.get("report") or {}
    printed = report.get("printed", "")
    check("rank" in printed and "epsilon-svr" in printed and "linear-svr" in printed and "R2" in printed,
          f"job 2: no compare table in the report: {printed!r}")
    check("cv" in report and report["cv"].get("r2", 0) > 0.99, f"job 2: the report's cross-validation: {report.get('cv')}")
    status, meta = metadata(s, "line")
    check(status == 200 and meta["versions"] == ["2"], f"after job 2, line's metadata: {meta}")
    version, y = predict(s, "line", 36)
    check(version == "2" and abs(y - 73) < 0.5, f"line(36) = {y} (version {version}), expected ~73 from version 2")
    versions_dir = os.path.join(models, ".mlserve", "versions", "line")
    check(read(line_model) == read(os.path.join(versions_dir, "2.model")),
          "DIR/line.model is not version 2's file")
    print("ok: --compare's table in the job's report, version 2 served")

    # 3. A failed job changes nothing served, on disk or in numbers.
    before = {f: read(os.path.join(models, f)) for f in ("line.model", "line.model.json")}
    job3 = train(s, "line", "label=nosuch", xy_csv(2, 1))
    job = finished(s, job3)
    check(job["state"] == "failed" and "nosuch" in job["error"] and job["version"] == 0, f"job 3: {job}")
    check({f: read(os.path.join(models, f)) for f in before} == before, "a failed job changed DIR/line.model")
    check(sorted(os.listdir(versions_dir)) == ["1.model", "1.model.json", "2.model", "2.model.json"],
          f"a failed job left files among the versions: {sorted(os.listdir(versions_dir))}")
    status, meta = metadata(s, "line")
    check(meta["versions"] == ["2"], f"after a failed job, line's metadata: {meta}")
    check(predict(s, "line", 36)[0] == "2", "after a failed job, version 2 is not the one answering")
    r = s.post(f"{s.url}/v2/repository/models/line/train?output=/etc/passwd", data=xy_csv(2, 1),
               headers={"Content-Type": "text/csv"})
    check(r.status_code == 400 and "error" in r.json(), f"train?output=…: status {r.status_code}, expected 400")
    print("ok: a failed job leaves version 2 served and its files as they were")

    # 4. List and delete.
    job = finished(s, train(s, "scratch", "label=y&learner=linear-svr", xy_csv(1, 0, range(20))))
    check(job["state"] == "succeeded", f"the scratch model's job: {job}")
    index = {m["name"]: m for m in s.get(f"{s.url}/v2/repository/index").json()}
    check(index.get("line", {}).get("version") == "2" and index["line"]["state"] == "READY"
          and index.get("scratch", {}).get("state") == "READY", f"the index: {index}")
    r = s.delete(f"{s.url}/v2/repository/models/scratch")
    check(r.status_code == 200 and r.json().get("deleted") is True, f"delete: {r.status_code} {r.text}")
    check(metadata(s, "scratch")[0] == 404, "a deleted model still has metadata")
    check(not os.path.exists(os.path.join(models, "scratch.model"))
          and not os.path.exists(os.path.join(models, ".mlserve", "versions", "scratch")),
          f"a deleted model's files remain: {os.listdir(models)}")
    check("scratch" not in {m["name"] for m in s.get(f"{s.url}/v2/repository/index").json()},
          "a deleted model is still in the index")
    check(s.delete(f"{s.url}/v2/repository/models/scratch").status_code == 404, "deleting twice: not 404")
    jobs = s.get(f"{s.url}/v2/jobs").json()
    check([j["id"] for j in jobs] == [job1, job2, job3, job["id"]], f"the jobs listed: {[j['id'] for j in jobs]}")
    metrics = s.get(f"{s.url}/metrics").text
    check('mlserve_jobs{state="succeeded"} 3' in metrics and 'mlserve_jobs{state="failed"} 1' in metrics
          and 'mlserve_model_version{model="line"} 2' in metrics, "the metrics of jobs and versions")
    print("ok: the index lists the models; a model is deleted with its files")

    # 5. A restart keeps models, versions and finished jobs.
    answer_before = s.post(f"{s.url}/v2/models/line/infer", data="x\n36\n7\n", headers={"Content-Type": "text/csv"}).text
    server.stop()
    s.url = server.start().url
    status, meta = metadata(s, "line")
    check(status == 200 and meta["versions"] == ["2"], f"after a restart, line's metadata: {meta}")
    check(s.get(f"{s.url}/v2/jobs").json() == jobs, "after a restart, the jobs differ")
    check(s.get(f"{s.url}/v2/jobs/{job2}").json()["report"] == report, "after a restart, job 2's report differs")
    answer_after = s.post(f"{s.url}/v2/models/line/infer", data="x\n36\n7\n", headers={"Content-Type": "text/csv"}).text
    check(answer_after == answer_before, f"after a restart, other answers: {answer_after!r} vs {answer_before!r}")
    check(metadata(s, "scratch")[0] == 404, "after a restart, the deleted model is back")
    print("ok: a restart keeps the models, their versions and the finished jobs")

    # 6. Version 3 (trained on the labels flipped: y = -2x + 1) published under load.
    old_version, old_score = predict(s, "line", 36)
    stop = threading.Event()
    answers, errors = [], []
    lock = threading.Lock()
    # What each client has had answered so far, so that the test can wait for it: every
    # client answered before the job is posted, and by the new version once it is published.
    progress = threading.Condition()
    latest = [None] * 4

    def client(i):
        c = requests.Session()
        body = {"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [36]}]}
        mine = []
        while not stop.is_set():
            try:
                r = c.post(f"{s.url}/v2/models/line/infer", json=body, timeout=30)
                if r.status_code != 200:
                    errors.append(f"status {r.status_code}: {r.text[:200]}")
                    continue
                a = r.json()
                score = [o["data"][0] for o in a["outputs"] if o["name"] == "score"]
                mine.append((a["model_version"], score[0] if len(score) == 1 else None))
                with progress:
                    latest[i] = a["model_version"]
                    progress.notify_all()
            except Exception as e:  # noqa: BLE001 - a failed request is what this counts
                errors.append(repr(e))
        with lock:
            answers.append(mine)

    def clients_answered(version, what):
        with progress:
            check(progress.wait_for(lambda: all(v == version for v in latest), timeout=30),
                  f"{what}: within 30 s, the clients' last answers were from versions {latest}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    new_version = new_score = None
    try:
        clients_answered(old_version, "requests under way before the job is posted")
        job4 = train(s, "line", "label=y&learner=svm&type=epsilon-svr&kernel=linear", xy_csv(-2, 1))
        job = finished(s, job4)
        check(job["state"] == "succeeded" and job["version"] == 3, f"job 4: {job}")
        new_version, new_score = predict(s, "line", 36)
        clients_answered(new_version, "every client answered by the version published")
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    check(new_version == "3" and abs(new_score + 71) < 0.5,
          f"line(36) = {new_score} (version {new_version}), expected ~-71 from version 3")
    check(not errors, f"{len(errors)} requests failed during the publication: {errors[:3]}")
    expected = {old_version: old_score, new_version: new_score}
    seen = [a for mine in answers for a in mine]
    wrong = [a for a in seen if expected.get(a[0]) != a[1]]
    check(not wrong, f"{len(wrong)} answers are no version's own: {wrong[:3]} (expected {expected})")
    check({v for v, _ in seen} == {old_version, new_version},
          f"the answers came from versions {sorted({v for v, _ in seen})}, expected both of {sorted(expected)}")
    back = [mine for mine in answers if any(mine[i][0] == old_version and mine[i - 1][0] == new_version
                                            for i in range(1, len(mine)))]
    check(not back, "a client saw the old version again after the new one")
    print(f"ok: version 3 published under load: {len(seen)} answers, none failed, each one version's own")

    # 7. A job unfinished when the server stops runs at the next start, and publishes once.
    many = "x,y\n" + "".join(f"{x % 100},{-2 * (x % 100) + 1}\n" for x in range(3000))
    job5 = train(s, "line", "label=y&task=regression&compare", many)  # seconds of cross-validation
    server.stop()
    with open(os.path.join(models, ".mlserve", "jobs", f"{job5}.json")) as f:
        left = f.read()
    check('"state":"queued"' in left or '"state":"running"' in left, f"job 5 finished before the stop: {left[:200]}")
    s.url = server.start().url
    job = finished(s, job5)
    check(job["state"] == "succeeded" and job["version"] == 4, f"job 5, after the restart: {job}")
    check(sorted(os.listdir(versions_dir)) == [f"{v}.model{e}" for v in range(1, 5) for e in ("", ".json")],
          f"the versions after job 5: {sorted(os.listdir(versions_dir))}")
    version, y = predict(s, "line", 36)
    check(version == "4" and abs(y + 71) < 0.5, f"line(36) = {y} (version {version}), expected ~-71 from version 4")
    print("ok: a job unfinished at a stop runs at the next start")
    server.stop()


if __name__ == "__main__":
    sys.exit(main())
