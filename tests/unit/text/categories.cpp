// The boundary categories, one table per category: whole texts and the sentences a reader
// expects, many generated from templates; then the decision for single candidates, with the
// reason the rule gives (boundary.h).
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "mlpipe/text/boundary.h"
#include "mlpipe/text/sentences.h"

using namespace mlpipe;

namespace {

using V = std::vector<std::string>;

struct Case {
  std::string text;
  V expected;
};

V sents(std::string_view s) {
  V out;
  for (const auto& span : text::split_sentences(s)) out.emplace_back(s.substr(span.start, span.end - span.start));
  return out;
}

std::map<std::string, std::vector<Case>> build_table() {
  std::map<std::string, std::vector<Case>> t;
  const V firsts = {"He left", "The meeting ended early", "We stayed at home", "It rained all day",
                    "She signed the letter"};
  const V seconds = {"Nobody came.", "Prices rose again.", "Then we went home.", "Rents were lower.",
                     "Everyone agreed."};

  // One-line lists with number, letter, Roman and parenthesised markers.
  {
    auto& c = t["one-line lists"];
    const std::vector<std::vector<std::string>> markers = {
        {"i)", "ii)", "iii)"},    {"I)", "II)", "III)"}, {"(a)", "(b)", "(c)"}, {"(i)", "(ii)", "(iii)"},
        {"a.", "b.", "c."},       {"a)", "b)", "c)"},    {"1)", "2)", "3)"},    {"(1)", "(2)", "(3)"},
        {"A)", "B)", "C)"},       {"iv)", "v)", "vi)"},  {"(x)", "(xi)", "(xii)"}, {"8.", "9.", "10."},
        {"vii.", "viii.", "ix."}, {"(A)", "(B)", "(C)"}};
    const std::vector<V> items = {{"apples", "pears", "plums"},
                                  {"read the text", "write a summary", "hand it in"},
                                  {"the first point", "the second point", "the last one"},
                                  {"bring water", "pack food", "leave early"},
                                  {"red", "green", "blue"}};
    for (const auto& m : markers)
      for (const auto& it : items)
        c.push_back({m[0] + " " + it[0] + " " + m[1] + " " + it[1] + " " + m[2] + " " + it[2],
                     {m[0] + " " + it[0], m[1] + " " + it[1], m[2] + " " + it[2]}});
    // Not a next item: a parenthesis or a letter inside the text.
    c.push_back({"(a) the price (in dollars) rose", {"(a) the price (in dollars) rose"}});
    c.push_back({"i) one thing x) another", {"i) one thing x) another"}});
    c.push_back({"a. first c. third", {"a. first c. third"}});
    c.push_back({"(a) first b) second", {"(a) first b) second"}});
  }

  // Citation marks right after a period.
  {
    auto& c = t["citations"];
    const V marks = {"[12]", "[3]", "[1, 2]", "[4\xE2\x80\x93" "6]", "[7][8]", "[1-3]", "3", "12", "1",
                     "\xC2\xB9", "\xC2\xB2", "\xC2\xB3", "\xE2\x81\xB4", "\xC2\xB9\xE2\x81\xB0"};
    for (const auto& m : marks)
      for (std::size_t k = 0; k < firsts.size(); ++k)
        c.push_back({firsts[k] + "." + m + " " + seconds[k], {firsts[k] + "." + m, seconds[k]}});
    // A lowercase word after it: the sentence goes on.
    c.push_back({"As shown before.[12] and then again.", {"As shown before.[12] and then again."}});
    // Numbers, references and addresses are not citations.
    c.push_back({"The value is 3.14 Then more.", {"The value is 3.14 Then more."}});
    c.push_back({"See Fig.3 This shows it.", {"See Fig.3 This shows it."}});
    c.push_back({"See No.5 Then it goes.", {"See No.5 Then it goes."}});
    c.push_back({"Use version v1.2 Now.", {"Use version v1.2 Now."}});
    c.push_back({"It was true.3x Next.", {"It was true.3x Next."}});
  }

  // An initialism that ends a sentence before a capital, and one inside a name.
  {
    auto& c = t["initialism at the end"];
    const V initialisms = {"U.K.", "U.S.", "E.U.", "U.N.", "U.S.A."};
    const V next = {"Rents were lower.", "Prices rose.", "Nobody noticed.", "Housing was cheap.", "Taxes fell.",
                    "Wages grew."};
    for (const auto& i : initialisms)
      for (const auto& n : next) c.push_back({"They moved to the " + i + " " + n, {"They moved to the " + i, n}});
    const V names = {"Army", "Government", "Navy", "Senate", "Supreme Court", "Department of State",
                     "Embassy", "Congress", "Treasury", "Postal Service"};
    for (const auto& i : {"U.S.", "U.K."})
      for (const auto& n : names) {
        std::string s = std::string("He joined the ") + i + " " + n + " in 1990.";
        c.push_back({s, {s}});
      }
    c.push_back({"I live in the U.S. How about you?", {"I live in the U.S.", "How about you?"}});
    // Function words, pronouns and sentence adverbs open the next sentence; a name that runs on
    // over several capitalised words continues this one.
    for (const char* i : {"U.K.", "U.S.", "E.U."}) {
      for (const char* n : {"Then he went home.", "Afterwards he went home.", "Nobody saw him.", "Everyone cheered.",
                            "Later he came back.", "Soon it was over.", "Yesterday it rained."}) {
        c.push_back({std::string("Finally he left the ") + i + " " + n, {std::string("Finally he left the ") + i, n}});
        c.push_back({std::string("It rained. He left the ") + i + " " + n,
                     {"It rained.", std::string("He left the ") + i, n}});
      }
      for (const char* n : {"Forest Service", "Secret Service", "District Court", "Armed Forces", "Copyright Office",
                            "Human Rights Council"}) {
        std::string s = std::string("He worked for the ") + i + " " + n + " for years.";
        c.push_back({s, {s}});
      }
    }
    c.push_back({"They left the U.K. Later I followed.", {"They left the U.K.", "Later I followed."}});
    c.push_back({"The U.S. economy grew.", {"The U.S. economy grew."}});
    c.push_back({"At the U.N. Security Council he spoke.", {"At the U.N. Security Council he spoke."}});
  }

  // A time of day ends a sentence before a capitalised word that is no time zone, day or month.
  {
    auto& c = t["time of day"];
    const V next = {"Travelers who came later waited.", "Nobody came.", "Passengers complained.", "The train was late.",
                    "Everyone was tired."};
    for (const char* m : {"a.m.", "p.m.", "A.M.", "P.M."})
      for (const auto& n : next) {
        c.push_back({std::string("He left at 6 ") + m + " " + n, {std::string("He left at 6 ") + m, n}});
        c.push_back({std::string("It rained. We met at 10:30 ") + m + " " + n,
                     {"It rained.", std::string("We met at 10:30 ") + m, n}});
      }
    for (const char* m : {"a.m.", "p.m.", "P.M."})
      for (const char* rest : {"on Monday.", "sharp.", "Eastern Time.", "GMT on Monday.", "Tuesday at the hall.",
                               "March 3 in Paris."}) {
        std::string s = std::string("He left at 6 ") + m + " " + rest;
        c.push_back({s, {s}});
      }
    // A short introductory phrase, and a title after the time, as before.
    c.push_back({"At 5 a.m. Mr. Smith went to the bank.", {"At 5 a.m. Mr. Smith went to the bank."}});
    c.push_back({"He left at 6 P.M. Mr. Smith stayed.", {"He left at 6 P.M.", "Mr. Smith stayed."}});
  }

  // Quotations that hold several sentences: a ? or ! inside the quotation before a capital ends
  // one; before a lowercase reporting verb ("'Well!' thought Alice") it does not.
  {
    auto& c = t["quotations"];
    const std::vector<std::pair<std::string, std::string>> quotes = {
        {"'", "'"}, {"\"", "\""}, {"\xE2\x80\x98", "\xE2\x80\x99"}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}, {"`", "'"}};
    for (const auto& q : quotes) {
      const std::string& o = q.first;
      const std::string& e = q.second;
      c.push_back({o + "Well!" + e + " thought Alice to herself, " + o +
                       "after such a fall as this, I shall think nothing of tumbling down stairs! How brave they'll "
                       "all think me at home! Why, I wouldn't say anything about it, even if I fell off the top of "
                       "the house!" + e,
                   {o + "Well!" + e + " thought Alice to herself, " + o +
                        "after such a fall as this, I shall think nothing of tumbling down stairs!",
                    "How brave they'll all think me at home!",
                    "Why, I wouldn't say anything about it, even if I fell off the top of the house!" + e}});
      c.push_back({o + "Oh dear!" + e + " said the Rabbit. " + o + "I shall be late! What will she say?" + e + " He ran.",
                   {o + "Oh dear!" + e + " said the Rabbit.", o + "I shall be late!", "What will she say?" + e,
                    "He ran."}});
      c.push_back({o + "Help!" + e + " cried Bob. " + o + "Where are you?" + e + " asked Ann.",
                   {o + "Help!" + e + " cried Bob.", o + "Where are you?" + e + " asked Ann."}});
      c.push_back({o + "Is it? Really? Are you sure?" + e + " she asked twice.",
                   {o + "Is it?", "Really?", "Are you sure?" + e + " she asked twice."}});
      c.push_back({"He shouted, " + o + "Stop! Wait for me!" + e + " (Nobody did.)",
                   {"He shouted, " + o + "Stop!", "Wait for me!" + e, "(Nobody did.)"}});
    }
  }

  // A list whose first item follows the end of a sentence on the same line.
  {
    auto& c = t["list after a sentence"];
    const std::vector<std::vector<std::string>> markers = {{"a.", "b.", "c."}, {"a)", "b)", "c)"},
                                                           {"(a)", "(b)", "(c)"}, {"i.", "ii.", "iii."},
                                                           {"1.", "2.", "3."}, {"1)", "2)", "3)"}};
    const std::vector<V> items = {{"here it is", "another one", "one more"},
                                  {"read the text", "write a summary", "hand it in"},
                                  {"apples", "pears", "plums"}};
    for (const auto& m : markers)
      for (const auto& it : items) {
        c.push_back({"Here is the list. " + m[0] + " " + it[0] + " " + m[1] + " " + it[1] + " " + m[2] + " " + it[2],
                     {"Here is the list.", m[0] + " " + it[0], m[1] + " " + it[1], m[2] + " " + it[2]}});
        c.push_back({"Do this! " + m[0] + " " + it[0] + " " + m[1] + " " + it[1],
                     {"Do this!", m[0] + " " + it[0], m[1] + " " + it[1]}});
      }
    // On its own the list splits as before; after a colon it is an enumeration inside the sentence.
    c.push_back({"a. here it is b. another one c. one more", {"a. here it is", "b. another one", "c. one more"}});
    const std::string colon = "It has three parts: (1) a head, (2) a body, and (3) a tail.";
    c.push_back({colon, {colon}});
    const std::string letters = "Choose one: a. tea b. coffee";
    c.push_back({letters, {letters}});
    // No next item: the letter is a word.
    c.push_back({"Here it is. a. one c. three", {"Here it is. a. one c. three"}});
  }

  // Ellipses.
  {
    auto& c = t["ellipsis"];
    for (const char* e : {"...", "\xE2\x80\xA6"})
      for (std::size_t k = 0; k < firsts.size(); ++k) {
        c.push_back({firsts[k] + e + " " + seconds[k], {firsts[k] + e, seconds[k]}});
        c.push_back({firsts[k] + e + " and then more.", {firsts[k] + e + " and then more."}});
        c.push_back({firsts[k] + " " + e + " " + seconds[k], {firsts[k] + " " + e + " " + seconds[k]}});
      }
    c.push_back({"I wasn't really . . . I didn't mean it.", {"I wasn't really . . . I didn't mean it."}});
    c.push_back({"I never meant that.... She left.", {"I never meant that....", "She left."}});
    c.push_back({"He said [...] nothing.", {"He said [...] nothing."}});
    c.push_back({"It ended...", {"It ended..."}});
  }

  // Full-width and CJK sentence punctuation.
  {
    auto& c = t["CJK punctuation"];
    const V ends = {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xEF\xBC\x8E"};  // 。！？．
    const V a = {"\xE4\xBD\xA0\xE5\xA5\xBD", "\xE4\xBB\x8A\xE5\xA4\xA9\xE5\xBE\x88\xE7\x83\xAD",
                 "\xE6\x88\x91\xE4\xBB\xAC\xE8\xB5\xB0\xE5\x90\xA7"};  // 你好 今天很热 我们走吧
    for (const auto& e : ends)
      for (std::size_t k = 0; k < a.size(); ++k) {
        const std::string x = a[k], y = a[(k + 1) % a.size()];
        c.push_back({x + e + y + e, {x + e, y + e}});                  // no space
        c.push_back({x + e + " " + y + e, {x + e, y + e}});            // a space
        c.push_back({x + e + "\xE3\x80\x8D" + y + e, {x + e + "\xE3\x80\x8D", y + e}});  // a closing 」
      }
    c.push_back({"Hello\xEF\xBC\x81 How are you\xEF\xBC\x9F", {"Hello\xEF\xBC\x81", "How are you\xEF\xBC\x9F"}});
  }

  // A missing space after a period, and what must stay whole.
  {
    auto& c = t["missing space"];
    for (std::size_t k = 0; k < firsts.size(); ++k)
      for (const char* t2 : {"Next sentence here.", "Then it stopped.", "After that we slept.", "Nobody knew why.",
                             "Later it snowed."})
        c.push_back({firsts[k] + "." + t2, {firsts[k] + ".", t2}});
    c.push_back({"Really?Yes it is.", {"Really?", "Yes it is."}});
    // After a quantity that cannot be a label, a section or a version.
    for (const char* q : {"1,000", "12,500,000", "$100", "$4.50", "\xE2\x82\xAC" "20", "\xC2\xA3" "3,000.25", "50%",
                          "2,000.5"})
      c.push_back({std::string("I bought ") + q + ".That is a lot.", {std::string("I bought ") + q + ".", "That is a lot."}});
    const V whole = {"See www.Example.com for more.",   "Mail john@Example.com today.",
                     "Open https://docs.Example.org/a now.", "It costs 3.50 Euros.",
                     "Use e.g.Paris as a name.",        "Install version 2.0.Beta now.",
                     "The file config.yaml is read.",   "He is Mr.Smith of Boston.",
                     "Read the U.S.Code first.",        "It is x.Y in the math.",
                     "The class java.lang is old.",     "Call obj.Method() now.",
                     "See example.COM now.",            "It was 10.Then more.",
                     "It cost 1,000.50 in all.",        "Pi is 3.14 here.",
                     "Use e.g.That one.",               "Section 1,000.A is next.",
                     "It is 12,50.Then more."};
    for (const auto& w : whole) c.push_back({w, {w}});
  }

  // List lines without punctuation.
  {
    auto& c = t["list lines"];
    const std::vector<V> items = {{"apples", "pears", "plums"}, {"Read the text", "Write a summary", "Hand it in"}};
    for (const char* bullet : {"- ", "* ", "+ ", "\xE2\x80\xA2 ", "\xE2\x97\xA6 ", "\xE2\x96\xAA "})
      for (const auto& it : items) {
        std::string b = bullet;
        c.push_back({"We need:\n" + b + it[0] + "\n" + b + it[1] + "\n" + b + it[2] + "\nThat is all we need for the trip.",
                     {"We need:", b + it[0], b + it[1], b + it[2], "That is all we need for the trip."}});
      }
    for (const char* style : {".", ")", ".)"})
      for (const auto& it : items) {
        c.push_back({std::string("1") + style + " " + it[0] + "\n2" + style + " " + it[1] + "\n3" + style + " " + it[2],
                     {std::string("1") + style + " " + it[0], std::string("2") + style + " " + it[1],
                      std::string("3") + style + " " + it[2]}});
      }
    for (const auto& it : items)
      c.push_back({"a) " + it[0] + "\nb) " + it[1] + "\nc) " + it[2], {"a) " + it[0], "b) " + it[1], "c) " + it[2]}});
    c.push_back({"- a long item that wraps\n  onto a second line\n- the next one",
                 {"- a long item that wraps\n  onto a second line", "- the next one"}});
  }

  // A dash around a terminator inside a sentence.
  {
    auto& c = t["dashes"];
    for (const char* d : {"\xE2\x80\x94", "\xE2\x80\x93", "--"})
      for (const char* mark : {"!", "?", "!!"})
        for (const char* w : {"wow", "really", "Wow"}) {
          std::string s = std::string("He said ") + d + " " + w + mark + " " + d + " that it worked.";
          c.push_back({s, {s}});
        }
    c.push_back({"It worked! \xE2\x80\x94 or so he said.", {"It worked! \xE2\x80\x94 or so he said."}});
    c.push_back({"It worked!\n\xE2\x80\x94 Nobody", {"It worked!", "\xE2\x80\x94 Nobody"}});
  }

  // Capitals beyond Latin-1 start sentences; lowercase letters continue them.
  {
    auto& c = t["non-Latin-1 capitals"];
    const V capital = {"\xC5\x81ukasz came.", "\xC5\x9E" "ahin came.", "\xCE\xA9mega won.",
                       "\xD0\x9A\xD0\xB8\xD1\x80\xD0\xB8\xD0\xBB\xD0\xBB came.", "\xC4\xB0stanbul waited.",
                       "\xC7\x85" "emal came.", "\xEF\xBC\xA1nna came.", "\xC3\x89mile came."};
    for (const auto& k : capital) c.push_back({"He left. " + k, {"He left.", k}});
    for (const auto& k : capital) c.push_back({"He left? " + k, {"He left?", k}});
    const V lower = {"\xC5\x82" "ater on.", "\xC5\x9F" "imdi de.", "\xCF\x89" "s well.", "\xD0\xB6" "e.",
                     "\xC4\xB1" "s.", "\xC7\x86" "a."};
    for (const auto& k : lower) c.push_back({"It ended, etc. " + k, {"It ended, etc. " + k}});
  }
  return t;
}

}  // namespace

TEST_CASE("boundary categories (table)") {
  const auto table = build_table();
  std::size_t total = 0;
  for (const auto& entry : table) {
    const auto& category = entry.first;  // a plain name: doctest's CAPTURE cannot take a structured binding in clang
    const auto& cases = entry.second;
    std::size_t passed = 0;
    for (const Case& c : cases) {
      CAPTURE(category);
      CAPTURE(c.text);
      V got = sents(c.text);
      CHECK(got == c.expected);
      if (got == c.expected) ++passed;
    }
    MESSAGE(category << ": " << passed << "/" << cases.size());
    CHECK(cases.size() >= 20);
    total += cases.size();
  }
  MESSAGE("boundary categories: " << total << " cases");
  CHECK(total >= 380);
}

namespace {

struct DecisionCase {
  std::string text;
  std::string at;  // the candidate is at the first occurrence of this text
  bool split;
  std::string_view reason;
};

text::Decision decide_at(const std::string& t, const std::string& at, const text::Abbreviations& abbrevs) {
  text::BoundaryContext x;
  x.text = t;
  x.para_begin = 0;
  x.para_end = t.size();
  x.longest_line = t.size();
  x.sentence_begin = 0;
  x.marker = text::parse_list_marker(t, 0, t.size());
  x.abbreviations = &abbrevs;
  const std::size_t pos = t.find(at);
  REQUIRE(pos != std::string::npos);
  text::Candidate c;
  c.at = pos;
  if (t[pos] == '\n') {
    c.kind = text::Candidate::Kind::line_break;
    c.line_begin = 0;
  } else if (t[pos] == ')') {
    c.kind = text::Candidate::Kind::list_label;
  } else if (t.compare(pos, 3, "\xE2\x80\xA2") == 0) {
    c.kind = text::Candidate::Kind::bullet;
  }
  return text::decide(c, x);
}

}  // namespace

TEST_CASE("decisions and their reasons, one candidate at a time") {
  const std::vector<DecisionCase> cases = {
      {"It ended. Then more.", ". Then", true, "ordinary_word"},
      {"It ended.", ".", true, "paragraph_end"},
      {"She works at Yahoo! in the city.", "! in", false, "lowercase_follows"},
      {"Is it? Yes.", "? Yes", true, "strong_terminator"},
      {"\xE4\xBD\xA0\xE5\xA5\xBD\xE3\x80\x82\xE6\x88\x91", "\xE3\x80\x82", true, "cjk_terminator"},
      {"It was in 2010. 2011 was worse.", ". 2011", true, "number_after_word"},
      {"See p. 55 for it.", ". 55", false, "number_follows"},
      {"He paid etc. The rest came later.", ". The", true, "abbreviation_then_opener"},
      {"They moved to the U.K. Rents were lower.", ". Rents", true, "initialism_then_capital"},
      {"He joined the U.S. Forest Service then.", ". Forest", false, "abbreviation_then_name"},
      {"He left the U.K. Afterwards he rested.", ". Afterwards", true, "abbreviation_then_opener"},
      {"He left at 6 a.m. Travelers waited.", ". Travelers", true, "time_then_capital"},
      {"He left at 6 p.m. Eastern Time.", ". Eastern", false, "abbreviation_then_name"},
      {"He came at 6 a.m. on Monday.", ". on", false, "lowercase_follows"},
      {"He joined the U.S. Army then.", ". Army", false, "abbreviation_then_name"},
      {"It was shown before.[12] Then it was not.", ".[12]", true, "citation"},
      {"It was true.3 Next it was not.", ".3", true, "citation"},
      {"It ended.Next sentence.", ".Next", true, "missing_space"},
      {"I bought 1,000.That is a lot.", ".That", true, "missing_space"},
      {"It cost 1,000.50 in all.", ".50", false, "no_space_after"},
      {"See www.example.com now.", ".example", false, "no_space_after"},
      {"I waited... Nobody came.", "...", true, "ellipsis_then_capital"},
      {"I waited ... Nobody came.", "...", false, "ellipsis_inside"},
      {"Stop.... Then go.", "....", true, "several_dots"},
      {"He said [...] that.", "...", false, "omission_in_brackets"},
      {"He said \xE2\x80\x94 wow! \xE2\x80\x94 that it worked.", "!", false, "dash_follows"},
      {"Mr. Smith came.", ". Smith", false, "title_abbreviation"},
      {"Fruit, e.g. Apples, came.", ". Apples", false, "inner_abbreviation"},
      {"At 5 a.m. Mr. Smith went.", ". Mr", false, "introductory_phrase"},
      {"1) first 2) second", "2)", true, "next_list_label"},  // the ')' of "2)": found below
      {"1) first (see it) here", "it)", false, "not_next_label"},
      {"Here it is. a. one b. two", ". one", true, "list_starts"},
      {"Here it is. a) one b) two", "a)", true, "list_starts"},
      {"\xE2\x80\xA2 one \xE2\x80\xA2 two", "\xE2\x80\xA2 two", true, "next_bullet"},
      {"CHAPTER ONE\nIt began.", "\n", true, "heading_line"},
      {"Dear Sir,\nThe letter came.", "\n", false, "line_goes_on"},
      {"- apples and pears and plums and more\nThat is all.", "\n", true, "list_item_line"},
      {"The text goes\non here.", "\n", false, "line_goes_on"},
  };
  const text::Abbreviations abbrevs = text::Abbreviations::builtin();
  for (const DecisionCase& c : cases) {
    CAPTURE(c.text);
    // For "2)" the candidate is its ')'.
    std::string at = c.at;
    text::Decision d;
    if (at.size() >= 2 && at.back() == ')' && at != ")") {
      const std::size_t pos = c.text.find(at) + at.size() - 1;
      d = decide_at(c.text, c.text.substr(pos), abbrevs);
    } else {
      d = decide_at(c.text, at, abbrevs);
    }
    CHECK(d.split == c.split);
    CHECK(text::reason_name(d.why) == c.reason);
  }
}
