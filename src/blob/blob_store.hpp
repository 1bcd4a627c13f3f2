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
// Local paths: LocalPath hands out a file on this machine. FsBlobStore returns the stored file
// itself; S3BlobStore downloads the blob into a local cache first. Callers that still need a
// path (next step: read through Read instead, nothing may assume a local path):
//   src/web/actions/document_download.cpp, src/web/actions/case_proof.cpp (serve the file),
//   src/app/check_command.cpp (hashes it), src/ingest/page_images.cpp and
//   src/ingest/worker_pool.cpp (converters read the original).
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
  // Streams the blob's bytes (or `range` of them) to `sink`, never the whole blob in memory.
  // Errors: kNotFound, kInvalidInput (bad name, range starts past the end), kIo.
  virtual Status Read(const std::string& sha256, ByteRange range, const ByteSink& sink) = 0;
  // Read into memory (REQUIRES: the range is small enough to hold).
  Result<std::string> Get(const std::string& sha256, ByteRange range = {});
  // A local file holding the blob, for converters to read. Errors: kNotFound.
  virtual Result<std::filesystem::path> LocalPath(const std::string& sha256) = 0;
  // Deletes the blob (no error when it is already gone). Errors: kIo.
  virtual Status Remove(const std::string& sha256) = 0;
  // Every stored blob's hash, for consistency checks.
  virtual std::vector<std::string> List() = 0;
  // A cheap probe for /healthz: whether the store can take a blob now (the local folder is
  // there and writable; the bucket answers). Returns within about 2 s. Never cached.
  // Errors: kUnavailable (unreachable), kIo, kForbidden, kNotFound, naming the store.
  virtual Status Check() = 0;
};

// Blobs under `root`/ab/cd/<sha256>; temp files under `tmp_dir` (same file system).
class FsBlobStore final : public BlobStore {
 public:
  FsBlobStore(std::filesystem::path root, std::filesystem::path tmp_dir);
  Result<BlobRef> PutFile(const std::filesystem::path& source) override;
  Result<BlobRef> Put(std::string_view bytes) override;
  bool Exists(const std::string& sha256) override;
  Status Read(const std::string& sha256, ByteRange range, const ByteSink& sink) override;
  Result<std::filesystem::path> LocalPath(const std::string& sha256) override;
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
