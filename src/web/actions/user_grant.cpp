// POST /admin/users/{id}/grant — an admin (the route table says so) grants user {id}
// `amount` points (negative: takes them back, within the wallet) with a required `note`,
// under the form's hidden `key` (made when the page was drawn: a double submit grants once).
// accounts::UserAdmin::Grant holds the rules. Back to the users page; a refused grant shows
// the page again with why next to that user's grant form.
#include <charconv>

#include "web/actions/actions.hpp"
#include "web/actions/admin_users_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {

int64_t ParseGrantAmount(const std::string& text) {
  std::string_view t = text;
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (ec != std::errc() || end != t.data() + t.size()) return 0;
  return n;
}

Response GrantPoints(Context& ctx) {
  const UserId id = ParseId(ctx.req.Param("id"));
  if (id == 0) return NotFound(ctx);
  auto granted =
      ctx.site.user_admin().Grant(ctx.visitor(), id, ParseGrantAmount(ctx.Field("amount")),
                                  ctx.Field("note"), ctx.Field("key"));
  return AfterUserDecision(ctx, id, "grant", granted.ok() ? Status{} : Status(granted.error()));
}

}  // namespace wenku::web
