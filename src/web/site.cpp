#include "web/site.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

#include "blob/s3_client.hpp"
#include "library/submit.hpp"

namespace wenku::web {
namespace {

std::filesystem::path ExecutableDir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  buf[n] = '\0';
  return std::filesystem::path(buf).parent_path();
}

bool HasAssets(const std::filesystem::path& dir) {
  std::error_code ec;
  return !dir.empty() && std::filesystem::is_directory(dir / "templates", ec) &&
         std::filesystem::is_directory(dir / "static", ec);
}

}  // namespace

std::vector<std::string> SplitTips(const std::string& tips) {
  std::vector<std::string> out;
  for (size_t start = 0; start < tips.size();) {
    size_t bar = tips.find('|', start);
    std::string tip =
        tips.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    size_t b = tip.find_first_not_of(' ');
    if (b != std::string::npos) out.push_back(tip.substr(b, tip.find_last_not_of(' ') - b + 1));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return out;
}

std::vector<std::string> Site::tips() const {
  return SplitTips(services_.settings.GetString("site.tips"));
}

int64_t Site::max_upload_bytes() const {
  return std::min<int64_t>(std::max(1L, services_.settings.GetInt("web.max_upload_mb")) << 20,
                           options_.submit.max_bytes);
}

library::SubmitLimits Site::submit_limits() const {
  library::SubmitLimits l = options_.submit;
  l.max_bytes = max_upload_bytes();
  return l;
}

RateLimiter& Site::registrations() {
  registrations_by_ip.SetMax(
      static_cast<int>(std::max(1L, services_.settings.GetInt("web.registrations_per_hour"))));
  return registrations_by_ip;
}

RateLimiter& Site::search_limiter() {
  searches.SetMax(static_cast<int>(std::max(1L, services_.settings.GetInt("search.per_minute"))));
  return searches;
}

std::string Site::PublicBase() const {
  std::string base =
      options_.public_url.empty() ? std::string("http://localhost") : options_.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

void Site::SetServingUrl(const std::string& url) {
  if (!options_.public_url.empty()) return;
  options_.public_url = url;
  spdlog::warn("web: web.public_url is unset; absolute links (sitemap, Open Graph) name {}", url);
}

Result<SiteOptions> SiteOptionsFrom(const Config& config, std::filesystem::path* templates_dir) {
  SiteOptions o;
  o.render.threads = static_cast<int>(std::max(1L, config.GetInt("render.threads")));
  o.render.queue = static_cast<int>(std::max(0L, config.GetInt("render.queue")));
  o.render.per_visitor = static_cast<int>(std::max(1L, config.GetInt("render.per_visitor")));
  o.submit = library::SubmitLimitsFrom(config);
  o.login = accounts::LoginThrottlePolicy::FromConfig(config);
  o.preview_width = config.GetInt("preview.width");
  const std::string blobs = config.GetString("blobs");
  auto s3 =
      blobs.empty() ? Result<blob::S3Options>(blob::S3Options{}) : blob::S3Options::FromUrl(blobs);
  o.presign = config.GetInt("blobs.presign") != 0 || (s3.ok() && s3->presign);
  o.public_url = config.GetString("web.public_url");
  o.secure_cookies =
      config.GetInt("web.secure_cookies") != 0 || o.public_url.starts_with("https://");
  std::string proxies = config.GetString("web.trusted_proxies");
  for (size_t start = 0; start <= proxies.size();) {
    size_t comma = proxies.find(',', start);
    if (comma == std::string::npos) comma = proxies.size();
    std::string p = proxies.substr(start, comma - start);
    p.erase(0, p.find_first_not_of(' '));
    p.erase(p.find_last_not_of(' ') + 1);
    if (!p.empty()) o.trusted_proxies.push_back(p);
    start = comma + 1;
  }
  o.request_timeout_seconds =
      static_cast<int>(std::max(1L, config.GetInt("web.request_timeout_seconds")));
  o.page_cache_ms = std::max(0L, config.GetInt("web.page_cache_ms"));

  // templates/ and static/: the setting, else beside the binary (build/wenku → ../),
  // else an installed share folder, else the source tree this binary was built from.
  std::vector<std::filesystem::path> candidates;
  if (!config.GetString("web.assets").empty()) {
    candidates.emplace_back(config.GetString("web.assets"));
  } else {
    auto exe = ExecutableDir();
    candidates = {exe, exe.parent_path(), exe.parent_path() / "share/wenku",
                  std::filesystem::path(WENKU_SOURCE_DIR)};
  }
  for (const auto& dir : candidates) {
    if (HasAssets(dir)) {
      o.static_dir = dir / "static";
      *templates_dir = dir / "templates";
      return o;
    }
  }
  return MakeError(ErrorCode::kNotFound,
                   "cannot find the templates/ and static/ folders (set web.assets)");
}

void RefreshSearchCounters(storage::DocumentStore& documents, search::SearchIndex& search,
                           const std::vector<DocumentId>& ids) {
  std::vector<search::CounterUpdate> updates;
  for (DocumentId id : ids) {
    auto doc = documents.Find(id);
    if (doc.ok() && doc->state == DocState::kReady) {
      updates.push_back({id, doc->downloads, doc->views});
    }
  }
  if (updates.empty()) return;
  Status s = search.UpdateCounters(updates);
  if (!s.ok()) spdlog::warn("web: search counters not refreshed: {}", s.error().message);
}

}  // namespace wenku::web
