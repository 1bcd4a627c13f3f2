// GET /c/{slug} — a category's documents; GET /u/{name} — an uploader's documents (their
// own page also lists documents still converting or failed). Both sort by newest or most
// popular and page through 20 at a time, at most kMaxListingPage pages deep.
#include <algorithm>

#include "accounts/password.hpp"
#include "library/access.hpp"
#include "web/actions/actions.hpp"
#include "web/actions/document_page.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

constexpr int64_t kPerPage = 20;

Response RenderListing(Context& ctx, const std::string& base, const std::string& heading,
                       const std::string& subheading, storage::Browse browse) {
  const std::string sort = ctx.req.Query("sort") == "popular" ? "popular" : "latest";
  browse.sort =
      sort == "popular" ? storage::Browse::Sort::kPopular : storage::Browse::Sort::kLatest;
  const int64_t page = std::clamp<int64_t>(ParseId(ctx.req.Query("page")), 1, kMaxListingPage);
  browse.limit = kPerPage + 1;
  browse.offset = (page - 1) * kPerPage;
  auto docs = ctx.site.documents().List(browse);
  if (!docs.ok()) return Fail(ctx, docs.error());
  const bool more = TrimToPage(*docs, kPerPage);

  View v = BaseView(ctx, heading);
  v.set("heading", heading);
  if (!subheading.empty()) v.set("subheading", subheading);
  v.set("docs", DocListView(ctx, *docs, browse.include_unready));
  ViewList sorts;
  for (const char* s : {"latest", "popular"}) {
    View sv;
    sv.set("href", base + "?sort=" + s);
    sv.set("label", T(ctx.lang, std::string("sort_") + s));
    sv.set("current", sort == s ? View::type::bool_true : View::type::bool_false);
    sorts.push_back(sv);
  }
  v.set("sorts", sorts);
  if (page > 1) v.set("prev_href", base + "?sort=" + sort + "&page=" + std::to_string(page - 1));
  if (more && page < kMaxListingPage)
    v.set("next_href", base + "?sort=" + sort + "&page=" + std::to_string(page + 1));
  return RenderPage(ctx, "listing", v);
}

}  // namespace

Response ShowCategory(Context& ctx) {
  std::string slug = ctx.req.Param("slug");
  // A hidden category's listing is for moderators only (library/categories.hpp).
  if (!ctx.site.categories().MayList(ctx.visitor(), slug)) return NotFound(ctx);
  auto category = ctx.site.categories().Find(slug);
  if (!category) return NotFound(ctx);
  const std::string name = CategoryLabel(ctx.lang, *category);
  storage::Browse browse;
  browse.category = slug;
  return RenderListing(ctx, "/c/" + slug, Format(ctx.lang, "category_heading", {name}), "", browse);
}

Response ShowUploader(Context& ctx) {
  auto user = ctx.site.users().FindByName(accounts::NormalizeUserName(ctx.req.Param("name")));
  if (!user.ok()) return Fail(ctx, user.error());
  storage::Browse browse;
  browse.owner = user->id;
  browse.include_unready = library::MayListUnready(ctx.visitor(), user->id);
  browse.include_disabled_owners = library::MaySeeDisabledUploads(ctx.visitor());
  return RenderListing(ctx, "/u/" + PathSegment(user->name),
                       Format(ctx.lang, "uploader_heading", {user->name}),
                       Format(ctx.lang, "uploader_since", {DateLabel(user->created_at)}), browse);
}

}  // namespace wenku::web
