// Bearer tokens (--token-file): who may write (train, delete, load, unload) and, with
// --auth all, who may read. The file holds one token per line; blank lines and lines
// starting with '#' are skipped. Read again on SIGHUP.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::serve {

class Tokens {
 public:
  Tokens() = default;  // no tokens: every request is allowed
  // Throws Error naming the file (and line) when it cannot be read, holds no token, or a
  // token shorter than 16 characters or with spaces.
  static Tokens read(const std::string& path);

  bool required() const { return !tokens_.empty(); }
  // Whether an Authorization header ("Bearer TOKEN") carries one of the tokens. Compares in
  // time independent of where a wrong token differs.
  bool allows(std::string_view authorization) const;

 private:
  std::vector<std::string> tokens_;
};

}  // namespace mlpipe::serve
