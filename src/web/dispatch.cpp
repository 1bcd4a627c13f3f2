#include "web/dispatch.hpp"

#include <spdlog/spdlog.h>

#include <charconv>

#include "library/submit.hpp"
#include "web/auth.hpp"
#include "web/gzip.hpp"
#include "web/router.hpp"
#include "web/search_limit.hpp"
#include "web/uploads.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kFormLimit = 64 * 1024;
constexpr int64_t kNoBodyLimit = 16 * 1024;

void ChooseLanguage(Context& ctx) {
  std::string asked = ctx.req.Query("lang");
  if (auto lang = ParseLang(asked)) {
    ctx.lang = *lang;
    ctx.cookies_to_set.emplace_back(
        "Set-Cookie", CookieHeader("wenku_lang", std::string(LangCode(*lang)), 365LL * 24 * 3600,
                                   ctx.site.options().secure_cookies));
    return;
  }
  if (auto lang = ParseLang(ctx.req.Cookie("wenku_lang"))) {
    ctx.lang = *lang;
    return;
  }
  ctx.lang = LangFromAcceptLanguage(ctx.req.Header("accept-language"));
}

// Whether the request may be answered from / stored in the page cache, and under which key.
bool Cacheable(const Request& req, const Route& route, const SiteOptions& options,
               std::string* key) {
  if (route.cache == Cache::kNo) return false;
  if (!req.Header("authorization").empty() || !req.Cookie(SessionCookieName(options)).empty())
    return false;
  if (req.HasQuery("lang")) return false;  // sets a cookie
  Lang lang = Lang::kZh;
  if (auto l = ParseLang(req.Cookie("wenku_lang"))) {
    lang = *l;
  } else {
    lang = LangFromAcceptLanguage(req.Header("accept-language"));
  }
  // The key holds only what the cached pages depend on: the language, the path and the
  // parameters those pages read (any others cannot multiply the entries). Absolute links
  // come from Site::PublicBase, never the Host header, so the host is not part of it.
  *key = std::string(LangCode(lang)) + " " + req.path;
  for (const char* name : {"from", "page", "sort"}) {
    std::string value = req.Query(name);
    if (value.size() > 16) return false;
    if (!value.empty()) *key += std::string(" ") + name + "=" + value;
  }
  return true;
}

// Who is asking: a Bearer API token (API clients) or the session cookie (browsers). A
// Bearer is an API token only (accounts/api_tokens.hpp): a session's token sent as one, or
// a revoked token, or a disabled account's, is refused (401), never taken as anonymous.
bool Authenticate(Context& ctx) {
  std::string auth = ctx.req.Header("authorization");
  if (auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "))) {
    ctx.bearer = true;
    if (auto use = ctx.site.api_tokens().UserForToken(auth.substr(7))) {
      ctx.user = std::move(use->user);
      ctx.api_token_id = use->token.id;
    }
    return ctx.user.has_value();
  }
  std::string token = ctx.req.Cookie(SessionCookieName(ctx.site.options()));
  if (!token.empty()) ctx.user = UserForToken(ctx.site, token, &ctx.session_hash);
  return true;
}

// Whether the request comes from this machine and no proxy forwarded it (Who::kLocalOrAdmin):
// a loopback address (after web.trusted_proxies were resolved: a trusted proxy's request
// carries its visitor's address by now) and no forwarding header, since a proxy on this
// machine that is not among web.trusted_proxies would otherwise make every visitor local.
bool FromThisMachine(const Request& req) {
  const std::string& ip = req.remote_ip;
  const bool loopback = ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127.");
  return loopback && req.Header("x-forwarded-for").empty() && req.Header("forwarded").empty() &&
         req.Header("x-real-ip").empty();
}

// Whether `user` has the role a route asks for (Who::kAnyone: everyone; Who::kLocalOrAdmin:
// an admin here, the local case is FromThisMachine's).
bool Allowed(Who who, const std::optional<storage::User>& user) {
  switch (who) {
    case Who::kAnyone:
      return true;
    case Who::kLocalOrAdmin:
      return user && user->IsAdmin();
    case Who::kUser:
      return user.has_value();
    case Who::kModerator:
      return user && user->IsModerator();
    case Who::kAdmin:
      return user && user->IsAdmin();
  }
  return false;
}

// Unsafe requests must prove they come from our own pages (or an API client with a token).
bool CsrfOk(const Context& ctx, const Route& route, const std::string& cookie_csrf) {
  if (route.method == Method::kGet) return true;
  if (route.body == Body::kForm || route.body == Body::kMultipart) {
    std::string sent = route.body == Body::kForm
                           ? ctx.Field("csrf")
                           : (ctx.multipart ? FindField(ctx.multipart->fields, "csrf") : "");
    return CsrfTokenMatches(sent, cookie_csrf, ctx.session_hash);
  }
  // The JSON API.
  if (ctx.bearer) return true;
  if (ctx.user)
    return CsrfTokenMatches(ctx.req.Header("x-csrf-token"), cookie_csrf, ctx.session_hash);
  // Anonymous (register, log in): a cross-site form cannot send a JSON content type.
  if (route.body == Body::kJson) {
    return ctx.req.Header("content-type").starts_with("application/json");
  }
  return true;  // nothing to protect: the action refuses anonymous callers
}

// What every answer gets on its way out: the cookies the action set, a Cache-Control, HSTS
// over HTTPS, gzip when the client takes it (safe with the CSRF tokens: they are masked
// afresh in every answer, see MaskedCsrfToken).
void Finalize(const Context& ctx, Response& res) {
  for (const auto& [k, v] : ctx.cookies_to_set) res.headers.emplace_back(k, v);
  if (res.Get("Cache-Control").empty()) res.Set("Cache-Control", "private, no-cache");
  if (ctx.site.options().secure_cookies) res.Set("Strict-Transport-Security", kHstsValue);
  if (AcceptsGzip(ctx.req)) GzipResponse(res, 1);
}

// An action's AnswerLater for the server: keeps the request's Context until the answer is
// made, and catches what the action's `finish` throws, as Handle does for actions.
class DispatchedLater final : public Later {
 public:
  DispatchedLater(Dispatcher& dispatcher, std::unique_ptr<Context> ctx)
      : dispatcher_(dispatcher), ctx_(std::move(ctx)) {}
  void OnReady(std::function<void()> wake) override { ctx_->deferred->on_ready(std::move(wake)); }
  Response Finish(bool gave_up) override {
    Response res;
    try {
      res = ctx_->deferred->finish(*ctx_, gave_up);
    } catch (const std::exception& e) {
      spdlog::error("web: {} {} failed: {}", ctx_->req.method, ctx_->req.path, e.what());
      res = dispatcher_.ErrorPage(500);
    }
    Finalize(*ctx_, res);
    return res;
  }

 private:
  Dispatcher& dispatcher_;
  std::unique_ptr<Context> ctx_;
};

// Whether a browser's request comes from another site's page: its Origin names another
// host than the request's (or web.public_url's), or Sec-Fetch-Site says so. Browsers send
// Origin with every POST; a request without either is not a browser's cross-site one.
bool FromAnotherSite(const Request& req, const std::string& public_url) {
  const std::string fetch_site = req.Header("sec-fetch-site");
  if (fetch_site == "cross-site" || fetch_site == "same-site") return true;
  const std::string origin = req.Header("origin");
  if (origin.empty()) return false;
  auto authority = [](std::string_view url) {
    size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) return std::string();
    url.remove_prefix(scheme + 3);
    std::string out(url.substr(0, url.find('/')));
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string from = authority(origin);  // "null" (a sandboxed frame, a file): ""
  if (from.empty()) return true;
  std::string host = req.Header("host");
  for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return from != host && (public_url.empty() || from != authority(public_url));
}

// Before a byte of an upload's body is read: who sends it (the credentials looked up as
// Authenticate does for every request), from where (a browser's upload sent by another
// site's page is refused; the form's CSRF token is still checked once the body is in), and
// whether its account (upload.per_account) and address (upload.per_address) may send one
// more now. A refusal is `plan.answer`; the place taken is `plan.hold`.
void AdmitUpload(Site& site, const Request& head, const Route& route, BodyPlan& plan) {
  Request req = head;  // the Context's own (ChooseLanguage reads it, an action may change it)
  if (!site.options().trusted_proxies.empty()) {
    req.remote_ip =
        ClientAddress(req.remote_ip, req.Header("x-forwarded-for"), site.options().trusted_proxies);
  }
  Context ctx{site, req};
  ChooseLanguage(ctx);
  const bool api = req.path.starts_with("/api/");
  auto refuse = [&](Response res) {
    Finalize(ctx, res);
    plan.answer = std::move(res);
  };
  if (!Authenticate(ctx)) {
    return refuse(ApiError(401, "unauthenticated", "the token is unknown or expired"));
  }
  if (!ctx.user) {
    return refuse(
        api ? ApiError(401, "unauthenticated", "log in or send a Bearer token")
            : MessagePage(ctx, 401, "upload_login_heading", T(ctx.lang, "upload_login_message")));
  }
  if (!Allowed(route.who, ctx.user)) {
    return refuse(Fail(ctx, MakeError(ErrorCode::kForbidden, "this needs another role")));
  }
  if (!ctx.bearer && FromAnotherSite(req, site.options().public_url)) {
    return refuse(
        api ? ApiError(403, "cross_site", T(ctx.lang, "upload_cross_site_message"))
            : MessagePage(ctx, 403, "forbidden_heading", T(ctx.lang, "upload_cross_site_message")));
  }
  // The daily quota (library::CheckUploadQuota, the rule Submit applies again once the file
  // is in): an API client over its quota is told before it sends the file (its body is the
  // file, so its length counts too). The no-script form is checked once its body is in, so
  // that the reason can stand next to its file field.
  if (route.pattern == "/api/v1/documents") {
    int64_t size = 0;
    const std::string length = req.Header("content-length");
    std::from_chars(length.data(), length.data() + length.size(), size);
    Status quota = library::CheckUploadQuota(site.documents(), *ctx.user, site.settings(), size);
    if (!quota.ok() && quota.error().code == ErrorCode::kRateLimited) {
      if (auto words = FileProblem(ctx, quota.error())) {
        return refuse(api ? ApiError(429, "quota", *words)
                          : MessagePage(ctx, 429, "uploads_busy_heading", *words));
      }
    }  // a storage error: Submit asks again and answers it
  }
  const int per_account = static_cast<int>(site.settings().GetInt("upload.per_account"));
  const int per_address = static_cast<int>(site.settings().GetInt("upload.per_address"));
  UploadSlots::Refusal why = UploadSlots::Refusal::kNone;
  plan.hold = site.uploads.Take(ctx.user->id, SubscriberAddress(req.remote_ip), per_account,
                                per_address, &why);
  if (plan.hold) return;
  const std::string message =
      why == UploadSlots::Refusal::kAccount
          ? Format(ctx.lang, "uploads_per_account", {std::to_string(per_account)})
          : Format(ctx.lang, "uploads_per_address", {std::to_string(per_address)});
  Response res = api ? ApiError(429, "too_many_uploads", message)
                     : MessagePage(ctx, 429, "uploads_busy_heading", message);
  res.Set("Retry-After", "10");
  refuse(std::move(res));
}

}  // namespace

std::optional<Response> Dispatcher::TryFast(const Request& req) {
  if (!site_.page_cache.enabled() || (req.method != "GET" && req.method != "HEAD")) {
    return std::nullopt;
  }
  bool exists = false;
  Fields params;
  const Route* route = Match(req.method, req.path, &params, &exists);
  std::string key;
  if (route == nullptr || !Cacheable(req, *route, site_.options(), &key)) return std::nullopt;
  auto hit = site_.page_cache.Get(key, site_.NowMs(), AcceptsGzip(req));
  if (!hit) return std::nullopt;
  if (hit->view_of != 0 && req.method == "GET") {
    // Pages are cached for anonymous visitors only: the view is the address's.
    const std::string ip = site_.options().trusted_proxies.empty()
                               ? req.remote_ip
                               : ClientAddress(req.remote_ip, req.Header("x-forwarded-for"),
                                               site_.options().trusted_proxies);
    site_.views().Count(hit->view_of, SearchVisitorKey(nullptr, ip), site_.NowMs());
  }
  if (hit->response.Get("Cache-Control").empty())
    hit->response.Set("Cache-Control", "private, no-cache");
  if (site_.options().secure_cookies) hit->response.Set("Strict-Transport-Security", kHstsValue);
  return std::move(hit->response);
}

BodyPlan Dispatcher::Plan(const Request& head) const {
  bool exists = false;
  Fields params;
  const std::string_view method = head.method == "HEAD" ? "GET" : head.method;
  const Route* route = Match(method, head.path, &params, &exists);
  BodyPlan plan;
  plan.limit = kNoBodyLimit;
  plan.request_timeout_seconds = site_.options().request_timeout_seconds;
  if (route == nullptr) return plan;
  plan.route = RouteId(route);
  switch (route->body) {
    case Body::kRaw:
      plan.limit = site_.max_upload_bytes();
      plan.to_file = true;
      AdmitUpload(site_, head, *route, plan);
      break;
    case Body::kMultipart:
      plan.limit = site_.max_upload_bytes() + (1 << 20);  // the form's other fields
      plan.to_file = true;
      AdmitUpload(site_, head, *route, plan);
      break;
    case Body::kForm:
    case Body::kJson:
      plan.limit = kFormLimit;
      break;
    case Body::kNone:
      break;
  }
  return plan;
}

Response Dispatcher::Handle(Request& req) {
  if (!site_.options().trusted_proxies.empty()) {
    req.remote_ip = ClientAddress(req.remote_ip, req.Header("x-forwarded-for"),
                                  site_.options().trusted_proxies);
  }
  Context ctx{site_, req};
  Response res;
  try {
    ChooseLanguage(ctx);
    bool token_ok = Authenticate(ctx);
    const std::string cookie_csrf = req.Cookie(CsrfCookieName(site_.options()));
    if (cookie_csrf.size() == 64) ctx.csrf = cookie_csrf;
    bool exists = false;
    const Route* route = Match(req.method, req.path, &req.path_params, &exists);
    if (route == nullptr) {
      res = exists ? (req.path.starts_with("/api/")
                          ? ApiError(405, "method_not_allowed", "method not allowed")
                          : MessagePage(ctx, 405, "bad_request_heading",
                                        T(ctx.lang, "bad_request_message")))
                   : NotFound(ctx);
    } else if (!token_ok) {
      res = ApiError(401, "unauthenticated", "the token is unknown or expired");
    } else {
      Status body_ok;
      if (route->body == Body::kForm) {
        ctx.form = ParseUrlEncoded(req.body);
      } else if (route->body == Body::kMultipart && !req.body_file.empty()) {
        auto form = ParseMultipart(req.body_file, MultipartBoundary(req.Header("content-type")),
                                   site_.layout().tmp());
        if (form.ok()) {
          ctx.multipart = std::move(form).value();
        } else {
          body_ok = form.error();
        }
      }
      if (!body_ok.ok()) {
        res = Fail(ctx, body_ok.error());
      } else if (!CsrfOk(ctx, *route, cookie_csrf)) {
        res = req.path.starts_with("/api/")
                  ? ApiError(403, "csrf", "missing or wrong CSRF token (X-CSRF-Token)")
                  : MessagePage(ctx, 403, "forbidden_heading", T(ctx.lang, "csrf_message"));
      } else if (route->who == Who::kLocalOrAdmin && !FromThisMachine(req) &&
                 !Allowed(route->who, ctx.user)) {
        res = Fail(ctx, MakeError(ErrorCode::kForbidden, "only from this machine or an admin"));
      } else if (route->who != Who::kAnyone && route->who != Who::kLocalOrAdmin && !ctx.user) {
        res = Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
      } else if (route->who != Who::kLocalOrAdmin && !Allowed(route->who, ctx.user)) {
        res = Fail(ctx, MakeError(ErrorCode::kForbidden, "this needs another role"));
      } else {
        const uint64_t generation = site_.page_cache.generation();
        res = route->action(ctx);
        if (ctx.deferred) {  // answered later (AnswerLater): the server waits for it
          Response later;
          later.later =
              std::make_shared<DispatchedLater>(*this, std::make_unique<Context>(std::move(ctx)));
          return later;
        }
        std::string key;
        if (route->method == Method::kGet) {
          if (res.status == 200 && ctx.cookies_to_set.empty() && !ctx.csrf_shown &&
              res.file.empty() && !res.source && Cacheable(req, *route, site_.options(), &key)) {
            site_.page_cache.Put(key, res, ctx.viewed_document, site_.NowMs(), generation,
                                 route->cache == Cache::kAnonymousMinute ? 60'000 : 0);
          }
        } else if (res.status < 400) {
          site_.cache_sync.Changed();  // something changed: here and on every node
        }
      }
    }
  } catch (const std::exception& e) {
    spdlog::error("web: {} {} failed: {}", req.method, req.path, e.what());
    res = ErrorPage(500);
  }
  Finalize(ctx, res);
  return res;
}

void Dispatcher::Observe(const Request& req, int route, int status, double seconds) {
  site_.metrics.RecordRequest(route, req.method, status, seconds);
}

Response Dispatcher::ErrorPage(int status) {
  Request req;
  req.method = "GET";
  req.path = "/";
  Context ctx{site_, req};
  Response res = ErrorPageFor(ctx, status);
  if (site_.options().secure_cookies) res.Set("Strict-Transport-Security", kHstsValue);
  return res;
}

Response Dispatcher::ErrorPageFor(Context& ctx, int status) {
  switch (status) {
    case 404:
      return NotFound(ctx);
    case 413:
      return MessagePage(ctx, 413, "too_large_heading", T(ctx.lang, "too_large_message"));
    case 503:
      return MessagePage(ctx, 503, "busy_heading", T(ctx.lang, "busy_message"));
    case 400:
    case 408:
    case 431:
      return MessagePage(ctx, status, "bad_request_heading", T(ctx.lang, "bad_request_message"));
    default:
      return MessagePage(ctx, status, "server_error_heading", T(ctx.lang, "server_error_message"));
  }
}

}  // namespace wenku::web
