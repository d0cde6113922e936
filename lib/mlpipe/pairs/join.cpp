#include "mlpipe/pairs/join.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>

#include "mlpipe/core/json_writer.h"

namespace mlpipe {

// A record held for pairing: its bytes live in its key's arena.
struct Joiner::Held {
  std::uint64_t seq = 0;
  std::size_t off = 0, len = 0;          // body in KeyState::bytes
  std::size_t doc_off = 0, doc_len = 0;  // doc's JSON text in KeyState::bytes (len 0: none)
  std::size_t sent_off = 0, sent_len = 0;  // its sentence record's object (JoinOptions::sentences)
  std::int64_t para = JoinItem::kNone, sent = JoinItem::kNone;
  double time = 0;
  double thesis = 0;   // thesis score of a candidate
  bool left = false, right = false;
  bool candidate = false;  // a thesis candidate
  bool is_thesis = false;  // its key's thesis
};

struct Joiner::KeyState {
  std::string key;          // the key's JSON text
  std::string bytes;        // every held record's body (and doc), stored once
  std::vector<Held> recs;   // arrival order; [head, size) are live
  std::size_t head = 0;
  std::uint64_t first_seq = 0, last_seen = 0;
  double last_time = 0;
  std::size_t thesis = SIZE_MAX;  // index in recs of the best thesis candidate so far
  bool opened = false;            // open_key has run
};

Joiner::Joiner(JoinOptions options) : opt_(std::move(options)) {
  if (opt_.window_records > 0 || opt_.time_window) opt_.stream = true;  // windows only make sense streaming
}

Joiner::~Joiner() = default;

Joiner::KeyState& Joiner::touch(std::string_view key) {
  auto found = index_.find(key);
  if (found != index_.end()) {
    lru_.splice(lru_.begin(), lru_, found->second);
  } else {
    lru_.emplace_front();
    KeyState& ks = lru_.front();
    ks.key.assign(key);
    ks.first_seq = seq_;
    index_.emplace(ks.key, lru_.begin());
    ++stats_.keys;
    stats_.peak_keys = std::max(stats_.peak_keys, lru_.size());
  }
  KeyState& ks = lru_.front();
  ks.last_seen = seq_;
  ks.last_time = now_;
  return ks;
}

void Joiner::close(Lru::iterator it, std::string& out) {
  if (!opt_.stream) emit_all(*it, out);
  held_bytes_ -= it->bytes.size();
  index_.erase(it->key);
  lru_.erase(it);
}

bool Joiner::in_window(const Held& a, const Held& b) const {
  if (opt_.window_records > 0) {
    std::uint64_t gap = a.seq > b.seq ? a.seq - b.seq : b.seq - a.seq;
    if (gap > opt_.window_records) return false;
  }
  if (opt_.time_window && std::abs(a.time - b.time) > opt_.window_seconds) return false;
  return true;
}

// Drops the records of `ks` that no later record can pair with (they left the window).
void Joiner::expire(KeyState& ks) {
  if (opt_.window_records == 0 && !opt_.time_window) return;
  std::size_t h = ks.head;
  while (h < ks.recs.size()) {
    const Held& r = ks.recs[h];
    bool dead = (opt_.window_records > 0 && seq_ - r.seq > opt_.window_records) ||
                (opt_.time_window && now_ - r.time > opt_.window_seconds);
    if (!dead) break;
    ++h;
  }
  stats_.expired += h - ks.head;
  ks.head = h;
  // Compact once the dead prefix is most of the arena, so memory follows the window.
  if (ks.head > 32 && ks.head * 2 > ks.recs.size()) {
    std::size_t cut = ks.head < ks.recs.size() ? ks.recs[ks.head].off : ks.bytes.size();
    ks.bytes.erase(0, cut);
    held_bytes_ -= cut;
    ks.recs.erase(ks.recs.begin(), ks.recs.begin() + std::ptrdiff_t(ks.head));
    ks.head = 0;
    for (Held& r : ks.recs) {
      r.off -= cut;
      r.doc_off -= cut;
      r.sent_off -= cut;
    }
  }
}

// Closes the least recently used keys that are idle, over the bound, or wholly outside the window.
void Joiner::close_stale(std::string& out) {
  while (!lru_.empty()) {
    auto last = std::prev(lru_.end());
    std::uint64_t quiet = seq_ - last->last_seen;
    if (opt_.idle > 0 && quiet > opt_.idle) {
      ++stats_.closed_idle;
    } else if (opt_.window_records > 0 && quiet > opt_.window_records) {
      stats_.expired += last->recs.size() - last->head;
    } else if (opt_.time_window && now_ - last->last_time > opt_.window_seconds) {
      stats_.expired += last->recs.size() - last->head;
    } else {
      break;
    }
    close(last, out);
  }
}

// A held record's object as a side: its bytes, with "thesis":true added to the thesis.
void Joiner::emit_body(const KeyState& ks, const Held& h, std::string& out) const {
  if (!h.is_thesis) {
    out.append(ks.bytes, h.off, h.len);
    return;
  }
  out.append(ks.bytes, h.off, h.len - 1);  // up to its closing brace
  out += h.len > 2 ? ",\"thesis\":true}" : "\"thesis\":true}";
}

void Joiner::emit_sentence(const KeyState& ks, const Held& h, std::string& out) {
  out.push_back('{');
  if (opt_.keyed) {
    out += "\"key\":";
    out += ks.key;
  }
  std::string_view body(ks.bytes.data() + h.sent_off, h.sent_len);
  // The record's own fields, between its braces.
  std::string_view inner = body.size() >= 2 ? body.substr(1, body.size() - 2) : std::string_view();
  if (!inner.empty()) {
    if (opt_.keyed) out.push_back(',');
    out += inner;
  }
  if (opt_.keyed || !inner.empty()) out.push_back(',');
  out += "\"roles\":[";
  bool first = true;
  auto role = [&](std::string_view name) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, name);
  };
  if (h.is_thesis) role("thesis");
  if (h.left) role(opt_.left_name);
  if (h.right) role(opt_.right_name);
  out.push_back(']');
  if (h.is_thesis) out += ",\"thesis\":true";
  out += "}\n";
  ++stats_.sentences;
}

void Joiner::open_key(KeyState& ks, std::string& out) {
  if (ks.opened) return;
  ks.opened = true;
  if (opt_.thesis && ks.thesis != SIZE_MAX) {
    Held& t = ks.recs[ks.thesis];
    t.is_thesis = true;
    t.left = true;
    ++stats_.theses;
  }
  if (opt_.sentences)
    for (std::size_t i = ks.head; i < ks.recs.size(); ++i)
      if (ks.recs[i].left || ks.recs[i].right) emit_sentence(ks, ks.recs[i], out);
}

void Joiner::emit_pair(const KeyState& ks, const Held& l, const Held& r, std::string& out) {
  if (l.seq == r.seq) return;  // a record that is both left and right is never its own pair
  if (!in_window(l, r)) return;
  bool same_doc = l.doc_len > 0 && l.doc_len == r.doc_len &&
                  std::string_view(ks.bytes).substr(l.doc_off, l.doc_len) ==
                      std::string_view(ks.bytes).substr(r.doc_off, r.doc_len);
  bool have_distance = same_doc && l.sent != JoinItem::kNone && r.sent != JoinItem::kNone;
  bool have_para = same_doc && l.para != JoinItem::kNone && r.para != JoinItem::kNone;
  std::int64_t distance = have_distance ? (l.sent > r.sent ? l.sent - r.sent : r.sent - l.sent) : 0;
  bool same_para = have_para && l.para == r.para;
  if (opt_.max_distance >= 0 && (!have_distance || distance > opt_.max_distance)) return;
  if (opt_.same_para && !same_para) return;

  out.push_back('{');
  if (opt_.keyed) {
    out += "\"key\":";
    out += ks.key;
    out.push_back(',');
  }
  append_json_string(out, opt_.left_name);
  out.push_back(':');
  emit_body(ks, l, out);
  out.push_back(',');
  append_json_string(out, opt_.right_name);
  out.push_back(':');
  emit_body(ks, r, out);
  if (have_distance) fmt::format_to(std::back_inserter(out), ",\"distance\":{}", distance);
  if (have_para) out += same_para ? ",\"same_para\":true" : ",\"same_para\":false";
  out += "}\n";
  ++stats_.pairs;
}

void Joiner::emit_all(KeyState& ks, std::string& out) {
  open_key(ks, out);
  std::uint64_t row = 0;
  for (std::size_t i = ks.head; i < ks.recs.size(); ++i) {
    const Held& l = ks.recs[i];
    if (!l.left) continue;
    if (row++ < opt_.rows_begin || row > opt_.rows_end) continue;
    for (std::size_t j = ks.head; j < ks.recs.size(); ++j)
      if (ks.recs[j].right) emit_pair(ks, l, ks.recs[j], out);
  }
}

void Joiner::add(const JoinItem& item, std::string& out) {
  ++seq_;
  ++stats_.records;
  if (opt_.time_window) now_ = std::max(now_, item.time);
  std::string_view key = opt_.keyed ? item.key : std::string_view();

  if (opt_.grouped && opt_.keyed) {
    if (have_current_ && key != current_key_) {
      auto found = index_.find(std::string_view(current_key_));
      if (found != index_.end()) close(found->second, out);
    }
    current_key_.assign(key);
    have_current_ = true;
  }
  close_stale(out);
  const bool candidate = opt_.thesis && !std::isnan(item.thesis);
  if (!item.left && !item.right && !candidate) return;

  auto found = index_.find(key);
  if (found == index_.end() && opt_.max_keys > 0) {
    while (lru_.size() >= opt_.max_keys) {
      ++stats_.closed_bound;
      close(std::prev(lru_.end()), out);
    }
  }
  KeyState& ks = touch(key);
  expire(ks);

  Held h;
  h.seq = seq_;
  h.left = item.left;
  h.right = item.right;
  h.para = item.para;
  h.sent = item.sent;
  h.time = item.time;
  h.off = ks.bytes.size();
  h.len = item.body.size();
  ks.bytes.append(item.body);
  h.doc_off = ks.bytes.size();
  h.doc_len = item.doc.size();
  ks.bytes.append(item.doc);
  h.sent_off = ks.bytes.size();
  h.sent_len = opt_.sentences ? item.sentence.size() : 0;
  ks.bytes.append(item.sentence.substr(0, h.sent_len));
  held_bytes_ += h.len + h.doc_len + h.sent_len;
  if (candidate) {
    h.candidate = true;
    h.thesis = item.thesis;
    // The best score; the earlier record on a tie.
    if (ks.thesis == SIZE_MAX || item.thesis > ks.recs[ks.thesis].thesis) ks.thesis = ks.recs.size();
  }
  stats_.peak_bytes = std::max(stats_.peak_bytes, held_bytes_);
  ++stats_.held;

  if (opt_.stream) {
    if (opt_.sentences && (h.left || h.right)) emit_sentence(ks, h, out);
    // Pair on arrival, before holding the record: never with itself, each pair once.
    if (h.left)
      for (std::size_t j = ks.head; j < ks.recs.size(); ++j)
        if (ks.recs[j].right) emit_pair(ks, h, ks.recs[j], out);
    if (h.right)
      for (std::size_t i = ks.head; i < ks.recs.size(); ++i)
        if (ks.recs[i].left) emit_pair(ks, ks.recs[i], h, out);
  }
  ks.recs.push_back(h);
}

void Joiner::finish(std::string& out) {
  while (finish_part(out, std::string::npos)) {
  }
}

bool Joiner::finish_part(std::string& out, std::size_t max_bytes) {
  if (opt_.stream) return false;
  if (!finishing_) {
    finishing_ = true;
    for (auto it = lru_.begin(); it != lru_.end(); ++it) finish_order_.push_back(it);
    std::sort(finish_order_.begin(), finish_order_.end(),
              [](Lru::iterator a, Lru::iterator b) { return a->first_seq < b->first_seq; });
  }
  while (finish_key_ < finish_order_.size()) {
    KeyState& ks = *finish_order_[finish_key_];
    open_key(ks, out);
    for (; finish_left_ < ks.recs.size(); ++finish_left_) {
      if (out.size() >= max_bytes) return true;
      const Held& l = ks.recs[finish_left_];
      if (!l.left) continue;
      if (finish_row_++ < opt_.rows_begin || finish_row_ > opt_.rows_end) continue;
      for (std::size_t j = ks.head; j < ks.recs.size(); ++j)
        if (ks.recs[j].right) emit_pair(ks, l, ks.recs[j], out);
    }
    held_bytes_ -= ks.bytes.size();
    index_.erase(ks.key);
    lru_.erase(finish_order_[finish_key_]);
    ++finish_key_;
    finish_left_ = 0;
    finish_row_ = 0;
  }
  return false;
}

}  // namespace mlpipe
