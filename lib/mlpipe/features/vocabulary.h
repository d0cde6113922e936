// A fitted vocabulary: terms with their document frequency and IDF, fitted on training
// records (--fit) and applied later (--vocab). Stored as a readable TSV file:
//
//   #mlfeat-vocabulary<TAB>1
//   #docs<TAB>N                 training records seen
//   #min_df<TAB>M               fitting options, for the record
//   #max_features<TAB>K         (0: no limit)
//   #tokens<TAB>{…}             the token options (spec.h) the terms were made with
//   index<TAB>term<TAB>df<TAB>idf
//   1<TAB>abl<TAB>3<TAB>2.252762968495368
//   …
//
// Rows are sorted by term (bytewise); a term's index is its row number (1-based).
// idf = ln((1 + N) / (1 + df)) + 1 (the "smooth" IDF: never zero, finite for every term).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mlpipe/core/file_source.h"
#include "mlpipe/features/analyzer.h"
#include "mlpipe/features/spec.h"

namespace mlpipe::features {

struct VocabularyTerm {
  std::string term;
  std::uint64_t df = 0;
  double idf = 0;
};

double smooth_idf(std::uint64_t docs, std::uint64_t df);

class Vocabulary {
 public:
  Vocabulary() = default;
  Vocabulary(std::vector<VocabularyTerm> terms, std::uint64_t docs, TokenSpec tokens, std::uint64_t min_df,
             std::uint64_t max_features);

  // Reads and validates a vocabulary file; errors name FILE:LINE.
  static Vocabulary read(const std::string& path, const FileSource& files);
  // The same from a file's text; `name` is the file in errors.
  static Vocabulary parse(std::string_view text, const std::string& name);
  // The file contents (see above).
  std::string to_tsv() const;

  // The 1-based index of the feature with this hash, or 0 when it is not in the vocabulary.
  std::uint32_t lookup(std::uint64_t hash) const {
    if (slots_.empty()) return 0;
    std::uint64_t key = hash ? hash : 1;
    for (std::size_t i = std::size_t(key) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.index;
      if (s.key == 0) return 0;
    }
  }
  double idf(std::uint32_t index) const { return terms_[index - 1].idf; }

  const std::vector<VocabularyTerm>& terms() const { return terms_; }
  std::uint64_t docs() const { return docs_; }
  const TokenSpec& tokens() const { return tokens_; }
  // 16 hex digits over the file's bytes (as written by to_tsv or as read).
  const std::string& digest() const { return digest_; }

 private:
  struct Slot {
    std::uint64_t key = 0;  // 0: empty
    std::uint32_t index = 0;
  };
  // Builds the lookup table; returns the index of a term whose hash equals an earlier
  // term's (0 if none).
  std::uint32_t build_table();

  std::vector<VocabularyTerm> terms_;
  std::uint64_t docs_ = 0;
  TokenSpec tokens_;
  std::uint64_t min_df_ = 1, max_features_ = 0;
  std::string digest_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

std::string digest_hex(std::string_view bytes);

// Counts document frequencies while training records stream past.
class VocabularyBuilder {
 public:
  // One document's features (hashes, with repeats) and their terms.
  void add_document(const std::vector<std::uint64_t>& hashes, const TermList& terms);
  // Keeps terms with df >= min_df; then, if max_features > 0, the max_features with the
  // highest df (ties: the bytewise smaller term first).
  Vocabulary build(const TokenSpec& tokens, std::uint64_t min_df, std::uint64_t max_features) const;
  std::uint64_t docs() const { return docs_; }

 private:
  struct Entry {
    std::string term;
    std::uint64_t df = 0;
    std::uint64_t last_doc = 0;
  };
  std::unordered_map<std::uint64_t, std::uint32_t> index_;
  std::vector<Entry> entries_;
  std::uint64_t docs_ = 0;
};

}  // namespace mlpipe::features
