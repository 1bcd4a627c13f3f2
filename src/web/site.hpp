// Site: what every request handler shares — the application's services, the checked
// templates, the site's settings, rate limiters, the view counter and the render pool. Made once by
// `wenku serve` (app/serve_command.cpp).
// Threading: everything reachable from Site is safe for concurrent use.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "ingest/render_pool.hpp"
#include "web/page_cache.hpp"
#include "web/rate_limiter.hpp"
#include "web/templates.hpp"
#include "web/view_counter.hpp"

namespace wenku::web {

struct SiteOptions {
  std::string name = "文库";
  std::string contact;
  std::vector<std::string> tips;           // empty: the catalog's tips
  ingest::RenderPoolOptions render;        // render.threads, render.queue, render.per_visitor
  int64_t max_upload_bytes = 200LL << 20;  // web.max_upload_mb, at most ingest.max_file_mb
  bool secure_cookies = false;
  std::string public_url;                    // "" : taken from the Host header
  std::vector<std::string> trusted_proxies;  // their X-Forwarded-For is believed
  std::filesystem::path static_dir;
  int64_t session_ttl_ms = 30LL * 24 * 3600 * 1000;
  int registrations_per_hour = 10;
  int64_t page_cache_ms = 1000;
  int request_timeout_seconds = 60;  // uploads get at least 30 minutes
  int searches_per_minute = 30;      // search.per_minute: per account, or per IP when anonymous
};

// Reads the web.* and site.* settings; finds templates/ and static/ (web.assets, else
// beside the executable's parent folder, else the source tree it was built from).
// Errors: kNotFound when no templates folder can be found.
Result<SiteOptions> SiteOptionsFrom(const Config& config, std::filesystem::path* templates_dir);

// Copies the documents' current views and downloads into the search index (its "most
// downloaded" sort and popularity weight). Best effort: a failure is logged.
void RefreshSearchCounters(app::App& app, const std::vector<DocumentId>& ids);

class Site {
 public:
  Site(app::App& app, std::unique_ptr<Templates> templates, SiteOptions options)
      : app_(app),
        templates_(std::move(templates)),
        options_(std::move(options)),
        views_(app.documents(), 2000,
               [&app](const std::vector<DocumentId>& ids) { RefreshSearchCounters(app, ids); }),
        render_pool_(app.page_images(), options_.render),
        registrations_by_ip(options_.registrations_per_hour, 60 * 60 * 1000),
        page_cache(options_.page_cache_ms),
        searches(options_.searches_per_minute, 60 * 1000) {}

  app::App& app() { return app_; }
  const Templates& templates() const { return *templates_; }
  const SiteOptions& options() const { return options_; }
  ViewCounter& views() { return views_; }
  // Draws the page images not drawn at ingest, off the request threads (render_pool.hpp).
  ingest::RenderPool& render_pool() { return render_pool_; }
  int64_t NowMs() const { return app_.clock().NowMs(); }

  // Login: 5 failures per account and 20 per IP address within 15 minutes block further
  // tries; registrations: web.registrations_per_hour per IP address; searches (below):
  // search.per_minute per visitor. (Comments are limited through the database: 5 per user
  // a minute, see comments.hpp.)
  RateLimiter login_failures_by_name{5, 15 * 60 * 1000};
  RateLimiter login_failures_by_ip{20, 15 * 60 * 1000};

 private:
  app::App& app_;
  std::unique_ptr<Templates> templates_;
  SiteOptions options_;
  ViewCounter views_;
  ingest::RenderPool render_pool_;

 public:
  RateLimiter registrations_by_ip;
  PageCache page_cache;
  // Searches (the pages and the API): search.per_minute per visitor, see search_limit.hpp.
  RateLimiter searches;
};

}  // namespace wenku::web
