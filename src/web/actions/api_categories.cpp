// The categories API:
//   GET  /api/v1/categories → {"categories":[{"slug","name_zh","name_en"}]} — the ones offered
//        (not hidden), in order; anyone
//   POST /api/v1/admin/categories {"slug","name_zh","name_en"} → 201 {"slug"}; admins
//   POST /api/v1/admin/categories/{slug} {"action":"rename|up|down|hide|show","name_zh",
//        "name_en"} → 200 {"slug","name_zh","name_en","hidden"}; admins
// A refused change: 400 invalid_input (409 conflict for a taken slug) with the catalog's
// words and "field" naming the field at fault; 404 for an unknown slug. The rules are
// library::Categories'.
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/category_change.hpp"

namespace wenku::web {
namespace {

nlohmann::json CategoryJson(const library::Category& c) {
  return {{"slug", c.slug}, {"name_zh", c.zh}, {"name_en", c.en}, {"hidden", c.hidden}};
}

Response Refused(Context& ctx, const Error& e) {
  const std::string key = CategoryProblemKey(e);
  if (key.empty()) return Fail(ctx, e);
  const int status = HttpStatus(e.code);
  return Json(
      status,
      nlohmann::json{
          {"error",
           {{"code", ErrorCodeName(e.code)}, {"message", T(ctx.lang, key)}, {"field", e.message}}}}
          .dump());
}

}  // namespace

Response ApiListCategories(Context& ctx) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : ctx.site.categories().Offered()) {
    list.push_back({{"slug", c.slug}, {"name_zh", c.zh}, {"name_en", c.en}});
  }
  return Json(200, nlohmann::json{{"categories", list}}.dump());
}

Response ApiCreateCategory(Context& ctx) {
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  const std::string slug = JsonString(*body, "slug");
  Status s = ctx.site.categories().Add(ctx.visitor(), slug, JsonString(*body, "name_zh"),
                                       JsonString(*body, "name_en"));
  if (!s.ok()) return Refused(ctx, s.error());
  return Json(201, nlohmann::json{{"slug", slug}}.dump());
}

Response ApiUpdateCategory(Context& ctx) {
  const std::string slug = ctx.req.Param("slug");
  if (!ctx.site.categories().Find(slug)) return ApiError(404, "not_found", "no such category");
  Response error;
  auto body = JsonObjectBody(ctx, &error);
  if (!body) return error;
  Status s = ChangeCategory(ctx.site.categories(), ctx.visitor(), slug, JsonString(*body, "action"),
                            JsonString(*body, "name_zh"), JsonString(*body, "name_en"));
  if (!s.ok()) return Refused(ctx, s.error());
  auto c = ctx.site.categories().Find(slug);
  if (!c) return ApiError(404, "not_found", "no such category");
  return Json(200, CategoryJson(*c).dump());
}

}  // namespace wenku::web
