// The arguments of a set of documents, as mlshow draws them: documents, the sentences that
// took a role (thesis, claim, support), and the links from a support to the claim it backs
// or attacks. Records arrive in any order and may name one sentence many times (a claim is
// a side of every link it has), so the graph merges what it is told about a sentence and
// orders everything only at finish(): the same records give the same graph, whatever their
// order of arrival within a document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace mlpipe::show {

// The roles of a sentence, a bit each: a sentence may hold several.
enum Role : unsigned { kThesis = 1, kClaim = 2, kSupport = 4 };

struct Score {
  std::string name;
  double value = 0;
};

// What one record says about a sentence. A sentence is identified by its document and its
// byte span (start, end), or, without a span, by its document and its index `sent`.
struct SentenceFacts {
  std::string doc;
  std::optional<std::int64_t> para, sent, start, end;
  std::optional<std::string> text;
  std::vector<Score> scores;  // in the record's order
  unsigned roles = 0;
};

struct Sentence {
  std::size_t doc = 0;  // index into documents()
  std::optional<std::int64_t> para, sent, start, end;
  std::string text;  // the record's, else the document's bytes at its span, else a stand-in
  std::vector<Score> scores;
  unsigned roles = 0;
  std::vector<std::size_t> links;  // links() that end at this sentence (it is their claim), in order

  bool claim_like() const { return (roles & (kThesis | kClaim)) != 0; }
  // The score called `name`, if the records gave one.
  std::optional<double> score(std::string_view name) const;
};

struct Link {
  std::size_t support = 0, claim = 0;  // indices into sentences()
  std::optional<double> score;         // scores.link
  bool attack = false;                 // stance "attack": the support argues against the claim
};

struct Document {
  std::string key;                     // `doc` of its records, or the --docs file name
  std::string title;                   // for the heading: the document record's title, else the key
  std::optional<std::string> text;     // the whole text (bytes), when given
  std::vector<std::size_t> sentences;  // in document order
  std::vector<std::size_t> claims;     // its claim-like sentences: theses first, then in document order
};

class ArgumentGraph {
 public:
  // A document given whole (--docs), before any record: documents keep the order in which
  // they are added, given ones first. A key added twice throws Error.
  void add_document(std::string key, std::string title, std::string text);

  // Throws Error (unlocated) when the facts identify no sentence or disagree with the text of
  // their document; changes nothing, so that a record can be checked whole before any of it
  // is added (a skipped record leaves no trace).
  void check_sentence(const SentenceFacts& facts) const;

  // Adds a sentence, or merges the facts into the sentence with the same identity (roles
  // and scores are joined, missing fields filled), and returns its index. Throws as
  // check_sentence() does, before changing anything.
  std::size_t add_sentence(SentenceFacts facts);

  // Whether two facts name one sentence (given the same sentences so far): same document,
  // and same span, or without both spans the same index.
  static bool same_sentence(const SentenceFacts& a, const SentenceFacts& b);

  // Adds the link from `support` to `claim` (sentence indices); a second link between the
  // same two sentences is ignored (the first one given stays).
  void add_link(std::size_t support, std::size_t claim, std::optional<double> score, bool attack);

  // Orders the sentences (by document, then position: byte offset, else index) and the
  // links (by claim, theses first, then by score, highest first); indices given before
  // are no longer valid. Sentence i is then the (i+1)-th node every writer draws.
  void finish();

  const std::vector<Document>& documents() const { return documents_; }
  const std::vector<Sentence>& sentences() const { return sentences_; }
  const std::vector<Link>& links() const { return links_; }

 private:
  std::size_t document_index(const std::string& key);

  std::vector<Document> documents_;
  std::vector<Sentence> sentences_;
  std::vector<Link> links_;
  std::map<std::string, std::size_t, std::less<>> doc_index_;
  std::map<std::tuple<std::size_t, std::int64_t, std::int64_t>, std::size_t> by_span_;
  std::map<std::pair<std::size_t, std::int64_t>, std::size_t> by_sent_;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> link_index_;
};

}  // namespace mlpipe::show
