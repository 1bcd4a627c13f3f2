// The users API (moderators and admins; the route table says so, accounts::UserAdmin says
// who may do what beyond that):
//   GET  /api/v1/admin/users?q=&role=&disabled=yes|no&page=N → {"users":[{"id","name","role",
//        "created_at","documents","balance","disabled","disabled_at","disabled_reason"}],
//        "next_page": N or null} (by id, 50 a page, at most 1000 pages)
//   POST /api/v1/admin/users/{id} {"action":"role","role","note"?} (admins)
//                                 {"action":"disable|enable","note"} (moderators)
//                                 {"action":"grant","amount","note","key"} (admins; `key`
//                                 makes a retry grant once)
//        → 200 {"id","role","disabled"} (grant: also "granted": false for a replayed key,
//        "balance"); 400 {"error":{"field"}} for a bad field, 403, 404, 409 (last admin,
//        already in that state), 402 (a negative grant beyond the wallet).
#include "accounts/user_admin.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/admin_users_page.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kUsersPerPage = 50;
constexpr int64_t kMaxPage = 1000;

Response Refused(Context& ctx, const Error& e) {
  if (e.code == ErrorCode::kInvalidInput) {
    nlohmann::json j = {{"error",
                         {{"code", "invalid_input"},
                          {"field", e.message},
                          {"message", T(ctx.lang, UserAdminProblemKey(e))}}}};
    return Json(400, j.dump());
  }
  const std::string key = UserAdminProblemKey(e);
  if (!key.empty() && Find(ctx.lang, key)) {
    return ApiError(HttpStatus(e.code), ErrorCodeName(e.code), T(ctx.lang, key));
  }
  return Fail(ctx, e);
}

}  // namespace

Response ApiListUsers(Context& ctx) {
  const UsersFilter f = ReadUsersFilter(ctx.req.Query("q"), ctx.req.Query("role"),
                                        ctx.req.Query("disabled"), ctx.req.Query("page"));
  if (!ctx.req.Query("role").empty() && f.role.empty()) {
    return ApiError(400, "invalid_input", "unknown role");
  }
  storage::UserQuery q;
  q.name_contains = f.q;
  q.role = f.role;
  if (f.disabled == "yes") q.disabled = storage::UserQuery::Disabled::kYes;
  if (f.disabled == "no") q.disabled = storage::UserQuery::Disabled::kNo;
  q.limit = kUsersPerPage + 1;
  q.offset = (f.page - 1) * kUsersPerPage;
  auto users = ctx.site.user_admin().List(ctx.visitor(), q);
  if (!users.ok()) return Refused(ctx, users.error());
  const bool more = TrimToPage(*users, kUsersPerPage) && f.page < kMaxPage;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : *users) {
    list.push_back({{"id", s.user.id},
                    {"name", s.user.name},
                    {"role", s.user.role},
                    {"created_at", s.user.created_at},
                    {"documents", s.documents},
                    {"balance", s.balance},
                    {"disabled", s.user.Disabled()},
                    {"disabled_at", s.user.Disabled() ? nlohmann::json(s.user.disabled_at)
                                                      : nlohmann::json(nullptr)},
                    {"disabled_reason", s.user.disabled_reason}});
  }
  return Json(200, nlohmann::json{{"users", list},
                                  {"next_page",
                                   more ? nlohmann::json(f.page + 1) : nlohmann::json(nullptr)}}
                       .dump());
}

Response ApiUpdateUser(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  const UserId id = ParseId(ctx.req.Param("id"));
  if (id == 0) return ApiError(404, "not_found", "no such user");
  const std::string action = JsonString(*body, "action");
  const std::string note = JsonString(*body, "note");
  accounts::UserAdmin& admin = ctx.site.user_admin();
  nlohmann::json extra = nlohmann::json::object();
  Status s;
  if (action == "role") {
    s = admin.SetRole(ctx.visitor(), id, JsonString(*body, "role"), note);
  } else if (action == "disable") {
    s = admin.Disable(ctx.visitor(), id, note);
  } else if (action == "enable") {
    s = admin.Enable(ctx.visitor(), id, note);
  } else if (action == "grant") {
    auto it = body->find("amount");
    const int64_t amount =
        it != body->end() && it->is_number_integer() ? it->get<int64_t>() : int64_t{0};
    auto granted = admin.Grant(ctx.visitor(), id, amount, note, JsonString(*body, "key"));
    if (granted.ok()) {
      extra["granted"] = granted->awarded;
      extra["balance"] = granted->balance;
    } else {
      s = granted.error();
    }
  } else {
    return Refused(ctx, Error{ErrorCode::kInvalidInput, "action"});
  }
  if (!s.ok()) return Refused(ctx, s.error());
  auto user = ctx.site.users().FindById(id);
  if (!user.ok()) return Fail(ctx, user.error());
  nlohmann::json j = {{"id", id}, {"role", user->role}, {"disabled", user->Disabled()}};
  j.update(extra);
  return Json(200, j.dump());
}

}  // namespace wenku::web
