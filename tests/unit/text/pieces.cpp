// A text split a piece at a time (as mlsplit reads a long document) gives exactly the
// sentences of the text split whole: offsets, paragraph numbers and all, across every seam.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mlpipe/text/sentences.h"

using namespace mlpipe;
using text::SentenceSpan;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Splits `text` as TextReader and the mlsplit worker do: read `piece` bytes, cut at the last
// safe paragraph start (reading on when there is none), carry the paragraph number and offset.
std::vector<SentenceSpan> split_in_pieces(const text::SentenceSplitter& splitter, std::string_view text,
                                          std::size_t piece, int* pieces = nullptr) {
  std::vector<SentenceSpan> out;
  std::size_t offset = 0;
  std::uint32_t para = 0;
  int count = 0;
  while (offset < text.size()) {
    std::size_t want = piece, cut = 0;
    while (true) {
      if (offset + want >= text.size()) {
        cut = text.size() - offset;
        break;
      }
      cut = splitter.last_paragraph_start(text.substr(offset, want));
      if (cut > 0) break;
      want *= 2;
    }
    std::vector<SentenceSpan> spans;
    para = splitter.split_piece(text.substr(offset, cut), para, offset == 0, spans);
    for (SentenceSpan s : spans) {
      s.start += offset;
      s.end += offset;
      out.push_back(s);
    }
    offset += cut;
    ++count;
  }
  if (pieces) *pieces = count;
  return out;
}

}  // namespace

TEST_CASE("a document split in pieces gives the sentences of the whole") {
  std::string doc = "\xEF\xBB\xBF";
  for (const char* name : {"1789-Washington.txt", "swift-modest-proposal.txt", "1865-Lincoln.txt"})
    doc += read_file(std::string(MLPIPE_SAMPLES) + "/essays/" + name);
  // Paragraph breaks a cut must respect: double spacing that goes on in lowercase, blank
  // lines inside a list, a paragraph with no sentence, Unicode spaces on blank lines.
  doc +=
      "\n\nA double-spaced\n\nsentence that goes on. And a list:\n\n1. first\n\n2. second\n\n"
      "   \n\n\xC2\xA0\n\nThe end of it.\n\n\n\xE2\x80\x83\nlast line without a period\n";
  REQUIRE(doc.size() > 30000);
  const text::SentenceSplitter splitter;
  const std::vector<SentenceSpan> whole = splitter.split(doc);
  for (std::size_t piece : {std::size_t(64), std::size_t(500), std::size_t(4096), std::size_t(30000)}) {
    CAPTURE(piece);
    int pieces = 0;
    CHECK(split_in_pieces(splitter, doc, piece, &pieces) == whole);
    CHECK(pieces > 1);
  }
}

TEST_CASE("a safe cut starts a paragraph after a blank line, decided by the text at hand") {
  const text::SentenceSplitter splitter;
  CHECK(splitter.last_paragraph_start("One.\n\nTwo.\n") == 6);
  CHECK(splitter.last_paragraph_start("One.\n\nTwo.") == 0);          // the line is not whole yet
  CHECK(splitter.last_paragraph_start("One.\n\ntwo goes on.\n") == 0);  // lowercase continues the paragraph
  CHECK(splitter.last_paragraph_start("One.\n\n- item\n") == 6);      // a list item starts anew
  CHECK(splitter.last_paragraph_start("One.\nTwo.\nThree.\n") == 0);   // no blank line
  CHECK(splitter.last_paragraph_start("A.\n\nB.\n \t\nC.\n\n") == 10);
}
