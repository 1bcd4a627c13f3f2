// GET /static/{path} — CSS, JavaScript and icons from the static/ folder, with ETags and a
// day of caching. Paths are checked to stay inside the folder.
#include "web/actions/actions.hpp"
#include "web/file_response.hpp"
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
  return FileResponse(ctx.req, canonical, ContentType(canonical), "public, max-age=86400", false);
}

}  // namespace wenku::web
