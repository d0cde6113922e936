#include "mlpipe/show/source_documents.h"

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/record.h"

namespace mlpipe::show {

std::vector<SourceDocument> read_text_documents(const std::vector<std::string>& paths, const FileSource& files) {
  std::vector<SourceDocument> docs;
  docs.reserve(paths.size());
  for (const std::string& path : paths) docs.push_back(SourceDocument{path, {}, files.read(path)});
  return docs;
}

std::vector<SourceDocument> read_ndjson_documents(const std::string& path, const FileSource& files) {
  Batch batch;
  Batch::from_lines(batch, files.read(path), &path);
  JsonReader reader;
  std::vector<SourceDocument> docs;
  for (const Record& r : batch.records) {
    if (r.data.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // a blank line
    try {
      reader.index(r);
      SourceDocument d;
      std::optional<Field> doc = reader.find("doc");
      if (!doc) throw Error("field 'doc' is missing (expected a document record {\"doc\":…,\"text\":…})");
      if (doc->type == JsonType::number)
        d.key = std::string(doc->raw);
      else
        d.key = std::string(reader.get_string(*doc));
      std::optional<Field> text = reader.find("text");
      if (!text) throw Error("field 'text' is missing (expected a document record {\"doc\":…,\"text\":…})");
      d.text = std::string(reader.get_string(*text));
      if (std::optional<Field> title = reader.find("title"); title && title->type != JsonType::null)
        d.title = std::string(reader.get_string(*title));
      docs.push_back(std::move(d));
    } catch (Error& e) {
      e.locate(path, r.line);
      throw;
    }
  }
  return docs;
}

}  // namespace mlpipe::show
