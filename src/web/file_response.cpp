#include "web/file_response.hpp"

#include <algorithm>
#include <charconv>
#include <memory>

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
  Response r = RangedResponse(req, size, etag, content_type, cache_control, ranges);
  if (r.status == 200 || r.status == 206) r.file = path;
  return r;
}

namespace {

// Pulls a blob's bytes [offset, offset + length) chunk by chunk (one ranged Read each).
class BlobSource final : public BodySource {
 public:
  BlobSource(blob::BlobStore& blobs, std::string sha256, int64_t offset, int64_t length)
      : blobs_(blobs), sha256_(std::move(sha256)), offset_(offset), left_(length) {}
  bool Next(size_t max, std::string& out) override {
    out.clear();
    if (left_ <= 0) return true;
    const int64_t want = std::min<int64_t>(left_, static_cast<int64_t>(max));
    Status s = blobs_.Read(sha256_, {offset_, want}, [&](std::string_view chunk) {
      out.append(chunk);
      return true;
    });
    if (!s.ok() || out.empty() || static_cast<int64_t>(out.size()) > want) return false;
    offset_ += static_cast<int64_t>(out.size());
    left_ -= static_cast<int64_t>(out.size());
    return true;
  }

 private:
  blob::BlobStore& blobs_;
  std::string sha256_;
  int64_t offset_;
  int64_t left_;
};

}  // namespace

Result<Response> BlobResponse(const Request& req, blob::BlobStore& blobs, const std::string& sha256,
                              const std::string& content_type, const std::string& cache_control,
                              bool ranges) {
  auto info = blobs.Stat(sha256);
  if (!info.ok()) return info.error();
  const auto size = static_cast<uint64_t>(info->size);
  Response r = RangedResponse(req, size, "\"" + sha256 + "\"", content_type, cache_control, ranges);
  if (r.status == 200 || r.status == 206) {
    const int64_t length = r.file_length < 0 ? info->size - r.file_offset : r.file_length;
    r.file_length = length;
    r.source = std::make_shared<BlobSource>(blobs, sha256, r.file_offset, length);
  }
  return r;
}

Result<Response> DerivedResponse(const Request& req, blob::DerivedStore& derived, int64_t id,
                                 const std::string& name, const blob::DerivedInfo& info,
                                 const std::string& content_type,
                                 const std::string& cache_control) {
  const std::string etag = "\"" + std::to_string(info.size) + "-" + info.version + "\"";
  Response r = RangedResponse(req, static_cast<uint64_t>(info.size), etag, content_type,
                              cache_control, false);
  if (r.status != 200) return r;
  auto bytes = derived.Get(id, name);
  if (!bytes.ok()) return bytes.error();
  r.body = std::move(bytes).value();
  return r;
}

Response RangedResponse(const Request& req, uint64_t size, const std::string& etag,
                        const std::string& content_type, const std::string& cache_control,
                        bool ranges) {
  Response r;
  r.Set("Content-Type", content_type);
  r.Set("ETag", etag);
  r.Set("Cache-Control", cache_control);
  if (ranges) r.Set("Accept-Ranges", "bytes");
  if (req.Header("if-none-match") == etag) {
    r.status = 304;
    return r;
  }
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
