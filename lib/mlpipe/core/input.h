// Reading program input into batches of records.
//
// NDJSON input is read in large blocks and cut at newlines; a batch is returned as
// soon as at least one whole line is available, so a pipeline on a pipe that stays
// open keeps producing. Text input (mlsplit) is one record per file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/core/record.h"

namespace mlpipe {
class ByteSource;
}

namespace mlpipe {

struct InputLimits {
  std::size_t max_record_bytes = std::size_t(64) << 20;
  std::size_t batch_bytes = std::size_t(1) << 20;   // aim for batches about this large
  std::size_t batch_records = 16384;
};

// The part of a file whose lines a reader owns: the lines that start in [begin, end).
// mlmr cuts large NDJSON files into such ranges, one per partition. In a compressed file
// (gzip, zstd) both ends are frame boundaries (offsets in the compressed file) and the range
// owns the lines that start in the text of its frames: its reader skips a line the frames
// before left unfinished and reads on into the frames after to finish its own last line.
struct ByteRange {
  std::uint64_t begin = 0;
  std::uint64_t end = UINT64_MAX;
};

// One input file or stdin ("-"), read as NDJSON lines; gzip or zstd content is
// decompressed (core/byte_source.h) and lines are those of the text.
class LineReader {
 public:
  LineReader(std::string name, InputLimits limits);
  // Reads only the lines of `path` that start in `range`. `display` names the file in
  // messages and must outlive the records; line numbers count from the range's first line
  // (add line_base() for the file's).
  LineReader(const std::string& path, const std::string* display, ByteRange range, InputLimits limits);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Replaces `batch` with the next lines. Blocks only until one whole line (or the
  // end of input) is there. Returns false at the end of input.
  // A line longer than the limit comes as a Record with too_long set.
  bool next(Batch& batch);

  // The name used in messages: the file as given, or "<stdin>".
  const std::string& name() const { return *display_; }
  std::uint64_t lines_read() const { return line_; }

  // The number of lines before the range's first line. Reads the file up to there, so it
  // is for messages, called only when one is needed.
  std::uint64_t line_base();

 private:
  bool fill();
  void consume(std::size_t n) {
    pending_pos_ += n;
    offset_ += n;
  }
  void skip_partial_line();
  bool owns_line_at_offset() const;
  std::string own_display_;
  const std::string* display_ = &own_display_;
  std::string path_;
  int fd_ = -1;
  std::unique_ptr<ByteSource> source_;
  bool eof_ = false;
  // A range of a compressed file: offsets count text from the range's first frame, and
  // end_ is known once the frames of the range are decompressed.
  bool frames_ = false;
  std::uint64_t range_begin_ = 0;  // the range's begin in the file (compressed offset)
  bool skipped_newline_ = false;
  std::optional<Error> failure_;  // the input failed after the bytes in pending_
  InputLimits limits_;
  std::string pending_;         // bytes read but not yet returned (a partial line)
  std::size_t pending_pos_ = 0;
  std::uint64_t offset_ = 0;    // file offset of pending_[pending_pos_]
  std::uint64_t begin_ = 0;     // file offset of the first line this reader owns
  std::uint64_t end_ = UINT64_MAX;
  bool skipping_long_ = false;  // inside a too-long line: drop bytes until its newline
  std::uint64_t line_ = 0;
};

// How a text document larger than a piece is read: in pieces of about `bytes`, each cut
// where `cut` says (see Stage::text_piece_end); a document `cut` never cuts is read whole.
struct TextPieces {
  std::function<std::size_t(std::string_view)> cut;
  std::size_t bytes = std::size_t(4) << 20;
};

// Text documents (mlsplit's input), one record per file, read a group at a time: enough
// files that every thread has several megabytes or several files to work on, so that one
// long document does not leave the other threads idle. A document larger than a piece (or
// standard input) is read a piece at a time, one piece per batch, in bounded memory: about
// two pieces plus the longest stretch `cut` will not cut (for mlsplit, a paragraph).
class TextReader {
 public:
  // `names[i]` names `paths[i]` in messages and in the records.
  TextReader(std::vector<std::string> paths, std::vector<std::string> names, int threads, TextPieces pieces = {});
  ~TextReader();
  TextReader(const TextReader&) = delete;
  TextReader& operator=(const TextReader&) = delete;

  // Replaces `batch` with the next group of documents; false when none is left. The
  // records stay valid until the next call.
  bool next(Batch& batch);

 private:
  bool next_piece(Batch& batch);
  void close_open();

  std::vector<std::string> paths_, names_;
  std::vector<std::string> texts_;
  std::size_t next_ = 0;
  std::size_t group_bytes_, group_files_;
  TextPieces pieces_;
  void open_document(std::size_t index, std::unique_ptr<ByteSource> source = nullptr);
  // The document being read in pieces.
  std::unique_ptr<ByteSource> open_;
  std::size_t open_index_ = 0;
  bool open_eof_ = false;
  std::string pending_;  // bytes read after the last piece handed out
  std::string piece_;    // the piece handed out
  TextPiece piece_info_;
  std::uint64_t next_offset_ = 0;
};

// Reads a whole file (or stdin) as one text document. Throws Error naming the file.
std::string read_whole_file(const std::string& name);

// Display name of an input: "<stdin>" for "-".
std::string display_name(const std::string& name);

}  // namespace mlpipe
