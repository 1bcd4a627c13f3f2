// BlobStore keeps the original bytes of every upload, content-addressed by SHA-256:
// identical bytes are stored once, a blob never changes after it is written, and a stored
// blob is durable (written to a temp file, fsynced, renamed into place).
//
// The database's `blobs` table records which blobs belong to documents; `wenku check`
// compares the two. FsBlobStore is the local implementation; an S3 one comes later behind
// this same interface. Tests use the in-memory fake in tests/support.
//
// Threading: all methods are safe to call from many threads and processes at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace wenku::blob {

struct BlobRef {
  std::string sha256;  // 64 lower-case hex digits
  int64_t size = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores the content of the file at `source` (streamed, never held in memory).
  // Errors: kIo (unreadable source, disk full).
  virtual Result<BlobRef> PutFile(const std::filesystem::path& source) = 0;
  // Stores `bytes`. Errors: kIo.
  virtual Result<BlobRef> Put(std::string_view bytes) = 0;
  virtual bool Exists(const std::string& sha256) = 0;
  // A local file holding the blob, for converters to read. Errors: kNotFound.
  virtual Result<std::filesystem::path> LocalPath(const std::string& sha256) = 0;
  // Deletes the blob (no error when it is already gone). Errors: kIo.
  virtual Status Remove(const std::string& sha256) = 0;
  // Every stored blob's hash, for consistency checks.
  virtual std::vector<std::string> List() = 0;
};

// Blobs under `root`/ab/cd/<sha256>; temp files under `tmp_dir` (same file system).
class FsBlobStore final : public BlobStore {
 public:
  FsBlobStore(std::filesystem::path root, std::filesystem::path tmp_dir);
  Result<BlobRef> PutFile(const std::filesystem::path& source) override;
  Result<BlobRef> Put(std::string_view bytes) override;
  bool Exists(const std::string& sha256) override;
  Result<std::filesystem::path> LocalPath(const std::string& sha256) override;
  Status Remove(const std::string& sha256) override;
  std::vector<std::string> List() override;

 private:
  std::filesystem::path PathOf(const std::string& sha256) const;
  Result<BlobRef> Commit(const std::filesystem::path& tmp, BlobRef ref);
  std::filesystem::path root_;
  std::filesystem::path tmp_dir_;
};

}  // namespace wenku::blob
