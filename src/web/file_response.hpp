// FileResponse: a file as an HTTP response — an ETag from its size and modification time
// (a matching If-None-Match gets 304), and, when `ranges` is on, one byte range
// (`Range: bytes=a-b`, `a-`, `-n`) as 206 with Content-Range, 416 when it cannot be met.
// Multi-range requests get the whole file (allowed by RFC 9110).
#pragma once

#include <filesystem>
#include <string>

#include "web/http.hpp"

namespace wenku::web {

Response FileResponse(const Request& req, const std::filesystem::path& path,
                      const std::string& content_type, const std::string& cache_control,
                      bool ranges);

// `attachment` with the file name for any client: an ASCII fallback and RFC 5987 UTF-8.
std::string ContentDisposition(const std::string& filename);

}  // namespace wenku::web
