// A request as the service sees it and the response it gives: plain values, so that
// nothing but http_server.cpp depends on the HTTP library.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlpipe::serve {

struct HttpRequest {
  std::string method;         // "GET", "POST", …
  std::string target;         // path and query, as sent: "/v2/models/m/infer?x=1"
  std::string content_type;   // without parameters, lowercased: "application/json"
  std::string authorization;  // the Authorization header, as sent
  std::string body;
  std::string remote;         // the client's address, for the access log
  // Set by the server for a request it could not read: the status to answer (413: the body
  // is larger than allowed; 400: not HTTP) and why. Only method and target may be known.
  int refused = 0;
  std::string refused_reason;

  std::string_view path() const;   // target up to '?'
  std::string_view query() const;  // after '?', or empty
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (Location, WWW-Authenticate)
};

// "%41" → "A", '+' → ' '. Throws RequestError 400 on a bad escape.
std::string url_decode(std::string_view text);
// The query's key=value pairs, decoded, in order (a key without '=' has an empty value).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace mlpipe::serve
