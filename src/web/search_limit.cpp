#include "web/search_limit.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "web/view.hpp"

namespace wenku::web {

std::string SearchVisitorKey(library::Visitor user, const std::string& ip) {
  if (user != nullptr) return "user:" + std::to_string(user->id);
  in6_addr a6{};
  if (inet_pton(AF_INET6, ip.c_str(), &a6) == 1) {
    char text[INET6_ADDRSTRLEN] = {};
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {
      in_addr a4{};
      std::memcpy(&a4, a6.s6_addr + 12, 4);
      inet_ntop(AF_INET, &a4, text, sizeof text);
    } else {
      std::memset(a6.s6_addr + 8, 0, 8);  // the /64
      inet_ntop(AF_INET6, &a6, text, sizeof text);
    }
    return std::string("ip:") + text;
  }
  return "ip:" + ip;
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
