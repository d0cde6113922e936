#include "mlpipe/show/tool_mlshow.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {

StageFactory declare_mlshow(CLI::App& app) {
  auto o = std::make_shared<MlshowOptions>();
  app.add_option("--format", o->format,
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
  app.add_option("--left", o->left, "Name of the claim side of link records, and of its role and score")
      ->type_name("NAME")
      ->default_str("claim");
  app.add_option("--right", o->right, "Name of the support side of link records, and of its role and score")
      ->type_name("NAME")
      ->default_str("support");
  app.add_option("--title", o->title, "Title of the page (and of the graph)")
      ->type_name("TEXT")
      ->default_str("mlpipe: arguments");
  return [o](const FileSource& files) -> std::unique_ptr<Stage> {
    return std::make_unique<show::ShowStage>(mlshow_settings(*o), files);
  };
}

}  // namespace

show::ShowSettings mlshow_settings(const MlshowOptions& o) {
  if (o.left.empty() || o.right.empty()) throw Error::usage("--left and --right need a name");
  if (o.left == o.right)
    throw Error::usage(fmt::format("--left and --right are both '{}'; a link record has two sides", o.left));
  if (o.left == "thesis" || o.right == "thesis")
    throw Error::usage("--left/--right may not be 'thesis' (a role of its own)");
  show::ShowSettings s;
  s.format = o.format == "dot"    ? show::Format::dot
             : o.format == "aif"  ? show::Format::aif
             : o.format == "text" ? show::Format::text
                                  : show::Format::html;
  s.names = {o.left, o.right};
  s.title = o.title;
  s.docs = o.docs;
  s.docs_ndjson = o.docs_ndjson;
  s.claims = o.claims;
  return s;
}

const ToolDef& mlshow_tool() {
  static const ToolDef def{"mlshow",
                           "Show the arguments the pipeline found (sentence and link records) as an HTML page, a "
                           "Graphviz graph, AIF JSON or plain text",
                           declare_mlshow};
  return def;
}

}  // namespace mlpipe
