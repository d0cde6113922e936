// See cross_validation.h.
#include "mlpipe/model/cross_validation.h"

#include <algorithm>
#include <chrono>

#include "mlpipe/core/error.h"
#include "mlpipe/core/sparse.h"
#include "mlpipe/model/model.h"
#include "mlpipe/model/train.h"

namespace mlpipe {

namespace {

// Each fold's training rows (the other folds') and test rows, in row order.
struct FoldRows {
  std::vector<std::vector<std::size_t>> train, test;
};

FoldRows fold_rows(const std::vector<int>& folds, std::size_t n, int k) {
  FoldRows rows;
  rows.train.resize(std::size_t(k));
  rows.test.resize(std::size_t(k));
  for (std::size_t r = 0; r < n; ++r)
    for (int f = 0; f < k; ++f) (folds[r] == f ? rows.test : rows.train)[std::size_t(f)].push_back(r);
  return rows;
}

// One (parameter set, fold) training, as a farm job's result: the solver's iteration-limit
// warnings, its seconds, then the held-out rows' predictions, then their scores, in the
// fold's row order.
TaskFarm::Result run_fold(const Dataset& d, TrainParams p, const std::vector<std::size_t>& train_on,
                          const std::vector<std::size_t>& test_on) {
  const auto t0 = std::chrono::steady_clock::now();
  p.probability = false;
  p.threads = 1;  // folds already run side by side
  // Imputation and scaling are fitted on the fold's training rows only: held-out rows
  // must not shape them.
  const PreparedRows prepared = prepare_rows(d, p, train_on);
  const Dataset& data = *prepared.data;
  Trained trained = train_model(data, p, train_on);
  const Model& model = trained.model;
  TaskFarm::Result out(2 + 2 * test_on.size(), 0.0);
  out[0] = double(trained.solver_warnings);
  double* predicted = out.data() + 2;
  double* scores = predicted + test_on.size();
  Model::Scratch scratch;
  SparseVector x;
  for (std::size_t i = 0; i < test_on.size(); ++i) {
    const std::size_t r = test_on[i];
    x.clear();
    for (std::size_t q = data.start[r]; data.nodes[q].index != -1; ++q)
      x.push(std::uint32_t(data.nodes[q].index), float(data.nodes[q].value));
    if (model.is_classifier()) {
      std::size_t c = model.predict_class(x, scratch);
      int label = model.labels()[c];
      auto it = std::find(d.class_labels.begin(), d.class_labels.end(), label);
      predicted[i] = double(it - d.class_labels.begin());
      if (model.decision_functions() == 1) {
        double dec = model.decision(x, scratch);
        // Oriented towards the data's first class, whatever the fold's label order.
        scores[i] = model.labels()[0] == d.class_labels[0] ? dec : -dec;
      } else if (model.class_count() == 1) {
        scores[i] = model.labels()[0] == d.class_labels[0] ? 1 : -1;
      }
    } else {
      predicted[i] = model.predict(x, scratch);
      scores[i] = predicted[i];
    }
  }
  out[1] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

// The jobs' results gathered into each set's per-row predictions and scores; a set with a
// failing fold gets the lowest such fold's message.
std::vector<CvResult> gather(const std::vector<farm_detail::Outcome>& done, std::size_t sets, std::size_t n,
                             const FoldRows& rows, int k) {
  std::vector<CvResult> results(sets);
  for (auto& r : results) {
    r.predicted.assign(n, 0.0);
    r.scores.assign(n, 0.0);
  }
  for (std::size_t j = 0; j < done.size(); ++j) {
    CvResult& r = results[j / std::size_t(k)];
    const farm_detail::Outcome& o = done[j];
    if (!o.ok) {
      if (r.failure.empty()) r.failure = o.message;  // the set's lowest failing fold
      continue;
    }
    const std::vector<std::size_t>& test_on = rows.test[j % std::size_t(k)];
    const TaskFarm::Result& out = o.values;
    r.solver_warnings += std::size_t(out[0]);
    r.seconds += out[1];
    for (std::size_t i = 0; i < test_on.size(); ++i) {
      r.predicted[test_on[i]] = out[2 + i];
      r.scores[test_on[i]] = out[2 + test_on.size() + i];
    }
  }
  return results;
}

void score(const Dataset& d, CvResult& r) {
  const std::size_t n = d.rows();
  if (d.classification) {
    std::vector<int> truth(n), pred(n);
    for (std::size_t i = 0; i < n; ++i) {
      truth[i] = int(d.target[i]);
      pred[i] = int(r.predicted[i]);
    }
    r.metrics = classification_metrics(truth, pred, d.classes(), d.classes() == 2 ? &r.scores : nullptr);
  } else {
    r.metrics = regression_metrics(d.target, r.predicted);
  }
}

}  // namespace

std::vector<CvResult> cross_validate_many(const Dataset& d, const std::vector<TrainParams>& params,
                                          const std::vector<int>& folds, int k, int threads,
                                          const FarmProgress& progress) {
  TaskFarm local(threads);
  return cross_validate_many(d, params, folds, k, local, progress);
}

std::vector<CvResult> cross_validate_many(const Dataset& d, const std::vector<TrainParams>& params,
                                          const std::vector<int>& folds, int k, TaskFarm& farm,
                                          const FarmProgress& progress) {
  std::vector<CvResult> results = cross_validate_sets(d, params, folds, k, farm, progress);
  for (const CvResult& r : results)
    if (!r.failure.empty()) throw Error(r.failure);
  return results;
}

std::vector<CvResult> cross_validate_sets(const Dataset& d, const std::vector<TrainParams>& params,
                                          const std::vector<int>& folds, int k, TaskFarm& farm,
                                          const FarmProgress& progress) {
  const FoldRows rows = fold_rows(folds, d.rows(), k);
  // One job per (parameter set, fold); a set's folds are one group of jobs of like cost.
  std::vector<TaskFarm::Job> jobs;
  for (std::size_t s = 0; s < params.size(); ++s)
    for (int f = 0; f < k; ++f) jobs.push_back({s, serial_training(params[s], rows.train[std::size_t(f)].size())});
  auto run = [&](std::size_t j) -> TaskFarm::Result {
    const std::size_t fold = j % std::size_t(k);
    return run_fold(d, params[j / std::size_t(k)], rows.train[fold], rows.test[fold]);
  };
  std::vector<farm_detail::Outcome> done = farm.run_all(jobs, run, progress);
  // A usage error is the command line's, whichever job met it: the lowest one ends it all.
  for (const farm_detail::Outcome& o : done)
    if (!o.ok && o.usage) throw o.error();
  std::vector<CvResult> results = gather(done, params.size(), d.rows(), rows, k);
  for (CvResult& r : results)
    if (r.failure.empty()) score(d, r);
  return results;
}

CvResult cross_validate(const Dataset& d, const TrainParams& p, const std::vector<int>& folds, int k, int threads) {
  return cross_validate_many(d, {p}, folds, k, threads, {})[0];
}

}  // namespace mlpipe
