// See tokens.h.
#include "mlpipe/serve/tokens.h"

#include <fmt/format.h>

#include <fstream>

#include "mlpipe/core/error.h"

namespace mlpipe::serve {

Tokens Tokens::read(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path, 0, "cannot read the token file");
  Tokens t;
  std::string line;
  std::uint64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') continue;  // blank, or a comment
    if (line.size() < 16 || line.find_first_of(" \t") != std::string::npos)
      throw Error(path, n, "a token is at least 16 characters without spaces (openssl rand -hex 32 makes one)");
    t.tokens_.push_back(line);
  }
  if (t.tokens_.empty()) throw Error(path, 0, "the token file holds no token");
  return t;
}

namespace {

bool same(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.size() ? b.size() : 1)]);
  return diff == 0 && !b.empty();
}

}  // namespace

bool Tokens::allows(std::string_view authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.substr(0, kBearer.size()) != kBearer) return false;
  std::string_view given = authorization.substr(kBearer.size());
  bool ok = false;
  for (const std::string& t : tokens_) ok |= same(given, t);
  return ok;
}

}  // namespace mlpipe::serve
