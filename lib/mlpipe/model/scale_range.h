// A model's scaling as an svm-scale range file (MODEL.range), so that libsvm's own tools
// predict what mlclassify predicts:
//
//   svm-scale -r MODEL.range ROWS > ROWS.scaled && svm-predict ROWS.scaled MODEL OUT
//
// svm-scale maps feature j by x' = lower + (upper - lower) (x - min_j) / (max_j - min_j).
// With lower 0 and upper 1 that is (x - min_j) / (max_j - min_j), so Scaling's
// x' = (x - offset_j) × factor_j is min_j = offset_j, max_j = offset_j + 1 / factor_j:
// standard, min-max and a constant feature (factor 1: x' = x - offset) alike.
//
// What svm-scale does besides the map, and why the file is written as it is:
// - it scales absent features too (a row is read as dense up to the largest index), as
//   Scaling::apply does, so sparse rows mean the same on both sides;
// - a feature whose min equals its max is left out of its output (0), and one the file
//   does not list is dropped with a warning: every index 1 … dimension is listed, those
//   beyond the scaling (never in a training row) with the identity 0 1, which mlclassify
//   also leaves as they are. An index beyond the dimension mlclassify refuses (or leaves
//   out, --extra-features=ignore), and svm-scale drops;
// - it prints scaled values with printf's %g (6 significant digits), which mlclassify's
//   float values beat: decision values differ by about 1e-6 of their scale, so a row
//   whose decision value is that close to 0 may be labelled differently.
// No y section: targets are not scaled.
#pragma once

#include <cstdint>
#include <string>

#include "mlpipe/model/scaling.h"

namespace mlpipe {

// How far svm-scale's factor 1 / (max - min), from the numbers as written, may stray from
// the model's (relative): below the rounding of the floats mlclassify scales into (6e-8),
// far below that of svm-scale's %g output (5e-6). It is reached only when |offset| is
// millions of times 1 / factor (a feature whose spread is lost in its mean).
inline constexpr double kRangeFactorTolerance = 1e-9;

// The range file for `s` over the features 1 … `dimension` (at least s.dimension()).
// Throws Error (unlocated) when some feature's map cannot be written so that svm-scale
// applies it (a factor that is not finite and positive, or an offset so large against
// 1 / factor that max - min loses the factor's digits): a file that scales otherwise
// than the model would mislead.
std::string format_scale_range(const Scaling& s, std::uint32_t dimension);

}  // namespace mlpipe
