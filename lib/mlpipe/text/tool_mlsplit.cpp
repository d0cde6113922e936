#include "mlpipe/text/tool_mlsplit.h"

#include <CLI/CLI.hpp>

#include "mlpipe/core/error.h"

namespace mlpipe {

namespace {

// The options whose presence matters, not only their value.
struct GivenOptions {
  CLI::Option* doc_field = nullptr;
  CLI::Option* text_field = nullptr;

  void fill(MlsplitOptions& o) const {
    o.doc_field_given = doc_field->count() > 0;
    o.text_field_given = text_field->count() > 0;
  }
};

StageFactory declare_mlsplit(CLI::App& app) {
  auto o = std::make_shared<MlsplitOptions>();
  auto given = std::make_shared<GivenOptions>();
  app.add_flag("--ndjson", o->ndjson,
               "Read NDJSON documents (one per line) instead of text files; other fields are copied onto "
               "every sentence");
  given->doc_field = app.add_option("--doc-field", o->doc_field, "With --ndjson: the document key field")
                         ->type_name("NAME")
                         ->default_str("doc");
  given->text_field = app.add_option("--text-field", o->text_field, "With --ndjson: the document text field")
                          ->type_name("NAME")
                          ->default_str("text");
  app.add_option("--abbrev", o->abbrev_files,
                 "Add the abbreviations in FILE ('WORD [general|title|number|inner]' per line); repeatable")
      ->type_name("FILE");
  app.add_option("--encoding", o->encoding,
                 "Text files that are not UTF-8: utf8 (an error), latin1 (decode as Latin-1), replace (U+FFFD)")
      ->check(CLI::IsMember({"utf8", "latin1", "replace"}))
      ->type_name("utf8|latin1|replace")
      ->default_str("utf8");
  app.add_flag("--as-text", o->as_text,
               "Split text files even when they look like NDJSON documents (refused otherwise: see --ndjson)");
  app.add_option("--stdin-name", o->stdin_name, "The doc of a text read from standard input")
      ->type_name("NAME")
      ->default_str("-");
  return [o, given](const FileSource& files) -> std::unique_ptr<Stage> {
    MlsplitOptions options = *o;
    given->fill(options);
    return std::make_unique<text::SplitStage>(mlsplit_settings(options), files);
  };
}

}  // namespace

text::SplitSettings mlsplit_settings(const MlsplitOptions& o) {
  if (!o.ndjson && (o.doc_field_given || o.text_field_given))
    throw Error::usage("--doc-field and --text-field apply to NDJSON input: add --ndjson");
  if (o.ndjson && o.as_text) throw Error::usage("--as-text is for text files; it cannot go with --ndjson");
  if (o.ndjson && (o.doc_field.empty() || o.text_field.empty()))
    throw Error::usage("--doc-field and --text-field need a field name");
  text::SplitSettings s;
  s.ndjson = o.ndjson;
  s.as_text = o.as_text;
  s.doc_field = o.doc_field;
  s.text_field = o.text_field;
  s.abbrev_files = o.abbrev_files;
  s.encoding = o.encoding == "latin1"    ? text::Encoding::latin1
               : o.encoding == "replace" ? text::Encoding::replace
                                         : text::Encoding::utf8;
  s.stdin_name = o.stdin_name;
  return s;
}

const ToolDef& mlsplit_tool() {
  static const ToolDef tool{
      "mlsplit", "Split documents into sentences: one NDJSON record per sentence, with byte offsets", declare_mlsplit};
  return tool;
}

}  // namespace mlpipe
