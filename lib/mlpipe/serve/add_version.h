// A trained model becoming its name's next version (model_files.h's layout): the number it
// takes, its files moved in with the sidecar last, and the version published.
//
// mltrain writes MODEL, then MODEL.json, then MODEL.range: trained into versions/NAME/N.model
// directly, a version would look complete (ModelFiles::versions: both N.model and
// N.model.json) before its range file is there, and half-written versions of failed runs would
// take numbers. So a job trains under a name of its own and the files are renamed in here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "mlpipe/serve/model_files.h"

namespace mlpipe::serve {

// The number NAME's next version takes: above every version file in its directory, complete
// or not, and above the version served (1 for a model that is only DIR/NAME.model), so that a
// client sees the served version rise with every training and never one number for two models.
std::uint64_t next_version(const ModelFiles& files, std::string_view name);

// Moves `trained` (MODEL, MODEL.json and MODEL.range if there is one, as mltrain -o MODEL
// wrote them) in as NAME's next version, the sidecar last, then publishes it
// (ModelFiles::publish); returns its number. Should publishing fail, the version is taken out
// again, sidecar first, so that it is served nowhere, and Error is thrown. Calls for one
// directory must not overlap (TrainingJobs makes them one at a time): the number is chosen from
// what is on disk.
std::uint64_t add_version(const ModelFiles& files, std::string_view name, const std::filesystem::path& trained);

}  // namespace mlpipe::serve
