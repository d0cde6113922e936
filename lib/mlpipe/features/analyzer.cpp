#include "mlpipe/features/analyzer.h"

#include <cstring>

#include "mlpipe/core/error.h"
#include "mlpipe/features/hash.h"

namespace mlpipe::features {

namespace {
// Whether the first `len` (<= 24) bytes at a and b are equal; 24 bytes must be readable
// at both. Three word compares instead of a call to memcmp.
inline bool same_bytes24(const char* a, const char* b, std::size_t len) {
  std::uint64_t diff = 0;
  for (std::size_t off = 0; off < len; off += 8) {
    std::uint64_t x = load_le64(a + off) ^ load_le64(b + off);
    std::size_t rest = len - off;
    if (rest < 8) x &= (std::uint64_t(1) << (rest * 8)) - 1;
    diff |= x;
  }
  return diff == 0;
}
}  // namespace

std::uint64_t term_hash(std::string_view term) {
  if (!term.empty() && term.front() == '#') return hash_bytes(term.substr(1), kCharSeed);
  std::uint64_t chain = kNgramSeed;
  while (true) {
    std::size_t space = term.find(' ');
    chain = combine(chain, hash_bytes(term.substr(0, space), kTokenSeed));
    if (space == std::string_view::npos) return chain;
    term.remove_prefix(space + 1);
  }
}

std::vector<std::string> stop_word_list(const TokenSpec& spec) {
  if (spec.stop_words == "english") return english_stop_words();
  if (spec.stop_words == "list") return spec.stop_list;
  return {};
}

// A direct-mapped memo of token -> (stop word?, stem hash). Text is Zipfian: most
// tokens are seen before, and Snowball is the costliest step per token. Entries are
// checked by their bytes, so a hit is always exact; 48 bytes each, to stay in cache.
struct Analyzer::Cache {
  static constexpr std::size_t kMaxLen = 24;
  static constexpr std::size_t kSlots = std::size_t(1) << 15;
  struct Entry {
    std::uint64_t key = 0;
    std::uint64_t hash = 0;
    char token[kMaxLen];
    std::uint8_t len = 0xFF;  // 0xFF: empty
    bool stop = false;
  };
  static_assert(sizeof(Entry) <= 48);
  std::vector<Entry> slots = std::vector<Entry>(kSlots);
};

Analyzer::Analyzer(const TokenSpec& spec, std::shared_ptr<const StopWords> stop_words)
    : spec_(spec),
      stop_(std::move(stop_words)),
      stemmer_(spec.stem),
      number_hash_(hash_bytes(kNumberToken, kTokenSeed)),
      cache_(std::make_unique<Cache>()) {
  if (!stop_) stop_ = std::make_shared<StopWords>();
}

Analyzer::~Analyzer() = default;

Analyzer::Stemmed Analyzer::stem(std::string_view token, std::uint64_t key, bool want_stem) {
  static_assert(Cache::kMaxLen < 0xFF);
  Stemmed r;
  Cache::Entry& e = cache_->slots[key & (Cache::kSlots - 1)];
  if (e.len == token.size() && e.key == key && same_bytes24(e.token, token.data(), token.size())) {
    r.stop = e.stop;
    r.hash = e.hash;
    if (want_stem && !r.stop) r.stem = stemmer_.stem(token);
    return r;
  }
  r.stop = stop_->contains(token);
  r.stem = r.stop ? std::string_view() : stemmer_.stem(token);
  r.hash = hash_bytes(r.stem, kTokenSeed);
  if (token.size() <= Cache::kMaxLen) {
    e.key = key;
    e.len = std::uint8_t(token.size());
    std::memcpy(e.token, token.data(), token.size());
    e.stop = r.stop;
    e.hash = r.hash;
  }
  return r;
}

void Analyzer::analyze(std::string_view text, std::vector<std::uint64_t>& out, TermList* terms) {
  if (text.size() > (std::size_t(1) << 30)) throw Error("text longer than 1 GiB");
  tokenizer_.tokenize(text, lower_, tokens_);
  token_hashes_.clear();
  kept_.clear();
  stems_.clear();
  stem_ends_.clear();
  out.clear();
  if (terms) terms->clear();

  for (std::uint32_t i = 0; i < tokens_.size(); ++i) {
    const Token& t = tokens_[i];
    std::string_view tv(lower_.data() + t.begin, t.size);
    std::uint64_t h;
    std::string_view st;
    if (t.number) {
      st = spec_.keep_numbers ? tv : kNumberToken;
      h = spec_.keep_numbers ? hash_bytes(tv, kTokenSeed) : number_hash_;
    } else {
      Stemmed s = stem(tv, hash_bytes(tv, kKeySeed), terms != nullptr);
      if (s.stop) continue;
      h = s.hash;
      st = s.stem;
    }
    token_hashes_.push_back(h);
    kept_.push_back(i);
    if (terms) {
      stems_.append(st);
      stem_ends_.push_back(std::uint32_t(stems_.size()));
    }
  }

  auto stem_at = [&](std::size_t k) {
    std::uint32_t b = k ? stem_ends_[k - 1] : 0;
    return std::string_view(stems_).substr(b, stem_ends_[k] - b);
  };
  const std::size_t m = token_hashes_.size();
  const std::size_t max_n = std::size_t(spec_.ngrams);
  for (std::size_t i = 0; i < m; ++i) {
    std::uint64_t chain = kNgramSeed;
    for (std::size_t n = 1; n <= max_n && i + n <= m; ++n) {
      chain = combine(chain, token_hashes_[i + n - 1]);
      out.push_back(chain);
      if (terms) {
        for (std::size_t k = i; k < i + n; ++k) {
          if (k > i) terms->text.push_back(' ');
          terms->text.append(stem_at(k));
        }
        terms->ends.push_back(std::uint32_t(terms->text.size()));
      }
    }
  }

  if (spec_.char_min > 0) {
    for (std::uint32_t i : kept_) {
      const Token& t = tokens_[i];
      std::string_view tv =
          (t.number && !spec_.keep_numbers) ? kNumberToken : std::string_view(lower_.data() + t.begin, t.size);
      padded_.assign(1, ' ');
      padded_.append(tv);
      padded_.push_back(' ');
      offsets_.clear();
      for (std::uint32_t p = 0; p < padded_.size(); ++p)
        if ((static_cast<unsigned char>(padded_[p]) & 0xC0) != 0x80) offsets_.push_back(p);
      offsets_.push_back(std::uint32_t(padded_.size()));
      const std::size_t chars = offsets_.size() - 1;
      for (std::size_t n = std::size_t(spec_.char_min); n <= std::size_t(spec_.char_max) && n <= chars; ++n) {
        for (std::size_t s = 0; s + n <= chars; ++s) {
          std::string_view g(padded_.data() + offsets_[s], offsets_[s + n] - offsets_[s]);
          out.push_back(hash_bytes(g, kCharSeed));
          if (terms) {
            terms->text.push_back('#');
            terms->text.append(g);
            terms->ends.push_back(std::uint32_t(terms->text.size()));
          }
        }
      }
    }
  }
}

}  // namespace mlpipe::features
