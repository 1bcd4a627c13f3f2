#include "web/view.hpp"

#include <spdlog/spdlog.h>

#include <ctime>
#include <nlohmann/json.hpp>

namespace wenku::web {

View SelectOption(const std::string& value, const std::string& label, bool selected) {
  View o;
  o.set("value", value);
  o.set("label", label);
  o.set("selected", Flag(selected));
  return o;
}

View BaseView(Context& ctx, const std::string& page_title) {
  View v;
  v.set("page_title", page_title);
  v.set("site_name", ctx.site.name());
  v.set("lang_tag", std::string(LangTag(ctx.lang)));
  Lang other = ctx.lang == Lang::kZh ? Lang::kEn : Lang::kZh;
  v.set("other_lang", std::string(LangCode(other)));
  // The parameters the pages read (filters, paging, the search); nothing else is repeated.
  static const std::vector<std::string_view> kKept = {"q",        "page", "sort",     "category",
                                                      "state",    "role", "uploader", "type",
                                                      "disabled", "from", "price",    "format"};
  v.set("lang_switch_href", SelfLinkWith(ctx.req, "lang", LangCode(other), kKept));
  v.set("query", ctx.req.path == "/search" ? ctx.req.Query("q") : std::string());
  if (ctx.user) {
    v.set("csrf", ctx.CsrfToken());  // the log-out form, comment and delete forms
    View viewer;
    viewer.set("name", ctx.user->name);
    viewer.set("name_path", PathSegment(ctx.user->name));
    viewer.set("is_moderator",
               ctx.user->IsModerator() ? View::type::bool_true : View::type::bool_false);
    viewer.set("is_admin", ctx.user->IsAdmin() ? View::type::bool_true : View::type::bool_false);
    v.set("viewer", viewer);
  } else {
    v.set("viewer", View::type::bool_false);
  }
  return v;
}

Response RenderPage(Context& ctx, std::string_view tmpl, View view, int status) {
  std::string body = ctx.site.templates().Render(tmpl, ctx.lang, view);
  view.set("body", body);
  Response r = Html(status, ctx.site.templates().Render("layout", ctx.lang, view));
  return r;
}

Response MessagePage(Context& ctx, int status, std::string_view heading_key,
                     const std::string& message) {
  View v = BaseView(ctx, T(ctx.lang, heading_key));
  v.set("heading", T(ctx.lang, heading_key));
  v.set("message", message);
  ViewList links;
  View home;
  home.set("href", "/");
  home.set("label", T(ctx.lang, "back_home"));
  links.push_back(home);
  v.set("links", links);
  return RenderPage(ctx, "message", v, status);
}

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kInvalidInput:
    case ErrorCode::kEmptyFile:
      return 400;
    case ErrorCode::kUnsupportedType:
      return 415;
    case ErrorCode::kEncrypted:
    case ErrorCode::kCorrupt:
    case ErrorCode::kConversionFailed:
      return 422;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kInsufficientPoints:
      return 402;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kBusy:
      return 503;
    case ErrorCode::kRemoved:
      return 451;
    case ErrorCode::kTimeout:
      return 504;
    case ErrorCode::kResourceLimit:
      return 507;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response ApiError(int status, std::string_view code, const std::string& message) {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  return Json(status, j.dump());
}

Response Fail(Context& ctx, const Error& error) {
  int status = HttpStatus(error.code);
  std::string message = error.message;
  if (error.code == ErrorCode::kBusy) {  // expected under load: not logged as an error
    Response r = ctx.req.path.starts_with("/api/")
                     ? ApiError(status, ErrorCodeName(error.code), message)
                     : MessagePage(ctx, status, "busy_heading", message);
    r.Set("Retry-After", std::to_string(kRetryAfterSeconds));
    return r;
  }
  if (status >= 500) {
    spdlog::error("web: {} {}: {}", ctx.req.method, ctx.req.path, error.message);
    message = T(ctx.lang, "server_error_message");
  }
  if (error.code == ErrorCode::kRemoved) {  // 451, saying why (a report reason)
    message = T(ctx.lang, "removed_" + error.message);
    if (!ctx.req.path.starts_with("/api/"))
      return MessagePage(ctx, 451, "removed_heading", message);
  }
  if (ctx.req.path.starts_with("/api/")) {
    return ApiError(status, ErrorCodeName(error.code), message);
  }
  switch (error.code) {
    case ErrorCode::kUnauthenticated:
      return Redirect("/login?next=" + UrlEncode(ctx.req.target));
    case ErrorCode::kNotFound:
      return NotFound(ctx);
    case ErrorCode::kForbidden:
      return MessagePage(ctx, 403, "forbidden_heading", T(ctx.lang, "forbidden_message"));
    case ErrorCode::kRateLimited:
      return MessagePage(ctx, 429, "rate_limited_heading", message);
    default:
      break;
  }
  if (status >= 500) {
    return MessagePage(ctx, status, "server_error_heading", message);
  }
  return MessagePage(ctx, status, "bad_request_heading", message);
}

Response SearchFailed(Context& ctx, const Error& error) {
  if (error.code != ErrorCode::kIo) return Fail(ctx, error);
  spdlog::warn("web: {} {}: {}", ctx.req.method, ctx.req.path, error.message);
  Response r =
      ctx.req.path.starts_with("/api/")
          ? ApiError(503, "search_unavailable", T(ctx.lang, "search_unavailable"))
          : MessagePage(ctx, 503, "search_unavailable_heading", T(ctx.lang, "search_unavailable"));
  r.Set("Retry-After", std::to_string(kRetryAfterSeconds));
  return r;
}

Response AnswerLater(Context& ctx, Deferred deferred) {
  ctx.deferred = std::move(deferred);
  return Response{};  // replaced by the dispatcher (dispatch.cpp)
}

Response NotFound(Context& ctx) {
  if (ctx.req.path.starts_with("/api/")) {
    return ApiError(404, "not_found", "no such resource");
  }
  return MessagePage(ctx, 404, "not_found_heading", T(ctx.lang, "not_found_message"));
}

std::string SizeLabel(int64_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
  } else if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(bytes) / 1024);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1024 * 1024));
  }
  return buf;
}

std::string DateLabel(int64_t epoch_ms) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string FormatLabel(const std::string& format) {
  std::string out = format.empty() ? "?" : format;
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string PriceLabel(Lang lang, int64_t price) {
  return price == 0 ? T(lang, "price_free") : Format(lang, "price_points", {std::to_string(price)});
}

std::string PathSegment(std::string_view text) { return UrlEncode(text); }

std::string CoverUrl(const Document& doc) { return "/d/" + std::to_string(doc.id) + "/cover.webp"; }

ViewList DocListView(Context& ctx, const std::vector<Document>& docs, bool show_state) {
  ViewList list;
  for (const Document& d : docs) {
    View item;
    item.set("id", std::to_string(d.id));
    item.set("title", d.title);
    item.set("format_label", FormatLabel(d.format));
    item.set("pages_label", Format(ctx.lang, "pages_count", {std::to_string(d.page_count)}));
    item.set("owner", d.owner_name);
    item.set("date", DateLabel(d.created_at));
    if (d.state == DocState::kReady) item.set("cover", CoverUrl(d));
    if (show_state && d.state != DocState::kReady) {
      item.set("state_label", T(ctx.lang, "state_" + std::string(DocStateName(d.state))));
    }
    list.push_back(item);
  }
  return list;
}

}  // namespace wenku::web
