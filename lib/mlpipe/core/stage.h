// The stage: the unit every program and the MPI driver are built from.
//
// A Stage is built once from parsed options and holds what is shared and read-only
// (models, vocabularies). It hands out Workers, which hold per-thread scratch and,
// for stateful stages, the state. A stage knows nothing of argv, files, threads or MPI:
// the runner (one process) and mlmr (many ranks) decide how records reach it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mlpipe/core/record.h"

namespace mlpipe {

class Worker {
 public:
  virtual ~Worker() = default;
  // Turns one input record into zero or more NDJSON lines appended to `out`
  // (each ending in '\n'). Throws Error (no location needed: the runner adds it)
  // on bad input; the runner then undoes whatever this call appended.
  virtual void process(const Record& in, std::string& out) = 0;
  // End of input: stateful stages emit what they still hold.
  virtual void finish(std::string& /*out*/) {}
  // End of input, a part at a time: appends some of what is still held and returns true
  // while more remains, so that a stage holding much (mljoin in batch) is written out
  // without all of it in memory at once. The default gives all of finish() in one part.
  virtual bool finish_part(std::string& out) {
    finish(out);
    return false;
  }
};

// Where a stage needs its input to be, when records are spread over ranks.
struct Placement {
  enum class Kind { anywhere, by_key, one_rank } kind = Kind::anywhere;
  std::string key;  // the record field (dotted path) to shuffle by, for by_key

  static Placement anywhere() { return {}; }
  static Placement by_key(std::string field) { return {Kind::by_key, std::move(field)}; }
  static Placement one_rank() { return {Kind::one_rank, {}}; }
};

class JsonReader;

// A record's part in its key's product, for stages whose work on a key is a product of two
// of its record sets (mljoin in batch pairs each left record with each right one). mlmr
// uses it to cut one huge key into slices of rows run on different ranks.
struct ProductRoles {
  bool row = false, column = false;
};

// What a stage after a keyed stage (mljoin) must receive together, under mlmr.
// Whether a stage can read its models again while it runs (mlclassify, mllink).
enum class Reload {
  never,       // nothing to read again
  on_request,  // on SIGHUP: the runner then catches SIGHUP instead of dying of it
  polling,     // also on its own (--reload): it looks at its files at batch boundaries
};

// What the runner tells a stage at a batch boundary.
struct BatchBoundary {
  std::string_view tool;       // the program, for lines on stderr ("mlclassify: reloaded …")
  bool reload_requested = false;  // SIGHUP arrived since the last boundary
};

enum class Together {
  none,  // records are independent
  row,   // all the output of one product row (one left record): slices of a key are fine
  key,   // all the output of one key, in one block: mlmr keeps keys whole
};

class Stage {
 public:
  virtual ~Stage() = default;

  // True when records are independent: the runner gives each thread its own worker
  // and processes parts of a batch concurrently, keeping output order.
  // False: one worker sees every record in order (joins, fitting, training).
  virtual bool concurrent() const { return true; }

  // True for stages that read whole text documents (mlsplit without --ndjson).
  virtual bool reads_text() const { return false; }
  // For such stages: where a text whose first text.size() bytes are read may be cut, so that
  // the two parts processed one after the other (Record::piece) give what the whole gives.
  // 0 (the default) means nowhere: the document is read whole.
  virtual std::size_t text_piece_end(std::string_view /*text*/) const { return 0; }

  // What the progress line calls the stage's input records and its output lines (none:
  // not counted): mlsplit reads documents and writes sentences, mltrain reads rows.
  virtual std::string_view input_unit() const { return "records"; }
  virtual std::string_view output_unit() const { return {}; }

  // For inputs whose first line is a header (CSV): the runner hands each input's first
  // line to header() before any of its rows reaches a worker, and not to the workers.
  // header() throws Error (unlocated) on a bad header.
  virtual bool reads_header() const { return false; }
  virtual void header(const Record& /*line*/) const {}
  // For such stages: what to write before any record's output, once the first input's
  // header has been read (CSV output: the header line of its columns). Nothing by default.
  virtual std::string header_output() const { return {}; }

  virtual Placement placement() const { return Placement::anywhere(); }

  // For stages that rank or group what a keyed stage wrote for one key (mllink --top).
  virtual Together together() const { return Together::none; }

  virtual std::unique_ptr<Worker> make_worker() const = 0;

  // Writes the files the stage makes besides its records (mlfeat and mllink --write-spec),
  // once all its input has been processed; throws Error naming the file it cannot write.
  // Building a stage writes nothing, so that mlmr can build it on every rank: mlmr calls
  // this on rank 0 only. (Files that depend on every record, such as a vocabulary fitted by
  // the one worker that saw them all, are that worker's to write in finish().)
  virtual void write_files() const {}

  virtual Reload reload() const { return Reload::never; }
  // Lines for stderr once the whole input is done and every worker has finished (each
  // ending in '\n'): a figure over every record, such as mlclassify --accuracy. mlmr, which
  // spreads records over ranks, refuses a stage that summarizes().
  virtual bool summarizes() const { return false; }
  virtual std::string summary() const { return {}; }
  // Called by the runner after a batch is read and before any worker sees it, when no
  // worker is processing: the one moment a stage may change what its workers share (swap
  // a model), so that every record of a batch sees the same models. A stream idle on its
  // input reaches this point when its next batch arrives. Lines for stderr ("mlclassify:
  // reloaded …", each ending in '\n') go to `log`, which the runner writes. Must not throw
  // for a bad new model: the stage keeps what it has and says so in `log`.
  virtual void between_batches(const BatchBoundary& /*boundary*/, std::string& /*log*/) {}

  // True when a key's work is a product of rows and columns that can be sliced (below).
  virtual bool splits_products() const { return false; }
  // For a keyed stage: whether it writes each key's output in one block once the key's records
  // are all in (mljoin in batch), rather than as they arrive (a stream), so that a later stage
  // may rank what a key gives (mllink --top) as the shell pipeline does.
  virtual bool writes_whole_keys() const { return splits_products(); }
  // The roles of a record, already indexed by `record`, in its key's product. Never throws:
  // a record the stage would refuse has no role here and is reported by the worker.
  virtual ProductRoles product_roles(JsonReader& /*record*/) const { return {}; }
  // A worker for one key's records that writes only the output of rows [begin, end) of the
  // product (rows numbered from 0 in arrival order). Slices of a key, written one after the
  // other, are exactly what make_worker's worker writes for it.
  virtual std::unique_ptr<Worker> make_slice_worker(std::uint64_t /*begin*/, std::uint64_t /*end*/) const {
    return make_worker();
  }
};

}  // namespace mlpipe
