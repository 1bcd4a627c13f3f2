#include "web/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/files.hpp"
#include "web/http.hpp"

namespace wenku::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Serves the bytes [offset, offset + length) of an open file: Beast 1.81's file_body always
// sends a whole file, and Range requests need a part of one.
struct RangeFileBody {
  struct value_type {
    beast::file file;
    uint64_t offset = 0;
    uint64_t length = 0;
  };
  static uint64_t size(const value_type& v) { return v.length; }

  class writer {
   public:
    using const_buffers_type = asio::const_buffer;
    template <bool isRequest, class Fields>
    writer(http::header<isRequest, Fields>&, value_type& b) : body_(b), remain_(b.length) {}
    void init(beast::error_code& ec) { body_.file.seek(body_.offset, ec); }
    boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
      ec = {};
      if (remain_ == 0) return boost::none;
      size_t n = body_.file.read(buf_, std::min<uint64_t>(remain_, sizeof buf_), ec);
      if (ec) return boost::none;
      if (n == 0) {  // the file shrank under us
        ec = http::error::partial_message;
        return boost::none;
      }
      remain_ -= n;
      return {{asio::const_buffer(buf_, n), remain_ > 0}};
    }

   private:
    value_type& body_;
    uint64_t remain_;
    char buf_[64 * 1024];
  };
};

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

template <class Message>
void CopyHeaders(const Response& res, Message& m) {
  for (const auto& [k, v] : res.headers) m.insert(k, v);
  if (m.find("Content-Security-Policy") == m.end()) {
    m.set("Content-Security-Policy", kContentSecurityPolicy);
  }
  m.set("X-Content-Type-Options", "nosniff");
  m.set("Referrer-Policy", "strict-origin-when-cross-origin");
  m.set("X-Frame-Options", "DENY");
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler& handler;
  asio::io_context ioc;
  asio::thread_pool pool;
  // The acceptor is used only on this strand (Accept and BeginStop), never from two
  // network threads at once.
  asio::strand<asio::io_context::executor_type> accept_strand = asio::make_strand(ioc);
  tcp::acceptor acceptor{accept_strand};
  asio::signal_set signals{ioc};
  std::atomic<int> active_requests{0};
  std::atomic<int> uploads_in_flight{0};
  std::atomic<bool> stopping{false};
  int port = 0;
  // Open connections per subscriber address (max_connections_per_address).
  std::mutex connections_mu;
  std::unordered_map<std::string, int> connections;

  // Counts a new connection from `key`; false when the address holds its cap already.
  bool TakeConnection(const std::string& key) {
    std::lock_guard lock(connections_mu);
    int& n = connections[key];
    if (n >= options.max_connections_per_address) {
      if (n == 0) connections.erase(key);
      return false;
    }
    ++n;
    return true;
  }
  void ReleaseConnection(const std::string& key) {
    std::lock_guard lock(connections_mu);
    auto it = connections.find(key);
    if (it != connections.end() && --it->second <= 0) connections.erase(it);
  }

  Impl(ServerOptions o, Handler& h)
      : options(std::move(o)), handler(h), pool(std::max(1, options.handler_threads)) {}

  // Runs the handler's `fn` for `req`; an exception that escaped the dispatcher becomes a
  // bare 500.
  Response Safely(const Request& req, const std::function<Response()>& fn) {
    try {
      return fn();
    } catch (const std::exception& e) {
      spdlog::error("web: {} {} failed: {}", req.method, req.path, e.what());
    } catch (...) {
      spdlog::error("web: {} {} failed with an unknown exception", req.method, req.path);
    }
    try {
      return handler.ErrorPage(500);
    } catch (...) {
      return Text(500, "500 Internal Server Error\n");
    }
  }

  // Lets other threads (the render pool, through Later::OnReady) wake a session that waits
  // for an answer. Closed by ~Server before the io_context goes away: a wake after that
  // does nothing, so nothing is ever posted to a destroyed io_context.
  struct Wakeups {
    std::mutex mu;
    bool open = true;
    void Wake(const std::weak_ptr<asio::steady_timer>& weak) {
      std::lock_guard lock(mu);
      if (!open) return;
      if (auto timer = weak.lock()) {
        asio::post(timer->get_executor(), [weak] {
          if (auto t = weak.lock()) t->cancel();
        });
      }
    }
    void Close() {
      std::lock_guard lock(mu);
      open = false;
    }
  };
  std::shared_ptr<Wakeups> wakeups = std::make_shared<Wakeups>();

  // Waits for `later` without holding any thread: a timer set to the deadline, cancelled on
  // the connection's strand when `later` wakes us. True when it is ready, false at the
  // deadline.
  asio::awaitable<bool> WaitFor(Later& later, std::chrono::seconds limit) {
    // (The executor in a statement of its own: no temporaries around a co_await, which
    // GCC 12's coroutines handle badly — see OnPool.)
    asio::any_io_executor executor = co_await asio::this_coro::executor;
    auto timer = std::make_shared<asio::steady_timer>(executor, limit);
    auto ready = std::make_shared<std::atomic<bool>>(false);
    later.OnReady([wakeups = wakeups, weak = std::weak_ptr<asio::steady_timer>(timer), ready] {
      ready->store(true);
      wakeups->Wake(weak);
    });
    co_await timer->async_wait(kTuple);
    co_return ready->load();
  }

  // Runs `fn` on the handler pool. Keep `fn` a lambda with at most two pointer-sized,
  // trivially copyable captures (it then lives inside the std::function): with GCC 12 the
  // std::function ends up destroyed twice here — harmless for such a lambda, a double free
  // (heap corruption, seen with valgrind) for one whose captures are stored on the heap.
  asio::awaitable<Response> OnPool(std::function<Response()> fn) {
    co_return co_await asio::co_spawn(
        pool.get_executor(),
        [fn = std::move(fn)]() -> asio::awaitable<Response> { co_return fn(); },
        asio::use_awaitable);
  }

  // The next chunk of a streamed body, pulled on the handler pool (BodySource::Next may
  // block on a remote store). Captures: three pointers (see OnPool).
  asio::awaitable<bool> PullOnPool(BodySource* source, size_t max, std::string* out) {
    co_return co_await asio::co_spawn(
        pool.get_executor(),
        [source, max, out]() -> asio::awaitable<bool> { co_return source->Next(max, *out); },
        asio::use_awaitable);
  }

  // Writes a body pulled from `res.source`: the header with Content-Length, then chunk by
  // chunk. A source that fails midway ends the connection (the client sees a short body).
  asio::awaitable<bool> WriteStreamed(beast::tcp_stream& stream, Response res, bool head_only,
                                      bool keep_alive, unsigned version) {
    constexpr size_t kChunk = 1 << 20;
    http::response<http::buffer_body> m{static_cast<http::status>(res.status), version};
    CopyHeaders(res, m);
    m.keep_alive(keep_alive);
    const uint64_t length = static_cast<uint64_t>(std::max<int64_t>(0, res.file_length));
    m.content_length(length);
    m.body().data = nullptr;
    m.body().more = true;
    http::response_serializer<http::buffer_body> sr{m};
    stream.expires_after(std::chrono::seconds(options.write_timeout_seconds));
    auto [hec, hn] = co_await http::async_write_header(stream, sr, kTuple);
    if (hec) co_return false;
    if (head_only) co_return true;
    std::shared_ptr<BodySource> source = res.source;
    std::string chunk;
    for (uint64_t left = length; left > 0;) {
      bool ok = co_await PullOnPool(source.get(), std::min<uint64_t>(left, kChunk), &chunk);
      if (!ok || chunk.empty() || chunk.size() > left) co_return false;
      left -= chunk.size();
      m.body().data = chunk.data();
      m.body().size = chunk.size();
      m.body().more = true;
      // The deadline is renewed for every chunk, as for files.
      stream.expires_after(std::chrono::seconds(options.write_timeout_seconds));
      auto [wec, n] = co_await http::async_write(stream, sr, kTuple);
      if (wec == http::error::need_buffer) wec = {};
      if (wec) co_return false;
    }
    m.body().data = nullptr;
    m.body().size = 0;
    m.body().more = false;
    auto [fec, fn] = co_await http::async_write(stream, sr, kTuple);
    co_return !fec;
  }

  // Writes `res`; only the header for HEAD requests. Returns false when the client is gone.
  asio::awaitable<bool> Write(beast::tcp_stream& stream, Response res, bool head_only,
                              bool keep_alive, unsigned version) {
    beast::error_code ec;
    if (res.source && res.status != 304) {
      co_return co_await WriteStreamed(stream, std::move(res), head_only, keep_alive, version);
    }
    if (!res.file.empty()) {
      http::response<RangeFileBody> m{static_cast<http::status>(res.status), version};
      CopyHeaders(res, m);
      m.body().file.open(res.file.c_str(), beast::file_mode::scan, ec);
      if (ec) {
        res = handler.ErrorPage(404);
        res.file.clear();
      } else {
        uint64_t size = m.body().file.size(ec);
        uint64_t offset = std::min<uint64_t>(res.file_offset, size);
        uint64_t length = res.file_length < 0 ? size - offset
                                              : std::min<uint64_t>(res.file_length, size - offset);
        m.body().offset = offset;
        m.body().length = length;
        m.keep_alive(keep_alive);
        m.prepare_payload();
        http::response_serializer<RangeFileBody> sr{m};
        if (head_only) {
          auto [wec, n] = co_await http::async_write_header(stream, sr, kTuple);
          co_return !wec;
        }
        // A download may take longer than any whole-request deadline on a slow link: the
        // deadline is renewed for every chunk, so only a client that stops reading is cut.
        while (!sr.is_done()) {
          stream.expires_after(std::chrono::seconds(options.write_timeout_seconds));
          auto [wec, n] = co_await http::async_write_some(stream, sr, kTuple);
          if (wec) co_return false;
        }
        co_return true;
      }
    }
    http::response<http::string_body> m{static_cast<http::status>(res.status), version};
    CopyHeaders(res, m);
    m.keep_alive(keep_alive);
    if (res.status == 204 || res.status == 304) {
      m.erase(http::field::content_length);  // these never have a body, nor its length
    } else {
      m.body() = std::move(res.body);
      m.prepare_payload();
    }
    http::response_serializer<http::string_body> sr{m};
    if (head_only) {
      auto [wec, n] = co_await http::async_write_header(stream, sr, kTuple);
      co_return !wec;
    }
    auto [wec, n] = co_await http::async_write(stream, sr, kTuple);
    co_return !wec;
  }

  // The handler's Plan; an exception (a database failure) becomes a 500 sent without the body.
  BodyPlan PlanSafely(const Request& req) {
    try {
      return handler.Plan(req);
    } catch (const std::exception& e) {
      spdlog::error("web: planning {} {} failed: {}", req.method, req.path, e.what());
    } catch (...) {
      spdlog::error("web: planning {} {} failed with an unknown exception", req.method, req.path);
    }
    BodyPlan plan;
    plan.answer = Safely(req, [this] { return handler.ErrorPage(500); });
    return plan;
  }

  // When the current read of an upload's body must end (see the loop in Session).
  std::chrono::steady_clock::time_point ReadDeadline(std::chrono::steady_clock::time_point start,
                                                     std::chrono::steady_clock::time_point last,
                                                     uint64_t received, const BodyPlan& plan) {
    auto until = std::min(
        std::chrono::steady_clock::now() + std::chrono::seconds(plan.request_timeout_seconds),
        last);
    if (options.upload_min_bytes_per_second > 0) {
      // The average rate stays at the minimum until start + received / rate.
      const auto earned = std::chrono::milliseconds(
          received * 1000 / static_cast<uint64_t>(options.upload_min_bytes_per_second));
      until =
          std::min(until, start + std::max<std::chrono::steady_clock::duration>(
                                      std::chrono::seconds(options.upload_grace_seconds), earned));
    }
    return until;
  }

  // After an answer sent without reading the body: stops sending and reads (and drops)
  // what the client still sends for a moment, so that closing does not reset the connection
  // before the client has read the answer. At most 1 s and 1 MB.
  asio::awaitable<void> Linger(beast::tcp_stream& stream, beast::flat_buffer& buffer) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    buffer.consume(buffer.size());
    stream.expires_after(std::chrono::seconds(1));
    std::vector<char> sink(16 * 1024);
    for (size_t drained = 0; drained < (1u << 20);) {
      auto [rec, n] =
          co_await stream.async_read_some(asio::buffer(sink.data(), sink.size()), kTuple);
      if (rec) break;
      drained += n;
    }
  }

  asio::awaitable<void> ServerError(beast::tcp_stream& stream, int status) {
    Response res = co_await OnPool([this, status] { return handler.ErrorPage(status); });
    co_await Write(stream, std::move(res), false, false, 11);
  }

  asio::awaitable<void> Session(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    std::string remote_ip;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote_ip = ep.address().to_string();
    }
    for (;;) {
      stream.expires_after(std::chrono::seconds(options.idle_timeout_seconds));
      http::request_parser<http::empty_body> head;
      head.header_limit(static_cast<uint32_t>(options.header_limit));
      head.body_limit(boost::none);  // checked below, once the route's limit is known
      auto [ec, n] = co_await http::async_read_header(stream, buffer, head, kTuple);
      if (ec) {
        if (ec == http::error::header_limit)
          co_await ServerError(stream, 431);
        else if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
                 ec != asio::error::connection_reset && ec != asio::error::eof && n > 0)
          co_await ServerError(stream, 400);
        break;
      }
      ++active_requests;
      const auto arrived = std::chrono::steady_clock::now();
      auto observe = [&](const Request& r, const BodyPlan& p, int status) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - arrived).count();
        try {
          handler.Observe(r, p.route, status, seconds);
        } catch (const std::exception& e) {
          spdlog::error("web: observing {} {} failed: {}", r.method, r.path, e.what());
        }
      };
      struct Done {
        std::atomic<int>& n;
        ~Done() { --n; }
      } done{active_requests};

      Request req;
      const auto& h = head.get();
      req.method = std::string(h.method_string());
      req.target = std::string(h.target());
      req.remote_ip = remote_ip;
      auto url = boost::urls::parse_origin_form(req.target);
      if (!url) {
        co_await ServerError(stream, 400);
        break;
      }
      req.path = std::string(url->path());
      for (auto p : url->params()) req.query.emplace_back(std::string(p.key), std::string(p.value));
      for (const auto& f : h) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.headers.emplace_back(std::move(name), std::string(f.value()));
      }
      auto length = head.content_length();
      bool has_body = (length && *length > 0) || head.chunked();
      BodyPlan plan;
      if (req.method == "GET" || req.method == "HEAD") {
        plan = handler.Plan(req);
      } else {  // Plan may read the database (an upload's credentials): on the pool
        struct Planning {
          Impl* self;
          Request* req;
          BodyPlan* plan;
        } p{this, &req, &plan};
        co_await OnPool([&p] {  // one pointer: see OnPool
          *p.plan = p.self->PlanSafely(*p.req);
          return Response();
        });
      }
      if (plan.answer) {  // refused before its body: answered, then the connection closes
        observe(req, plan, plan.answer->status);
        stream.expires_after(std::chrono::seconds(plan.request_timeout_seconds));
        if (co_await Write(stream, std::move(*plan.answer), req.method == "HEAD", false,
                           h.version()))
          co_await Linger(stream, buffer);
        break;
      }
      if (length && *length > static_cast<uint64_t>(plan.limit)) {
        observe(req, plan, 413);
        co_await ServerError(stream, 413);
        co_await Linger(stream, buffer);
        break;
      }
      struct UploadSlot {
        std::atomic<int>* n = nullptr;
        ~UploadSlot() {
          if (n) --*n;
        }
      } upload_slot;
      if (plan.to_file && has_body) {
        if (++uploads_in_flight > options.max_concurrent_uploads) {
          --uploads_in_flight;
          observe(req, plan, 503);
          co_await ServerError(stream, 503);
          co_await Linger(stream, buffer);
          break;
        }
        upload_slot.n = &uploads_in_flight;
      }
      if (beast::iequals(h[http::field::expect], "100-continue")) {
        static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [cec, cn] = co_await asio::async_write(
            stream, asio::buffer(kContinue, sizeof kContinue - 1), kTuple);
        if (cec) break;
      }
      stream.expires_after(std::chrono::seconds(plan.request_timeout_seconds));
      bool keep_alive = false;
      unsigned version = h.version();
      if (plan.to_file && has_body) {
        req.body_file = options.tmp_dir / UniqueTempName();
        http::request_parser<http::file_body> parser(std::move(head));
        parser.body_limit(static_cast<uint64_t>(plan.limit));
        beast::error_code fec;
        parser.get().body().open(req.body_file.c_str(), beast::file_mode::write, fec);
        if (fec) {
          spdlog::error("web: cannot create {}: {}", req.body_file.string(), fec.message());
          co_await ServerError(stream, 500);
          break;
        }
        // Uploads stream chunk by chunk. Each read ends by the first of: a pause of
        // request_timeout_seconds, the body's absolute deadline (upload_max_seconds), and —
        // past the grace — the moment the average rate so far would fall under
        // upload_min_bytes_per_second. A chunk now and then does not renew the upload.
        using Clock = std::chrono::steady_clock;
        const Clock::time_point start = Clock::now();
        const Clock::time_point last = start + std::chrono::seconds(options.upload_max_seconds);
        uint64_t received = 0;
        beast::error_code rec;
        while (!rec && !parser.is_done()) {
          const Clock::time_point until = ReadDeadline(start, last, received, plan);
          if (until <= Clock::now()) {
            rec = beast::error::timeout;
            break;
          }
          stream.expires_at(until);
          auto [e, rn] = co_await http::async_read_some(stream, buffer, parser, kTuple);
          received += rn;
          rec = e;
        }
        parser.get().body().close();
        if (rec == beast::error::timeout) {
          spdlog::info(
              "web: an upload from {} was cut: {} bytes in {} s (too slow or too long)", remote_ip,
              received,
              std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count());
        }
        if (rec) {
          std::error_code ignored;
          std::filesystem::remove(req.body_file, ignored);
          if (rec == http::error::body_limit) {
            observe(req, plan, 413);
            co_await ServerError(stream, 413);
          }
          break;
        }
        std::error_code size_ec;
        req.body_size = static_cast<int64_t>(std::filesystem::file_size(req.body_file, size_ec));
        keep_alive = parser.get().keep_alive();
      } else {
        http::request_parser<http::string_body> parser(std::move(head));
        parser.body_limit(static_cast<uint64_t>(plan.limit));
        auto [rec, rn] = co_await http::async_read(stream, buffer, parser, kTuple);
        if (rec) {
          if (rec == http::error::body_limit) {
            observe(req, plan, 413);
            co_await ServerError(stream, 413);
          }
          break;
        }
        req.body = std::move(parser.get().body());
        req.body_size = static_cast<int64_t>(req.body.size());
        keep_alive = parser.get().keep_alive();
      }
      if (stopping) keep_alive = false;

      std::optional<Response> fast;
      try {
        fast = handler.TryFast(req);
      } catch (const std::exception& e) {
        spdlog::error("web: fast path for {} failed: {}", req.path, e.what());
      }
      Response res;
      if (fast) {
        res = std::move(*fast);
      } else {  // (not a ?: — GCC 12 mishandles co_await inside a conditional expression)
        res = co_await OnPool(
            [this, &req] { return Safely(req, [&] { return handler.Handle(req); }); });
        if (res.later) {  // the connection waits; no handler thread does
          std::shared_ptr<Later> later = std::move(res.later);
          const bool ready =
              co_await WaitFor(*later, std::chrono::seconds(plan.request_timeout_seconds));
          struct Finishing {
            Impl* self;
            Request* req;
            Later* later;
            bool gave_up;
          } f{this, &req, later.get(), !ready};
          res = co_await OnPool([&f] {  // one pointer: see OnPool
            return f.self->Safely(*f.req, [&] { return f.later->Finish(f.gave_up); });
          });
        }
      }
      if (!req.body_file.empty()) {
        std::error_code ignored;
        std::filesystem::remove(req.body_file, ignored);
      }
      observe(req, plan, res.status);
      stream.expires_after(std::chrono::seconds(plan.request_timeout_seconds));
      bool ok = co_await Write(stream, std::move(res), req.method == "HEAD", keep_alive, version);
      if (!ok || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      // Each connection runs on its own strand: with several network threads, a session's
      // read, write and timer handlers never run at the same time.
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
      if (ec) {
        if (!acceptor.is_open()) co_return;
        spdlog::warn("web: accept failed: {}", ec.message());
        continue;
      }
      // The cap per address, before anything is read (a keep-alive flood from one place
      // cannot hold every connection the process may have).
      std::string key;
      if (options.max_connections_per_address > 0) {
        beast::error_code aec;
        auto ep = socket.remote_endpoint(aec);
        const std::string ip = aec ? std::string() : ep.address().to_string();
        if (std::find(options.uncapped.begin(), options.uncapped.end(), ip) ==
            options.uncapped.end()) {
          key = SubscriberAddress(ip);
          if (!TakeConnection(key)) {
            spdlog::debug("web: {} holds {} connections already; one more closed", key,
                          options.max_connections_per_address);
            beast::error_code ignored;
            socket.close(ignored);
            continue;
          }
        }
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Session(beast::tcp_stream(std::move(socket))),
                     [this, key](std::exception_ptr) {
                       if (!key.empty()) ReleaseConnection(key);
                     });
    }
  }

  void BeginStop() {
    if (stopping.exchange(true)) return;
    asio::post(accept_strand, [this] {
      spdlog::info("web: stopping; waiting for {} request(s) in flight", active_requests.load());
      beast::error_code ignored;
      acceptor.close(ignored);
      signals.cancel(ignored);
      auto deadline =
          std::chrono::steady_clock::now() + std::chrono::seconds(options.shutdown_grace_seconds);
      auto timer = std::make_shared<asio::steady_timer>(ioc);
      auto poll = std::make_shared<std::function<void()>>();
      *poll = [this, timer, deadline, poll] {
        if (active_requests == 0 || std::chrono::steady_clock::now() >= deadline) {
          ioc.stop();
          *poll = nullptr;  // breaks the self-reference
          return;
        }
        timer->expires_after(std::chrono::milliseconds(50));
        timer->async_wait([poll](beast::error_code) {
          if (*poll) (*poll)();
        });
      };
      (*poll)();
    });
  }
};

Server::Server(ServerOptions options, Handler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

Server::~Server() {
  impl_->wakeups->Close();
  impl_->pool.stop();
  impl_->pool.join();
}

Status Server::Listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return MakeError(ErrorCode::kInvalidInput, "bad listen address " + impl_->options.host);
  tcp::endpoint ep{address, static_cast<unsigned short>(impl_->options.port)};
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot listen on " + impl_->options.host + ":" +
                                         std::to_string(impl_->options.port) + ": " + ec.message());
  }
  impl_->port = a.local_endpoint().port();
  return {};
}

int Server::port() const { return impl_->port; }

void Server::Run() {
  if (impl_->options.handle_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) impl_->BeginStop();
    });
  }
  asio::co_spawn(impl_->accept_strand, impl_->Accept(), asio::detached);
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->options.io_threads; ++i) {
    extra.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : extra) t.join();
  impl_->pool.join();
}

void Server::Stop() { impl_->BeginStop(); }

}  // namespace wenku::web
