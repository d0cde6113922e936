#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/text/sentences.h"

using namespace mlpipe;
using text::SentenceSpan;

namespace {

std::vector<std::string> sentence_texts(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& span : text::split_sentences(s)) out.emplace_back(s.substr(span.start, span.end - span.start));
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("empty input and whitespace only give no sentences") {
  CHECK(sentence_texts("").empty());
  CHECK(sentence_texts("   \n\t\r\n  \n").empty());
  CHECK(sentence_texts("\xEF\xBB\xBF").empty());
  CHECK(sentence_texts("\xC2\xA0 \xE2\x80\x83").empty());  // no-break and em spaces
}

TEST_CASE("spans are trimmed byte offsets, paragraphs from blank lines") {
  std::string t = "  First one.   Second one?\n\n\n Third!  \n";
  auto spans = text::split_sentences(t);
  REQUIRE(spans.size() == 3);
  CHECK(spans[0] == SentenceSpan{2, 12, 0});
  CHECK(spans[1] == SentenceSpan{15, 26, 0});
  CHECK(spans[2] == SentenceSpan{30, 36, 1});
  CHECK(t.substr(spans[2].start, spans[2].end - spans[2].start) == "Third!");
}

TEST_CASE("a byte order mark is skipped, offsets stay in the source") {
  std::string t = "\xEF\xBB\xBFHello there. Bye.";
  auto spans = text::split_sentences(t);
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].start == 3);
  CHECK(t.substr(spans[0].start, spans[0].end - spans[0].start) == "Hello there.");
}

TEST_CASE("CRLF text and no final newline") {
  CHECK(sentence_texts("One line.\r\nStill the same paragraph here.\r\n\r\nNew paragraph") ==
        V{"One line.", "Still the same paragraph here.", "New paragraph"});
  auto spans = text::split_sentences("A.\r\n\r\nB is here.\r\n");
  REQUIRE(spans.size() == 2);
  CHECK(spans[1].para == 1);
}

TEST_CASE("hard-wrapped lines are one sentence; headings and short lines are not") {
  std::string wrapped =
      "It was the best of times, it was the worst of times, it was the age\n"
      "of wisdom, it was the age of foolishness, it was the epoch of belief,\n"
      "it was the epoch of incredulity. It was the season of Light.\n";
  CHECK(sentence_texts(wrapped).size() == 2);
  CHECK(sentence_texts("CHAPTER IV\nThe prince and the people are never long of one mind, and this\n"
              "is true of every state that was ever founded or will be founded.") ==
        V{"CHAPTER IV", "The prince and the people are never long of one mind, and this\n"
                        "is true of every state that was ever founded or will be founded."});
  CHECK(sentence_texts("Members of the Congress:\nIt is with a heavy heart that I stand before you, my friends and "
              "colleagues, in the Congress of the United States.")
            .size() == 2);
  CHECK(sentence_texts("Title without a period\n\nBody text here.") == V{"Title without a period", "Body text here."});
}

TEST_CASE("double-spaced lines and quotations set apart do not break a sentence") {
  CHECK(sentence_texts("The powers of the\n\nconvention ought to be determined.") ==
        V{"The powers of the\n\nconvention ought to be determined."});
}

TEST_CASE("lists on their own lines") {
  CHECK(sentence_texts("Things to buy\n- milk\n- bread and butter\n* eggs") ==
        V{"Things to buy", "- milk", "- bread and butter", "* eggs"});
  CHECK(sentence_texts("Steps:\n1. open the box\n2. take it out\n3) enjoy") ==
        V{"Steps:", "1. open the box", "2. take it out", "3) enjoy"});
  CHECK(sentence_texts("\xE2\x80\xA2 one \xE2\x80\xA2 two") == V{"\xE2\x80\xA2 one", "\xE2\x80\xA2 two"});
  CHECK(sentence_texts("1.E.1. The following sentence must appear. 1.E.2. If an individual work") ==
        V{"1.E.1. The following sentence must appear.", "1.E.2. If an individual work"});
}

TEST_CASE("numbers, versions, times, amounts, URLs, e-mail addresses") {
  CHECK(sentence_texts("Pi is 3.14159 roughly. Version 2.4.1 shipped at 10.30 a.m. on time.") ==
        V{"Pi is 3.14159 roughly.", "Version 2.4.1 shipped at 10.30 a.m. on time."});
  CHECK(sentence_texts("It cost $4.50. Write to a.b@c.org. See www.example.com/x.html for more.") ==
        V{"It cost $4.50.", "Write to a.b@c.org.", "See www.example.com/x.html for more."});
  CHECK(sentence_texts("See p. 12 and No. 5 of vol. 3. Then stop.") == V{"See p. 12 and No. 5 of vol. 3.", "Then stop."});
  CHECK(sentence_texts("And (Mat. 20.28.) our Saviour spoke.") == V{"And (Mat. 20.28.) our Saviour spoke."});
}

TEST_CASE("abbreviations by kind") {
  CHECK(sentence_texts("Dr. Watson met Prof. Moriarty. They spoke.") == V{"Dr. Watson met Prof. Moriarty.", "They spoke."});
  CHECK(sentence_texts("Bring fruit, e.g. Apples and pears. Or not.") == V{"Bring fruit, e.g. Apples and pears.", "Or not."});
  CHECK(sentence_texts("We sold shoes, hats, etc. The shop closed.") == V{"We sold shoes, hats, etc.", "The shop closed."});
  CHECK(sentence_texts("It was Jan. 5 and cold.") == V{"It was Jan. 5 and cold."});
  CHECK(sentence_texts("Harry S. Truman spoke. J. R. R. Tolkien wrote.") == V{"Harry S. Truman spoke.", "J. R. R. Tolkien wrote."});
}

TEST_CASE("quotes and brackets after the period") {
  CHECK(sentence_texts("He said, \xE2\x80\x9CGo away.\xE2\x80\x9D Then he left.") ==
        V{"He said, \xE2\x80\x9CGo away.\xE2\x80\x9D", "Then he left."});
  CHECK(sentence_texts("She asked \"Why?\" and waited. (It was late.) We slept.") ==
        V{"She asked \"Why?\" and waited.", "(It was late.)", "We slept."});
  CHECK(sentence_texts("\xE2\x80\x9CShe said \xE2\x80\x98no.\xE2\x80\x99\xE2\x80\x9D He nodded.") ==
        V{"\xE2\x80\x9CShe said \xE2\x80\x98no.\xE2\x80\x99\xE2\x80\x9D", "He nodded."});  // nested quotes
}

TEST_CASE("ellipses") {
  CHECK(sentence_texts("Wait for it\xE2\x80\xA6 and go.") == V{"Wait for it\xE2\x80\xA6 and go."});
  CHECK(sentence_texts("It ended so...") == V{"It ended so..."});
  CHECK(sentence_texts("It ended so . . .") == V{"It ended so . . ."});
  CHECK(sentence_texts("It ended.... Then another began.") == V{"It ended....", "Then another began."});
}

TEST_CASE("a very long sentence stays whole") {
  std::string t;
  for (int i = 0; i < 20000; ++i) t += "and on ";
  t += "it went.";
  auto spans = text::split_sentences(t);
  REQUIRE(spans.size() == 1);
  CHECK(spans[0].start == 0);
  CHECK(spans[0].end == t.size());
}

TEST_CASE("abbreviation files extend the built-in list") {
  text::Abbreviations a = text::Abbreviations::builtin();
  CHECK(a.find("Mr") == text::AbbrevKind::title);
  CHECK(a.find("E.G") == text::AbbrevKind::inner);
  CHECK_FALSE(a.find("Tusc").has_value());
  std::string path = std::string(MLPIPE_TEST_DATA) + "/mlsplit/abbrev.txt";
  a.load(path, local_files());
  CHECK(a.find("tusc") == text::AbbrevKind::inner);
  CHECK(a.find("Gov") == text::AbbrevKind::title);
  text::SentenceSplitter splitter(a);
  std::string t = "Cicero, Tusc. Quaest. 5, says so. Fine.";
  CHECK(splitter.split(t).size() == 2);

  CHECK_THROWS_AS(a.load(std::string(MLPIPE_TEST_DATA) + "/mlsplit/no-such-file", local_files()), Error);
  try {
    a.load(std::string(MLPIPE_TEST_DATA) + "/mlsplit/abbrev-bad.txt", local_files());
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.line() == 3);
    CHECK(std::string(e.what()).find("unknown abbreviation kind 'person'") != std::string::npos);
  }
}

TEST_CASE("any input gives ordered, trimmed, non-empty spans inside the text") {
  // Random mixes of the characters the rules look at, including broken UTF-8.
  static const char* pieces[] = {".", "?", "!", " ", "\n", "\n\n", "\r\n", "\"", "'", ")", "(", "[", "]",
                                 "1.", "2)", "a.", "b)", "Mr.", "U.S.", "e.g.", "I.", "A", "word", "The",
                                 "\xE2\x80\xA6", "\xE2\x80\xA2", "\xE2\x80\x9D", "\xC2\xA0", "\xE2", "\xC2",
                                 "\xEF\xBB\xBF", ". . .", "...", "- ", "12.", "ii.", "x@y.z", "\xE2\x81\x83"};
  std::uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return std::size_t(state >> 33);
  };
  text::SentenceSplitter splitter;
  std::vector<SentenceSpan> spans;
  for (int round = 0; round < 3000; ++round) {
    std::string t;
    std::size_t n = next() % 40;
    for (std::size_t i = 0; i < n; ++i) t += pieces[next() % (sizeof pieces / sizeof *pieces)];
    spans.clear();
    splitter.split(t, spans);
    std::size_t prev_end = 0;
    std::uint32_t prev_para = 0;
    for (const auto& s : spans) {
      REQUIRE(s.start < s.end);
      REQUIRE(s.end <= t.size());
      REQUIRE(s.start >= prev_end);
      REQUIRE(s.para >= prev_para);
      REQUIRE(t[s.start] != ' ');
      REQUIRE(t[s.end - 1] != ' ');
      REQUIRE(t[s.end - 1] != '\n');
      prev_end = s.end;
      prev_para = s.para;
    }
  }
}
