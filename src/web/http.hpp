// Request and Response as the handlers see them: plain structs with no Boost types, so
// that handlers (one file per user action) compile quickly and are tested without sockets.
// The server (server.cpp, the one file that speaks Beast/Asio) fills a Request from the
// wire and writes a Response back, adding the security headers every response carries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wenku::web {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;               // "GET", "POST", …
  std::string target;               // as sent: path and query
  std::string path;                 // percent-decoded path
  Fields query;                     // decoded query parameters, in order
  Fields headers;                   // names lower-case
  Fields path_params;               // from the route pattern: {"id", "42"}
  std::string body;                 // small bodies (forms, JSON)
  std::filesystem::path body_file;  // streamed bodies (uploads); empty otherwise
  int64_t body_size = 0;
  std::string remote_ip;

  // The first value, or "" when absent.
  std::string Header(std::string_view name) const;
  std::string Query(std::string_view name) const;
  std::string Param(std::string_view name) const;
  std::string Cookie(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
};

struct Response;

// A response body pulled in chunks from elsewhere (a blob in S3 or the data folder: see
// file_response.hpp). The server calls Next on a handler thread (it may block) until it has
// sent the body's length (Response::file_length), then drops the source.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // The next up to `max` bytes into `out` (replacing what it held). False on an error: the
  // server then closes the connection (the client sees a short body).
  virtual bool Next(size_t max, std::string& out) = 0;
};

// An answer that waits for work done elsewhere (a page image the render pool is drawing).
// The server keeps the connection but no handler thread while it waits: it calls OnReady
// once, waits for `wake` (or its own deadline), then calls Finish on a handler thread.
class Later {
 public:
  virtual ~Later() = default;
  // Arranges for `wake` to be called once, from any thread, when Finish can answer without
  // waiting — at once (on this thread) if it already can. `wake` does not block.
  virtual void OnReady(std::function<void()> wake) = 0;
  // The answer. `gave_up`: the server stopped waiting before `wake` (then a 503 with
  // Retry-After, typically; the work goes on and a retry finds it done).
  virtual Response Finish(bool gave_up) = 0;
};

struct Response {
  int status = 200;
  Fields headers;
  std::string body;
  // A file body (downloads, page images, static files) instead of `body`.
  std::filesystem::path file;
  int64_t file_offset = 0;
  int64_t file_length = -1;  // -1: to the end
  // A streamed body instead of `body` or `file`: exactly `file_length` bytes (>= 0).
  std::shared_ptr<BodySource> source;
  // Set: everything above is unused; the answer comes from `later` (see Later).
  std::shared_ptr<Later> later;

  void Set(std::string name, std::string value);
  std::string Get(std::string_view name) const;
};

// Responses every action uses.
Response Html(int status, std::string body);
Response Json(int status, std::string body);
Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
Response Redirect(std::string location, int status = 303);

// Application/x-www-form-urlencoded body or query string → fields (percent-decoded; '+' is
// a space). A malformed string (a bad %-escape) gives no fields.
Fields ParseUrlEncoded(std::string_view text);
std::string UrlEncode(std::string_view text);
// The visitor's address: `peer` unless it is one of the `trusted` proxies, in which case
// the right-most address of X-Forwarded-For that is not itself a trusted proxy (earlier
// entries are whatever the client chose to send).
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted);
// The address that stands for one subscriber: an IPv6 address cut to its /64 (what one
// household or server is usually given), an IPv4-mapped IPv6 address as the IPv4 address,
// anything else as it is. Limits per address (searches, connections) count by it.
std::string SubscriberAddress(const std::string& ip);
// A link back to the same page: the request's own path (as sent, still encoded) with those of
// its query parameters named in `keep` (each at most 256 bytes: a page never reflects what it
// does not read, nor a long string chosen by whoever made the link) and `key` set to
// `value`. A path that would read as another host ("//x") gives "/".
std::string SelfLinkWith(const Request& req, std::string_view key, std::string_view value,
                         const std::vector<std::string_view>& keep);
std::string FindField(const Fields& fields, std::string_view name);

// A cookie header value: name=value; Path=/; HttpOnly; SameSite=Lax (+ Secure, Max-Age).
std::string CookieHeader(std::string_view name, std::string_view value, int64_t max_age_seconds,
                         bool secure, bool http_only = true);

}  // namespace wenku::web
