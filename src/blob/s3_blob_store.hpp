// S3BlobStore keeps blobs in an S3 bucket (tested against Ceph RGW, scripts/start-s3.sh),
// behind the same BlobStore interface as the local folder. The requests are S3Client's
// (s3_client.hpp), shared with the derived files (derived_store.hpp) of the same bucket.
//
// Contract:
// - Keys are content-addressed: <prefix><sha256>. A blob that is already stored is not sent
//   again (a HEAD first), so identical bytes are stored once and a key never changes.
// - Bytes are checked by their hash: PutFile hashes before it sends; LocalPath hashes what
//   it downloads.
// - PutFile streams from the file (never holds it in memory); large files go up in parts.
// - Read streams a GET (with a Range header for a part).
// - LocalPath downloads into the scratch folder the caller names (verified, renamed into
//   place); the caller removes it. Presign: a presigned GET URL (S3Client::Presign).
// - Errors: as S3Client's.
//
// Threading: safe from many threads.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "blob/blob_store.hpp"
#include "blob/s3_client.hpp"

namespace wenku::blob {

class S3BlobStore final : public BlobStore {
 public:
  explicit S3BlobStore(std::shared_ptr<S3Client> client) : client_(std::move(client)) {}
  explicit S3BlobStore(S3Options options)
      : client_(std::make_shared<S3Client>(std::move(options))) {}

  Status EnsureBucket() { return client_->EnsureBucket(); }
  S3Client& client() { return *client_; }

  Result<BlobRef> PutFile(const std::filesystem::path& source) override;
  Result<BlobRef> Put(std::string_view bytes) override;
  bool Exists(const std::string& sha256) override;
  Result<BlobInfo> Stat(const std::string& sha256) override;
  Status Read(const std::string& sha256, ByteRange range, const ByteSink& sink) override;
  Result<std::filesystem::path> LocalPath(const std::string& sha256,
                                          const std::filesystem::path& scratch) override;
  Status Remove(const std::string& sha256) override;
  std::vector<std::string> List() override;
  // A HEAD on the bucket, tried once with a 2-second limit (no retries): /healthz.
  Status Check() override;
  std::string Presign(const std::string& sha256, int64_t expires_seconds, int64_t now_unix,
                      const std::string& content_disposition,
                      const std::string& content_type) override;

 private:
  std::shared_ptr<S3Client> client_;
};

// The blob store the `blobs` setting names (OpenStores in derived_store.hpp without the
// derived files): "" → FsBlobStore(root, tmp); "s3://…" → an S3BlobStore.
Result<std::unique_ptr<BlobStore>> OpenBlobStore(const std::string& setting,
                                                 const std::filesystem::path& root,
                                                 const std::filesystem::path& tmp);

}  // namespace wenku::blob
