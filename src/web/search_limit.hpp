// SearchLimit: how many searches one visitor may make — search.per_minute (default 30)
// within any minute, counted per account when logged in and per IP address when anonymous
// (the address dispatch.cpp settled on, X-Forwarded-For only from web.trusted_proxies; an
// IPv6 address counts by its /64, what one subscriber usually holds). The four search
// routes (/search, /d/{id}/search and their /api/v1 twins) ask here before searching, so
// a phrase search cannot be used as a fast oracle for the text of locked pages. Those
// routes are never kept in the page cache (routes.cpp), so every search reaches this check,
// and a refusal (429) is never cached.
// Threading: safe for concurrent use (the limiter lives in Site).
#pragma once

#include <optional>
#include <string>

#include "library/access.hpp"
#include "web/context.hpp"

namespace wenku::web {

// Whose count a search goes to: "user:<id>" when logged in, else "ip:<address>" (an IPv6
// address cut to its /64; an IPv4-mapped IPv6 address as the IPv4 address).
std::string SearchVisitorKey(library::Visitor user, const std::string& ip);

// Counts one search by the visitor of `ctx`. nullopt when it is allowed; else the answer
// to send: 429 with Retry-After (whole seconds until a slot frees) — a page with the
// catalog's message, or under /api/ {"error":{"code":"rate_limited","message":…}}.
std::optional<Response> CountSearch(Context& ctx);

}  // namespace wenku::web
