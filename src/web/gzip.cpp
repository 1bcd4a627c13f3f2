#include "web/gzip.hpp"

#include <zlib.h>

#include <stdexcept>

namespace wenku::web {

std::string Gzip(std::string_view data, int level) {
  z_stream zs{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

bool AcceptsGzip(const Request& req) {
  std::string ae = req.Header("accept-encoding");
  size_t pos = ae.find("gzip");
  if (pos == std::string::npos) return false;
  // "gzip;q=0" refuses it.
  std::string_view rest = std::string_view(ae).substr(pos + 4);
  rest = rest.substr(0, rest.find(','));
  return rest.find("q=0") == std::string_view::npos || rest.find("q=0.") != std::string_view::npos;
}

bool ShouldGzip(const Response& res) {
  if (!res.file.empty() || res.source || res.body.size() < 1024 ||
      !res.Get("Content-Encoding").empty()) {
    return false;
  }
  std::string type = res.Get("Content-Type");
  return type.starts_with("text/") || type.starts_with("application/json") ||
         type.starts_with("application/xml") || type.starts_with("image/svg+xml");
}

void GzipResponse(Response& res, int level) {
  if (!ShouldGzip(res)) return;
  res.body = Gzip(res.body, level);
  res.Set("Content-Encoding", "gzip");
  res.Set("Vary", "Accept-Encoding");
}

}  // namespace wenku::web
