// GET /admin/users — the users page for moderators and admins (the route table says so): a
// search by name, filters by role and disabled state, 50 a page (bounded: at most 1000
// pages). Each row: name, role, created, documents uploaded, wallet balance, disabled state
// (with its reason); and the forms that apply to the viewer (accounts::UserAdmin's rules):
// the role (admins), disable / enable with a required note (moderators; an admin's account
// only by an admin; never one's own), a grant of points (admins) carrying an idempotency key
// made when the page was drawn, so a double submit grants once.
#include <algorithm>

#include "accounts/password.hpp"
#include "accounts/user_admin.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_page.hpp"
#include "web/actions/admin_users_page.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kUsersPerPage = 50;
constexpr int64_t kMaxPage = 1000;
constexpr size_t kMaxQuery = 64;
constexpr std::string_view kRoles[] = {"user", "moderator", "admin"};

bool KnownRole(const std::string& role) {
  for (std::string_view r : kRoles) {
    if (r == role) return true;
  }
  return false;
}

ViewList RoleOptions(Context& ctx, std::string_view chosen, bool with_all) {
  ViewList list;
  if (with_all) list.push_back(SelectOption("", T(ctx.lang, "admin_all"), chosen.empty()));
  for (std::string_view r : kRoles) {
    View o;
    o.set("value", std::string(r));
    o.set("label", T(ctx.lang, "role_" + std::string(r)));
    o.set("selected", Flag(r == chosen));
    list.push_back(o);
  }
  return list;
}

ViewList DisabledOptions(Context& ctx, std::string_view chosen) {
  ViewList list;
  for (std::string_view d : {"", "no", "yes"}) {
    View o;
    o.set("value", std::string(d));
    o.set("label", T(ctx.lang, d.empty() ? "admin_all" : "users_disabled_" + std::string(d)));
    o.set("selected", Flag(d == chosen));
    list.push_back(o);
  }
  return list;
}

void SetFilterFields(View& form, const UsersFilter& f) {
  form.set("f_q", f.q);
  form.set("f_role", f.role);
  form.set("f_disabled", f.disabled);
  form.set("f_page", std::to_string(f.page));
}

View UserRow(Context& ctx, const storage::UserSummary& s, const UsersFilter& filter,
             const UserFormError& error) {
  const storage::User& u = s.user;
  const library::Visitor viewer = ctx.visitor();
  View v;
  v.set("id", std::to_string(u.id));
  v.set("name", u.name);
  v.set("href", "/u/" + PathSegment(u.name));
  v.set("role", u.role);
  v.set("role_label", T(ctx.lang, "role_" + u.role));
  v.set("created", DateLabel(u.created_at));
  v.set("documents", std::to_string(s.documents));
  v.set("balance", std::to_string(s.balance));
  v.set("disabled", Flag(u.Disabled()));
  if (u.Disabled()) {
    v.set("disabled_since", DateLabel(u.disabled_at));
    v.set("disabled_reason", u.disabled_reason);
  }
  auto form = [&](const std::string& name) {
    View f;
    f.set("csrf", ctx.CsrfToken());
    SetFilterFields(f, filter);
    if (error.user == u.id && error.form == name) f.set("error", error.message);
    return f;
  };
  if (accounts::MayChangeRoles(viewer)) {
    View f = form("role");
    f.set("roles", RoleOptions(ctx, u.role, false));
    v.set("role_form", f);
  }
  if (accounts::MayDisable(viewer, u)) {
    View f = form("status");
    f.set("action", u.Disabled() ? "enable" : "disable");
    f.set("submit", T(ctx.lang, u.Disabled() ? "users_enable" : "users_disable"));
    v.set("status_form", f);
  }
  if (accounts::MayGrant(viewer)) {
    View f = form("grant");
    f.set("key", accounts::NewToken());  // one grant per drawn form
    f.set("max", std::to_string(points::kMaxGrant));
    v.set("grant_form", f);
  }
  return v;
}

}  // namespace

UsersFilter ReadUsersFilter(const std::string& q, const std::string& role,
                            const std::string& disabled, const std::string& page) {
  UsersFilter f;
  size_t cut = std::min(q.size(), kMaxQuery);  // on a character boundary
  while (cut > 0 && cut < q.size() && (static_cast<unsigned char>(q[cut]) & 0xC0) == 0x80) --cut;
  f.q = q.substr(0, cut);
  if (KnownRole(role)) f.role = role;
  if (disabled == "yes" || disabled == "no") f.disabled = disabled;
  f.page = std::clamp<int64_t>(ParseId(page), 1, kMaxPage);
  return f;
}

UsersFilter UsersFilterFromForm(Context& ctx) {
  return ReadUsersFilter(ctx.Field("f_q"), ctx.Field("f_role"), ctx.Field("f_disabled"),
                         ctx.Field("f_page"));
}

std::string UsersHref(const UsersFilter& f) {
  std::string href =
      "/admin/users?q=" + UrlEncode(f.q) + "&role=" + f.role + "&disabled=" + f.disabled;
  if (f.page > 1) href += "&page=" + std::to_string(f.page);
  return href;
}

Response RenderUsersPage(Context& ctx, const UsersFilter& filter, const UserFormError& error,
                         int status) {
  storage::UserQuery q;
  q.name_contains = filter.q;
  q.role = filter.role;
  if (filter.disabled == "yes") q.disabled = storage::UserQuery::Disabled::kYes;
  if (filter.disabled == "no") q.disabled = storage::UserQuery::Disabled::kNo;
  q.limit = kUsersPerPage + 1;  // one more tells whether there is a next page
  q.offset = (filter.page - 1) * kUsersPerPage;
  auto users = ctx.site.user_admin().List(ctx.visitor(), q);
  if (!users.ok()) return Fail(ctx, users.error());
  const bool more = TrimToPage(*users, kUsersPerPage) && filter.page < kMaxPage;

  View v = BaseView(ctx, T(ctx.lang, "users_heading"));
  v.set("nav_users", View::type::bool_true);
  v.set("q", filter.q);
  v.set("role_options", RoleOptions(ctx, filter.role, true));
  v.set("disabled_options", DisabledOptions(ctx, filter.disabled));
  ViewList rows;
  for (const auto& s : *users) rows.push_back(UserRow(ctx, s, filter, error));
  v.set("users", rows);
  v.set("no_users", Flag(rows.empty()));
  if (!error.message.empty()) v.set("form_error", error.message);
  if (filter.page > 1) {
    UsersFilter prev = filter;
    --prev.page;
    v.set("prev_href", UsersHref(prev));
  }
  if (more) {
    UsersFilter next = filter;
    ++next.page;
    v.set("next_href", UsersHref(next));
  }
  return RenderPage(ctx, "admin_users", v, status);
}

std::string UserAdminProblemKey(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidInput:
      return "users_field_" + error.message;
    case ErrorCode::kForbidden:
    case ErrorCode::kConflict:
      return "users_refused_" + error.message;
    case ErrorCode::kInsufficientPoints:
      return "users_refused_insufficient";
    default:
      return "";
  }
}

Response AfterUserDecision(Context& ctx, UserId id, const std::string& form, const Status& s) {
  const UsersFilter filter = UsersFilterFromForm(ctx);
  if (s.ok()) return Redirect(UsersHref(filter) + "#user-" + std::to_string(id));
  const std::string key = UserAdminProblemKey(s.error());
  if (key.empty() || !Find(ctx.lang, key)) return Fail(ctx, s.error());
  return RenderUsersPage(ctx, filter, UserFormError{id, form, T(ctx.lang, key)},
                         HttpStatus(s.error().code));
}

Response ShowAdminUsers(Context& ctx) {
  const Request& r = ctx.req;
  return RenderUsersPage(
      ctx, ReadUsersFilter(r.Query("q"), r.Query("role"), r.Query("disabled"), r.Query("page")), {},
      200);
}

}  // namespace wenku::web
