// S3BlobStore: see s3_blob_store.hpp for the contract.
#include "blob/s3_blob_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "blob/derived_store.hpp"
#include "core/files.hpp"

namespace wenku::blob {
namespace fs = std::filesystem;

namespace {

std::string What(const std::string& sha256) { return "blob " + sha256; }

}  // namespace

bool S3BlobStore::Exists(const std::string& sha256) {
  return IsBlobName(sha256) && client_->Head(sha256, What(sha256)).ok();
}

Result<BlobInfo> S3BlobStore::Stat(const std::string& sha256) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  auto head = client_->Head(sha256, What(sha256));
  if (!head.ok()) return head.error();
  return BlobInfo{head->size, head->modified_unix};
}

Result<BlobRef> S3BlobStore::Put(std::string_view bytes) {
  BlobRef ref{Sha256Hex(bytes), static_cast<int64_t>(bytes.size())};
  if (auto head = client_->Head(ref.sha256, What(ref.sha256));
      head.ok() && head->size == ref.size) {
    return ref;
  }
  WENKU_TRY(client_->PutBytes(ref.sha256, bytes, What(ref.sha256)));
  return ref;
}

Result<BlobRef> S3BlobStore::PutFile(const fs::path& source) {
  int fd = open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, "cannot read " + source.string() + ": " + strerror(errno));
  }
  // First pass: the hash names the key, so it is known before the bytes are sent.
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> buf(1 << 20);
  int64_t size = 0;
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = strerror(errno);
      close(fd);
      return MakeError(ErrorCode::kIo, "cannot read " + source.string() + ": " + why);
    }
    if (n == 0) break;
    crypto_hash_sha256_update(&state, buf.data(), static_cast<unsigned long long>(n));
    size += n;
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  BlobRef ref{DigestHex(digest), size};
  Status s;
  if (auto head = client_->Head(ref.sha256, What(ref.sha256)); !(head.ok() && head->size == size)) {
    s = client_->PutFile(ref.sha256, fd, size, What(ref.sha256));
  }
  close(fd);
  if (!s.ok()) return s.error();
  return ref;
}

Status S3BlobStore::Read(const std::string& sha256, ByteRange range, const ByteSink& sink) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  return client_->Get(sha256, range, sink, What(sha256));
}

Result<fs::path> S3BlobStore::LocalPath(const std::string& sha256, const fs::path& scratch) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  std::error_code ec;
  fs::create_directories(scratch, ec);
  fs::path target = scratch / sha256;
  if (fs::exists(target, ec)) return target;
  fs::path tmp = scratch / UniqueTempName();
  int out = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) {
    return MakeError(ErrorCode::kIo,
                     "cannot create a file in " + scratch.string() + ": " + strerror(errno));
  }
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  bool write_failed = false;
  Status s = Read(sha256, {}, [&](std::string_view chunk) {
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(chunk.data()),
                              chunk.size());
    if (!WriteAll(out, chunk)) {
      write_failed = true;
      return false;
    }
    return true;
  });
  close(out);
  if (write_failed) {
    unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo, "cannot write to " + scratch.string());
  }
  if (!s.ok()) {
    unlink(tmp.c_str());
    return s.error();
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  if (DigestHex(digest) != sha256) {
    unlink(tmp.c_str());
    return MakeError(ErrorCode::kCorrupt, "blob " + sha256 + " in S3 does not match its hash");
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo, "cannot keep a local copy of blob " + sha256);
  }
  return target;
}

Status S3BlobStore::Remove(const std::string& sha256) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  return client_->Delete(sha256, What(sha256));
}

Status S3BlobStore::Check() { return client_->CheckBucket(); }

std::vector<std::string> S3BlobStore::List() {
  std::vector<std::string> out;
  auto keys = client_->List("");
  if (!keys.ok()) return out;  // the interface has no error: an empty list
  for (auto& key : *keys) {
    if (IsBlobName(key)) out.push_back(std::move(key));  // not derived/… keys
  }
  return out;
}

std::string S3BlobStore::Presign(const std::string& sha256, int64_t expires_seconds,
                                 int64_t now_unix, const std::string& content_disposition,
                                 const std::string& content_type) {
  if (!IsBlobName(sha256)) return "";
  return client_->Presign(sha256, expires_seconds, now_unix, content_disposition, content_type);
}

Result<Stores> OpenStores(const std::string& setting, const fs::path& blobs_root,
                          const fs::path& derived_root, const fs::path& tmp) {
  Stores stores;
  if (setting.empty()) {
    stores.blobs = std::make_unique<FsBlobStore>(blobs_root, tmp);
    stores.derived = std::make_unique<FsDerivedStore>(derived_root, tmp);
    return stores;
  }
  auto options = S3Options::FromUrl(setting);
  if (!options.ok()) return options.error();
  const char* access = getenv("WENKU_S3_ACCESS_KEY");
  const char* secret = getenv("WENKU_S3_SECRET_KEY");
  if (access == nullptr || *access == 0 || secret == nullptr || *secret == 0) {
    return MakeError(ErrorCode::kInvalidInput,
                     "blobs is an S3 bucket: set WENKU_S3_ACCESS_KEY and WENKU_S3_SECRET_KEY");
  }
  options->access_key = access;
  options->secret_key = secret;
  auto client = std::make_shared<S3Client>(std::move(options).value());
  if (Status s = client->EnsureBucket(); !s.ok()) return s.error();
  stores.blobs = std::make_unique<S3BlobStore>(client);
  stores.derived = std::make_unique<S3DerivedStore>(client);
  return stores;
}

Result<std::unique_ptr<BlobStore>> OpenBlobStore(const std::string& setting, const fs::path& root,
                                                 const fs::path& tmp) {
  auto stores = OpenStores(setting, root, root.parent_path() / "derived", tmp);
  if (!stores.ok()) return stores.error();
  return std::move(stores->blobs);
}

}  // namespace wenku::blob
