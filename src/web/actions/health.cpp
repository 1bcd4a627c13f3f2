// GET /healthz — 200 "ok" when the database answers, 503 otherwise (for load balancers).
#include "web/actions/actions.hpp"

namespace wenku::web {

Response ShowHealth(Context& ctx) {
  auto row = ctx.site.app().db().QueryOne("SELECT 1");
  Response r = row.ok() ? Text(200, "ok\n") : Text(503, "database unavailable\n");
  r.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace wenku::web
