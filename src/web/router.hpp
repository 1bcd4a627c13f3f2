// Router: matches a method and path against the route table (routes.cpp, the one list of
// every URL). Patterns are literal segments and `{name}` parameters; a parameter may carry
// a literal suffix (`{n}.webp`), and a final `{name*}` takes the rest of the path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "web/context.hpp"

namespace wenku::web {

enum class Method { kGet, kPost, kDelete };
// What a route reads from the request body, which decides limits and CSRF checks.
enum class Body {
  kNone,       // GET pages
  kForm,       // an HTML form (url-encoded): CSRF token field required
  kMultipart,  // the upload form: streamed to a file, CSRF token field required
  kJson,       // API JSON body (small)
  kRaw,        // API upload: the raw file bytes, streamed to a file
};

using Action = Response (*)(Context&);

// Whether anonymous visitors' answers may be kept in the PageCache: kAnonymous for
// web.page_cache_ms; kAnonymousMinute for at least a minute (the sitemaps: each part reads
// up to 10,000 rows, so however many crawlers ask, it is drawn about once a minute; a change
// made through the site clears it at once like every cached page).
enum class Cache { kNo, kAnonymous, kAnonymousMinute };

// Who may call a route at all, checked by the dispatcher before the action runs: an
// anonymous visitor is sent to log in (401 for the API), a user without the role gets 403.
// What a visitor may do with a given document is the access policy's (library/access.hpp),
// asked by the action.
// kLocalOrAdmin (the operators' routes: /metrics): a request from this machine — a loopback
// peer that no proxy forwarded (no X-Forwarded-For, Forwarded or X-Real-IP header, unless
// the proxy is one of web.trusted_proxies and so already resolved to the visitor's address)
// — or an admin (an API token, as a scraper sends it, or a session); anyone else gets 403.
enum class Who { kAnyone, kUser, kModerator, kAdmin, kLocalOrAdmin };

struct Route {
  Method method;
  std::string_view pattern;
  Action action;
  Body body = Body::kNone;
  Cache cache = Cache::kNo;
  Who who = Who::kAnyone;
};

std::optional<Method> ParseMethod(std::string_view method);
// The matching route, its parameters in `params`. `path_exists` tells a 405 from a 404.
const Route* Match(std::string_view method, std::string_view path, Fields* params,
                   bool* path_exists);
// The route table (routes.cpp).
const std::vector<Route>& Routes();
// Its patterns, in order: a route's id (its index) is its label on /metrics.
std::vector<std::string> RoutePatterns();
// The id of `route` (a row of Routes()), -1 for nullptr.
int RouteId(const Route* route);

}  // namespace wenku::web
