// GET /static/{path} — CSS, JavaScript and icons from the static/ folder, with ETags and a
// day of caching. Paths are checked to stay inside the folder. Small text files are kept in
// memory with their gzip form (made once, redone when the file changes).
#include <map>
#include <mutex>

#include "core/files.hpp"
#include "web/actions/actions.hpp"
#include "web/file_response.hpp"
#include "web/gzip.hpp"
#include "web/view.hpp"

namespace wenku::web {
namespace {

std::string ContentType(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".webp") return "image/webp";
  if (ext == ".ico") return "image/x-icon";
  return "application/octet-stream";
}

struct CachedFile {
  std::filesystem::file_time_type mtime;
  Response plain;
  Response gzipped;
};

// A small text file from memory (gzip when accepted), or nullopt to serve it from disk.
std::optional<Response> FromMemory(const Request& req, const std::filesystem::path& path) {
  static std::mutex mu;
  static std::map<std::filesystem::path, CachedFile> files;
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(path, ec);
  auto size = std::filesystem::file_size(path, ec);
  std::string type = ContentType(path);
  if (ec || size > 512 * 1024 || (!type.starts_with("text/") && type != "image/svg+xml")) {
    return std::nullopt;
  }
  std::lock_guard lock(mu);
  auto it = files.find(path);
  if (it == files.end() || it->second.mtime != mtime) {
    auto bytes = ReadFile(path);
    if (!bytes.ok()) return std::nullopt;
    CachedFile f{mtime, Text(200, *bytes, type), {}};
    f.plain.Set("ETag", "\"" + Sha256Hex(*bytes).substr(0, 16) + "\"");
    f.plain.Set("Cache-Control", "public, max-age=86400");
    f.gzipped = f.plain;
    GzipResponse(f.gzipped, 9);
    f.gzipped.Set("ETag", "\"" + Sha256Hex(*bytes).substr(0, 16) + "-gz\"");
    f.plain.Set("Vary", "Accept-Encoding");
    it = files.insert_or_assign(path, std::move(f)).first;
  }
  Response r = AcceptsGzip(req) ? it->second.gzipped : it->second.plain;
  if (req.Header("if-none-match") == r.Get("ETag")) {
    r.status = 304;
    r.body.clear();
  }
  return r;
}

}  // namespace

Response ServeStatic(Context& ctx) {
  std::string rel = ctx.req.Param("path");
  if (rel.empty() || rel.find("..") != std::string::npos || rel.find('\\') != std::string::npos ||
      rel.front() == '/' || rel.find('\0') != std::string::npos) {
    return NotFound(ctx);
  }
  const auto& dir = ctx.site.options().static_dir;
  std::filesystem::path path = dir / rel;
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  auto root = std::filesystem::weakly_canonical(dir, ec);
  if (ec || !canonical.string().starts_with(root.string() + "/") ||
      !std::filesystem::is_regular_file(canonical)) {
    return NotFound(ctx);
  }
  if (auto r = FromMemory(ctx.req, canonical)) return std::move(*r);
  return FileResponse(ctx.req, canonical, ContentType(canonical), "public, max-age=86400", false);
}

}  // namespace wenku::web
