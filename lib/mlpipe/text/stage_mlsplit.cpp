#include "mlpipe/text/stage_mlsplit.h"

#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/text/utf8.h"

namespace mlpipe::text {

namespace {

SentenceSplitter make_splitter(const SplitSettings& settings, const FileSource& files) {
  Abbreviations abbrevs = Abbreviations::builtin();
  for (const std::string& path : settings.abbrev_files) abbrevs.load(path, files);
  return SentenceSplitter(std::move(abbrevs));
}

// The name runner.cpp gives standard input.
constexpr std::string_view kStdinDisplayName = "<stdin>";

// Where a text's numbering starts: 0 for a whole document, or where the pieces before it ended.
struct Numbering {
  std::uint32_t para = 0;
  std::uint64_t sent = 0;
  std::uint64_t offset = 0;  // of the text in its document
  bool skip_bom = true;
};

class SplitWorker : public Worker {
 public:
  explicit SplitWorker(const SplitStage& stage) : stage_(stage) {
    const SplitSettings& o = stage.settings();
    // Fields a sentence record writes itself, and the document's own fields it replaces.
    drop_ = {"doc",  "para", "sent", "para_sent", "para_sents", "doc_paras", "doc_sents",
             "start", "end", "text", o.doc_field, o.text_field};
  }

  void process(const Record& in, std::string& out) override {
    if (in.is_text)
      process_text(in, out);
    else
      process_json(in, out);
  }

 private:
  void process_text(const Record& in, std::string& out) {
    std::string_view text = in.data;
    const std::uint64_t base = in.piece ? in.piece->offset : 0;
    // A piece refused below (--on-error=skip) still moves the offsets of the pieces after it.
    const std::uint64_t resume_offset = in.piece ? (in.piece->first ? 0 : in.piece->carry[2]) : 0;
    if (in.piece) in.piece->carry[2] = resume_offset + text.size();
    if (const void* nul = std::memchr(text.data(), '\0', text.size()))
      throw Error(fmt::format("NUL byte at byte {} (expected text, not a binary file)",
                              base + std::uint64_t(static_cast<const char*>(nul) - text.data())));
    if (auto bad = utf8::find_invalid(text)) {
      switch (stage_.settings().encoding) {
        case Encoding::utf8:
          throw Error(
              fmt::format("invalid UTF-8 at byte {} (use --encoding=latin1 or --encoding=replace)", base + *bad));
        case Encoding::latin1: decoded_ = utf8::from_latin1(text); break;
        case Encoding::replace: decoded_ = utf8::replace_invalid(text); break;
      }
      text = decoded_;
    }
    if ((!in.piece || in.piece->first) && !stage_.settings().as_text) refuse_ndjson(text);
    const std::string& source = in.source_name();
    doc_json_.clear();
    append_json_string(doc_json_, source == kStdinDisplayName ? std::string_view(stage_.settings().stdin_name)
                                                              : std::string_view(source));
    if (!in.piece) {
      write_sentences(text, out, nullptr, {}, true);
      return;
    }
    // A piece of a document: numbering and offsets go on from the pieces before it.
    TextPiece& piece = *in.piece;
    Numbering from;
    if (!piece.first) from = {std::uint32_t(piece.carry[0]), piece.carry[1], resume_offset};
    from.skip_bom = piece.first;
    Numbering next = write_sentences(text, out, nullptr, from, piece.first && piece.last);
    piece.carry[0] = next.para;
    piece.carry[1] = next.sent;
    piece.carry[2] = next.offset;  // of the (repaired) text: offsets count its bytes
  }

  // A text file whose first line is a JSON object with the text field is NDJSON documents
  // given without --ndjson: splitting its JSON text into "sentences" is never what was meant.
  void refuse_ndjson(std::string_view text) const {
    const std::size_t start = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (start == std::string_view::npos || text[start] != '{') return;
    const std::string_view line = text.substr(start, text.find('\n', start) - start);
    const std::string& field = stage_.settings().text_field;
    try {
      JsonText first(line, "");
      std::optional<Field> f = first.reader().find(field);
      if (!f || f->type != JsonType::string) return;
    } catch (const Error&) {
      return;  // not JSON: text that happens to open with a brace
    }
    throw Error(fmt::format("the input looks like NDJSON documents (its first line is a JSON object with a '{}' "
                            "field): read them with --ndjson, or give --as-text to split the text as it is",
                            field));
  }

  void process_json(const Record& in, std::string& out) {
    const SplitSettings& o = stage_.settings();
    const std::vector<Field>& fields = reader_.index(in);
    // The key first: the reader's string views last only until its next read.
    std::optional<Field> doc = reader_.find(o.doc_field);
    if (!doc)
      throw Error(fmt::format("field '{}' is missing (expected the document key; choose the field with --doc-field)",
                              o.doc_field));
    doc_json_.clear();
    if (doc->type == JsonType::string)
      append_json_string(doc_json_, reader_.get_string(*doc));
    else if (doc->type == JsonType::number)
      doc_json_.assign(doc->raw);
    else
      throw Error(fmt::format("field '{}': expected a string or a number (the document key), found {}", o.doc_field,
                              type_name(doc->type)));
    std::optional<Field> text_field = reader_.find(o.text_field);
    if (!text_field)
      throw Error(fmt::format("field '{}' is missing (expected the document text; choose the field with --text-field)",
                              o.text_field));
    std::string_view text = reader_.get_string(*text_field);
    if (const void* nul = std::memchr(text.data(), '\0', text.size()))
      throw Error(fmt::format("field '{}': NUL character at byte {} of the text (expected text)", o.text_field,
                              static_cast<const char*>(nul) - text.data()));
    write_sentences(text, out, &fields, {}, true);
  }

  static void append_integer(std::string& out, std::uint64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  }

  // `whole`: `text` is the whole document, so its totals (doc_paras, doc_sents) are known;
  // a piece of a longer one leaves them out rather than guess.
  Numbering write_sentences(std::string_view text, std::string& out, const std::vector<Field>* carried,
                            Numbering from, bool whole) {
    spans_.clear();
    const std::uint32_t next_para = stage_.splitter().split_piece(text, from.para, from.skip_bom, spans_);
    out.reserve(out.size() + text.size() + spans_.size() * (doc_json_.size() + 120));
    JsonWriter w(out);
    std::uint64_t sent = from.sent;
    // A paragraph never straddles two pieces (pieces end where a paragraph starts), so its
    // sentences are all in spans_.
    std::size_t para_begin = 0, para_end = 0;
    for (std::size_t i = 0; i < spans_.size(); ++i) {
      const SentenceSpan& s = spans_[i];
      if (i == para_end) {
        para_begin = i;
        para_end = i + 1;
        while (para_end < spans_.size() && spans_[para_end].para == s.para) ++para_end;
      }
      w.begin_object();
      w.key("doc").raw(doc_json_);
      // Integers straight into the buffer: this is the per-sentence hot path.
      out += ",\"para\":";
      append_integer(out, s.para);
      out += ",\"sent\":";
      append_integer(out, sent++);
      out += ",\"para_sent\":";
      append_integer(out, i - para_begin);
      out += ",\"para_sents\":";
      append_integer(out, para_end - para_begin);
      if (whole) {
        out += ",\"doc_paras\":";
        append_integer(out, spans_.back().para - spans_.front().para + 1);
        out += ",\"doc_sents\":";
        append_integer(out, spans_.size());
      }
      out += ",\"start\":";
      append_integer(out, from.offset + s.start);
      out += ",\"end\":";
      append_integer(out, from.offset + s.end);
      w.key("text").string(text.substr(s.start, s.end - s.start));
      if (carried) w.copy_fields(*carried, drop_);
      w.end_object().end_record();
    }
    return Numbering{next_para, sent, from.offset + text.size(), false};
  }

  const SplitStage& stage_;
  JsonReader reader_;
  std::vector<SentenceSpan> spans_;
  std::string doc_json_;  // the document key, as JSON
  std::string decoded_;   // a repaired text (--encoding)
  std::vector<std::string_view> drop_;
};

}  // namespace

SplitStage::SplitStage(SplitSettings settings, const FileSource& files)
    : settings_(std::move(settings)), splitter_(make_splitter(settings_, files)) {}

std::size_t SplitStage::text_piece_end(std::string_view text) const {
  // Latin-1 decoding applies only to a document that is not UTF-8 as a whole; bad bytes are
  // replaced one sequence at a time, and no sequence spans a cut (cuts follow a newline).
  if (settings_.encoding == Encoding::latin1) return 0;
  return splitter_.last_paragraph_start(text);
}

std::unique_ptr<Worker> SplitStage::make_worker() const { return std::make_unique<SplitWorker>(*this); }

}  // namespace mlpipe::text
