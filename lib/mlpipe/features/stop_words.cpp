#include "mlpipe/features/stop_words.h"

#include <fmt/format.h>

#include <algorithm>

#include "mlpipe/core/error.h"
#include "mlpipe/core/input.h"
#include "mlpipe/features/tokenizer.h"
#include "mlpipe/text/utf8.h"

namespace mlpipe::features {

const std::vector<std::string>& english_stop_words() {
  // Function words: articles, pronouns, auxiliaries, prepositions and conjunctions.
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w = {
        "a",       "about",  "above", "after",      "again",    "against",   "all",     "am",        "an",    "and",
        "any",     "are",    "as",    "at",         "be",       "because",   "been",    "before",    "being", "below",
        "between", "both",   "but",   "by",         "can",      "could",     "did",     "do",        "does",  "doing",
        "down",    "during", "each",  "few",        "for",      "from",      "further", "had",       "has",   "have",
        "having",  "he",     "her",   "here",       "hers",     "herself",   "him",     "himself",   "his",   "how",
        "i",       "if",     "in",    "into",       "is",       "it",        "its",     "itself",    "just",  "me",
        "more",    "most",   "my",    "myself",     "no",       "nor",       "not",     "now",       "of",    "off",
        "on",      "once",   "only",  "or",         "other",    "our",       "ours",    "ourselves", "out",   "over",
        "own",     "same",   "she",   "should",     "so",       "some",      "such",    "than",      "that",  "the",
        "their",   "theirs", "them",  "themselves", "then",     "there",     "these",   "they",      "this",  "those",
        "through", "to",     "too",   "under",      "until",    "up",        "very",    "was",       "we",    "were",
        "what",    "when",   "where", "which",      "while",    "who",       "whom",    "why",       "will",  "with",
        "would",   "you",    "your",  "yours",      "yourself", "yourselves"};
    std::sort(w.begin(), w.end());
    return w;
  }();
  return words;
}

std::vector<std::string> read_stop_words(const std::string& path, const FileSource& files) {
  std::string text = files.read(path);
  if (auto bad = utf8::find_invalid(text))
    throw Error(path, 0, fmt::format("byte {}: not valid UTF-8 (expected a UTF-8 word list)", *bad));
  Tokenizer tokenizer;
  std::string buf;
  std::vector<Token> tokens;
  std::vector<std::string> words;
  std::size_t pos = 0;
  std::uint64_t line = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view l(text.data() + pos, nl - pos);
    pos = nl + 1;
    ++line;
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    if (l.empty() || l.front() == '#') continue;
    tokenizer.tokenize(l, buf, tokens);
    if (tokens.size() != 1)
      throw Error(path, line, fmt::format("'{}' is not one word (expected one stop word per line)", l));
    words.emplace_back(buf.data() + tokens[0].begin, tokens[0].size);
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

}  // namespace mlpipe::features
