// Training with liblinear: the linear learners (--learner linear-svm, logistic, linear-svr,
// …) and --learner svm's linear C-SVC on many rows. The model is returned as a libsvm model
// file (SvmFile) holding one collapsed weight vector per decision function, so that one
// reader predicts every model. train_model (train.h) is the way in.
#pragma once

#include <cstddef>
#include <vector>

#include "mlpipe/model/dataset.h"
#include "mlpipe/model/svm_file.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

// Trains on `rows` of `d`, as given (no scaling here). `intercepts` is filled with each
// class's b_c for a multi-class logistic regression (Trained::intercepts, train.h). Draws
// from libc's rand(), seeded from p.seed (solver_common.h). Throws Error::usage for
// parameters liblinear refuses.
SvmFile train_liblinear(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows,
                        std::vector<double>& intercepts);

}  // namespace mlpipe
