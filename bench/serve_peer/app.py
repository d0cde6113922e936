"""The Python peer of mlserve for bench/serve.sh: scikit-learn models behind Flask, run by
gunicorn, as Python model services commonly run, speaking the same subset of the Open
Inference Protocol (KServe V2) that mlserve speaks:

  POST /v2/models/NAME/infer  {"inputs":[{"name":"x","shape":[N,D],"datatype":"FP64","data":[...]}]}
    -> {"model_name":NAME,"outputs":[{"name":"score","shape":[N],"datatype":"FP64","data":[...]},
                                     {"name":"class","shape":[N],"datatype":"BYTES","data":[...]}]}
  GET /v2/health/ready, GET /v2/models/NAME/ready: 200 once the models are loaded
  errors: 400 (bad request) or 404 (no such model) with {"error": MESSAGE}, as the protocol says

Each model is trained when the app is imported, from a CSV with a header row (every column but
the label is a numeric feature), the way mltrain reads the same file: standard scaling, then a
linear SVM (LinearSVC: liblinear's L2-loss solver, C=1) or logistic regression.
SERVE_PEER_MODELS lists them: NAME=CSV[:LEARNER][,NAME=CSV...], LEARNER linear-svm (default)
or logistic; SERVE_PEER_LABEL names the label column (default y). Under `gunicorn --preload`
they are trained once, in the master, and the forked workers share them."""
import csv
import os

import numpy as np
from flask import Flask, jsonify, request
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC


def load_csv(path, label):
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        if label not in header:
            raise SystemExit("serve_peer: %s: no column '%s'" % (path, label))
        at = header.index(label)
        X, y = [], []
        for row in rows:
            y.append(row[at])
            X.append([float(v) for i, v in enumerate(row) if i != at])
    return np.asarray(X, dtype=np.float64), np.asarray(y)


def train(path, learner, label):
    X, y = load_csv(path, label)
    if learner == "linear-svm":
        est = LinearSVC(C=1.0, dual=True, max_iter=10000)
    elif learner == "logistic":
        est = LogisticRegression(C=1.0, max_iter=10000)
    else:
        raise SystemExit("serve_peer: unknown learner '%s' (linear-svm or logistic)" % learner)
    model = make_pipeline(StandardScaler(), est).fit(X, y)
    return model, X.shape[1]


def load_models():
    spec = os.environ.get("SERVE_PEER_MODELS", "")
    if not spec:
        raise SystemExit("serve_peer: set SERVE_PEER_MODELS=NAME=CSV[:LEARNER][,...]")
    label = os.environ.get("SERVE_PEER_LABEL", "y")
    models = {}
    for item in spec.split(","):
        name, _, rest = item.partition("=")
        path, _, learner = rest.partition(":")
        models[name] = train(path, learner or "linear-svm", label)
    return models


class BadRequest(Exception):
    pass


def input_matrix(body, dim):
    """The rows of the request's one FP64 input, as an N x D array (data flat, as the
    protocol sends it, or nested)."""
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list) or len(body["inputs"]) != 1:
        raise BadRequest("expected {\"inputs\": [one tensor]}")
    t = body["inputs"][0]
    if not isinstance(t, dict):
        raise BadRequest("input: expected an object")
    if t.get("datatype") != "FP64":
        raise BadRequest("input '%s': expected datatype FP64, found %r" % (t.get("name"), t.get("datatype")))
    shape = t.get("shape")
    if not (isinstance(shape, list) and len(shape) == 2 and all(isinstance(s, int) and s >= 0 for s in shape)):
        raise BadRequest("input '%s': expected shape [N, D]" % t.get("name"))
    if shape[1] != dim:
        raise BadRequest("input '%s': the model takes %d features, the shape says %d" % (t.get("name"), dim, shape[1]))
    try:
        x = np.asarray(t.get("data"), dtype=np.float64)
    except (TypeError, ValueError):
        raise BadRequest("input '%s': data: expected numbers" % t.get("name"))
    if x.size != shape[0] * shape[1]:
        raise BadRequest("input '%s': shape %s needs %d values, data has %d" % (t.get("name"), shape, shape[0] * shape[1], x.size))
    return x.reshape(shape)


app = Flask(__name__)
app.json.sort_keys = False  # the protocol's order (model_name, outputs; name, shape, datatype, data)
models = load_models()


@app.get("/v2/health/ready")
@app.get("/v2/health/live")
def ready():
    return "", 200


@app.get("/v2/models/<name>/ready")
def model_ready(name):
    return ("", 200) if name in models else (jsonify(error="no model '%s'" % name), 404)


@app.post("/v2/models/<name>/infer")
def infer(name):
    if name not in models:
        return jsonify(error="no model '%s'" % name), 404
    model, dim = models[name]
    body = request.get_json(silent=True)
    if body is None:
        return jsonify(error="expected a JSON body"), 400
    try:
        x = input_matrix(body, dim)
    except BadRequest as e:
        return jsonify(error=str(e)), 400
    n = x.shape[0]
    if n == 0:
        score, cls = [], []
    else:
        d = model.decision_function(x)
        # Binary: the decision value is the score of classes_[1]; class from the same value.
        cls = model.classes_[(d > 0).astype(int)] if d.ndim == 1 else model.classes_[d.argmax(axis=1)]
        score = d if d.ndim == 1 else d.max(axis=1)
        score, cls = score.tolist(), cls.tolist()
    return jsonify(model_name=name, outputs=[
        {"name": "score", "shape": [n], "datatype": "FP64", "data": score},
        {"name": "class", "shape": [n], "datatype": "BYTES", "data": cls},
    ])
