#include "mlpipe/show/tool_mlshow.h"

#include <set>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/show/aif_writer.h"
#include "mlpipe/show/argument_graph.h"
#include "mlpipe/show/dot_writer.h"
#include "mlpipe/show/html_writer.h"
#include "mlpipe/show/source_documents.h"
#include "mlpipe/show/text_writer.h"

namespace mlpipe::show {

namespace {

class ShowWorker : public Worker {
 public:
  ShowWorker(const MlshowOptions& o, const std::vector<SourceDocument>& docs) : o_(o), records_(o.names) {
    for (const SourceDocument& d : docs) graph_.add_document(d.key, d.title, d.text);
  }

  void process(const Record& r, std::string& /*out*/) override {
    reader_.index(r);
    records_.add(reader_, graph_);
  }

  void finish(std::string& out) override {
    graph_.finish();
    switch (o_.format) {
      case Format::html:
        write_html(graph_, o_.names, o_.title, out);
        break;
      case Format::dot:
        write_dot(graph_, o_.title, out);
        break;
      case Format::aif:
        write_aif(graph_, out);
        break;
      case Format::text:
        write_text(graph_, o_.names, TextLayout{o_.claims}, out);
        break;
    }
  }

 private:
  const MlshowOptions& o_;
  ArgumentRecords records_;
  ArgumentGraph graph_;
  JsonReader reader_;
};

class ShowStage : public Stage {
 public:
  ShowStage(MlshowOptions o, std::vector<SourceDocument> docs) : o_(std::move(o)), docs_(std::move(docs)) {}
  // One picture of the whole input: every record reaches one worker, which writes at the end.
  bool concurrent() const override { return false; }
  Placement placement() const override { return Placement::one_rank(); }
  std::unique_ptr<Worker> make_worker() const override { return std::make_unique<ShowWorker>(o_, docs_); }

 private:
  MlshowOptions o_;
  std::vector<SourceDocument> docs_;
};

}  // namespace

std::unique_ptr<Stage> make_show_stage(MlshowOptions o, const FileSource& files) {
  const RoleNames& n = o.names;
  if (n.left.empty() || n.right.empty()) throw Error::usage("--left and --right need a name");
  if (n.left == n.right)
    throw Error::usage(fmt::format("--left and --right are both '{}'; a link record has two sides", n.left));
  if (n.left == "thesis" || n.right == "thesis")
    throw Error::usage("--left/--right may not be 'thesis' (a role of its own)");
  std::vector<SourceDocument> docs = read_text_documents(o.docs, files);
  for (const std::string& path : o.docs_ndjson) {
    std::vector<SourceDocument> more = read_ndjson_documents(path, files);
    docs.insert(docs.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  // A document given twice is refused now, before any record is read.
  std::set<std::string_view> keys;
  for (const SourceDocument& d : docs)
    if (!keys.insert(d.key).second)
      throw Error(fmt::format("document '{}' is given twice (--docs, --docs-ndjson)", input_snippet(d.key, 200)));
  return std::make_unique<ShowStage>(std::move(o), std::move(docs));
}

}  // namespace mlpipe::show

namespace mlpipe {

const ToolDef& mlshow_tool() {
  static const ToolDef def{
      "mlshow",
      "Show the arguments the pipeline found (sentence and link records) as an HTML page, a Graphviz graph, AIF "
      "JSON or plain text",
      [](CLI::App& app) -> StageFactory {
        auto o = std::make_shared<show::MlshowOptions>();
        auto format = std::make_shared<std::string>("html");
        app.add_option("--format", *format,
                       "Write an HTML page (html), a Graphviz digraph (dot), AIF JSON (aif), or plain text (text)")
            ->check(CLI::IsMember({"html", "dot", "aif", "text"}))
            ->type_name("html|dot|aif|text")
            ->default_str("html");
        app.add_option("--claims", o->claims,
                       "With --format text: the claims shown per document, the thesis and the best linked first "
                       "(0: all)")
            ->type_name("N")
            ->check(CLI::Range(std::size_t(0), std::size_t(1) << 30))
            ->default_str("5");
        app.add_option("--docs", o->docs,
                       "Show each document FILE whole, sentences marked in place (the arguments up to the next "
                       "option)")
            ->type_name("FILE");
        app.add_option("--docs-ndjson", o->docs_ndjson,
                       "Show the documents of FILE, records {\"doc\":...,\"text\":...[,\"title\":...]} (repeatable)")
            ->type_name("FILE")
            ->allow_extra_args(false)
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        app.add_option("--left", o->names.left, "Name of the claim side of link records, and of its role and score")
            ->type_name("NAME")
            ->default_str("claim");
        app.add_option("--right", o->names.right, "Name of the support side of link records, and of its role and score")
            ->type_name("NAME")
            ->default_str("support");
        app.add_option("--title", o->title, "Title of the page (and of the graph)")
            ->type_name("TEXT")
            ->default_str("mlpipe: arguments");
        return [o, format](const FileSource& files) -> std::unique_ptr<Stage> {
          show::MlshowOptions opts = *o;
          opts.format = *format == "dot"    ? show::Format::dot
                        : *format == "aif"  ? show::Format::aif
                        : *format == "text" ? show::Format::text
                                            : show::Format::html;
          return show::make_show_stage(std::move(opts), files);
        };
      }};
  return def;
}

}  // namespace mlpipe
