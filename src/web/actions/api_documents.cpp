// The documents of the JSON API v1:
//   POST /api/v1/documents?filename=&title=&category=&price=&description=  body = the file
//        → 202 {"id","state":"queued"} (the upload page's JavaScript uses this too)
//   GET  /api/v1/documents?sort=latest|popular&category=&page=  → {"documents":[…],"page"}
//        (404 for an unknown category, or a hidden one to all but moderators)
//   GET  /api/v1/documents/{id}?pages_from=&pages_limit= → the document, with one window of
//        the pages the caller may see (default 10, at most 50) and "pages_next"
//        (library/document_json.hpp, "Paging"); 400 for a window that is not whole numbers
//        from 1
#include "library/access.hpp"
#include "library/document_json.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/api_json.hpp"
#include "web/actions/document_page.hpp"
#include "web/uploads.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response ApiCreateDocument(Context& ctx) {
  if (!ctx.user) return ApiError(401, "unauthenticated", "log in or send a Bearer API token");
  const Request& req = ctx.req;
  std::string filename = req.Query("filename");
  if (filename.empty()) return ApiError(400, "invalid_input", "the filename parameter is missing");
  UploadFields fields{req.Query("title"), req.Query("category"),
                      req.HasQuery("price") ? req.Query("price") : "0", req.Query("description")};
  UploadFieldErrors errors = CheckUploadFields(ctx.site.categories(), fields);
  if (errors.any()) {
    nlohmann::json fields_json = nlohmann::json::object();
    for (auto [name, key] : {std::pair{"title", &errors.title},
                             {"category", &errors.category},
                             {"price", &errors.price},
                             {"description", &errors.description}}) {
      if (!key->empty()) fields_json[name] = T(ctx.lang, *key);
    }
    nlohmann::json j = {
        {"error",
         {{"code", "invalid_input"}, {"message", "check the fields"}, {"fields", fields_json}}}};
    return Json(400, j.dump());
  }
  auto created = AcceptUpload(ctx.site, *ctx.user, req.body_file, filename, fields);
  if (!created.ok()) {
    const Error& e = created.error();
    if (auto why = FileProblem(ctx, e)) {  // 413 too_large, 429 quota, …
      return ApiError(HttpStatus(e.code),
                      e.code == ErrorCode::kRateLimited ? "quota" : ErrorCodeName(e.code), *why);
    }
    return Fail(ctx, e);
  }
  auto doc = ctx.site.documents().Find(created->id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  nlohmann::json j = {{"id", created->id},
                      {"state", std::string(DocStateName(doc->state))},
                      {"existed", created->existed},
                      {"held", library::IsHeld(*doc)},
                      {"url", "/d/" + std::to_string(created->id)}};
  return Json(202, j.dump());
}

Response ApiListDocuments(Context& ctx) {
  storage::Browse b;
  b.sort = ctx.req.Query("sort") == "popular" ? storage::Browse::Sort::kPopular
                                              : storage::Browse::Sort::kLatest;
  b.category = ctx.req.Query("category");
  // A category's list as its page /c/{slug}: a hidden one for moderators only.
  if (!b.category.empty() && !ctx.site.categories().MayList(ctx.visitor(), b.category)) {
    return ApiError(404, "not_found", "no such category");
  }
  const int64_t page = std::clamp<int64_t>(ParseId(ctx.req.Query("page")), 1, kMaxListingPage);
  b.limit = 20;
  b.offset = (page - 1) * b.limit;
  auto docs = ctx.site.documents().List(b);
  auto total = ctx.site.documents().Count(b);
  if (!docs.ok()) return Fail(ctx, docs.error());
  if (!total.ok()) return Fail(ctx, total.error());
  nlohmann::json list = nlohmann::json::array();
  for (const Document& d : *docs)
    list.push_back(library::DocumentJson(ctx.visitor(), d, ctx.site.preview(), {}, nullptr));
  return Json(200, nlohmann::json{{"documents", list}, {"page", page}, {"total", *total}}.dump());
}

Response ApiShowDocument(Context& ctx) {
  int64_t id = ParseId(ctx.req.Param("id"));
  if (id == 0) return ApiError(404, "not_found", "no such document");
  auto& documents = ctx.site.documents();
  auto doc = documents.Find(id);
  if (!doc.ok()) return Fail(ctx, doc.error());
  const library::Visitor user = ctx.visitor();
  if (Status v = library::CheckView(user, *doc); !v.ok()) return Fail(ctx, v.error());
  auto window = library::ParsePageWindow(ctx.req.Query("pages_from"), ctx.req.Query("pages_limit"));
  if (!window.ok()) return ApiKeyedError(ctx, window.error());
  const library::Bought bought = ctx.BoughtOf(*doc);
  int64_t visible = library::VisiblePages(user, *doc, bought, ctx.site.preview());
  // Only the asked window of the readable pages (document_json.hpp, "Paging").
  const library::PageSlice slice = library::SlicePages(visible, *window);
  std::vector<Page> pages;
  if (!slice.empty()) {
    auto p = documents.Pages(id, slice.first, slice.last);
    if (!p.ok()) return Fail(ctx, p.error());
    pages = std::move(p).value();
  }
  auto members = documents.Members(id);
  if (!members.ok()) return Fail(ctx, members.error());
  nlohmann::json j = library::DocumentJson(user, *doc, ctx.site.preview(), pages,
                                           members->empty() ? nullptr : &*members);
  if (!library::MayManage(user, *doc)) {  // the reason is for the owner's eyes
    j["failure_reason"] = nullptr;
    j["failure_code"] = nullptr;
  }
  library::AddPaging(j, id, *window, slice);
  j["visible_pages"] = visible;
  // The asker may have the whole document (every page, the original): free and logged in,
  // bought, or theirs.
  j["entitled"] = library::MaySeeAllPages(user, *doc, bought);
  return Json(200, j.dump());
}

}  // namespace wenku::web
