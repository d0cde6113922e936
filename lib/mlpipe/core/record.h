// A record as it travels between stages: one line of NDJSON (or, for mlsplit's
// text input, one whole text document), with where it came from for messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe {

// simdjson reads up to this many bytes past the end of a value; every buffer that
// holds records keeps them readable (see Batch).
inline constexpr std::size_t kJsonPadding = 64;

// A piece of a long text document that is read a piece at a time (mlsplit's input). The
// reader hands out the pieces of a document in order, each in a batch of its own, so what a
// worker leaves in `carry` is there when the next piece of the same document comes.
struct TextPiece {
  std::uint64_t offset = 0;  // byte offset of the piece in its document
  bool first = true;         // the document's first piece
  bool last = true;          // its last piece
  std::uint64_t carry[3] = {0, 0, 0};  // the stage's numbering across pieces (mlsplit: paragraphs, sentences, offset)
};

struct Record {
  std::string_view data;           // the JSON object text (no newline), or a text document
  std::size_t readable = 0;        // bytes readable from data.data(): >= data.size() + kJsonPadding
  const std::string* source = nullptr;  // input name for messages
  std::uint64_t line = 0;          // 1-based line in source; 0 for a whole text document
  bool is_text = false;            // a text document (or a piece of one), not JSON
  TextPiece* piece = nullptr;      // with is_text: the piece this is, or null for a whole document
  bool too_long = false;           // the line exceeded --max-record-bytes; data is empty

  const std::string& source_name() const;
};

// A batch of records sharing one padded buffer. Stages get batches, never single lines,
// so that threads have enough work and output can be written in input order.
struct Batch {
  std::string buffer;              // record bytes; capacity keeps kJsonPadding spare bytes
  std::vector<Record> records;
  std::uint64_t bytes = 0;         // input bytes the batch covers (for progress)

  void clear() {
    buffer.clear();
    records.clear();
    bytes = 0;
  }
  // Makes a batch of the NDJSON lines in `text` (a stage's output), named `source`.
  static void from_lines(Batch& batch, std::string&& text, const std::string* source);
};

}  // namespace mlpipe
