#include "web/search_limit.hpp"

#include "web/http.hpp"
#include "web/view.hpp"

namespace wenku::web {

std::string SearchVisitorKey(library::Visitor user, const std::string& ip) {
  if (user != nullptr) return "user:" + std::to_string(user->id);
  return "ip:" + SubscriberAddress(ip);
}

std::optional<Response> CountSearch(Context& ctx) {
  const library::Visitor user = ctx.visitor();
  const int64_t wait_ms =
      ctx.site.search_limiter().Take(SearchVisitorKey(user, ctx.req.remote_ip), ctx.site.NowMs());
  if (wait_ms == 0) return std::nullopt;
  const std::string seconds = std::to_string((wait_ms + 999) / 1000);
  const std::string message = Format(ctx.lang, "search_rate_limited", {seconds});
  Response res = ctx.req.path.starts_with("/api/")
                     ? ApiError(429, "rate_limited", message)
                     : MessagePage(ctx, 429, "rate_limited_heading", message);
  res.Set("Retry-After", seconds);
  return res;
}

}  // namespace wenku::web
