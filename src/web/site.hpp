// Site: what every request handler shares — the services it uses (SiteServices: the domain's
// use cases and the stores it reads), the checked templates, the site's settings, rate
// limiters, the view counter and the render pool. Made once by `wenku serve`
// (app/serve_command.cpp), which wires the services from its App; tests wire them from
// fakes (tests/web/site_actions_test.cpp). web/ never sees App: it knows only these.
// Threading: everything reachable from Site is safe for concurrent use.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "accounts/api_tokens.hpp"
#include "accounts/login_throttle.hpp"
#include "accounts/user_admin.hpp"
#include "blob/blob_store.hpp"
#include "blob/derived_store.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/data_layout.hpp"
#include "ingest/page_images.hpp"
#include "ingest/render_pool.hpp"
#include "ingest/worker_pool.hpp"
#include "library/access.hpp"
#include "library/categories.hpp"
#include "library/submit.hpp"
#include "moderation/document_admin.hpp"
#include "moderation/moderation.hpp"
#include "points/points.hpp"
#include "search/search_index.hpp"
#include "settings/live_settings.hpp"
#include "storage/case_store.hpp"
#include "storage/change_counter_store.hpp"
#include "storage/comment_store.hpp"
#include "storage/database.hpp"
#include "storage/document_store.hpp"
#include "storage/entitlement_store.hpp"
#include "storage/job_store.hpp"
#include "storage/ledger_store.hpp"
#include "storage/stats_store.hpp"
#include "storage/user_store.hpp"
#include "web/cache_sync.hpp"
#include "web/metrics.hpp"
#include "web/page_cache.hpp"
#include "web/rate_limiter.hpp"
#include "web/templates.hpp"
#include "web/upload_slots.hpp"
#include "web/view_counter.hpp"

namespace wenku::web {

// The start-time web.* settings. The runtime ones (site.name, site.contact, site.tips,
// web.max_upload_mb, web.registrations_per_hour, search.per_minute, preview.pages) are read
// through Site's accessors below at use time, from the live settings.
struct SiteOptions {
  ingest::RenderPoolOptions render;  // render.threads, render.queue, render.per_visitor
  library::SubmitLimits submit;      // ingest.*; max_bytes: see Site::submit_limits()
  int64_t preview_width = 800;       // preview.width: page images' width in pixels
  // Served over HTTPS (web.secure_cookies, or web.public_url is https): cookies are
  // `__Host-` prefixed with Secure, and answers carry Strict-Transport-Security.
  bool secure_cookies = false;
  std::string public_url;                    // "" : the listening address (SetServingUrl)
  std::vector<std::string> trusted_proxies;  // their X-Forwarded-For is believed
  std::filesystem::path static_dir;
  int64_t page_cache_ms = 1000;
  int request_timeout_seconds = 60;  // uploads get at least 30 minutes
  // login.*: how long log-ins wait (accounts/login_throttle.hpp)
  accounts::LoginThrottlePolicy login;
  // blobs.presign: downloads (and pages past the free preview) answer 302 to a presigned URL
  // of the S3 store, after the same checks; ignored by the local store.
  bool presign = false;
};

// The cookies' names. Over HTTPS they carry the `__Host-` prefix: a browser then keeps them
// only when set with Secure, Path=/ and no Domain, so neither a plain-HTTP page nor a
// sibling subdomain can plant or overwrite them (a planted bare name is not read either).
inline const char* SessionCookieName(const SiteOptions& o) {
  return o.secure_cookies ? "__Host-wenku_session" : "wenku_session";
}
inline const char* CsrfCookieName(const SiteOptions& o) {
  return o.secure_cookies ? "__Host-wenku_csrf" : "wenku_csrf";
}
// The Strict-Transport-Security value answers carry over HTTPS: a year.
inline constexpr const char* kHstsValue = "max-age=31536000";

// "a | b |c" → {"a", "b", "c"} (site.tips), blanks dropped.
std::vector<std::string> SplitTips(const std::string& tips);

// Reads the web.* and site.* settings; finds templates/ and static/ (web.assets, else
// beside the executable's parent folder, else the source tree it was built from).
// Errors: kNotFound when no templates folder can be found.
Result<SiteOptions> SiteOptionsFrom(const Config& config, std::filesystem::path* templates_dir);

// The services the website uses. Their owner outlives the Site.
struct SiteServices {
  storage::Database& db;  // /healthz asks it a question
  storage::DocumentStore& documents;
  storage::CommentStore& comments;
  storage::UserStore& users;
  storage::LedgerStore& ledger;  // the history on /me (reads)
  storage::EntitlementStore& entitlements;
  accounts::Accounts& accounts;
  accounts::ApiTokens& api_tokens;  // API clients' Bearer tokens (/me, /api/v1/tokens)
  points::Points& points;
  storage::CaseStore& cases;  // the queue, the audit log and inboxes (reads)
  moderation::Moderation& moderation;
  library::Categories& categories;  // the list (cached), its rules and the admins' changes
  accounts::UserAdmin& user_admin;  // roles, disabling, grants (/admin/users)
  moderation::DocumentAdmin& document_admin;  // edit, delete, retry from /admin/documents
  storage::StatsStore& stats;                 // /admin/stats (reads)
  blob::BlobStore& blobs;
  blob::DerivedStore& derived;  // page images, covers (derived_store.hpp)
  search::SearchIndex& search;
  ingest::PageImages& page_images;
  const DataLayout& layout;
  const Clock& clock;
  // The runtime settings, read at use time; edited on /admin/settings.
  settings::LiveSettings& settings;
  // Whether converters can run now (Sandbox::Ready): /healthz and the queued document page.
  std::function<Status()> converters_ready;
  // The ingest queue: /metrics' wenku_jobs{state} (one query a scrape).
  storage::JobStore& jobs;
  // This process's conversions so far (its WorkerPool's; zeros when it runs none): /metrics.
  std::function<ingest::ConversionCounts()> conversions;
};

// The route table's patterns (router.hpp): Site::metrics' route labels.
std::vector<std::string> RoutePatterns();

// Copies the documents' current views and downloads into the search index (its "most
// downloaded" sort and popularity weight). Best effort: a failure is logged.
void RefreshSearchCounters(storage::DocumentStore& documents, search::SearchIndex& search,
                           const std::vector<DocumentId>& ids);

class Site {
 public:
  Site(SiteServices services, std::unique_ptr<Templates> templates, SiteOptions options)
      : services_(std::move(services)),
        templates_(std::move(templates)),
        options_(std::move(options)),
        views_(services_.documents, 2000,
               [this](const std::vector<DocumentId>& ids) {
                 RefreshSearchCounters(services_.documents, services_.search, ids);
               }),
        render_pool_(services_.page_images, options_.render),
        login_throttle_(options_.login, services_.clock),
        // Their limits are set from the settings at each use: registrations(), search_limiter().
        registrations_by_ip(10, 60 * 60 * 1000),
        page_cache(options_.page_cache_ms),
        searches(30, 60 * 1000),
        metrics(RoutePatterns()) {}

  storage::Database& db() { return services_.db; }
  storage::DocumentStore& documents() { return services_.documents; }
  storage::CommentStore& comments() { return services_.comments; }
  storage::UserStore& users() { return services_.users; }
  storage::LedgerStore& ledger() { return services_.ledger; }
  storage::EntitlementStore& entitlements() { return services_.entitlements; }
  accounts::Accounts& accounts() { return services_.accounts; }
  accounts::ApiTokens& api_tokens() { return services_.api_tokens; }
  points::Points& points() { return services_.points; }
  storage::CaseStore& cases() { return services_.cases; }
  moderation::Moderation& moderation() { return services_.moderation; }
  library::Categories& categories() { return services_.categories; }
  accounts::UserAdmin& user_admin() { return services_.user_admin; }
  moderation::DocumentAdmin& document_admin() { return services_.document_admin; }
  storage::StatsStore& stats() { return services_.stats; }
  blob::BlobStore& blobs() { return services_.blobs; }
  blob::DerivedStore& derived() { return services_.derived; }
  search::SearchIndex& search() { return services_.search; }
  ingest::PageImages& page_images() { return services_.page_images; }
  const DataLayout& layout() const { return services_.layout; }
  Status ConvertersReady() const { return services_.converters_ready(); }
  storage::JobStore& jobs() { return services_.jobs; }
  ingest::ConversionCounts conversions() const {
    return services_.conversions ? services_.conversions() : ingest::ConversionCounts{};
  }
  const Templates& templates() const { return *templates_; }
  const SiteOptions& options() const { return options_; }
  // The site's address for absolute links (sitemap, Open Graph), without a trailing slash:
  // web.public_url, else the address the server listens on (SetServingUrl), else
  // "http://localhost". Never the request's Host header, which whoever asks chooses.
  std::string PublicBase() const;
  // Called once the server listens, before it serves: the fallback for PublicBase when
  // web.public_url is unset (a warning is logged).
  void SetServingUrl(const std::string& url);
  settings::LiveSettings& settings() { return services_.settings; }
  // Runtime settings, as they are now (settings/live_settings.hpp).
  std::string name() const { return services_.settings.GetString("site.name"); }
  std::string contact() const { return services_.settings.GetString("site.contact"); }
  std::vector<std::string> tips() const;  // site.tips; empty: the catalog's tips
  library::PreviewPages preview() const {
    return library::PreviewPages{services_.settings.GetInt("preview.pages")};
  }
  // web.max_upload_mb, never above ingest.max_file_mb (library::Submit's limit): a bigger
  // body is refused while it arrives (413), and the upload page names the limit that applies.
  int64_t max_upload_bytes() const;
  // ingest's limits with max_bytes = max_upload_bytes().
  library::SubmitLimits submit_limits() const;
  // The limiters with their runtime limits applied (web.registrations_per_hour,
  // search.per_minute).
  RateLimiter& registrations();
  RateLimiter& search_limiter();
  ViewCounter& views() { return views_; }
  // Draws the page images not drawn at ingest, off the request threads (render_pool.hpp).
  ingest::RenderPool& render_pool() { return render_pool_; }
  int64_t NowMs() const { return services_.clock.NowMs(); }
  // How long a log-in must wait (accounts/login_throttle.hpp: progressive delays per
  // account, a limit per subscriber address), for the form, the API and password changes.
  accounts::LoginThrottle& login_throttle() { return login_throttle_; }

  // Registrations: web.registrations_per_hour per IP address; searches (below):
  // search.per_minute per visitor. (Comments are limited through the database: 5 per user
  // a minute, see comments.hpp.)
  // Reports and claims: 10 an hour per account, or per IP address when anonymous.
  RateLimiter complaints{10, 60 * 60 * 1000};

 private:
  SiteServices services_;
  std::unique_ptr<Templates> templates_;
  SiteOptions options_;
  ViewCounter views_;
  ingest::RenderPool render_pool_;
  accounts::LoginThrottle login_throttle_;

 public:
  // Use through registrations() (it applies web.registrations_per_hour now).
  RateLimiter registrations_by_ip;
  PageCache page_cache;
  // Uploads in flight per account and per address (upload.per_account, upload.per_address):
  // taken by Dispatcher::Plan before a body is read.
  UploadSlots uploads;
  // Searches (the pages and the API): use through search_limiter() (search.per_minute per
  // visitor now), see search_limit.hpp.
  RateLimiter searches;

 private:
  storage::ChangeCounterStore change_counters_{services_.db};

 public:
  // The page cache's invalidation between web nodes: Changed() after a change; Start/Stop
  // the node's poller (serve_command.cpp).
  CacheSync cache_sync{change_counters_, page_cache};
  // This process's request counters and durations (metrics.hpp): GET /metrics.
  Metrics metrics;
};

}  // namespace wenku::web
