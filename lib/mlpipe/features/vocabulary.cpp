#include "mlpipe/features/vocabulary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"
#include "mlpipe/core/input.h"
#include "mlpipe/features/hash.h"
#include "mlpipe/features/tokens_json.h"
#include "mlpipe/text/utf8.h"

namespace mlpipe::features {

double smooth_idf(std::uint64_t docs, std::uint64_t df) {
  return std::log((1.0 + double(docs)) / (1.0 + double(df))) + 1.0;
}

std::string digest_hex(std::string_view bytes) { return fmt::format("{:016x}", hash_bytes(bytes, 0)); }

Vocabulary::Vocabulary(std::vector<VocabularyTerm> terms, std::uint64_t docs, TokenSpec tokens, std::uint64_t min_df,
                       std::uint64_t max_features)
    : terms_(std::move(terms)), docs_(docs), tokens_(std::move(tokens)), min_df_(min_df), max_features_(max_features) {
  if (std::uint32_t dup = build_table())
    throw Error(fmt::format("vocabulary: terms '{}' and another have the same 64-bit hash", terms_[dup - 1].term));
  digest_ = digest_hex(to_tsv());
}

std::uint32_t Vocabulary::build_table() {
  std::size_t cap = 16;
  while (cap < terms_.size() * 2) cap <<= 1;
  slots_.assign(cap, Slot{});
  mask_ = cap - 1;
  for (std::uint32_t i = 0; i < terms_.size(); ++i) {
    std::uint64_t key = term_hash(terms_[i].term);
    if (key == 0) key = 1;
    std::size_t s = std::size_t(key) & mask_;
    while (slots_[s].key != 0) {
      if (slots_[s].key == key) return i + 1;
      s = (s + 1) & mask_;
    }
    slots_[s] = Slot{key, i + 1};
  }
  return 0;
}

std::string Vocabulary::to_tsv() const {
  std::string out;
  out.reserve(64 + terms_.size() * 32);
  fmt::format_to(std::back_inserter(out),
                 "#mlfeat-vocabulary\t1\n#docs\t{}\n#min_df\t{}\n#max_features\t{}\n#tokens\t{}\n", docs_, min_df_,
                 max_features_, tokens_json(tokens_));
  out += "index\tterm\tdf\tidf\n";
  for (std::size_t i = 0; i < terms_.size(); ++i)
    fmt::format_to(std::back_inserter(out), "{}\t{}\t{}\t{}\n", i + 1, terms_[i].term, terms_[i].df, terms_[i].idf);
  return out;
}

namespace {

// A term as the analyzer makes them: a word n-gram (stems joined by single spaces) or
// '#' and a character n-gram.
const char* bad_term(std::string_view term) {
  if (term.empty()) return "empty term";
  for (unsigned char c : term)
    if (c < 0x20 || c == 0x7F) return "control character in term";
  if (utf8::find_invalid(term)) return "term is not valid UTF-8";
  if (term.front() == '#') return term.size() > 1 ? nullptr : "empty character n-gram";
  if (term.front() == ' ' || term.back() == ' ' || term.find("  ") != std::string_view::npos)
    return "word n-gram with an empty word (expected stems joined by single spaces)";
  return nullptr;
}

}  // namespace

Vocabulary Vocabulary::read(const std::string& path, const FileSource& files) { return parse(files.read(path), path); }

Vocabulary Vocabulary::parse(std::string_view text, const std::string& path) {
  std::uint64_t line = 0;
  std::size_t pos = 0;
  auto fail = [&](const std::string& what) -> Error { return Error(path, line, what); };
  auto next_line = [&](std::string_view& l) {
    if (pos >= text.size()) return false;
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    l = std::string_view(text.data() + pos, nl - pos);
    pos = nl + 1;
    ++line;
    return true;
  };
  // Header lines "#name<TAB>value", in this order.
  auto header = [&](std::string_view name) {
    std::string_view l;
    if (!next_line(l)) {
      ++line;
      throw fail(fmt::format("unexpected end of file (expected '#{}<TAB>…')", name));
    }
    std::size_t tab = l.find('\t');
    if (l.empty() || l[0] != '#' || tab == std::string_view::npos || l.substr(1, tab - 1) != name) {
      if (line == 1) throw fail("not an mlfeat vocabulary (expected '#mlfeat-vocabulary<TAB>1' on the first line)");
      throw fail(fmt::format("expected '#{}<TAB>…'", name));
    }
    return l.substr(tab + 1);
  };
  auto count = [&](std::string_view name) {
    std::string_view v = header(name);
    const std::optional<std::uint64_t> n = parse_integer<std::uint64_t>(v);
    if (!n) throw fail(fmt::format("#{}: '{}' is not a non-negative integer", name, v));
    return *n;
  };

  if (header("mlfeat-vocabulary") != "1") throw fail("unsupported vocabulary version (expected 1)");
  std::uint64_t docs = count("docs");
  std::uint64_t min_df = count("min_df");
  std::uint64_t max_features = count("max_features");
  std::string_view tokens_text = header("tokens");
  TokenSpec tokens = parse_tokens_json(tokens_text, path, line);
  std::string_view l;
  if (!next_line(l) || l != "index\tterm\tdf\tidf") {
    if (line < 6) line = 6;
    throw fail("expected the column line 'index<TAB>term<TAB>df<TAB>idf'");
  }

  std::vector<VocabularyTerm> terms;
  while (next_line(l)) {
    std::string_view f[4];
    std::size_t n = 0;
    for (std::string_view rest = l;;) {
      if (n == 4) {
        n = 5;  // a fifth field
        break;
      }
      std::size_t tab = rest.find('\t');
      f[n++] = rest.substr(0, tab);
      if (tab == std::string_view::npos) break;
      rest.remove_prefix(tab + 1);
    }
    if (n != 4)
      throw fail(fmt::format("expected 4 tab-separated fields (index, term, df, idf), found {}",
                             n == 5 ? std::string("more") : std::to_string(n)));
    const std::optional<std::uint64_t> index = parse_integer<std::uint64_t>(f[0]);
    if (!index || *index != terms.size() + 1)
      throw fail(fmt::format("index '{}': expected {} (rows are numbered from 1 in order)", f[0], terms.size() + 1));
    if (const char* why = bad_term(f[1])) throw fail(fmt::format("term '{}': {}", f[1], why));
    if (!terms.empty() && !(terms.back().term < f[1]))
      throw fail(fmt::format("term '{}' is not after '{}' (terms must be unique and sorted bytewise)", f[1],
                             terms.back().term));
    const std::optional<std::uint64_t> df = parse_integer<std::uint64_t>(f[2]);
    if (!df || *df < 1 || *df > docs)
      throw fail(fmt::format("df '{}': expected an integer from 1 to #docs ({})", f[2], docs));
    const std::optional<double> idf = parse_double(f[3]);
    if (!idf || *idf <= 0) throw fail(fmt::format("idf '{}': expected a positive number", f[3]));
    terms.push_back({std::string(f[1]), *df, *idf});
  }

  Vocabulary v;
  v.terms_ = std::move(terms);
  v.docs_ = docs;
  v.tokens_ = std::move(tokens);
  v.min_df_ = min_df;
  v.max_features_ = max_features;
  if (std::uint32_t dup = v.build_table()) {
    line = 6 + dup;
    throw fail(fmt::format("term '{}' has the same 64-bit hash as an earlier term", v.terms_[dup - 1].term));
  }
  v.digest_ = digest_hex(text);
  return v;
}

void VocabularyBuilder::add_document(const std::vector<std::uint64_t>& hashes, const TermList& terms) {
  ++docs_;
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    auto [it, fresh] = index_.try_emplace(hashes[i], std::uint32_t(entries_.size()));
    if (fresh) entries_.push_back({std::string(terms[i]), 0, 0});
    Entry& e = entries_[it->second];
    if (e.last_doc != docs_) {
      e.last_doc = docs_;
      ++e.df;
    }
  }
}

Vocabulary VocabularyBuilder::build(const TokenSpec& tokens, std::uint64_t min_df, std::uint64_t max_features) const {
  std::vector<const Entry*> kept;
  for (const Entry& e : entries_)
    if (e.df >= min_df) kept.push_back(&e);
  if (max_features > 0 && kept.size() > max_features) {
    auto by_df = [](const Entry* a, const Entry* b) { return a->df != b->df ? a->df > b->df : a->term < b->term; };
    std::nth_element(kept.begin(), kept.begin() + std::ptrdiff_t(max_features), kept.end(), by_df);
    kept.resize(max_features);
  }
  std::sort(kept.begin(), kept.end(), [](const Entry* a, const Entry* b) { return a->term < b->term; });
  std::vector<VocabularyTerm> terms;
  terms.reserve(kept.size());
  for (const Entry* e : kept) terms.push_back({e->term, e->df, smooth_idf(docs_, e->df)});
  return Vocabulary(std::move(terms), docs_, tokens, min_df, max_features);
}

}  // namespace mlpipe::features
