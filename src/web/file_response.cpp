#include "web/file_response.hpp"

#include <charconv>

namespace wenku::web {
namespace {

bool ParseNumber(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Response FileResponse(const Request& req, const std::filesystem::path& path,
                      const std::string& content_type, const std::string& cache_control,
                      bool ranges) {
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec) return Text(404, "not found\n");
  std::string etag = "\"" + std::to_string(size) + "-" +
                     std::to_string(static_cast<uint64_t>(mtime.time_since_epoch().count())) + "\"";
  Response r;
  r.Set("Content-Type", content_type);
  r.Set("ETag", etag);
  r.Set("Cache-Control", cache_control);
  if (ranges) r.Set("Accept-Ranges", "bytes");
  if (req.Header("if-none-match") == etag) {
    r.status = 304;
    return r;
  }
  r.file = path;
  std::string range = req.Header("range");
  std::string if_range = req.Header("if-range");
  if (!ranges || range.empty() || !range.starts_with("bytes=") || range.find(',') != range.npos ||
      (!if_range.empty() && if_range != etag)) {
    return r;
  }
  std::string_view spec = std::string_view(range).substr(6);
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return r;
  uint64_t first = 0, last = size == 0 ? 0 : size - 1;
  std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  bool ok;
  if (a.empty()) {  // the last n bytes
    uint64_t n = 0;
    ok = ParseNumber(b, &n) && n > 0;
    if (ok) first = n >= size ? 0 : size - n;
  } else {
    ok = ParseNumber(a, &first);
    if (ok && !b.empty()) {
      uint64_t end = 0;
      ok = ParseNumber(b, &end) && end >= first;
      if (ok) last = std::min(last, end);
    }
  }
  if (!ok) return r;  // a malformed Range is ignored
  if (first >= size) {
    Response bad = Text(416, "");
    bad.Set("Content-Range", "bytes */" + std::to_string(size));
    return bad;
  }
  r.status = 206;
  r.file_offset = static_cast<int64_t>(first);
  r.file_length = static_cast<int64_t>(last - first + 1);
  r.Set("Content-Range",
        "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size));
  return r;
}

std::string ContentDisposition(const std::string& filename) {
  std::string ascii;
  for (unsigned char c : filename) {
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' && c != ';')
                 ? static_cast<char>(c)
                 : '_';
  }
  if (ascii.empty()) ascii = "download";
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + UrlEncode(filename);
}

}  // namespace wenku::web
