// The link-grammar parser (CMU, LGPL), as mlpipe uses it: the English dictionary opened
// once and shared, and a parser per thread.
//
// link-grammar reports through a per-thread error handler whose default prints low-
// severity notes on stdout, which would corrupt an NDJSON stream; every call into the
// library here runs under a QuietLinkGrammar guard that swallows them, keeping only
// the last error text for our own message.
//
// Thread safety (link-grammar's documented contract): a Dictionary may be shared by
// threads once it is open; Sentence and Parse_Options objects must not be. Opening a
// dictionary sets the process's LC_CTYPE to a UTF-8 locale if it is not one already
// (link-grammar needs one to split words); mlpipe's own code never reads the process
// locale, so that is harmless here, but it happens when a FeatureGroup is made.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

// Opaque link-grammar handles (typedefs in link-grammar/link-includes.h).
struct Dictionary_s;
struct Parse_Options_s;

namespace mlpipe::features {

// While alive, link-grammar's messages on this thread go nowhere (the last one of
// severity error or worse is kept); the previous handler comes back at destruction.
class QuietLinkGrammar {
 public:
  QuietLinkGrammar();
  ~QuietLinkGrammar();
  QuietLinkGrammar(const QuietLinkGrammar&) = delete;
  QuietLinkGrammar& operator=(const QuietLinkGrammar&) = delete;
  const std::string& last_error() const { return last_error_; }

 private:
  using AnyHandler = void (*)();  // lg_error_handler, kept opaque to spare includers its header
  AnyHandler previous_handler_;
  const void* previous_data_;
  std::string last_error_;
};

// The English dictionary. Lookups are serialised by a mutex: the public API does not
// promise that they are reentrant, and callers cache their answers anyway.
class LgDictionary {
 public:
  // Throws mlpipe::Error naming the Debian package to install if it cannot be opened.
  LgDictionary();
  ~LgDictionary();
  LgDictionary(const LgDictionary&) = delete;
  LgDictionary& operator=(const LgDictionary&) = delete;

  // The subscripts of every entry for `word` ("v", "n-u", "v-d"; "" for an entry without
  // one), idioms ("of_I") left out; empty if the word is unknown.
  std::vector<std::string> subscripts(std::string_view word) const;

  Dictionary_s* handle() const { return dict_; }

 private:
  Dictionary_s* dict_ = nullptr;
  mutable std::mutex lookup_mutex_;
};

// Options of a full parse, chosen from measurements on Wikipedia sentences
// (bench/syntax.sh; figures in bench/RESULTS.md).
struct ParseLimits {
  int max_words = 60;         // longer sentences are not parsed (a deterministic cut)
  int max_seconds = 2;        // safety net only: a parse that hits it counts as a failure
  int short_length = 6;       // longest link most connectors may make (the main speed knob)
  int linkage_limit = 10;     // linkages sampled and sorted; the best one is used
};

enum class ParseOutcome { parsed, no_linkage, too_long, timeout };

// One per thread: owns its Parse_Options.
class LgParser {
 public:
  LgParser(std::shared_ptr<const LgDictionary> dict, ParseLimits limits = {});
  ~LgParser();
  LgParser(const LgParser&) = delete;
  LgParser& operator=(const LgParser&) = delete;

  // On `parsed`, `tree` holds the best linkage's constituent tree in link-grammar's
  // one-line bracket form: "(S (NP the game.n) (VP is.v (ADJP violent.a)) .)".
  ParseOutcome parse(std::string_view text, std::string& tree);

 private:
  std::shared_ptr<const LgDictionary> dict_;
  ParseLimits limits_;
  Parse_Options_s* opts_ = nullptr;
  std::string scratch_;
};

}  // namespace mlpipe::features
