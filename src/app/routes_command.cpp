// `wenku routes [--json]`: the route table (web/routes.cpp) as the dispatcher enforces it —
// each URL's method, pattern, the body it reads, its cache rule and the role it needs. For
// operators writing proxy rules, and for the authorization crawler
// (tests/e2e/authorization.test.mjs), which reads the table from here so that a route
// added without a row in its table of expectations fails it.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "web/router.hpp"

namespace wenku::app {
namespace {

const char* MethodName(web::Method m) {
  switch (m) {
    case web::Method::kGet:
      return "GET";
    case web::Method::kPost:
      return "POST";
    case web::Method::kDelete:
      return "DELETE";
  }
  return "?";
}

const char* BodyName(web::Body b) {
  switch (b) {
    case web::Body::kNone:
      return "none";
    case web::Body::kForm:
      return "form";
    case web::Body::kMultipart:
      return "multipart";
    case web::Body::kJson:
      return "json";
    case web::Body::kRaw:
      return "raw";
  }
  return "?";
}

const char* WhoName(web::Who w) {
  switch (w) {
    case web::Who::kAnyone:
      return "anyone";
    case web::Who::kUser:
      return "user";
    case web::Who::kModerator:
      return "moderator";
    case web::Who::kAdmin:
      return "admin";
    case web::Who::kLocalOrAdmin:
      return "local-or-admin";
  }
  return "?";
}

}  // namespace

int RunRoutes(bool json) {
  nlohmann::json all = nlohmann::json::array();
  for (const web::Route& r : web::Routes()) {
    if (json) {
      all.push_back({{"method", MethodName(r.method)},
                     {"pattern", std::string(r.pattern)},
                     {"body", BodyName(r.body)},
                     {"cache", r.cache == web::Cache::kNo          ? "no"
                               : r.cache == web::Cache::kAnonymous ? "anonymous"
                                                                   : "anonymous-minute"},
                     {"who", WhoName(r.who)}});
    } else {
      std::printf("%-6s %-42s %-9s %s\n", MethodName(r.method), std::string(r.pattern).c_str(),
                  WhoName(r.who), BodyName(r.body));
    }
  }
  if (json) std::printf("%s\n", all.dump(2).c_str());
  return 0;
}

}  // namespace wenku::app
