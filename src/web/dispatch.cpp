#include "web/dispatch.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "web/auth.hpp"
#include "web/gzip.hpp"
#include "web/router.hpp"
#include "web/search_limit.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kFormLimit = 64 * 1024;
constexpr int64_t kNoBodyLimit = 16 * 1024;

bool SameToken(const std::string& a, const std::string& b) {
  return !a.empty() && a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

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
bool Cacheable(const Request& req, const Route& route, bool public_url_fixed, std::string* key) {
  if (route.cache != Cache::kAnonymous) return false;
  if (!req.Header("authorization").empty() || !req.Cookie("wenku_session").empty()) return false;
  if (req.HasQuery("lang")) return false;  // sets a cookie
  Lang lang = Lang::kZh;
  if (auto l = ParseLang(req.Cookie("wenku_lang"))) {
    lang = *l;
  } else {
    lang = LangFromAcceptLanguage(req.Header("accept-language"));
  }
  // The key holds only what the cached pages depend on: the language, the path, the
  // parameters those pages read (any others cannot multiply the entries) and, when no
  // web.public_url fixes the links, the Host the absolute links (Open Graph) are made of.
  *key = std::string(LangCode(lang)) + " " + req.path;
  for (const char* name : {"from", "page", "sort"}) {
    std::string value = req.Query(name);
    if (value.size() > 16) return false;
    if (!value.empty()) *key += std::string(" ") + name + "=" + value;
  }
  if (!public_url_fixed) {
    std::string host = req.Header("host");
    if (host.size() > 255) return false;
    *key += " @" + host;
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
  std::string token = ctx.req.Cookie("wenku_session");
  if (!token.empty()) ctx.user = UserForToken(ctx.site, token, &ctx.session_hash);
  return true;
}

// Whether `user` has the role a route asks for (Who::kAnyone: everyone).
bool Allowed(Who who, const std::optional<storage::User>& user) {
  switch (who) {
    case Who::kAnyone:
      return true;
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
    return SameToken(sent, cookie_csrf);
  }
  // The JSON API.
  if (ctx.bearer) return true;
  if (ctx.user) return SameToken(ctx.req.Header("x-csrf-token"), cookie_csrf);
  // Anonymous (register, log in): a cross-site form cannot send a JSON content type.
  if (route.body == Body::kJson) {
    return ctx.req.Header("content-type").starts_with("application/json");
  }
  return true;  // nothing to protect: the action refuses anonymous callers
}

// What every answer gets on its way out: the cookies the action set, a Cache-Control, gzip
// when the client takes it.
void Finalize(const Context& ctx, Response& res) {
  for (const auto& [k, v] : ctx.cookies_to_set) res.headers.emplace_back(k, v);
  if (res.Get("Cache-Control").empty()) res.Set("Cache-Control", "private, no-cache");
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

}  // namespace

std::optional<Response> Dispatcher::TryFast(const Request& req) {
  if (!site_.page_cache.enabled() || (req.method != "GET" && req.method != "HEAD")) {
    return std::nullopt;
  }
  bool exists = false;
  Fields params;
  const Route* route = Match(req.method, req.path, &params, &exists);
  std::string key;
  if (route == nullptr || !Cacheable(req, *route, !site_.options().public_url.empty(), &key))
    return std::nullopt;
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
  const bool has_credentials =
      head.Header("authorization").starts_with("Bearer ") || !head.Cookie("wenku_session").empty();
  if (route == nullptr) return plan;
  switch (route->body) {
    case Body::kRaw:
      plan.limit = site_.max_upload_bytes();
      plan.to_file = true;
      plan.needs_credentials = !has_credentials;
      break;
    case Body::kMultipart:
      plan.limit = site_.max_upload_bytes() + (1 << 20);  // the form's other fields
      plan.to_file = true;
      plan.needs_credentials = !has_credentials;
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
    const std::string cookie_csrf = req.Cookie("wenku_csrf");
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
      } else if (route->who != Who::kAnyone && !ctx.user) {
        res = Fail(ctx, MakeError(ErrorCode::kUnauthenticated, "log in first"));
      } else if (!Allowed(route->who, ctx.user)) {
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
          if (res.status == 200 && ctx.cookies_to_set.empty() && res.file.empty() &&
              Cacheable(req, *route, !site_.options().public_url.empty(), &key)) {
            site_.page_cache.Put(key, res, ctx.viewed_document, site_.NowMs(), generation);
          }
        } else if (res.status < 400) {
          site_.page_cache.Clear();  // something changed
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

Response Dispatcher::ErrorPage(int status) {
  Request req;
  req.method = "GET";
  req.path = "/";
  Context ctx{site_, req};
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
