// POST /admin/users/{id}/disable and /enable — a moderator or admin (the route table says
// so; an admin's account only by an admin, never one's own: accounts::UserAdmin) disables or
// enables user {id} with a required `note`. Disabling logs them out everywhere, refuses
// their log-in and hides their documents; enabling brings them back. Back to the users
// page; a refused decision shows the page again with why next to that user's form.
#include "web/actions/actions.hpp"
#include "web/actions/admin_users_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response DisableUser(Context& ctx) {
  const UserId id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  return AfterUserDecision(ctx, id, "status",
                           ctx.site.user_admin().Disable(ctx.visitor(), id, ctx.Field("note")));
}

Response EnableUser(Context& ctx) {
  const UserId id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  return AfterUserDecision(ctx, id, "status",
                           ctx.site.user_admin().Enable(ctx.visitor(), id, ctx.Field("note")));
}

}  // namespace wenku::web
