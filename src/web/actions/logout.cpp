// POST /logout — ends the session (a form with the CSRF token, so no other site can log
// a visitor out).
#include "web/actions/actions.hpp"
#include "web/auth.hpp"

namespace wenku::web {

Response CreateLogout(Context& ctx) {
  LogOut(ctx);
  RotateCsrf(ctx);
  return Redirect("/");
}

}  // namespace wenku::web
