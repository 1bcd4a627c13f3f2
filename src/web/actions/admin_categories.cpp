// GET /admin/categories — the categories, hidden ones too, in order, for admins (the route
// table says so): each with its slug, its names in a rename form, move up / move down, and
// hide / show; below, a form to add one (slug and both names).
// POST /admin/categories — adds one (slug, name_zh, name_en).
// POST /admin/categories/{slug} — changes one: action rename (name_zh, name_en), up, down,
// hide, show.
// The rules and the audit log are library::Categories'. A change done goes back to the page
// (303); a refused one shows the page again, 400, with the reason next to the field at fault
// and what was typed kept.
#include "web/actions/actions.hpp"
#include "web/actions/category_change.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

// What a refused form showed: which form (the add form: slug ""), the field, the words.
struct CategoryFormError {
  std::string slug;   // the row whose form was refused; "" : the add form
  std::string field;  // slug, name_zh, name_en, hidden, action
  std::string message;
  std::string name_zh, name_en, new_slug;  // as typed
};

Response RenderCategoriesPage(Context& ctx, const CategoryFormError& error, int status) {
  View v = BaseView(ctx, T(ctx.lang, "categories_heading"));
  v.set("nav_categories", View::type::bool_true);
  const auto list = ctx.site.categories().All();
  ViewList rows;
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& c = list[i];
    View r;
    r.set("slug", c.slug);
    const bool refused = !error.message.empty() && error.slug == c.slug;
    r.set("name_zh", refused && error.field != "hidden" ? error.name_zh : c.zh);
    r.set("name_en", refused && error.field != "hidden" ? error.name_en : c.en);
    r.set("hidden", c.hidden ? View::type::bool_true : View::type::bool_false);
    r.set("first", i == 0 ? View::type::bool_true : View::type::bool_false);
    r.set("last", i + 1 == list.size() ? View::type::bool_true : View::type::bool_false);
    r.set("is_default",
          c.slug == library::kDefaultCategory ? View::type::bool_true : View::type::bool_false);
    if (refused) {
      r.set(error.field == "hidden" || error.field == "action" ? "row_error" : "name_error",
            error.message);
    }
    rows.push_back(r);
  }
  v.set("category_rows", rows);
  if (!error.message.empty() && error.slug.empty()) {
    v.set("new_slug", error.new_slug);
    v.set("new_name_zh", error.name_zh);
    v.set("new_name_en", error.name_en);
    v.set(error.field == "slug" ? "slug_error" : "new_name_error", error.message);
  }
  return RenderPage(ctx, "admin_categories", v, status);
}

Response Refused(Context& ctx, const Error& e, CategoryFormError form) {
  const std::string key = CategoryProblemKey(e);
  if (key.empty()) return Fail(ctx, e);
  form.field = e.message;
  form.message = T(ctx.lang, key);
  return RenderCategoriesPage(ctx, form, HttpStatus(e.code));
}

}  // namespace

Response ShowAdminCategories(Context& ctx) { return RenderCategoriesPage(ctx, {}, 200); }

Response CreateCategory(Context& ctx) {
  CategoryFormError form;
  form.new_slug = ctx.Field("slug");
  form.name_zh = ctx.Field("name_zh");
  form.name_en = ctx.Field("name_en");
  Status s = ctx.site.categories().Add(ctx.visitor(), form.new_slug, form.name_zh, form.name_en);
  if (!s.ok()) return Refused(ctx, s.error(), form);
  return Redirect("/admin/categories");
}

Response UpdateCategory(Context& ctx) {
  const std::string slug = ctx.req.Param("slug");
  if (!ctx.site.categories().Find(slug)) return NotFound(ctx);
  CategoryFormError form;
  form.slug = slug;
  form.name_zh = ctx.Field("name_zh");
  form.name_en = ctx.Field("name_en");
  Status s = ChangeCategory(ctx.site.categories(), ctx.visitor(), slug, ctx.Field("action"),
                            form.name_zh, form.name_en);
  if (!s.ok()) return Refused(ctx, s.error(), form);
  return Redirect("/admin/categories#category-" + slug);
}

}  // namespace wenku::web
