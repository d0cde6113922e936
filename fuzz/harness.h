// What the fuzz targets share: the input as text, files of the source tree, properties
// that must hold whatever the input, and a program's stage built from fixed words and fed
// the input as records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/cli.h"
#include "mlpipe/core/stage.h"

namespace CLI {
class App;
}

namespace mlpipe::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A path under the source tree (the bundled models, specs and vocabularies).
std::string source_path(std::string_view relative);

// A property the code promises was broken: aborts, so that libFuzzer keeps the input.
[[noreturn]] void violated(std::string_view what);
inline void expect(bool holds, std::string_view what) {
  if (!holds) violated(what);
}

// Every line of `ndjson` (each ending in '\n') is a JSON object a JsonReader accepts.
void expect_ndjson(std::string_view ndjson, std::string_view who);

// A program's stage, built once from its words as mlmr builds a stage of a pipeline
// (ToolDef::declare, then the factory), with "{src}" in a word replaced by the source tree.
class StageHarness {
 public:
  StageHarness(const ToolDef& tool, std::vector<std::string> words);
  ~StageHarness();

  // Feeds `input`, split at newlines, to a fresh worker, record by record, then ends the
  // input (finish_part until done) unless `finish` is false. Error thrown by the stage is
  // an answer; any other exception escapes and is reported by libFuzzer. Every line the
  // worker writes must be JSON, unless `json_output` is false.
  void run(std::string_view input, bool finish = true, bool json_output = true);

 private:
  std::shared_ptr<CLI::App> app_;
  std::unique_ptr<Stage> stage_;
  std::string name_;
};

}  // namespace mlpipe::fuzz
