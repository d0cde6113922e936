#include "mlpipe/features/link_grammar.h"

#include <link-grammar/dict-api.h>
#include <link-grammar/link-includes.h>

#include <string>

#include "mlpipe/core/error.h"

namespace mlpipe::features {

namespace {

void keep_errors(lg_errinfo* info, void* data) {
  if (info->severity <= lg_Error && info->text) {
    auto* last = static_cast<std::string*>(data);
    *last = info->text;
    while (!last->empty() && (last->back() == '\n' || last->back() == ' ')) last->pop_back();
  }
}

// link-grammar marks a subscript with an unprintable byte in lookup results (and with
// '.' in linkages); either way the subscript is what follows.
constexpr char kSubscriptMark = '\3';

}  // namespace

QuietLinkGrammar::QuietLinkGrammar() {
  // The only way to read the current handler data is to replace it.
  previous_data_ = lg_error_set_handler_data(nullptr);
  previous_handler_ = reinterpret_cast<AnyHandler>(lg_error_set_handler(keep_errors, &last_error_));
}

QuietLinkGrammar::~QuietLinkGrammar() {
  lg_error_set_handler(reinterpret_cast<lg_error_handler>(previous_handler_), const_cast<void*>(previous_data_));
}

LgDictionary::LgDictionary() {
  QuietLinkGrammar quiet;
  dict_ = dictionary_create_lang("en");
  if (!dict_) {
    std::string why = quiet.last_error().empty() ? "" : " (" + quiet.last_error() + ")";
    throw Error("syntax: cannot open the link-grammar English dictionary" + why +
                "; install the Debian package link-grammar-dictionaries-en");
  }
}

LgDictionary::~LgDictionary() {
  QuietLinkGrammar quiet;
  dictionary_delete(dict_);
}

std::vector<std::string> LgDictionary::subscripts(std::string_view word) const {
  std::vector<std::string> out;
  std::string w(word);
  QuietLinkGrammar quiet;
  std::lock_guard lock(lookup_mutex_);
  Dict_node* list = dictionary_lookup_list(dict_, w.c_str());
  for (const Dict_node* n = list; n; n = n->right) {
    std::string_view entry(n->string);
    auto mark = entry.find(kSubscriptMark);
    if (mark == std::string_view::npos) {
      out.emplace_back();
      continue;
    }
    std::string_view sub = entry.substr(mark + 1);
    if (sub == "I") continue;  // an idiom's component ("of_I"), not a use of the word
    out.emplace_back(sub);
  }
  free_lookup_list(dict_, list);
  return out;
}

LgParser::LgParser(std::shared_ptr<const LgDictionary> dict, ParseLimits limits)
    : dict_(std::move(dict)), limits_(limits) {
  QuietLinkGrammar quiet;
  opts_ = parse_options_create();
  parse_options_set_verbosity(opts_, 0);
  parse_options_set_linkage_limit(opts_, limits_.linkage_limit);
  parse_options_set_max_parse_time(opts_, limits_.max_seconds);
  parse_options_set_short_length(opts_, limits_.short_length);
  // No spelling guesses (they would make a word's reading depend on a speller) and no
  // null links: a parse with skipped words costs 5-10 times more (measured) and its tree
  // would be partial anyway. Sampling of linkages restarts from the same seed for every
  // sentence, so the chosen linkage depends on the text alone.
  parse_options_set_spell_guess(opts_, 0);
  parse_options_set_min_null_count(opts_, 0);
  parse_options_set_max_null_count(opts_, 0);
  parse_options_set_islands_ok(opts_, false);
  parse_options_set_repeatable_rand(opts_, true);
}

LgParser::~LgParser() {
  QuietLinkGrammar quiet;
  parse_options_delete(opts_);
}

ParseOutcome LgParser::parse(std::string_view text, std::string& tree) {
  tree.clear();
  QuietLinkGrammar quiet;
  scratch_.assign(text);
  Sentence sent = sentence_create(scratch_.c_str(), dict_->handle());
  if (!sent) return ParseOutcome::no_linkage;
  ParseOutcome outcome = ParseOutcome::no_linkage;
  if (sentence_split(sent, opts_) != 0) {
    outcome = ParseOutcome::no_linkage;
  } else if (sentence_length(sent) > limits_.max_words + 2) {  // + the two walls
    outcome = ParseOutcome::too_long;
  } else {
    parse_options_reset_resources(opts_);
    int found = sentence_parse(sent, opts_);
    if (parse_options_timer_expired(opts_)) {
      outcome = ParseOutcome::timeout;
    } else if (found > 0) {
      if (Linkage linkage = linkage_create(0, sent, opts_)) {
        if (char* s = linkage_print_constituent_tree(linkage, SINGLE_LINE)) {
          tree = s;
          linkage_free_constituent_tree_str(s);
          while (!tree.empty() && (tree.back() == '\n' || tree.back() == ' ')) tree.pop_back();
          outcome = ParseOutcome::parsed;
        }
        linkage_delete(linkage);
      }
    }
  }
  sentence_delete(sent);
  return outcome;
}

}  // namespace mlpipe::features
