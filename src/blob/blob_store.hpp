// BlobStore keeps the original bytes of every upload, content-addressed by SHA-256:
// identical bytes are stored once, a blob never changes after it is written, and a stored
// blob is durable (written to a temp file, fsynced, renamed into place).
//
// The database's `blobs` table records which blobs belong to documents; `wenku check`
// compares the two. FsBlobStore is the local implementation; S3BlobStore (s3_blob_store.hpp)
// keeps blobs in an S3 bucket; OpenBlobStore picks one from the `blobs` setting. Tests use
// the in-memory fake in tests/support; tests/blob/blob_store_suite_test.cpp runs one suite
// on the local folder and on Ceph RGW.
//
// Nothing may assume a blob is a local file: the web serves blobs through Read (streamed,
// web/file_response.hpp) or a presigned URL (Presign, `blobs.presign`). LocalPath hands out a
// file on this machine only where a program needs one: the converters reading an original
// (src/ingest/worker_pool.cpp into the job's work folder, src/ingest/page_images.cpp into a
// scratch folder). FsBlobStore returns the stored file itself; S3BlobStore downloads a
// verified copy into the caller's scratch folder, which the caller removes.
//
// Threading: all methods are safe to call from many threads and processes at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace wenku::blob {

// What Stat tells without reading the bytes.
struct BlobInfo {
  int64_t size = 0;
  int64_t modified_unix = 0;  // when it was stored
};

struct BlobRef {
  std::string sha256;  // 64 lower-case hex digits
  int64_t size = 0;
};

// Part of a blob: `length` bytes from `offset` (length < 0: to the end). A range reaching past
// the end is cut at the end; one that starts past the end (offset >= size, offset > 0) is
// kInvalidInput.
struct ByteRange {
  int64_t offset = 0;
  int64_t length = -1;
};

// Receives a blob's bytes in order, in chunks; returns false to stop reading (Read then
// returns kIo "stopped").
using ByteSink = std::function<bool(std::string_view)>;

// Streams `range` of the local file at `path` to `sink` (the local stores' Read). `what`
// names it in errors. Errors: kNotFound, kInvalidInput (range past the end), kIo.
Status ReadFileRange(const std::filesystem::path& path, ByteRange range, const ByteSink& sink,
                     const std::string& what);

// True for 64 lower-case hex digits: the only names a blob may have.
bool IsBlobName(const std::string& s);

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores the content of the file at `source` (streamed, never held in memory).
  // Errors: kIo (unreadable source, disk full).
  virtual Result<BlobRef> PutFile(const std::filesystem::path& source) = 0;
  // Stores `bytes`. Errors: kIo.
  virtual Result<BlobRef> Put(std::string_view bytes) = 0;
  virtual bool Exists(const std::string& sha256) = 0;
  // Size and age. Errors: kNotFound, kInvalidInput (bad name), kIo.
  virtual Result<BlobInfo> Stat(const std::string& sha256) = 0;
  // Streams the blob's bytes (or `range` of them) to `sink`, never the whole blob in memory.
  // Errors: kNotFound, kInvalidInput (bad name, range starts past the end), kIo.
  virtual Status Read(const std::string& sha256, ByteRange range, const ByteSink& sink) = 0;
  // Read into memory (REQUIRES: the range is small enough to hold).
  Result<std::string> Get(const std::string& sha256, ByteRange range = {});
  // A local file holding the blob, for converters to read: the stored file itself (read it,
  // never change it) or a copy written into `scratch` (created if need be), which the caller
  // removes with that folder. Errors: kNotFound, kIo, kCorrupt (a copy not matching its hash).
  virtual Result<std::filesystem::path> LocalPath(const std::string& sha256,
                                                  const std::filesystem::path& scratch) = 0;
  // Deletes the blob (no error when it is already gone). Errors: kIo.
  virtual Status Remove(const std::string& sha256) = 0;
  // Every stored blob's hash, for consistency checks.
  virtual std::vector<std::string> List() = 0;
  // A cheap probe for /healthz: whether the store can take a blob now (the local folder is
  // there and writable; the bucket answers). Returns within about 2 s. Never cached.
  // Errors: kUnavailable (unreachable), kIo, kForbidden, kNotFound, naming the store.
  virtual Status Check() = 0;
  // A URL that GETs the blob without credentials until `expires_seconds` after `now_unix`,
  // answered with the given Content-Disposition and Content-Type; "" when this store cannot
  // make one (the local folder): then serve it through Read.
  virtual std::string Presign(const std::string& /*sha256*/, int64_t /*expires_seconds*/,
                              int64_t /*now_unix*/, const std::string& /*content_disposition*/,
                              const std::string& /*content_type*/) {
    return "";
  }
};

// Blobs under `root`/ab/cd/<sha256>; temp files under `tmp_dir` (same file system).
class FsBlobStore final : public BlobStore {
 public:
  FsBlobStore(std::filesystem::path root, std::filesystem::path tmp_dir);
  Result<BlobRef> PutFile(const std::filesystem::path& source) override;
  Result<BlobRef> Put(std::string_view bytes) override;
  bool Exists(const std::string& sha256) override;
  Result<BlobInfo> Stat(const std::string& sha256) override;
  Status Read(const std::string& sha256, ByteRange range, const ByteSink& sink) override;
  Result<std::filesystem::path> LocalPath(const std::string& sha256,
                                          const std::filesystem::path& scratch) override;
  Status Remove(const std::string& sha256) override;
  std::vector<std::string> List() override;
  // Creates and removes a small file in the blob folder.
  Status Check() override;

 private:
  std::filesystem::path PathOf(const std::string& sha256) const;
  Result<BlobRef> Commit(const std::filesystem::path& tmp, BlobRef ref);
  std::filesystem::path root_;
  std::filesystem::path tmp_dir_;
};

}  // namespace wenku::blob
