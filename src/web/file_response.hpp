// FileResponse and friends: stored bytes as an HTTP response — an ETag (a matching
// If-None-Match gets 304), and, when `ranges` is on, one byte range (`Range: bytes=a-b`, `a-`,
// `-n`) as 206 with Content-Range, 416 when it cannot be met. Multi-range requests get the
// whole thing (allowed by RFC 9110). file_offset / file_length say which bytes are sent
// (file_length -1: to the end, for a whole file).
//
// Three sources, one set of rules:
// - FileResponse: a local file (static files), ETag from size and modification time.
// - BlobResponse: a blob of the BlobStore (downloads, proofs), streamed through
//   BlobStore::Read in chunks on a handler thread (Response::source), never a local path;
//   ETag from the content hash (a blob never changes).
// - DerivedResponse: a derived file (page images, covers: small) read into the body;
//   ETag from its size and version.
#pragma once

#include <filesystem>
#include <string>

#include "blob/blob_store.hpp"
#include "blob/derived_store.hpp"
#include "web/http.hpp"

namespace wenku::web {

Response FileResponse(const Request& req, const std::filesystem::path& path,
                      const std::string& content_type, const std::string& cache_control,
                      bool ranges);

// Errors: the store's (kNotFound for a missing blob, kUnavailable…), for the caller's error
// page.
Result<Response> BlobResponse(const Request& req, blob::BlobStore& blobs, const std::string& sha256,
                              const std::string& content_type, const std::string& cache_control,
                              bool ranges);

// `info` from DerivedStore::Stat (or PageImages::Drawn). Errors: the store's (kNotFound for
// a file gone meanwhile).
Result<Response> DerivedResponse(const Request& req, blob::DerivedStore& derived, int64_t id,
                                 const std::string& name, const blob::DerivedInfo& info,
                                 const std::string& content_type, const std::string& cache_control);

// The headers and status for `size` bytes known by `etag`; the caller attaches the body.
Response RangedResponse(const Request& req, uint64_t size, const std::string& etag,
                        const std::string& content_type, const std::string& cache_control,
                        bool ranges);

// `attachment` with the file name for any client: an ASCII fallback and RFC 5987 UTF-8.
std::string ContentDisposition(const std::string& filename);

}  // namespace wenku::web
