#include "mlpipe/show/stage_mlshow.h"

#include <fmt/format.h>

#include <iterator>
#include <set>
#include <string_view>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/show/aif_writer.h"
#include "mlpipe/show/argument_graph.h"
#include "mlpipe/show/dot_writer.h"
#include "mlpipe/show/html_writer.h"
#include "mlpipe/show/text_writer.h"

namespace mlpipe::show {

namespace {

// The documents of --docs, then of --docs-ndjson; a document given twice is refused now,
// before any record is read.
std::vector<SourceDocument> read_documents(const ShowSettings& s, const FileSource& files) {
  std::vector<SourceDocument> docs = read_text_documents(s.docs, files);
  for (const std::string& path : s.docs_ndjson) {
    std::vector<SourceDocument> more = read_ndjson_documents(path, files);
    docs.insert(docs.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  std::set<std::string_view> keys;
  for (const SourceDocument& d : docs)
    if (!keys.insert(d.key).second)
      throw Error(fmt::format("document '{}' is given twice (--docs, --docs-ndjson)", input_snippet(d.key, 200)));
  return docs;
}

class ShowWorker : public Worker {
 public:
  explicit ShowWorker(const ShowStage& stage) : s_(stage.settings()), records_(s_.names) {
    for (const SourceDocument& d : stage.documents()) graph_.add_document(d.key, d.title, d.text);
  }

  void process(const Record& r, std::string& /*out*/) override {
    reader_.index(r);
    records_.add(reader_, graph_);
  }

  void finish(std::string& out) override {
    graph_.finish();
    switch (s_.format) {
      case Format::html:
        write_html(graph_, s_.names, s_.title, out);
        break;
      case Format::dot:
        write_dot(graph_, s_.title, out);
        break;
      case Format::aif:
        write_aif(graph_, out);
        break;
      case Format::text:
        write_text(graph_, s_.names, TextLayout{s_.claims}, out);
        break;
    }
  }

 private:
  const ShowSettings& s_;
  ArgumentRecords records_;
  ArgumentGraph graph_;
  JsonReader reader_;
};

}  // namespace

ShowStage::ShowStage(ShowSettings settings, const FileSource& files)
    : settings_(std::move(settings)), docs_(read_documents(settings_, files)) {}

std::unique_ptr<Worker> ShowStage::make_worker() const { return std::make_unique<ShowWorker>(*this); }

}  // namespace mlpipe::show
