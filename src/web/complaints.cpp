#include "web/complaints.hpp"

namespace wenku::web {

bool AllowComplaint(Context& ctx) {
  const std::string key =
      ctx.user ? "user:" + std::to_string(ctx.user->id) : "ip:" + ctx.req.remote_ip;
  return ctx.site.complaints.Allow(key, ctx.site.NowMs());
}

}  // namespace wenku::web
