// What a request did wrong, as the HTTP status and the located message the client gets.
// Handlers throw it; the service's one dispatch point turns it (and mlpipe::Error) into a
// JSON error body ({"error": "…"}), as run_tool turns Error into "tool: error: …".
#pragma once

#include <stdexcept>
#include <string>

namespace mlpipe::serve {

class RequestError : public std::runtime_error {
 public:
  RequestError(int status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}
  int status() const { return status_; }

  static RequestError bad_request(std::string m) { return {400, std::move(m)}; }
  static RequestError unauthorized(std::string m) { return {401, std::move(m)}; }
  static RequestError not_found(std::string m) { return {404, std::move(m)}; }
  static RequestError conflict(std::string m) { return {409, std::move(m)}; }
  static RequestError too_large(std::string m) { return {413, std::move(m)}; }
  static RequestError unsupported(std::string m) { return {415, std::move(m)}; }
  static RequestError too_many(std::string m) { return {429, std::move(m)}; }
  static RequestError unavailable(std::string m) { return {503, std::move(m)}; }

 private:
  int status_;
};

}  // namespace mlpipe::serve
