// mlserve's HTTP/1.1 server, a module of its own since it is the one file that compiles
// Boost.Beast (slow to compile, and needed by no test tree but the release one): keep-alive connections on a few threads (Boost.Beast over Asio),
// each request handed whole to one handler function. Idle connections cost a socket and a
// buffer, not a thread, so that a thousand of them do not keep a new client waiting.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "mlpipe/serve/http_message.h"

namespace mlpipe::http {

// The request and response types are the service's (serve/http_message.h), which knows no Beast.
using serve::HttpRequest;
using serve::HttpResponse;

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (port() says which)
  int threads = 1;            // threads running handlers and I/O
  std::size_t max_body_bytes = std::size_t(64) << 20;  // larger bodies get 413
  std::chrono::seconds idle_timeout{60};  // a keep-alive connection with no request is closed after it
  std::chrono::seconds read_timeout{30};  // a request must arrive whole within it, once started
};

// Called on a server thread for each request; must not throw (the service turns its own
// errors into responses). A request the server could not read whole (too large, malformed)
// comes with `refused` set, so that the one handler answers, logs and counts it too.
using HttpHandler = std::function<HttpResponse(HttpRequest&)>;

class HttpServer {
 public:
  // Binds and listens (throws Error naming the address on failure); serving starts with run().
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();

  std::uint16_t port() const;
  // Serves on options.threads threads (this one among them) until stop() and until the
  // requests in flight are answered.
  void run();
  // From any thread: stops accepting; requests in flight are answered, then their
  // connections close; idle connections close at once.
  void stop();

  struct Impl;  // what http_server.cpp keeps (its connections reach it too)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlpipe::http
