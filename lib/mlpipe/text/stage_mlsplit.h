// The mlsplit stage: each input document becomes one record per sentence,
//   {"doc":…, "para":…, "sent":…, "start":…, "end":…, "text":…, <carried fields>}
// with byte offsets into the document's text (see sentences.h for the boundary rules).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/stage.h"
#include "mlpipe/text/sentences.h"

namespace mlpipe::text {

// What to do with a text file that is not valid UTF-8.
enum class Encoding {
  utf8,     // refuse it: "invalid UTF-8 at byte N"
  latin1,   // decode it as Latin-1 (files that are valid UTF-8 are read as UTF-8)
  replace,  // replace each invalid byte by U+FFFD
};

// What the stage does (tool_mlsplit.h makes it from the command line).
struct SplitSettings {
  bool ndjson = false;              // input is NDJSON documents, not text files
  bool as_text = false;             // split text files even when they look like NDJSON
  std::string doc_field = "doc";    // with ndjson: the document key
  std::string text_field = "text";  // with ndjson: the document text
  std::vector<std::string> abbrev_files;
  Encoding encoding = Encoding::utf8;
  std::string stdin_name = "-";     // `doc` of a text read from standard input
};

class SplitStage : public Stage {
 public:
  // Loads the --abbrev files from `files`; throws Error naming the file and line on a bad one.
  SplitStage(SplitSettings settings, const FileSource& files);

  bool concurrent() const override { return true; }
  bool reads_text() const override { return !settings_.ndjson; }
  // A long document is split a paragraph-aligned piece at a time (except with
  // --encoding=latin1, which is decided for a document as a whole: it is read whole).
  std::size_t text_piece_end(std::string_view text) const override;
  std::unique_ptr<Worker> make_worker() const override;
  std::string_view input_unit() const override { return "documents"; }
  std::string_view output_unit() const override { return "sentences"; }

  const SplitSettings& settings() const { return settings_; }
  const SentenceSplitter& splitter() const { return splitter_; }

 private:
  SplitSettings settings_;
  SentenceSplitter splitter_;
};

}  // namespace mlpipe::text
