// Dispatcher: the server's Handler for the whole site. For each request it finds the route
// (router.hpp), builds the Context (language; the user from the session cookie or a Bearer
// token; the CSRF token), parses the body the route declares, refuses unsafe requests
// without a valid CSRF token, runs the action, and turns an exception into a 500 page —
// this is one of the two places exceptions are caught (the other: the ingest worker loop,
// and its twin in the render pool). An action that answers later (AnswerLater) gets a
// Response::later that keeps its Context; its `finish` is guarded here the same way.
#pragma once

#include "web/context.hpp"
#include "web/server.hpp"
#include "web/site.hpp"

namespace wenku::web {

class Dispatcher final : public Handler {
 public:
  explicit Dispatcher(Site& site) : site_(site) {}
  BodyPlan Plan(const Request& head) const override;
  Response Handle(Request& req) override;
  // A cached page for an anonymous visitor (page_cache.hpp).
  std::optional<Response> TryFast(const Request& req) override;
  Response ErrorPage(int status) override;
  // Counts the request in Site::metrics under its route's pattern.
  void Observe(const Request& req, int route, int status, double seconds) override;

 private:
  static Response ErrorPageFor(Context& ctx, int status);
  Site& site_;
};

}  // namespace wenku::web
