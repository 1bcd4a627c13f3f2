// S3Client: the one piece of code that talks to an S3 bucket (tested against Ceph RGW,
// scripts/start-s3.sh). S3BlobStore (originals, s3_blob_store.hpp) and S3DerivedStore (page
// images, covers, converted PDFs: derived_store.hpp) are thin layers that choose the keys.
//
// Contract:
// - Every key is <prefix><key> in one bucket; path-style URLs <endpoint>/<bucket>/<key>.
//   Keys are plain: letters, digits, / - _ . (callers check their names).
// - Requests are signed with libcurl's SigV4 (CURLOPT_AWS_SIGV4) and carry
//   `x-amz-content-sha256: UNSIGNED-PAYLOAD`; callers check bytes by their own means.
// - PutFile streams from a file (never holds it in memory); files larger than `part_bytes`
//   go up as a multipart upload, aborted when a part fails. Get streams a GET (with a Range
//   header for a part).
// - Presign makes a GET URL anyone may use until it expires (SigV4 query signing, computed
//   here: no request is made).
// - Errors: refused keys → kForbidden naming WENKU_S3_ACCESS_KEY / WENKU_S3_SECRET_KEY;
//   missing object → kNotFound; a range past the end → kInvalidInput; endpoint unreachable →
//   kUnavailable; other failures → kIo with S3's error code. Failed idempotent requests
//   (network, 5xx) are tried up to 3 times, unless bytes already reached the sink.
//
// Threading: safe from many threads (each request uses its own curl handle from a pool).
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "blob/blob_store.hpp"

namespace wenku::blob {

struct S3Options {
  std::string endpoint;  // http://127.0.0.1:7480 (no trailing slash)
  std::string region = "us-east-1";
  std::string bucket;
  std::string prefix;  // "" or "folder/": prepended to every key
  std::string access_key;
  std::string secret_key;
  int64_t part_bytes = 16 << 20;  // files larger than this use multipart (S3 minimum: 5 MiB)
  long timeout_seconds = 600;     // one request, start to end
  // Downloads answer with presigned URLs (`&presign=1` in the URL, or the blobs.presign
  // setting: a wenku.toml cannot hold both `blobs = "…"` and a [blobs] table).
  bool presign = false;

  // Parses `s3://bucket[/prefix]?endpoint=http://host:port&region=us-east-1[&presign=1]`.
  // Keys are not part of the URL. Errors: kInvalidInput naming what is wrong.
  static Result<S3Options> FromUrl(const std::string& url);
};

struct S3Object {
  int64_t size = 0;
  std::string etag;  // as S3 sends it, quotes included
  int64_t modified_unix = 0;
};

class S3Client {
 public:
  explicit S3Client(S3Options options);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  const S3Options& options() const { return options_; }

  // Checks the keys and the bucket, creating the bucket when it is missing.
  // Errors: kForbidden (keys refused), kUnavailable (endpoint unreachable), kIo.
  Status EnsureBucket();
  // One HEAD on the bucket within 2 s, not retried (a health probe). Errors: kNotFound (no
  // bucket), kForbidden, kUnavailable, kIo.
  Status CheckBucket();

  // `what` names the object in error messages ("blob ab12…", "derived file 7/cover.webp").
  // Errors: kNotFound when the object is missing.
  Result<S3Object> Head(const std::string& key, const std::string& what);
  Status PutBytes(const std::string& key, std::string_view bytes, const std::string& what);
  // Sends the `size` bytes of the open file `fd`.
  Status PutFile(const std::string& key, int fd, int64_t size, const std::string& what);
  // Streams the object (or `range` of it) to `sink`. A zero-length range only checks it.
  Status Get(const std::string& key, ByteRange range, const ByteSink& sink,
             const std::string& what);
  // No error when the object is already gone.
  Status Delete(const std::string& key, const std::string& what);
  // The keys starting with `key_prefix` (without the options' prefix), in key order.
  Result<std::vector<std::string>> List(const std::string& key_prefix);
  // A URL that GETs `key` without credentials for `expires_seconds` from `now_unix`, with the
  // answer's Content-Disposition / Content-Type overridden when these are not empty.
  std::string Presign(const std::string& key, int64_t expires_seconds, int64_t now_unix,
                      const std::string& content_disposition,
                      const std::string& content_type) const;

  // Internal request plumbing (defined in the .cpp).
  struct Request;
  struct Response;

 private:
  Result<Response> Perform(Request& request);
  Status UploadMultipart(const std::string& key, int fd, int64_t size, const std::string& what);
  std::string Key(const std::string& key) const { return options_.prefix + key; }
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  S3Options options_;
  std::mutex mu_;
  std::vector<void*> idle_handles_;  // CURL*, kept for their open connections
};

// Percent-encodes everything but RFC 3986's unreserved characters (%XX, upper case), as SigV4
// wants for query values.
std::string S3PercentEncode(std::string_view s);

}  // namespace wenku::blob
