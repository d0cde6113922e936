// See tool_mllink.h.
#include "mlpipe/pairs/tool_mllink.h"

#include <algorithm>
#include <utility>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"

namespace mlpipe {

namespace {

// Which options may go with which: scoring (-m) or training pairs (--features-only).
void check_modes(const MllinkOptions& o) {
  if (o.features_only == !o.model.empty())
    throw Error::usage(o.features_only ? "--features-only and -m exclude each other"
                                       : "give a link model (-m MODEL), or --features-only to make training pairs");
  if (o.features_only && (!o.min.empty() || o.all)) throw Error::usage("--min and --all apply only with -m");
  if (!o.min.empty() && o.all) throw Error::usage("--min and --all exclude each other");
  if ((o.top || o.top_right) && (o.features_only || o.all))
    throw Error::usage("--top and --top-right rank scored links: not with --features-only or --all");
  if (o.decision && o.features_only) throw Error::usage("--decision applies only with -m");
  if (o.reload && o.features_only) throw Error::usage("--reload applies only with -m");
  if (!o.features_only && (!o.label_field.empty() || !o.label_overlap.empty() || o.drop_sides || o.pair_only))
    throw Error::usage("--label-field, --label-overlap, --drop-sides and --pair-only apply only with --features-only");
  if (!o.label_field.empty() && !o.label_overlap.empty())
    throw Error::usage("--label-field and --label-overlap exclude each other");
}

// --label-overlap LEFT_FIELD,RIGHT_FIELD.
std::pair<std::string, std::string> overlap_fields(const std::string& arg) {
  if (arg.empty()) return {};
  auto comma = arg.find(',');
  if (comma == std::string::npos || comma == 0 || comma + 1 == arg.size() ||
      arg.find(',', comma + 1) != std::string::npos)
    throw Error::usage(fmt::format("--label-overlap {}: expected LEFT_FIELD,RIGHT_FIELD", arg));
  return {arg.substr(0, comma), arg.substr(comma + 1)};
}

// The layout the options give: a --pair-spec file alone, or parts of one.
LayoutArguments layout_arguments(const MllinkOptions& o) {
  LayoutArguments a;
  a.pair_spec = o.pair_spec;
  a.feature_spec = o.feature_spec;
  a.dim = o.dim;
  a.side_scores = o.side_scores;
  if (a.side_scores) std::erase(*a.side_scores, std::string());
  a.crossed = o.crossed;
  if (!a.pair_spec.empty() && (a.dim || a.side_scores || !a.feature_spec.empty() || a.crossed))
    throw Error::usage(
        "--pair-spec sets the layout; it cannot go with --dim, --side-scores, --feature-spec or --crossed");
  if (!a.feature_spec.empty() && a.dim)
    throw Error::usage("--dim and --feature-spec exclude each other (the spec gives the dimension)");
  if (a.crossed && a.side_scores.value_or(PairSpec{}.side_scores).size() < 2)
    throw Error::usage("--crossed needs two side scores (--side-scores LEFT_ROLE_SCORE,RIGHT_ROLE_SCORE)");
  return a;
}

// The pair spec the layout arguments describe, its files read; nullopt when none is given.
std::optional<PairSpec> read_layout(const LayoutArguments& a, const FileSource& files) {
  if (!a.pair_spec.empty()) return read_pair_spec_file(a.pair_spec, files);
  if (!a.given()) return std::nullopt;
  PairSpec spec;
  if (!a.feature_spec.empty()) {
    spec.dim = dim_of_feature_spec(files.read(a.feature_spec), a.feature_spec, spec.features);
    spec.similarity_limit = similarity_limit_of(spec.features, a.feature_spec);
    spec.long_docs = long_docs_of(spec.features, a.feature_spec);
  }
  if (a.dim) spec.dim = *a.dim;
  if (a.side_scores) spec.side_scores = *a.side_scores;
  spec.crossed = a.crossed;
  return spec;
}

void declare_scoring_options(CLI::App& app, MllinkOptions& o) {
  app.add_option("-m,--model", o.model, "The link model (libsvm, with its MODEL.json sidecar)")->type_name("MODEL");
  app.add_flag("--features-only", o.features_only,
               "Write each pair's features (and label) instead of scoring: training pairs for mltrain");
  app.add_option("--min", o.min,
                 "Keep pairs whose link score is above T (default: the sidecar's threshold, else 0 for decision "
                 "values and 0.5 for probabilities)")
      ->type_name("T");
  app.add_flag("--all", o.all, "Keep every pair, scored");
  app.add_flag("--reload", o.reload,
               "Follow the link model's files: a model replaced on disk (with its sidecar) is used from the "
               "next batch on, one stderr line per switch (SIGHUP asks for a look also without --reload)");
  app.add_flag("--decision", o.decision,
               "Write the link model's decision value even when its sidecar has a calibration");
  app.add_option("--top", o.top, "Keep only the K best links of each left side (claim) among those above the threshold")
      ->type_name("K")
      ->check(CLI::Range(std::size_t(1), std::size_t(1) << 30));
  app.add_option("--top-right", o.top_right,
                 "Keep only the K best links of each right side (support); with --top, a link must be in both")
      ->type_name("K")
      ->check(CLI::Range(std::size_t(1), std::size_t(1) << 30));
}

void declare_side_options(CLI::App& app, MllinkOptions& o) {
  app.add_option("--left", o.left, "Field of the left side in pair records")->type_name("NAME")->default_str("claim");
  app.add_option("--right", o.right, "Field of the right side in pair records")
      ->type_name("NAME")
      ->default_str("support");
  app.add_option("--stance", o.stance,
                 "Write each link's stance from the sides' decisions for role NAME (passed.NAME: the sentence "
                 "argues against its document's thesis): support when both agree, attack when they differ")
      ->type_name("NAME")
      ->default_str("against");
  app.add_flag("--keep-features", o.keep_features,
               "Keep the sides' feature vectors in the links written (left out by default)");
}

void declare_layout_options(CLI::App& app, MllinkOptions& o) {
  app.add_option_function<std::uint32_t>(
         "--dim", [&o](const std::uint32_t& v) { o.dim = v; },
         "Feature indices per side, D (default: 2^20, mlfeat's default hashing)")
      ->type_name("D")
      ->check(CLI::Range(std::uint32_t(1), kMaxPairDim));
  // One argument split here: CLI11's delimiter would let the list swallow the input files.
  app.add_option_function<std::string>(
         "--side-scores",
         [&o](const std::string& list) {
           std::vector<std::string> names;
           for (std::size_t at = 0; at <= list.size();) {
             const std::size_t comma = std::min(list.find(',', at), list.size());
             names.push_back(list.substr(at, comma - at));
             at = comma + 1;
           }
           o.side_scores = names;
         },
         "Scores of each side used as pair features, comma-separated (default: claim,support; '' for none)")
      ->type_name("LIST");
  app.add_option("--feature-spec", o.feature_spec, "mlfeat's spec FILE: the side dimension D comes from it")
      ->type_name("FILE");
  app.add_flag("--crossed", o.crossed,
               "Add crossed pair features (claim x support score, distance buckets and their products) "
               "to the layout");
  app.add_option("--pair-spec", o.pair_spec, "Use the pair layout in FILE (as --write-spec wrote it)")
      ->type_name("FILE");
  app.add_option("--write-spec", o.write_spec, "Write the pair layout (canonical JSON) to FILE")->type_name("FILE");
}

void declare_training_options(CLI::App& app, MllinkOptions& o) {
  app.add_option("--label-field", o.label_field, "With --features-only: the label is this field of the pair")
      ->type_name("FIELD");
  app.add_option("--label-overlap", o.label_overlap,
                 "With --features-only: label 1 when the left side's LEFT_FIELD and the right side's "
                 "RIGHT_FIELD share a value (scalars or arrays), else 0")
      ->type_name("LEFT_FIELD,RIGHT_FIELD");
  app.add_flag("--drop-sides", o.drop_sides, "With --features-only: leave the two sides out of the output");
  app.add_flag("--pair-only", o.pair_only,
               "With --features-only: vectors hold the pair features and side scores only, not the sides' "
               "own features (a link model that generalises across topics)");
}

StageFactory declare_mllink(CLI::App& app) {
  auto o = std::make_shared<MllinkOptions>();
  declare_scoring_options(app, *o);
  declare_side_options(app, *o);
  declare_layout_options(app, *o);
  declare_training_options(app, *o);
  return [o](const FileSource& files) { return build_link_stage(mllink_settings(*o), files); };
}

}  // namespace

LinkSettings mllink_settings(const MllinkOptions& o) {
  if (o.left.empty() || o.right.empty() || o.left == o.right)
    throw Error::usage("--left and --right must be two different side names");
  check_modes(o);
  LinkSettings s;
  std::tie(s.overlap_left, s.overlap_right) = overlap_fields(o.label_overlap);
  s.layout = layout_arguments(o);
  s.model = o.model;
  if (!o.min.empty()) {
    // The threshold is read as mlclassify's --min is (core/parse_number.h): a finite decimal.
    s.min = parse_double(o.min);
    if (!s.min) throw Error::usage(fmt::format("--min '{}': the threshold is not a number", o.min));
  }
  s.all = o.all;
  s.decision = o.decision;
  s.top = o.top;
  s.top_right = o.top_right;
  s.reload = o.reload;
  s.left = o.left;
  s.right = o.right;
  s.stance = o.stance;
  s.keep_features = o.keep_features;
  s.write_spec = o.write_spec;
  s.features_only = o.features_only;
  s.label_field = o.label_field;
  s.drop_sides = o.drop_sides;
  s.pair_only = o.pair_only;
  return s;
}

std::unique_ptr<Stage> build_link_stage(const LinkSettings& settings, const FileSource& files) {
  std::optional<PairSpec> layout = read_layout(settings.layout, files);
  std::optional<ModelWatch> model;
  if (!settings.model.empty()) model.emplace(settings.model, files);
  return make_link_stage(settings, std::move(layout), std::move(model));
}

const ToolDef& mllink_tool() {
  static const ToolDef def{"mllink", "Score claim-support pair records with a link model and keep the linked pairs",
                           declare_mllink};
  return def;
}

}  // namespace mlpipe
