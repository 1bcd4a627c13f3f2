// One admin change to a category, named by an action word — shared by the admin page's forms
// (admin_categories.cpp) and the API (api_categories.cpp), so both accept the same words:
//   rename (name_zh, name_en), up, down, hide, show.
// The rules are library::Categories'; an unknown action is kInvalidInput "action".
#pragma once

#include <string>

#include "library/categories.hpp"

namespace wenku::web {

inline Status ChangeCategory(library::Categories& categories, library::Visitor actor,
                             const std::string& slug, const std::string& action,
                             const std::string& name_zh, const std::string& name_en) {
  if (action == "rename") return categories.Rename(actor, slug, name_zh, name_en);
  if (action == "up") return categories.Move(actor, slug, -1);
  if (action == "down") return categories.Move(actor, slug, +1);
  if (action == "hide") return categories.SetHidden(actor, slug, true);
  if (action == "show") return categories.SetHidden(actor, slug, false);
  return MakeError(ErrorCode::kInvalidInput, "action");
}

// The catalog key for a refused change's field (Categories' kInvalidInput / kConflict
// messages), or "" when the error is not about a field.
inline std::string CategoryProblemKey(const Error& e) {
  if (e.code == ErrorCode::kConflict && e.message == "slug") return "category_slug_taken";
  if (e.code != ErrorCode::kInvalidInput) return "";
  if (e.message == "slug") return "category_slug_invalid";
  if (e.message == "name_zh" || e.message == "name_en") return "category_name_invalid";
  if (e.message == "hidden") return "category_default_hidden";
  if (e.message == "action") return "category_action_invalid";
  return "";
}

}  // namespace wenku::web
