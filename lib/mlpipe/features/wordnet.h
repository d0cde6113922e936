// WordNet's lexicographer classes of English words: "bicycle" and "lane" are noun.artifact,
// "vaccination" noun.act, "build" verb.creation. Classes like these let a model see that two
// sentences on unrelated topics propose the same kind of thing (build an artifact, forbid an
// act), which words alone do not.
//
// Reads the WordNet 3.0 database as Debian's wordnet-base installs it (/usr/share/wordnet:
// index.*, data.*, *.exc), memory-mapped and searched in place: the index files are sorted,
// so a lookup is a binary search and opening costs nothing however many words are asked.
// A word's class is that of its most frequent sense in its most frequent part of speech
// (most sense-tagged occurrences in WordNet's index), after WordNet's own reduction of
// inflected forms (exception lists, then suffix rules).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace mlpipe::features {

class WordNet {
 public:
  // The 45 lexicographer files, by number ("adj.all" … "adj.ppl").
  static constexpr int kClasses = 45;
  static std::string_view class_name(int number);

  // Opens the database in `dir`; throws Error naming the first file it cannot read.
  explicit WordNet(const std::string& dir = default_dir());
  ~WordNet();
  WordNet(const WordNet&) = delete;
  WordNet& operator=(const WordNet&) = delete;

  // $MLPIPE_WORDNET when set, else /usr/share/wordnet.
  static std::string default_dir();

  // The lexicographer file of `word` (lowercase), or -1 when WordNet does not know it.
  // Thread-safe (reads only).
  int word_class(std::string_view word) const;

 private:
  struct File;
  struct Entry {
    std::uint32_t tagged = 0;  // sense-tagged occurrences of the lemma in this part of speech
    std::int64_t offset = -1;  // of its first (most frequent) synset in data.POS
  };
  enum Pos { noun, verb, adj, adv, kPos };
  Entry lookup(Pos pos, std::string_view lemma) const;
  Entry base_form(Pos pos, std::string_view word) const;
  int lexfile(Pos pos, std::int64_t offset) const;

  std::array<std::unique_ptr<File>, kPos> index_, data_, exceptions_;
};

}  // namespace mlpipe::features
