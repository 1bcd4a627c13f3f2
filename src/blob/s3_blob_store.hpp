// S3BlobStore keeps blobs in an S3 bucket (tested against Ceph RGW, scripts/start-s3.sh),
// behind the same BlobStore interface as the local folder.
//
// Contract:
// - Keys are content-addressed: <prefix><sha256>. A blob that is already stored is not sent
//   again (a HEAD first), so identical bytes are stored once and a key never changes.
// - Requests are signed with libcurl's SigV4 (CURLOPT_AWS_SIGV4, path-style URLs
//   <endpoint>/<bucket>/<key>) and carry `x-amz-content-sha256: UNSIGNED-PAYLOAD`; the
//   bytes are checked by their hash instead (PutFile hashes before it sends; LocalPath
//   hashes what it downloads).
// - PutFile streams from the file (never holds it in memory); files larger than
//   `part_bytes` go up as a multipart upload, aborted when a part fails.
// - Read streams a GET (with a Range header for a part).
// - LocalPath downloads into `cache_dir` (verified, renamed into place) and returns that
//   file; the cache is not yet bounded (see blob_store.hpp on local paths).
// - Errors: refused keys → kForbidden naming WENKU_S3_ACCESS_KEY / WENKU_S3_SECRET_KEY;
//   missing blob → kNotFound; endpoint unreachable → kUnavailable; other failures → kIo with
//   S3's error code. Failed idempotent requests (network, 5xx) are tried up to 3 times.
//
// Threading: safe from many threads (each request uses its own curl handle from a pool).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
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
  int64_t part_bytes = 16 << 20;    // files larger than this use multipart (S3 minimum: 5 MiB)
  long timeout_seconds = 600;       // one request, start to end
  std::filesystem::path cache_dir;  // LocalPath's downloads

  // Parses `s3://bucket[/prefix]?endpoint=http://host:port&region=us-east-1`. Keys are not
  // part of the URL. Errors: kInvalidInput naming what is wrong.
  static Result<S3Options> FromUrl(const std::string& url);
};

class S3BlobStore final : public BlobStore {
 public:
  explicit S3BlobStore(S3Options options);
  ~S3BlobStore() override;
  S3BlobStore(const S3BlobStore&) = delete;
  S3BlobStore& operator=(const S3BlobStore&) = delete;

  // Checks the keys and the bucket, creating the bucket when it is missing.
  // Errors: kForbidden (keys refused), kUnavailable (endpoint unreachable), kIo.
  Status EnsureBucket();

  Result<BlobRef> PutFile(const std::filesystem::path& source) override;
  Result<BlobRef> Put(std::string_view bytes) override;
  bool Exists(const std::string& sha256) override;
  Status Read(const std::string& sha256, ByteRange range, const ByteSink& sink) override;
  Result<std::filesystem::path> LocalPath(const std::string& sha256) override;
  Status Remove(const std::string& sha256) override;
  std::vector<std::string> List() override;
  // A HEAD on the bucket, tried once with a 2-second limit (no retries).
  Status Check() override;

  // Internal request plumbing (defined in the .cpp).
  struct Request;
  struct Response;

 private:
  Result<Response> Perform(Request& request);
  Result<BlobRef> Upload(int fd, BlobRef ref);
  Result<BlobRef> UploadMultipart(int fd, BlobRef ref);
  // Ok(size) when the blob is there, kNotFound when it is not.
  Result<int64_t> Head(const std::string& sha256);
  std::string KeyOf(const std::string& sha256) const { return options_.prefix + sha256; }
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  S3Options options_;
  std::mutex mu_;
  std::vector<void*> idle_handles_;  // CURL*, kept for their open connections
};

// The blob store the `blobs` setting names: "" → FsBlobStore(root, tmp); "s3://…" → an
// S3BlobStore with keys from WENKU_S3_ACCESS_KEY / WENKU_S3_SECRET_KEY, its bucket checked
// (and created) now. Errors: kInvalidInput (bad setting, missing keys), and EnsureBucket's.
Result<std::unique_ptr<BlobStore>> OpenBlobStore(const std::string& setting,
                                                 const std::filesystem::path& root,
                                                 const std::filesystem::path& tmp);

}  // namespace wenku::blob
