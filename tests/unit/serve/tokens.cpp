#include "mlpipe/serve/tokens.h"

#include <doctest/doctest.h>

#include <string>

#include "../temp_dir.h"
#include "mlpipe/core/error.h"

using namespace mlpipe;
using namespace mlpipe::serve;
using mlpipe::testing::TempDir;

namespace {

const std::string kToken = "0123456789abcdef";  // 16 characters: the shortest allowed
const std::string kOther = "another-token-of-the-server-0001";

}  // namespace

TEST_CASE("token files: one token a line, blank lines and comments skipped") {
  TempDir dir;
  Tokens t = Tokens::read(dir.write("tokens", "# the service's tokens\n\n" + kToken + "\r\n  \n" + kOther));
  CHECK(t.required());
  CHECK(t.allows("Bearer " + kToken));
  CHECK(t.allows("Bearer " + kOther));
  CHECK_FALSE(Tokens().required());
}

TEST_CASE("bad token files are errors naming the file and line") {
  struct Case {
    const char* text;
    std::uint64_t line;
    const char* message;
  };
  const char* kShort = "a token is at least 16 characters without spaces (openssl rand -hex 32 makes one)";
  const Case cases[] = {
      {"", 0, "the token file holds no token"},
      {"\n\n", 0, "the token file holds no token"},
      {"# only a comment\n", 0, "the token file holds no token"},
      {"short\n", 1, kShort},
      {"0123456789abcde\n", 1, kShort},  // 15 characters
      {"# comment\n0123456789abcdef\n0123456789 abcdef\n", 3, kShort},
      {"0123456789abcdef\t\n", 1, kShort},
      {" 0123456789abcdef\n", 1, kShort},
  };
  TempDir dir;
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const std::string path = dir.write("tokens", c.text);
    try {
      Tokens::read(path);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.file() == path);
      CHECK(e.line() == c.line);
      CHECK(std::string(e.what()) == c.message);
    }
  }
  try {
    Tokens::read(dir.path + "/missing");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.file() == dir.path + "/missing");
    CHECK(std::string(e.what()) == "cannot read the token file");
  }
}

TEST_CASE("allows: exactly 'Bearer ' and one of the tokens") {
  TempDir dir;
  const Tokens t = Tokens::read(dir.write("tokens", kToken + "\n" + kOther + "\n"));
  struct Case {
    std::string authorization;
    bool allowed;
  };
  const Case cases[] = {
      {"Bearer " + kToken, true},
      {"Bearer " + kOther, true},
      {"", false},
      {"Bearer ", false},
      {"Bearer", false},
      {kToken, false},
      {"bearer " + kToken, false},
      {"Basic " + kToken, false},
      {"Bearer  " + kToken, false},
      {"Bearer " + kToken + " ", false},
      {"Bearer " + kToken + "0", false},
      {"Bearer " + kToken.substr(0, 15), false},
      {"Bearer " + kToken.substr(1), false},
      {"Bearer 0123456789abcdeF", false},
      {"Bearer " + kToken + kOther, false},
      {"Bearer " + kToken + "\n" + kOther, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.authorization);
    CHECK(t.allows(c.authorization) == c.allowed);
  }
}
