// The names of the record fields that one program writes and another reads (docs/DESIGN.md,
// Records): written once here, so that a writer and its readers cannot drift apart. Fields a
// program only reads from its user (a --label-field, a --key) are options, not these.
#pragma once

#include <string_view>

namespace mlpipe::record_fields {

// mlclassify: one score per model name; mllink adds the link model's as scores.link.
inline constexpr std::string_view kScores = "scores";
// mlclassify: whether each model with a threshold passed it; read by mljoin (roles), mllink
// (a side's stance), mlshow and mlserve.
inline constexpr std::string_view kPassed = "passed";
// mlclassify --per-class: each classifier's per-class values.
inline constexpr std::string_view kScoresDetail = "scores_detail";
// mlfeat's sparse vector, and the dense vector accepted wherever it is.
inline constexpr std::string_view kFeatures = "features";
inline constexpr std::string_view kDenseFeatures = "x";
// A row's label: mlclassify --format libsvm writes it, mllink --features-only writes the
// pair's, mltrain reads it by default.
inline constexpr std::string_view kLabel = "label";
// mllink: the link model's name in `scores`, and the link's stance.
inline constexpr std::string_view kLinkScore = "link";
inline constexpr std::string_view kStance = "stance";
// mljoin: the key a pair record (or sentence record) was joined by; mllink --top ranks by it.
inline constexpr std::string_view kKey = "key";

}  // namespace mlpipe::record_fields
