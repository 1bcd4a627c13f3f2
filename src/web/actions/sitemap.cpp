// GET /sitemap.xml — the home page, the categories and every ready document (up to the
// 50,000 URLs one sitemap may hold); GET /robots.txt — allows pages, not downloads or
// the API, and names the sitemap.
#include "core/text.hpp"
#include "web/actions/actions.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

std::string Base(Context& ctx) {
  std::string base = ctx.site.options().public_url;
  if (base.empty()) {
    std::string host = ctx.req.Header("host");
    if (host.empty() || host.find_first_of("/\\\"'<> ") != std::string::npos) host = "localhost";
    base = (ctx.site.options().secure_cookies ? "https://" : "http://") + host;
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace

Response ShowSitemap(Context& ctx) {
  const std::string base = Base(ctx);
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  auto url = [&](const std::string& path, const std::string& lastmod) {
    xml += "<url><loc>" + EscapeMarkup(base + path) + "</loc>";
    if (!lastmod.empty()) xml += "<lastmod>" + lastmod + "</lastmod>";
    xml += "</url>\n";
  };
  url("/", "");
  const auto categories = ctx.site.categories().Offered();
  for (const Category& c : categories) url("/c/" + c.slug, "");
  storage::Browse all;
  all.limit = 50000 - 1 - static_cast<int64_t>(categories.size());
  auto docs = ctx.site.documents().List(all);
  if (!docs.ok()) return Fail(ctx, docs.error());
  for (const Document& d : *docs) url("/d/" + std::to_string(d.id), DateLabel(d.updated_at));
  xml += "</urlset>\n";
  Response r = Text(200, std::move(xml), "application/xml; charset=utf-8");
  r.Set("Cache-Control", "public, max-age=3600");
  return r;
}

Response ShowRobots(Context& ctx) {
  Response r = Text(200,
                    "User-agent: *\n"
                    "Disallow: /api/\n"
                    "Disallow: /d/*/download\n"
                    "Disallow: /upload\n"
                    "Allow: /\n"
                    "Sitemap: " +
                        Base(ctx) + "/sitemap.xml\n");
  r.Set("Cache-Control", "public, max-age=86400");
  return r;
}

}  // namespace wenku::web
