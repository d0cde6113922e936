// mlclassify's worker: scores one record (NDJSON, a CSV row or a libsvm line) with every
// model of the run, decides with each threshold, and writes the record, a CSV row, or nothing
// (--keep); it adds what it tallied to the run's when it finishes.
#pragma once

#include <memory>

#include "mlpipe/core/stage.h"
#include "mlpipe/model/classify_run.h"

namespace mlpipe::classify {

std::unique_ptr<Worker> make_classify_worker(const ClassifyRun& run);

}  // namespace mlpipe::classify
