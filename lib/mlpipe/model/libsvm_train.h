// Training with libsvm: every SVM type and kernel of --learner svm, the model returned as
// the libsvm model file it would write (SvmFile), a linear one collapsed to weight vectors
// with --compact. train_model (train.h) is the way in.
#pragma once

#include <cstddef>
#include <vector>

#include "mlpipe/model/dataset.h"
#include "mlpipe/model/svm_file.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

// Trains on `rows` of `d`, as given (no scaling here). Throws Error::usage for parameters
// libsvm refuses, Error for a nu these classes cannot have. With probability estimates it
// draws from libc's rand(), seeded from p.seed (solver_common.h).
SvmFile train_libsvm(const Dataset& d, const TrainParams& p, const std::vector<std::size_t>& rows);

}  // namespace mlpipe
