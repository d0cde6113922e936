// See http_server.h. The only file that includes Boost.Beast: its templates are costly to
// compile, and nothing else needs to know which library speaks HTTP.
#include "mlpipe/http/http_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <cctype>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "mlpipe/core/error.h"

namespace mlpipe::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// The most a request body is read at a time (Beast reads no more than 64 KB anyway).
constexpr std::size_t kBodyReadBytes = 64 * 1024;

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "application/json; charset=utf-8" → "application/json".
std::string media_type(std::string_view header) {
  std::string_view t = header.substr(0, header.find(';'));
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  return lowercase(t);
}

}  // namespace

// One connection: read a request, answer it, and again while the client keeps it alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& server);
  ~Session();
  void start();
  // Closes the connection if it is waiting for a request; one being answered closes after.
  void close_if_idle();

 private:
  void read();
  void on_read(beast::error_code ec);
  void answer(HttpRequest& request, bool keep_alive, unsigned version);
  void on_write(bool keep_alive, beast::error_code ec);
  void close();

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  beast_http::response<beast_http::string_body> response_;
  std::string remote_;
  std::atomic<bool> idle_{false};
};

struct HttpServer::Impl {
  HttpServerOptions options;
  HttpHandler handler;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // live ones, so that stop() can close the idle ones

  Impl(HttpServerOptions o, HttpHandler h)
      : options(std::move(o)), handler(std::move(h)), io(std::max(1, options.threads)), acceptor(asio::make_strand(io)) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (stopping) return;
      if (!ec) std::make_shared<Session>(std::move(socket), *this)->start();
      accept();  // an error on one connection (EMFILE, a reset) does not end the server
    });
  }

  void add(const std::shared_ptr<Session>& s) {
    std::lock_guard lock(sessions_mutex);
    sessions.emplace(s.get(), s);
  }
  void remove(Session* s) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(s);
  }
};

Session::Session(tcp::socket&& socket, HttpServer::Impl& server) : stream_(std::move(socket)), server_(server) {
  beast::error_code ec;
  tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = peer.address().to_string();
  stream_.socket().set_option(tcp::no_delay(true), ec);
}

Session::~Session() { server_.remove(this); }

void Session::start() {
  server_.add(shared_from_this());
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
}

void Session::close_if_idle() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->idle_) self->close();
  });
}

void Session::read() {
  if (server_.stopping) return close();
  // Room a large body was read with goes back while the connection waits: a thousand idle
  // connections keep a few kilobytes each.
  if (buffer_.capacity() > kBodyReadBytes / 4 && buffer_.size() < kBodyReadBytes / 4) buffer_.shrink_to_fit();
  parser_.emplace();
  parser_->body_limit(server_.options.max_body_bytes);
  parser_->header_limit(64 * 1024);
  idle_ = true;
  stream_.expires_after(server_.options.idle_timeout);
  // The idle timeout runs until the request's first bytes; then the read timeout (below).
  beast_http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->on_read(ec);
    self->idle_ = false;
    self->stream_.expires_after(self->server_.options.read_timeout);
    // Beast reads at most the buffer's spare room at a time, and the buffer holds no more
    // than the header needed: a large body would come in reads of a kilobyte or two, each a
    // system call, a timer set and maybe a wakeup of another thread. Room for larger reads.
    if (boost::optional<std::uint64_t> length = self->parser_->content_length();
        length && *length > self->buffer_.capacity() - self->buffer_.size())
      self->buffer_.reserve(self->buffer_.size() + std::size_t(std::min<std::uint64_t>(*length, kBodyReadBytes)));
    beast_http::async_read(self->stream_, self->buffer_, *self->parser_,
                     [self](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
  });
}

void Session::on_read(beast::error_code ec) {
  idle_ = false;
  if (ec == beast_http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
      ec == asio::error::connection_reset || ec == asio::error::eof)
    return close();
  HttpRequest request;
  request.remote = remote_;
  if (ec) {
    // The request could not be read whole: the handler answers it, then the connection
    // closes (what follows in the stream cannot be trusted to start a request).
    const auto& head = parser_->get();
    request.method = std::string(head.method_string());
    request.target = std::string(head.target());
    request.refused = ec == beast_http::error::body_limit ? 413 : 400;
    request.refused_reason = ec == beast_http::error::body_limit
                                 ? fmt::format("the body is larger than the limit of {} bytes (--max-body)",
                                               server_.options.max_body_bytes)
                                 : fmt::format("not a well-formed HTTP/1.1 request: {}", ec.message());
    return answer(request, false, head.version() ? head.version() : 11);
  }
  beast_http::request<beast_http::string_body> message = parser_->release();
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.content_type = media_type(std::string(message[beast_http::field::content_type]));
  request.authorization = std::string(message[beast_http::field::authorization]);
  request.body = std::move(message.body());
  answer(request, message.keep_alive() && !server_.stopping, message.version());
}

void Session::answer(HttpRequest& request, bool keep_alive, unsigned version) {
  HttpResponse r = server_.handler(request);
  response_ = {};
  response_.version(version);
  response_.result(static_cast<unsigned>(r.status));
  response_.set(beast_http::field::server, "mlserve");
  if (!r.content_type.empty()) response_.set(beast_http::field::content_type, r.content_type);
  for (auto& [name, value] : r.headers) response_.set(name, value);
  response_.body() = std::move(r.body);
  response_.keep_alive(keep_alive);
  response_.prepare_payload();
  stream_.expires_after(server_.options.read_timeout);
  beast_http::async_write(stream_, response_, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
    self->on_write(keep_alive, ec);
  });
}

void Session::on_write(bool keep_alive, beast::error_code ec) {
  if (ec || !keep_alive) return close();
  read();
}

void Session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {
  const HttpServerOptions& o = impl_->options;
  std::string where = fmt::format("{}:{}", o.address, o.port);
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(o.address, ec);
  if (ec) throw Error::usage(fmt::format("--listen: '{}' is not an IP address", o.address));
  tcp::endpoint endpoint(address, o.port);
  tcp::acceptor& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw Error(fmt::format("cannot listen on {}: {}", where, ec.message()));
}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::run() {
  impl_->accept();
  std::vector<std::thread> others;
  for (int i = 1; i < impl_->options.threads; ++i) others.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (std::thread& t : others) t.join();
}

void HttpServer::stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  asio::dispatch(s.acceptor.get_executor(), [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(s.sessions_mutex);
    for (auto& [raw, weak] : s.sessions)
      if (auto session = weak.lock()) live.push_back(std::move(session));
  }
  for (auto& session : live) session->close_if_idle();
}

}  // namespace mlpipe::http
