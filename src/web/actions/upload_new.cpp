// GET /upload — the upload page: drop many files, give each a title, category, price and
// description, watch one bar for the transfer and one for the conversion (upload.js, which
// sends each file to POST /api/v1/documents). Without JavaScript it is a plain form that
// posts to /upload (upload_create.cpp).
#include "web/actions/actions.hpp"
#include "web/actions/upload_page.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response ShowUpload(Context& ctx) {
  if (!ctx.user) return Redirect("/login?next=%2Fupload");
  return RenderUploadPage(ctx, UploadFields{}, UploadFieldErrors{}, "", 200);
}

Response RenderUploadPage(Context& ctx, const UploadFields& fields, const UploadFieldErrors& errors,
                          const std::string& file_error, int status) {
  View v = BaseView(ctx, T(ctx.lang, "upload_heading"));
  v.set("upload_hint",
        Format(ctx.lang, "upload_hint", {std::to_string(ctx.site.max_upload_bytes() >> 20)}));
  v.set("title", fields.title);
  v.set("price", fields.price.empty() ? "0" : fields.price);
  v.set("description", fields.description);
  ViewList categories;
  for (const Category& c : ctx.site.categories().Offered()) {
    View cv;
    cv.set("slug", c.slug);
    cv.set("name", CategoryLabel(ctx.lang, c));
    bool selected =
        fields.category.empty() ? c.slug == library::kDefaultCategory : c.slug == fields.category;
    cv.set("selected", selected ? View::type::bool_true : View::type::bool_false);
    categories.push_back(cv);
  }
  v.set("categories", categories);
  auto put = [&](const char* name, const std::string& key) {
    if (!key.empty()) v.set(name, T(ctx.lang, key));
  };
  put("title_error", errors.title);
  put("category_error", errors.category);
  put("price_error", errors.price);
  put("description_error", errors.description);
  if (!file_error.empty()) v.set("file_error", file_error);
  ViewList scripts;
  View s;
  s.set("src", "/static/js/upload.js");
  scripts.push_back(s);
  v.set("scripts", scripts);
  return RenderPage(ctx, "upload", v, status);
}

}  // namespace wenku::web
