// POST /admin/users/{id}/role — an admin (the route table says so) gives user {id} the
// `role` user, moderator or admin, with an optional `note` (accounts::UserAdmin::SetRole:
// never leaving the site without an admin). Back to the users page; a refused change shows
// the page again with why next to that user's role form.
#include "web/actions/actions.hpp"
#include "web/actions/admin_users_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response ChangeUserRole(Context& ctx) {
  const UserId id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  Status s = ctx.site.user_admin().SetRole(ctx.visitor(), id, ctx.Field("role"), ctx.Field("note"));
  return AfterUserDecision(ctx, id, "role", s);
}

}  // namespace wenku::web
