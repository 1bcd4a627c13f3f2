// The users page's view (/admin/users), shared by ShowAdminUsers and the decisions posted
// from it (role, disable / enable, grant), which show the page again with a refused
// decision's error next to that user's form, or go back to it after success.
#pragma once

#include <string>

#include "core/result.hpp"
#include "web/context.hpp"

namespace wenku::web {

// What /admin/users lists: ?q= (a part of the name, at most 64 bytes), ?role=user|moderator|
// admin (default: all), ?disabled=yes|no (default: all), ?page=N (50 a page, at most 1000
// pages). Unknown values fall back to the defaults.
struct UsersFilter {
  std::string q;
  std::string role;      // "" for all
  std::string disabled;  // "", "yes", "no"
  int64_t page = 1;
};
UsersFilter ReadUsersFilter(const std::string& q, const std::string& role,
                            const std::string& disabled, const std::string& page);
// The filter a decision form carries back in its hidden fields f_q, f_role, f_disabled,
// f_page.
UsersFilter UsersFilterFromForm(Context& ctx);
std::string UsersHref(const UsersFilter& filter);

struct UserFormError {
  UserId user = 0;
  std::string form;  // "role", "status", "grant"
  std::string message;
};

Response RenderUsersPage(Context& ctx, const UsersFilter& filter, const UserFormError& error,
                         int status);

// After a decision on user `id` from form `form`: back to the page (303) when `s` is ok,
// else the page again with the catalog's words for the error next to that form (its HTTP
// status), or the error page for errors no form explains.
Response AfterUserDecision(Context& ctx, UserId id, const std::string& form, const Status& s);

// A grant form's amount: a whole number, optionally signed; 0 (which no grant is) for
// anything else (user_grant.cpp).
int64_t ParseGrantAmount(const std::string& text);

// The catalog key for an accounts::UserAdmin error ("" for errors it does not explain).
std::string UserAdminProblemKey(const Error& error);

}  // namespace wenku::web
