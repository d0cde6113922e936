// The sentence scanner and the UTF-8 helpers, with the promises their headers make:
// spans in order, inside the text, never starting or ending with white space; repairs
// that give valid UTF-8; decoding that always advances.
#include "mlpipe/text/sentences.h"

#include <string>
#include <vector>

#include "harness.h"
#include "mlpipe/text/utf8.h"

using namespace mlpipe;

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void check_utf8(std::string_view text) {
  std::optional<std::size_t> bad = utf8::find_invalid(text);
  fuzz::expect(!bad || *bad < text.size(), "find_invalid points inside the text");
  std::string decoded;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t before = pos;
    char32_t cp = utf8::decode(text, pos);
    fuzz::expect(pos > before && pos <= text.size(), "decode advances inside the text");
    utf8::append(decoded, cp);
  }
  if (!bad) fuzz::expect(decoded == text, "decoding valid UTF-8 and encoding it again gives it back");
  std::string repaired = utf8::replace_invalid(text);
  fuzz::expect(!utf8::find_invalid(repaired), "replace_invalid gives valid UTF-8");
  if (!bad) fuzz::expect(repaired == text, "replace_invalid keeps valid UTF-8");
  fuzz::expect(!utf8::find_invalid(utf8::from_latin1(text)), "from_latin1 gives valid UTF-8");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = fuzz::as_text(data, size);
  check_utf8(input);
  static const text::SentenceSplitter splitter;
  std::vector<text::SentenceSpan> spans = splitter.split(input);
  std::size_t last_end = 0;
  std::uint32_t last_para = 0;
  for (const text::SentenceSpan& s : spans) {
    fuzz::expect(s.start < s.end && s.end <= input.size(), "a span is a non-empty part of the text");
    fuzz::expect(s.start >= last_end, "spans are in order and do not overlap");
    fuzz::expect(s.para >= last_para, "paragraph numbers never decrease");
    fuzz::expect(!is_space(input[s.start]) && !is_space(input[s.end - 1]),
                 "a span neither starts nor ends with white space");
    last_end = s.end;
    last_para = s.para;
  }
  return 0;
}
