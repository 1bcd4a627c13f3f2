// DerivedStore keeps the files made from a document's original: page images, the cover, the
// converted PDF, and the markers of pages that could not be drawn. They are a cache,
// reproducible from the original, named by (document id, name), where a name is one of
// those below (DerivedName): "pages/0007.webp", "pages/0007.failed", "cover.webp",
// "cover-placeholder.webp", "document.pdf".
//
// Contract:
// - Put / PutFile replace a file whole: a reader sees the old bytes or the new, never a part.
//   PutFile leaves its source in place.
// - Read streams (a range of) a file, like BlobStore::Read; Stat says whether it is there,
//   its size and a `version` that changes whenever it is replaced (for ETags).
// - RemoveAll forgets every file of a document (no error when there are none).
// - List: the documents that have files, for `wenku check`.
// - Presign: a GET URL that needs no credentials (S3 only; "" otherwise).
//
// Implementations: FsDerivedStore, the data folder's derived/<id>/<name> (DataLayout), with
// durable renames; S3DerivedStore, keys derived/<id>/<name> in the `blobs` bucket beside the
// originals (same S3Client); the fake in tests/support (MemoryDerivedStore). OpenStores picks
// the pair from the `blobs` setting. Nothing outside this folder knows where the files are.
//
// Threading: all methods are safe to call from many threads and processes at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "blob/blob_store.hpp"
#include "core/result.hpp"

namespace wenku::blob {

class S3Client;

// The names a derived file may have.
namespace derived_name {
inline constexpr const char* kCover = "cover.webp";  // drawn from page 1 (a free page)
inline constexpr const char* kCoverPlaceholder = "cover-placeholder.webp";  // format + title
inline constexpr const char* kNormalizedPdf = "document.pdf";  // when the original is no PDF
std::string PageImage(int64_t n);                              // "pages/0007.webp"
std::string PageFailure(int64_t n);                            // "pages/0007.failed"
}  // namespace derived_name

// True for a name of the form above: [a-z0-9-]+(.ext) in at most one folder, no "..".
bool IsDerivedName(const std::string& name);

struct DerivedInfo {
  int64_t size = 0;
  std::string version;  // changes when the file is replaced
};

class DerivedStore {
 public:
  virtual ~DerivedStore() = default;
  // Errors (all methods): kInvalidInput (id <= 0, a name IsDerivedName refuses), kIo,
  // kUnavailable / kForbidden (S3).
  virtual Status Put(int64_t id, const std::string& name, std::string_view bytes) = 0;
  // The content of the file at `source` (streamed; the source stays).
  virtual Status PutFile(int64_t id, const std::string& name,
                         const std::filesystem::path& source) = 0;
  // Errors: kNotFound.
  virtual Result<DerivedInfo> Stat(int64_t id, const std::string& name) = 0;
  // Errors: kNotFound, kInvalidInput (the range starts past the end).
  virtual Status Read(int64_t id, const std::string& name, ByteRange range,
                      const ByteSink& sink) = 0;
  // Read into memory (REQUIRES: small enough to hold: images, markers).
  Result<std::string> Get(int64_t id, const std::string& name, ByteRange range = {});
  // Copies the file into `scratch` (created if need be) for a program that needs a local
  // file (the pdf tool); the caller removes the folder. Errors: kNotFound, kIo.
  Result<std::filesystem::path> CopyToLocal(int64_t id, const std::string& name,
                                            const std::filesystem::path& scratch);
  virtual Status RemoveAll(int64_t id) = 0;
  // Documents with at least one file, ascending. Errors: kIo.
  virtual Result<std::vector<int64_t>> List() = 0;
  virtual std::string Presign(int64_t /*id*/, const std::string& /*name*/,
                              int64_t /*expires_seconds*/, int64_t /*now_unix*/,
                              const std::string& /*content_type*/) {
    return "";
  }
};

// derived/<id>/<name> under `root`; temp files in `tmp_dir` (same file system).
class FsDerivedStore final : public DerivedStore {
 public:
  FsDerivedStore(std::filesystem::path root, std::filesystem::path tmp_dir);
  Status Put(int64_t id, const std::string& name, std::string_view bytes) override;
  Status PutFile(int64_t id, const std::string& name, const std::filesystem::path& source) override;
  Result<DerivedInfo> Stat(int64_t id, const std::string& name) override;
  Status Read(int64_t id, const std::string& name, ByteRange range, const ByteSink& sink) override;
  Status RemoveAll(int64_t id) override;
  Result<std::vector<int64_t>> List() override;

 private:
  std::filesystem::path root_;
  std::filesystem::path tmp_dir_;
};

// Keys <prefix>derived/<id>/<name> in the bucket of `client`.
class S3DerivedStore final : public DerivedStore {
 public:
  explicit S3DerivedStore(std::shared_ptr<S3Client> client) : client_(std::move(client)) {}
  Status Put(int64_t id, const std::string& name, std::string_view bytes) override;
  Status PutFile(int64_t id, const std::string& name, const std::filesystem::path& source) override;
  Result<DerivedInfo> Stat(int64_t id, const std::string& name) override;
  Status Read(int64_t id, const std::string& name, ByteRange range, const ByteSink& sink) override;
  Status RemoveAll(int64_t id) override;
  Result<std::vector<int64_t>> List() override;
  std::string Presign(int64_t id, const std::string& name, int64_t expires_seconds,
                      int64_t now_unix, const std::string& content_type) override;

 private:
  std::shared_ptr<S3Client> client_;
};

// Both stores the `blobs` setting names: "" → the data folder (`blobs_root`, `derived_root`);
// "s3://…" → one S3 bucket for both (keys from WENKU_S3_ACCESS_KEY / WENKU_S3_SECRET_KEY,
// the bucket checked and created now). Errors: kInvalidInput (bad setting, missing keys),
// and S3Client::EnsureBucket's.
struct Stores {
  std::unique_ptr<BlobStore> blobs;
  std::unique_ptr<DerivedStore> derived;
};
Result<Stores> OpenStores(const std::string& setting, const std::filesystem::path& blobs_root,
                          const std::filesystem::path& derived_root,
                          const std::filesystem::path& tmp);

}  // namespace wenku::blob
