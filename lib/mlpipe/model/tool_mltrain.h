// The mltrain program: its options (MltrainOptions, declared on CLI11 and shared with mlmr
// and mlserve), mltrain_settings, which turns them into checked settings with every check
// across options, and the ToolDef, whose factory reads the --spec file and builds the
// stage (stage_mltrain.h), or describes a model or refreshes its sidecar.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/model/learner.h"
#include "mlpipe/model/mltrain_settings.h"
#include "mlpipe/model/svm_file.h"
#include "mlpipe/model/train_params.h"

namespace mlpipe {

enum class Task { automatic, classification, regression };

// The options as given: one member per option of mltrain's own (the shared I/O options are
// run_tool's), defaults as --help shows them.
struct MltrainOptions {
  std::string output;
  std::string info;
  bool json = false;  // --info --json
  std::string refresh_sidecar;  // --refresh-sidecar MODEL
  std::string label = "label";
  std::string features_field;
  InputFormat format = InputFormat::ndjson;
  std::vector<std::string> ignore;  // --ignore COLUMN (CSV)
  Learner learner = Learner::svm;
  Task task = Task::automatic;
  SvmType type = SvmType::c_svc;
  KernelType kernel = KernelType::rbf;
  double cost = 1;
  std::string gamma;  // scale, auto or a value
  int degree = 3;
  double coef0 = 0;
  double nu = 0.5;
  std::optional<double> epsilon;
  double tolerance = 1e-3;
  double cache_mb = 200;
  std::vector<std::string> weights;
  bool balanced = false;
  bool probability = false;
  unsigned seed = 1;
  Solver solver = Solver::automatic;
  bool compact = false;
  std::string scale = "auto";
  int trees = 100;
  std::optional<int> depth;  // default: the learner's
  double eta = kBoostEta;
  std::string positive;
  int cv = 0;
  bool grid = false;
  std::string grid_c = "-5:15:2";
  std::string grid_gamma = "-15:3:2";
  std::vector<int> grid_depth{2, 4, 6, 8};
  std::vector<double> grid_eta{0.05, 0.1, 0.3};
  bool compare = false;
  std::string metric;  // "" = the default for the data
  std::string spec;
  std::string group;       // --group FIELD: folds keep the records of one value together
  bool calibrate = false;  // --calibrate: Platt scaling on out-of-fold decision values
  std::string threshold;   // --threshold best-f1|VALUE
  std::string oof;         // --oof FILE: out-of-fold predictions
  // Read from the command line as a whole by the factory: whether --type was given, the
  // threads (--threads, or the default), whether progress lines show.
  bool type_given = false;
  int threads = 1;
  bool progress = false;
};

// The settings `o` asks for. Throws Error::usage, with the message mltrain prints, for
// options that do not go together or a value that does not read; reads no file.
MltrainSettings mltrain_settings(const MltrainOptions& o);

const ToolDef& mltrain_tool();

class TrainRanks;
// mltrain on a rank other than 0 of an MPI job, once rank 0 has sent the rows
// (TrainRanks::wait): parses the same command line and runs model selection with rank 0.
// Returns the exit status; an error of this rank alone (the command line, a --spec file it
// cannot read) is thrown.
int follow_mltrain(int argc, char** argv, TrainRanks& ranks);

}  // namespace mlpipe
