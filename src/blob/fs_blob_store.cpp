#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <cstring>

#include "blob/blob_store.hpp"
#include "core/files.hpp"

namespace wenku::blob {
namespace fs = std::filesystem;

namespace {}  // namespace

bool IsBlobName(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::string> BlobStore::Get(const std::string& sha256, ByteRange range) {
  std::string out;
  Status s = Read(sha256, range, [&](std::string_view chunk) {
    out.append(chunk);
    return true;
  });
  if (!s.ok()) return s.error();
  return out;
}

FsBlobStore::FsBlobStore(fs::path root, fs::path tmp_dir)
    : root_(std::move(root)), tmp_dir_(std::move(tmp_dir)) {
  fs::create_directories(root_);
  fs::create_directories(tmp_dir_);
}

fs::path FsBlobStore::PathOf(const std::string& sha256) const {
  return root_ / sha256.substr(0, 2) / sha256.substr(2, 2) / sha256;
}

Result<BlobRef> FsBlobStore::Commit(const fs::path& tmp, BlobRef ref) {
  fs::path target = PathOf(ref.sha256);
  std::error_code ec;
  if (fs::exists(target, ec)) {  // identical bytes are stored once
    fs::remove(tmp, ec);
    return ref;
  }
  fs::create_directories(target.parent_path(), ec);
  Status s = DurableRename(tmp, target);
  if (!s.ok()) {
    fs::remove(tmp, ec);
    return s.error();
  }
  return ref;
}

Result<BlobRef> FsBlobStore::PutFile(const fs::path& source) {
  int in = open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    return MakeError(ErrorCode::kIo, "cannot read " + source.string() + ": " + strerror(errno));
  }
  fs::path tmp = tmp_dir_ / UniqueTempName();
  int out = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) {
    close(in);
    return MakeError(ErrorCode::kIo, "cannot create a temp file in " + tmp_dir_.string());
  }
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buf(1 << 20);
  int64_t size = 0;
  bool failed = false;
  for (;;) {
    ssize_t n = read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failed = true;
      break;
    }
    if (n == 0) break;
    crypto_hash_sha256_update(&state, reinterpret_cast<unsigned char*>(buf.data()),
                              static_cast<unsigned long long>(n));
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        failed = true;
        break;
      }
      done += w;
    }
    if (failed) break;
    size += n;
  }
  close(in);
  if (failed || fsync(out) != 0) {
    close(out);
    unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo, "cannot store " + source.string() + ": " + strerror(errno));
  }
  close(out);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return Commit(tmp, BlobRef{DigestHex(digest), size});
}

Result<BlobRef> FsBlobStore::Put(std::string_view bytes) {
  fs::path tmp = tmp_dir_ / UniqueTempName();
  int out = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0)
    return MakeError(ErrorCode::kIo, "cannot create a temp file in " + tmp_dir_.string());
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t w = write(out, bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    done += static_cast<size_t>(w);
  }
  bool ok = done == bytes.size() && fsync(out) == 0;
  close(out);
  if (!ok) {
    unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo, "cannot store a blob: " + std::string(strerror(errno)));
  }
  return Commit(tmp, BlobRef{Sha256Hex(bytes), static_cast<int64_t>(bytes.size())});
}

bool FsBlobStore::Exists(const std::string& sha256) {
  std::error_code ec;
  return IsBlobName(sha256) && fs::exists(PathOf(sha256), ec);
}

Status FsBlobStore::Read(const std::string& sha256, ByteRange range, const ByteSink& sink) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  return ReadFileRange(PathOf(sha256), range, sink, "blob " + sha256);
}

Status ReadFileRange(const fs::path& path, ByteRange range, const ByteSink& sink,
                     const std::string& what) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return MakeError(ErrorCode::kNotFound, what + " is missing");
    }
    return MakeError(ErrorCode::kIo, "cannot read " + what + ": " + strerror(errno));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    close(fd);
    return MakeError(ErrorCode::kIo, "cannot read " + what + ": " + strerror(errno));
  }
  const int64_t size = st.st_size;
  if (range.offset < 0 || (range.offset > 0 && range.offset >= size)) {
    close(fd);
    return MakeError(ErrorCode::kInvalidInput, "the range starts past the end of " + what);
  }
  int64_t left =
      range.length < 0 ? size - range.offset : std::min(range.length, size - range.offset);
  int64_t pos = range.offset;
  std::vector<char> buf(1 << 20);
  while (left > 0) {
    ssize_t n =
        pread(fd, buf.data(), static_cast<size_t>(std::min<int64_t>(left, buf.size())), pos);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      return MakeError(ErrorCode::kIo, "cannot read " + what);
    }
    if (!sink(std::string_view(buf.data(), static_cast<size_t>(n)))) {
      close(fd);
      return MakeError(ErrorCode::kIo, "stopped");
    }
    pos += n;
    left -= n;
  }
  close(fd);
  return {};
}

Result<BlobInfo> FsBlobStore::Stat(const std::string& sha256) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  struct stat st {};
  if (stat(PathOf(sha256).c_str(), &st) != 0) {
    if (errno == ENOENT) return MakeError(ErrorCode::kNotFound, "blob " + sha256 + " is missing");
    return MakeError(ErrorCode::kIo, "cannot read blob " + sha256 + ": " + strerror(errno));
  }
  return BlobInfo{static_cast<int64_t>(st.st_size), static_cast<int64_t>(st.st_mtime)};
}

Result<fs::path> FsBlobStore::LocalPath(const std::string& sha256, const fs::path& /*scratch*/) {
  if (!Exists(sha256)) return MakeError(ErrorCode::kNotFound, "blob " + sha256 + " is missing");
  return PathOf(sha256);
}

Status FsBlobStore::Remove(const std::string& sha256) {
  if (!IsBlobName(sha256)) return MakeError(ErrorCode::kInvalidInput, "not a blob name");
  std::error_code ec;
  fs::remove(PathOf(sha256), ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot remove blob " + sha256 + ": " + ec.message());
  return {};
}

std::vector<std::string> FsBlobStore::List() {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root_, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec)) {
      std::string name = it->path().filename().string();
      if (IsBlobName(name)) out.push_back(name);
    }
  }
  return out;
}

Status FsBlobStore::Check() {
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) {
    return MakeError(ErrorCode::kIo, "blob folder " + root_.string() + " is missing");
  }
  // A file created and removed: the folder takes new blobs (not read-only, not out of inodes).
  const fs::path probe = root_ / (".health-" + UniqueTempName());
  int fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo,
                     "blob folder " + root_.string() + " is not writable: " + strerror(errno));
  }
  const bool written = write(fd, "ok", 2) == 2;
  const int saved = errno;
  close(fd);
  fs::remove(probe, ec);
  if (!written) {
    return MakeError(ErrorCode::kIo,
                     "cannot write in blob folder " + root_.string() + ": " + strerror(saved));
  }
  return {};
}

}  // namespace wenku::blob
