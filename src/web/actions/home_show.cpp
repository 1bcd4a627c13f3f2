// GET / — the home page: search box, 最新文档 (latest), popular (views + downloads),
// the categories offered (not hidden) with their document counts.
#include "web/actions/actions.hpp"
#include "web/view.hpp"

namespace wenku::web {

Response ShowHome(Context& ctx) {
  auto& documents = ctx.site.documents();
  storage::Browse latest_q;
  latest_q.limit = 20;
  auto latest = documents.List(latest_q);
  storage::Browse popular_q;
  popular_q.sort = storage::Browse::Sort::kPopular;
  popular_q.limit = 10;
  auto popular = documents.List(popular_q);
  auto counts = documents.CategoryCounts();
  if (!latest.ok()) return Fail(ctx, latest.error());
  if (!popular.ok()) return Fail(ctx, popular.error());
  if (!counts.ok()) return Fail(ctx, counts.error());

  View v = BaseView(ctx, T(ctx.lang, "home_heading"));
  v.set("meta_description", T(ctx.lang, "home_heading"));
  v.set("docs", DocListView(ctx, *latest, false));
  ViewList pop;
  for (const Document& d : *popular) {
    View p;
    p.set("id", std::to_string(d.id));
    p.set("title", d.title);
    p.set("views", std::to_string(d.views));
    p.set("downloads", std::to_string(d.downloads));
    pop.push_back(p);
  }
  v.set("popular", pop);
  ViewList cats;
  for (const Category& c : ctx.site.categories().Offered()) {
    int64_t n = 0;
    for (const auto& [slug, count] : *counts) {
      if (slug == c.slug) n = count;
    }
    View cv;
    cv.set("slug", c.slug);
    cv.set("name", CategoryLabel(ctx.lang, c));
    cv.set("count", std::to_string(n));
    cats.push_back(cv);
  }
  v.set("categories", cats);
  return RenderPage(ctx, "home", v);
}

}  // namespace wenku::web
