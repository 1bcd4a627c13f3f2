// Server: the HTTP/1.1 listener (Boost.Beast + Asio, C++20 coroutines). This is the only
// part of Wenku that speaks Beast; everything past it sees web::Request and web::Response.
//
// Per connection: keep-alive; an idle timeout between requests and a per-request timeout;
// header size limit; a body limit chosen per route by the Handler before the body is read
// (uploads are streamed to a temp file in the data folder, never held in memory); an
// `Expect: 100-continue` is answered only when the body is accepted. Handlers run on a
// thread pool, never on the event loop (they block on SQLite, hashing, converters). A
// handler may answer later (Response::later, http.hpp): the connection then waits — holding
// no thread — until the work wakes it or the request timeout passes, and the answer is made
// on the pool.
// Security headers are added to every response, the server's own errors included.
// Stop() (or SIGTERM/SIGINT when HandleSignals is on) stops accepting, lets requests in
// flight finish (up to a grace period) and returns from Run().
//
// Threading: Run() blocks the calling thread; Stop() may be called from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "web/http.hpp"

namespace wenku::web {

// How the server should read a request's body, decided from its method, path and headers.
struct BodyPlan {
  int64_t limit = 1 << 20;           // bytes; larger bodies get 413
  bool to_file = false;              // stream into a temp file (Request::body_file)
  int request_timeout_seconds = 60;  // longest pause while a body or an answer is sent
  // Set: the answer, sent without reading a byte of the body (the connection then closes,
  // since the unread body is still on the wire) — an upload whose credentials are not
  // valid, that another site's page sent, or that its account or address may not send now.
  std::optional<Response> answer;
  // Held until the answer is sent (an upload's place among those its account and address
  // may send at once); nullptr: nothing.
  std::shared_ptr<void> hold;
  // The handler's name for what was asked (its route's id, -1: none), handed back to
  // Handler::Observe; the server does not read it.
  int route = -1;
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Decided from the request line and headers only (`head.body` is still empty). May block
  // (a database read) for a request that is not GET or HEAD: the server calls it on the
  // handler pool for those, on the network thread for GET and HEAD.
  virtual BodyPlan Plan(const Request& head) const = 0;
  // Never throws for expected failures; an exception becomes a bare 500.
  virtual Response Handle(Request& request) = 0;
  // Called on the network thread first: an answer that needs no blocking work (a cached
  // page), or nullopt to run Handle on the pool. Must not block.
  virtual std::optional<Response> TryFast(const Request&) { return std::nullopt; }
  // The page for errors the server itself answers (400, 408, 413, 500).
  virtual Response ErrorPage(int status) = 0;
  // Called once per request that got a plan, when its answer is ready (before it is sent):
  // `route` is the plan's, `seconds` the time since its header arrived. On the network
  // thread: must not block.
  virtual void Observe(const Request& request, int route, int status, double seconds) {
    (void)request, (void)route, (void)status, (void)seconds;
  }
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port())
  int handler_threads = 4;
  int io_threads = 1;
  // Room for an upload's metadata in the query string (a 2,000-character Chinese
  // description is 18 KB percent-encoded); Beast's default of 8 KB is too small.
  int64_t header_limit = 64 * 1024;
  int idle_timeout_seconds = 30;
  int write_timeout_seconds = 60;   // a client that reads nothing for this long is cut
  int max_concurrent_uploads = 16;  // streamed bodies at once; more get 503
  // A streamed body (an upload) must arrive within upload_max_seconds in all and, once
  // upload_grace_seconds have passed, at upload_min_bytes_per_second on average (0: any
  // rate); a slower one is cut (the connection closes, nothing is kept). A chunk each
  // request_timeout_seconds alone does not keep an upload alive: a client trickling a byte
  // a minute cannot hold an upload place.
  int upload_max_seconds = 3600;
  int64_t upload_min_bytes_per_second = 8192;
  int upload_grace_seconds = 20;
  int shutdown_grace_seconds = 10;
  // Open connections one address (an IPv6 /64: SubscriberAddress) may hold; a connection
  // beyond it is closed as soon as it is accepted, before anything is read. Addresses in
  // `uncapped` (the trusted reverse proxies, whose connections carry many visitors) are not
  // counted. 0: no cap.
  int max_connections_per_address = 64;
  std::vector<std::string> uncapped;
  std::filesystem::path tmp_dir;  // where streamed bodies go (inside the data folder)
  bool handle_signals = true;
};

class Server {
 public:
  Server(ServerOptions options, Handler& handler);
  ~Server();
  // Binds and listens. Errors: kIo (address in use, bad address).
  Status Listen();
  int port() const;
  // Serves until Stop() or a signal.
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wenku::web
