// What mltrain prints: cross-validation metrics and the --compare and --grid tables (the
// metrics kept in the sidecar are sidecar.cpp's).
#pragma once

#include <string>

#include "mlpipe/model/selection.h"

namespace mlpipe {

// The parameters that matter for `p`'s learner ("C=1 gamma=0.0345 scale=standard");
// gamma as training on `d` resolves it.
std::string params_text(const TrainParams& p, const Dataset& d);

// Accuracy, macro F1, AUC and per-class precision/recall/F1, or the regression errors.
void report_metrics(std::string& out, const Metrics& m, const Dataset& d);

// The ranking metric as the table says it ("F1 of class 1").
std::string metric_title(const MetricChoice& m, const Dataset& d);

// --compare: one line per algorithm, best first, then the ones that could not be trained.
std::string compare_table(const Selection& sel, const Dataset& d, int k, bool grid, const MetricChoice& metric);
// --grid: the best points.
std::string grid_table(const Selection& sel, const Dataset& d, int k, const MetricChoice& metric);

}  // namespace mlpipe
