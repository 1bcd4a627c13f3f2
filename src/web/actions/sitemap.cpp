// GET /sitemap.xml — a sitemap index: /sitemaps/pages.xml (the home page and the categories)
// and /sitemaps/{n}.xml for n = 0 … (highest document id − 1) / kSitemapPart. Part n lists
// the listed documents with ids n·kSitemapPart+1 … (n+1)·kSitemapPart and their last change
// (a part whose documents are all gone is an empty list). So no request reads more than
// kSitemapPart rows — one primary-key range — however big the library: the index costs one
// probe (MAX(id)), a part at most 10,000 rows; before, one request read up to 50,000 rows.
// A document taken down, held or hidden leaves its part at once (nothing is cached).
// GET /robots.txt — allows pages, not downloads or the API, and names the sitemap.
#include <cstdint>

#include "core/text.hpp"
#include "web/actions/actions.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

// Document ids per sitemap part (a sitemap may name 50,000 URLs).
constexpr int64_t kSitemapPart = 10000;

std::string Base(Context& ctx) { return ctx.site.PublicBase(); }

}  // namespace

Response ShowSitemap(Context& ctx) {
  const std::string base = Base(ctx);
  auto max_id = ctx.site.documents().MaxId();
  if (!max_id.ok()) return Fail(ctx, max_id.error());
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
      "<sitemap><loc>" +
      EscapeMarkup(base + "/sitemaps/pages.xml") + "</loc></sitemap>\n";
  for (int64_t part = 0; part * kSitemapPart < *max_id; ++part) {
    xml += "<sitemap><loc>" + EscapeMarkup(base + "/sitemaps/" + std::to_string(part) + ".xml") +
           "</loc></sitemap>\n";
  }
  xml += "</sitemapindex>\n";
  Response r = Text(200, std::move(xml), "application/xml; charset=utf-8");
  r.Set("Cache-Control", "public, max-age=3600");
  return r;
}

Response ShowSitemapPart(Context& ctx) {
  const std::string base = Base(ctx);
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  auto url = [&](const std::string& path, const std::string& lastmod) {
    xml += "<url><loc>" + EscapeMarkup(base + path) + "</loc>";
    if (!lastmod.empty()) xml += "<lastmod>" + lastmod + "</lastmod>";
    xml += "</url>\n";
  };
  const std::string name = ctx.req.Param("part");
  if (name == "pages") {
    url("/", "");
    for (const Category& c : ctx.site.categories().Offered()) url("/c/" + c.slug, "");
  } else {
    // A part number: digits only, and no bigger than the ids a database can hold.
    if (name.empty() || name.size() > 12 ||
        name.find_first_not_of("0123456789") != std::string::npos) {
      return NotFound(ctx);
    }
    const int64_t part = std::stoll(name);
    if (part > INT64_MAX / kSitemapPart - 1) return NotFound(ctx);
    auto rows = ctx.site.documents().SitemapEntries(part * kSitemapPart, (part + 1) * kSitemapPart);
    if (!rows.ok()) return Fail(ctx, rows.error());
    for (const storage::SitemapEntry& e : *rows) {
      url("/d/" + std::to_string(e.id), DateLabel(e.updated_at));
    }
  }
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
