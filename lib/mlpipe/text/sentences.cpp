#include "mlpipe/text/sentences.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "mlpipe/text/boundary.h"
#include "mlpipe/text/list_markers.h"
#include "mlpipe/text/punctuation.h"

namespace mlpipe::text {

namespace {

// The scanner: one paragraph at a time, one line at a time. It finds candidates, asks
// decide() about each, and is the only place that cuts.
class Scanner {
 public:
  Scanner(const Abbreviations& abbrevs, std::string_view s, std::vector<SentenceSpan>& out, std::uint32_t para)
      : s_(s), out_(out), para_(para) {
    x_.text = s;
    x_.abbreviations = &abbrevs;
  }

  std::uint32_t run(std::size_t pos) {
    const std::size_t n = s_.size();
    while (pos < n) {
      // Skip blank lines; the paragraph starts at the first line with text.
      std::size_t nl = find_newline(pos, n);
      if (blank(pos, nl)) {
        pos = nl < n ? nl + 1 : n;
        continue;
      }
      std::size_t end = paragraph_end(pos);
      paragraph(pos, end);
      pos = end;
    }
    return para_;
  }

  // The end of the paragraph starting at ps (the start of the blank line after it, or the end).
  std::size_t paragraph_end(std::size_t ps) {
    const std::size_t n = s_.size();
    std::size_t line = ps;
    longest_ = 0;
    while (line < n) {
      std::size_t e = find_newline(line, n);
      if (blank(line, e)) {
        if (!continues_after_blank(e)) break;
      } else {
        longest_ = std::max(longest_, trimmed_length(line, e));
      }
      line = e < n ? e + 1 : n;
    }
    return line;
  }

  // Whether a blank line is only line spacing (double-spaced text, a quotation set apart):
  // the text after it goes on in lowercase and is not a list item or an address.
  bool continues_after_blank(std::size_t blank_end) const {
    const std::size_t n = s_.size();
    std::size_t next = skip_spaces(blank_end, n);
    if (next >= n || parse_list_marker(s_, next, n).kind != ListMarker::Kind::none) return false;
    while (next < n && opener_len(s_, next)) next += opener_len(s_, next);
    if (next >= n || case_at(s_, next) != Case::lower) return false;
    std::size_t e = next;
    while (e < n && space_len(s_, e) == 0) ++e;
    std::string_view word = s_.substr(next, e - next);
    return word.find("://") == std::string_view::npos && word.find('@') == std::string_view::npos;
  }

  std::size_t find_newline(std::size_t from, std::size_t to) const {
    const void* p = std::memchr(s_.data() + from, '\n', to - from);
    return p ? std::size_t(static_cast<const char*>(p) - s_.data()) : to;
  }

  bool blank(std::size_t from, std::size_t to) const {
    while (from < to) {
      std::size_t w = space_len(s_, from);
      if (w == 0) return false;
      from += w;
    }
    return true;
  }

 private:
  std::size_t skip_spaces(std::size_t i, std::size_t limit) const {
    while (i < limit) {
      std::size_t w = space_len(s_, i);
      if (w == 0) break;
      i += w;
    }
    return i;
  }

  std::size_t trim_back(std::size_t from, std::size_t to) const {
    while (to > from) {
      std::size_t w = space_len_before(s_, to);
      if (w == 0) break;
      to -= w;
    }
    return to;
  }

  std::size_t trimmed_length(std::size_t from, std::size_t to) const {
    std::size_t a = skip_spaces(from, to);
    return trim_back(a, to) - a;
  }

  void paragraph(std::size_t ps, std::size_t pe) {
    x_.para_begin = ps;
    x_.para_end = pe;
    x_.longest_line = longest_;
    emitted_ = false;
    begin_sentence(ps);
    std::size_t line = ps;
    while (line < pe) {
      std::size_t nl = find_newline(line, pe);
      scan_line(line, nl);
      if (nl + 1 < pe) apply(decide(Candidate{Candidate::Kind::line_break, nl, line}, x_));
      line = nl + 1;
    }
    cut(pe);
    if (emitted_) ++para_;
  }

  void begin_sentence(std::size_t pos) {
    x_.sentence_begin = skip_spaces(pos, x_.para_end);
    x_.marker = parse_list_marker(s_, x_.sentence_begin, x_.para_end);
  }

  // Ends the current sentence at `pos` (trimmed; nothing when only whitespace is left).
  void cut(std::size_t pos) {
    const std::size_t first = x_.sentence_begin;
    if (first < pos) {
      std::size_t end = trim_back(first, pos);
      if (end > first) {
        out_.push_back(SentenceSpan{first, end, para_});
        emitted_ = true;
      }
    }
    begin_sentence(pos);
  }

  std::size_t apply(const Decision& d) {
    if (d.split) cut(d.end);
    return d.resume;
  }

  // Bytes that may start a candidate: terminators, list delimiters, and the lead bytes of
  // the multi-byte terminators and bullets.
  static constexpr std::array<bool, 256> kInteresting = [] {
    std::array<bool, 256> t{};
    t['.'] = t['?'] = t['!'] = t[')'] = true;
    t[0xE2] = t[0xE3] = t[0xEF] = true;
    return t;
  }();

  void scan_line(std::size_t ls, std::size_t le) {
    const char* d = s_.data();
    std::size_t i = ls;
    while (i < le) {
      while (i < le && !kInteresting[static_cast<unsigned char>(d[i])]) ++i;
      if (i >= le) break;
      if (i < x_.marker.end) {  // inside this sentence's own list marker
        ++i;
        continue;
      }
      std::size_t next = i + 1;
      if (d[i] == ')') {
        next = apply(decide(Candidate{Candidate::Kind::list_label, i, ls}, x_));
      } else if (terminator_at(s_, i).len) {
        next = apply(decide(Candidate{Candidate::Kind::terminator, i, ls}, x_));
      } else if (bullet_len(s_, i)) {
        next = apply(decide(Candidate{Candidate::Kind::bullet, i, ls}, x_));
      }
      i = std::max(next, i + 1);
    }
  }

  std::string_view s_;
  std::vector<SentenceSpan>& out_;
  BoundaryContext x_;
  std::size_t longest_ = 0;
  std::uint32_t para_ = 0;
  bool emitted_ = false;
};

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

SentenceSplitter::SentenceSplitter() : abbrevs_(Abbreviations::builtin()) {}
SentenceSplitter::SentenceSplitter(Abbreviations abbreviations) : abbrevs_(std::move(abbreviations)) {}

void SentenceSplitter::split(std::string_view text, std::vector<SentenceSpan>& out) const {
  split_piece(text, 0, true, out);
}

std::uint32_t SentenceSplitter::split_piece(std::string_view piece, std::uint32_t first_para, bool skip_bom,
                                            std::vector<SentenceSpan>& out) const {
  std::size_t start = skip_bom && has_at(piece, 0, kBom) ? kBom.size() : 0;
  return Scanner(abbrevs_, piece, out, first_para).run(start);
}

std::size_t SentenceSplitter::last_paragraph_start(std::string_view text) const {
  // A cut at the start of line L is safe when the line before L is blank and L is a complete
  // line with text that does not continue the paragraph before (continues_after_blank reads
  // only L's first word): splitting then restarts exactly where a whole-text scan would.
  std::vector<SentenceSpan> unused;
  Scanner scan(abbrevs_, text, unused, 0);
  std::size_t end = text.rfind('\n');  // L must end within the text
  while (end != std::string_view::npos && end > 0) {
    const std::size_t line = text.rfind('\n', end - 1);
    if (line == std::string_view::npos) return 0;
    const std::size_t l = line + 1;  // L = [l, end)
    if (!scan.blank(l, end) && l >= 2) {
      const std::size_t prev_nl = text.rfind('\n', line - 1);
      const std::size_t prev = prev_nl == std::string_view::npos ? 0 : prev_nl + 1;
      if (prev_nl != std::string_view::npos && scan.blank(prev, line) && !scan.continues_after_blank(line)) return l;
    }
    end = line;
  }
  return 0;
}

std::vector<SentenceSpan> split_sentences(std::string_view text) {
  static const SentenceSplitter splitter;  // read-only after construction
  return splitter.split(text);
}

}  // namespace mlpipe::text
