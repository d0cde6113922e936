// The pairing state machine behind mljoin, independent of JSON parsing.
//
// Records come in one at a time as JoinItems (their role, key, locality fields and the
// bytes to copy into pair records). The Joiner keeps per-key state and writes pair
// records — {"key":…,"LEFT":{…},"RIGHT":{…},"distance":…,"same_para":…} — in one of
// two ways:
//
//   batch   a key's pairs are written when its state closes: at key change (grouped),
//           when it has been idle or pushed out by the key bound, or at the end (open
//           keys in order of first appearance). Within a key: left records in arrival
//           order, and for each, right records in arrival order.
//   stream  each record is paired on arrival: as a left record with the right records
//           already held for its key, then as a right record with the left records
//           already held. Every pair comes out exactly once whatever the arrival order.
//
// Both give the same set of pairs on the same input; only order and timing differ.
//
// Two document-level additions, in batch:
//   thesis     of the records offered as candidates (JoinItem::thesis), the one with the
//              highest thesis score is its key's thesis: it takes the left role, and its
//              object gets "thesis":true wherever it is written;
//   sentences  each held record is also written once as a sentence record,
//              {"key":…,<its fields but features>,"roles":[…]}, before its key's pairs
//              (in a stream: when it arrives).
#pragma once

#include <cstdint>
#include <limits>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/string_map.h"

namespace mlpipe {

struct JoinOptions {
  std::string left_name = "claim";     // field of the left side in pair records
  std::string right_name = "support";
  bool keyed = true;                   // false: the whole input is one key (windows)
  bool stream = false;
  bool grouped = false;                // input grouped by key: a key change closes the previous key
  std::uint64_t idle = 0;              // close a key after this many records without it (0: never)
  std::size_t max_keys = 0;            // close the least recently used key beyond this many (0: no bound)
  std::uint64_t window_records = 0;    // pair records at most this many records apart (0: no window)
  bool time_window = false;            // pair records at most window_seconds apart in their time field
  double window_seconds = 0;
  std::int64_t max_distance = -1;      // keep pairs at most this many sentences apart (-1: no filter)
  bool same_para = false;              // keep only pairs in one paragraph
  bool thesis = false;                 // mark each key's best thesis candidate (batch only)
  bool sentences = false;              // write each held record as a sentence record too
  // Batch only: write just the pairs of each key's left records number [rows_begin, rows_end)
  // (counted from 0 in arrival order), so that a large key's pairs can be made in slices
  // that, written one after the other, are its whole output.
  std::uint64_t rows_begin = 0, rows_end = std::numeric_limits<std::uint64_t>::max();
};

// One input record as the joiner sees it. Views need only live during add().
struct JoinItem {
  bool left = false, right = false;
  std::string_view key;    // the key's JSON text (ignored when not keyed)
  std::string_view body;   // the JSON object copied into pair records
  std::string_view doc;    // the `doc` field's JSON text, empty when absent
  static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
  std::int64_t para = kNone, sent = kNone;
  double time = 0;         // for time windows
  // With JoinOptions::thesis: this record's thesis score, NaN when it is no candidate. A
  // candidate is held even when it takes no role.
  double thesis = std::numeric_limits<double>::quiet_NaN();
  std::string_view sentence;  // with JoinOptions::sentences: the JSON object of its sentence record
};

struct JoinStats {
  std::uint64_t records = 0;       // records seen
  std::uint64_t held = 0;          // records that took a role and were kept
  std::uint64_t pairs = 0;         // pair records written
  std::uint64_t sentences = 0;     // sentence records written
  std::uint64_t theses = 0;        // keys that got a thesis
  std::uint64_t keys = 0;          // key states opened
  std::uint64_t closed_idle = 0;   // key states closed by --idle
  std::uint64_t closed_bound = 0;  // key states closed by --max-keys
  std::uint64_t expired = 0;       // records dropped as they left the window
  std::size_t peak_keys = 0;       // most key states open at once
  std::size_t peak_bytes = 0;      // most record bytes held at once
};

class Joiner {
 public:
  explicit Joiner(JoinOptions options);
  ~Joiner();
  Joiner(const Joiner&) = delete;
  Joiner& operator=(const Joiner&) = delete;

  // Takes one record (a record without a role still counts for windows, --idle and
  // key changes) and appends the pair records now due to `out`.
  void add(const JoinItem& item, std::string& out);
  // End of input: appends the pairs still held (batch).
  void finish(std::string& out);
  // The same a part at a time: appends pairs until `out` holds at least `max_bytes`,
  // and returns true while more remain.
  bool finish_part(std::string& out, std::size_t max_bytes);

  const JoinStats& stats() const { return stats_; }
  std::size_t open_keys() const { return lru_.size(); }
  std::size_t held_bytes() const { return held_bytes_; }

 private:
  struct Held;
  struct KeyState;
  using Lru = std::list<KeyState>;

  KeyState& touch(std::string_view key);
  void close(Lru::iterator it, std::string& out);
  void expire(KeyState& ks);
  void close_stale(std::string& out);
  void emit_pair(const KeyState& ks, const Held& l, const Held& r, std::string& out);
  void emit_all(KeyState& ks, std::string& out);
  void emit_body(const KeyState& ks, const Held& h, std::string& out) const;
  void emit_sentence(const KeyState& ks, const Held& h, std::string& out);
  // Batch: before a key's pairs, the thesis takes the left role and its sentences are written.
  void open_key(KeyState& ks, std::string& out);
  bool in_window(const Held& a, const Held& b) const;

  JoinOptions opt_;
  JoinStats stats_;
  Lru lru_;  // front: most recently used
  StringMap<Lru::iterator> index_;
  std::uint64_t seq_ = 0;     // arrival number of the current record
  double now_ = 0;            // time of the latest record (time windows)
  std::size_t held_bytes_ = 0;
  std::string current_key_;   // grouped: the key of the previous record
  bool have_current_ = false;
  // finish_part's place: open keys by first appearance, the key and left record next.
  bool finishing_ = false;
  std::vector<Lru::iterator> finish_order_;
  std::size_t finish_key_ = 0, finish_left_ = 0;
  std::uint64_t finish_row_ = 0;  // left records of the current key passed so far
};

}  // namespace mlpipe
