// The documents the arguments come from, given to mlshow so that it can show each one whole
// with its sentences marked at their byte offsets. They are read through the FileSource
// the stage is built with (never from the file system directly), like every stage file.
#pragma once

#include <string>
#include <vector>

#include "mlpipe/core/file_source.h"

namespace mlpipe::show {

struct SourceDocument {
  std::string key;    // what mlsplit writes as `doc`
  std::string title;  // empty: none given
  std::string text;   // the bytes mlsplit's offsets count (a UTF-8 byte order mark included)
};

// Text files, each read whole; its key is its name as given (mlsplit's `doc` for a file).
std::vector<SourceDocument> read_text_documents(const std::vector<std::string>& paths, const FileSource& files);

// A file of document records, one per line: {"doc":…,"text":…} with an optional "title"
// (the input of mlsplit --ndjson; its offsets count the bytes of the unescaped text). A
// line that is not such a record throws Error located at its line.
std::vector<SourceDocument> read_ndjson_documents(const std::string& path, const FileSource& files);

}  // namespace mlpipe::show
