// What libsvm's and liblinear's trainings share (libsvm_train.cpp, liblinear_train.cpp).
//
// Both C libraries keep process-wide state: one print hook each, with no context pointer,
// and libc's rand(), which liblinear and libsvm's probability estimates draw from. This is
// the one file that touches them (docs/HACKING.md lists them with their reasons). The rest
// is the rows' labels and the class weights in the form both take, and weight vectors
// stored as a libsvm model's support vectors.
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include "mlpipe/model/dataset.h"
#include "mlpipe/model/svm_file.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

// Points both libraries' print hooks, once per process, at a function that drops what they
// print but counts their iteration-limit warnings. Trainings run on several threads at once
// and a hook cannot tell whose warning it is given, so the count is per thread: a training
// resets it before it starts and reads it when it ends, on the same thread.
void quiet_solvers();
void reset_iteration_limit_warnings();
std::size_t iteration_limit_warnings();

// libc's rand() seeded with `seed` (std::srand), for the training that holds the returned
// lock: another thread's draws in between would change the model. TaskFarm already runs such
// trainings one at a time within one mltrain run (serial_training); the lock makes them take
// turns across runs in one process too, as mlserve's training jobs are. Hold it from the
// seeding to the end of the training.
std::unique_lock<std::mutex> seed_rand(unsigned seed);

// Row `r`'s label as the solvers take it: its class's libsvm label, or the regression target.
double solver_label(const Dataset& d, std::size_t r);

// Class weights over `rows` (class_weight_of) as (libsvm label, weight), for the classes
// whose weight is not 1.
void solver_class_weights(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows,
                          std::vector<int>& labels, std::vector<double>& weights);

// Sets the support vectors of `f` to dense weight vectors (index 0 unused), dropping zeros.
void set_weight_vectors(SvmFile& f, const std::vector<std::vector<double>>& w);

}  // namespace mlpipe
