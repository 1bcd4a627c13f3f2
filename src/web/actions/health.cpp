// GET /healthz — 200 "ok" when the database answers and converters can run (the sandbox is
// ready, or deliberately off); 503 with the reason otherwise (for load balancers and people).
#include "web/actions/actions.hpp"

namespace wenku::web {

Response ShowHealth(Context& ctx) {
  auto row = ctx.site.db().QueryOne("SELECT 1");
  Status sandbox = ctx.site.ConvertersReady();
  Response r = !row.ok() ? Text(503, "database unavailable\n")
               : !sandbox.ok()
                   ? Text(503, "converter sandbox unavailable: " + sandbox.error().message + "\n")
                   : Text(200, "ok\n");
  r.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace wenku::web
