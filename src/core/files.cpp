#include "core/files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace wenku {
namespace fs = std::filesystem;

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return DigestHex(digest, sizeof digest);
}

std::string DigestHex(const unsigned char* digest, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, n);
  hex.pop_back();
  return hex;
}

bool WriteAll(int fd, std::string_view bytes) {
  for (size_t done = 0; done < bytes.size();) {
    ssize_t w = write(fd, bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    done += static_cast<size_t>(w);
  }
  return true;
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

static Status FsyncDir(const fs::path& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kIo, "cannot open folder " + dir.string());
  fsync(fd);
  close(fd);
  return {};
}

Status DurableRename(const fs::path& from, const fs::path& to) {
  if (rename(from.c_str(), to.c_str()) != 0) {
    return MakeError(ErrorCode::kIo, "cannot move " + from.string() + " to " + to.string() + ": " +
                                         strerror(errno));
  }
  return FsyncDir(to.parent_path().empty() ? fs::path(".") : to.parent_path());
}

std::string UniqueTempName() {
  static std::atomic<unsigned> counter{0};
  unsigned char rnd[6];
  randombytes_buf(rnd, sizeof rnd);
  char hex[13];
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  return std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" + hex + ".tmp";
}

Status WriteFileAtomic(const fs::path& path, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::string tmp_name = ".";
  tmp_name += UniqueTempName();  // (not "." + …: GCC 12 warns falsely, -Wrestrict)
  fs::path tmp = path.parent_path() / tmp_name;
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return MakeError(ErrorCode::kIo, "cannot create " + tmp.string());
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      unlink(tmp.c_str());
      return MakeError(ErrorCode::kIo, "cannot write " + path.string() + ": " + strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlink(tmp.c_str());
    return MakeError(ErrorCode::kIo, "cannot flush " + path.string());
  }
  Status s = DurableRename(tmp, path);
  if (!s.ok()) unlink(tmp.c_str());
  return s;
}

int RemoveStaleTempFiles(const fs::path& dir) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] == '.') name.erase(0, 1);
    if (name.size() < 5 || name.substr(name.size() - 4) != ".tmp") continue;
    long pid = std::strtol(name.c_str(), nullptr, 10);
    if (pid <= 0) continue;
    if (pid == getpid() || kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;
    if (fs::remove_all(entry.path(), ec) > 0) ++removed;
  }
  return removed;
}

}  // namespace wenku

namespace wenku {
Result<std::string> Sha256File(const std::filesystem::path& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kIo, "cannot read " + path.string());
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> buf(1 << 20);
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      return MakeError(ErrorCode::kIo, "cannot read " + path.string());
    }
    if (n == 0) break;
    crypto_hash_sha256_update(&state, buf.data(), static_cast<unsigned long long>(n));
  }
  close(fd);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return DigestHex(digest, sizeof digest);
}
}  // namespace wenku

namespace wenku {
namespace {

// Copies everything from `in` to `out` (both open), at most `max_bytes`.
Status CopyFd(int in, int out, uint64_t max_bytes, const std::string& what) {
  char buf[1 << 16];
  uint64_t total = 0;
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return MakeError(ErrorCode::kIo, "cannot read " + what + ": " + strerror(errno));
    if (n == 0) return {};
    total += static_cast<uint64_t>(n);
    if (total > max_bytes) {
      return MakeError(ErrorCode::kResourceLimit, "The converter's result is too large.");
    }
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return MakeError(ErrorCode::kIo, "cannot write " + what + ": " + strerror(errno));
      done += w;
    }
  }
}

// Opens `name` in `dir_fd` for reading: a regular file, never through a link.
Result<int> OpenRegularNoFollow(int dir_fd, const std::string& name, const std::string& what,
                                uint64_t max_bytes) {
  int fd = openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return MakeError(ErrorCode::kNotFound, what + " is missing");
    if (errno == ELOOP) {
      return MakeError(ErrorCode::kConversionFailed,
                       "The converter returned a link instead of a file, so it was ignored.");
    }
    return MakeError(ErrorCode::kIo, "cannot open " + what + ": " + strerror(errno));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return MakeError(ErrorCode::kConversionFailed,
                     "The converter returned something other than a file, so it was ignored.");
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return MakeError(ErrorCode::kResourceLimit, "The converter's result is too large.");
  }
  return fd;
}

// `sub` inside `trusted_dir`, opened as a folder without following links; made (or remade,
// when it is a link or a file) when `create`.
Result<int> OpenSubdir(const fs::path& trusted_dir, const std::string& sub, bool create) {
  int top = open(trusted_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (top < 0) return MakeError(ErrorCode::kIo, "cannot open " + trusted_dir.string());
  int fd = openat(top, sub.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && create) {
    unlinkat(top, sub.c_str(), 0);  // a link or file in its place
    mkdirat(top, sub.c_str(), 0755);
    fd = openat(top, sub.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  }
  close(top);
  if (fd < 0) {
    return MakeError(create ? ErrorCode::kIo : ErrorCode::kConversionFailed,
                     "cannot open " + (trusted_dir / sub).string() + " as a folder");
  }
  return fd;
}

}  // namespace

Result<std::string> ReadUntrusted(const fs::path& path, uint64_t max_bytes) {
  int dir = open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                 O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return MakeError(ErrorCode::kNotFound, path.string() + " is missing");
  auto fd = OpenRegularNoFollow(dir, path.filename().string(), path.string(), max_bytes);
  close(dir);
  if (!fd.ok()) return fd.error();
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = read(*fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buf, static_cast<size_t>(n));
    if (bytes.size() > max_bytes) break;
  }
  close(*fd);
  if (bytes.size() > max_bytes) {
    return MakeError(ErrorCode::kResourceLimit, "The converter's result is too large.");
  }
  return bytes;
}

Status CopyIntoUntrusted(const fs::path& src, const fs::path& trusted_dir, const std::string& sub,
                         const std::string& name) {
  auto dir = OpenSubdir(trusted_dir, sub, true);
  if (!dir.ok()) return dir.error();
  unlinkat(*dir, name.c_str(), 0);
  int out = openat(*dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  close(*dir);
  if (out < 0) return MakeError(ErrorCode::kIo, "cannot create a copy for conversion");
  int in = open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    close(out);
    return MakeError(ErrorCode::kIo, "cannot read " + src.string());
  }
  Status s = CopyFd(in, out, UINT64_MAX, src.string());
  close(in);
  if (close(out) != 0 && s.ok()) s = MakeError(ErrorCode::kIo, "cannot write a copy");
  return s;
}

Status CopyOutOfUntrusted(const fs::path& trusted_dir, const std::string& sub,
                          const std::string& name, const fs::path& dst, uint64_t max_bytes) {
  auto dir = OpenSubdir(trusted_dir, sub, false);
  if (!dir.ok()) return dir.error();
  auto in = OpenRegularNoFollow(*dir, name, (trusted_dir / sub / name).string(), max_bytes);
  close(*dir);
  if (!in.ok()) return in.error();
  unlink(dst.c_str());
  int out = open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (out < 0) {
    close(*in);
    return MakeError(ErrorCode::kIo, "cannot create " + dst.string());
  }
  Status s = CopyFd(*in, out, max_bytes, dst.string());
  close(*in);
  if (close(out) != 0 && s.ok()) s = MakeError(ErrorCode::kIo, "cannot write " + dst.string());
  return s;
}

namespace {

// Empties the folder open at `fd` (which it closes); `depth` bounds the recursion.
bool EmptyFolderFd(int fd, int depth) {
  DIR* d = fdopendir(fd);
  if (d == nullptr) {
    close(fd);
    return false;
  }
  bool ok = true;
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  for (const auto& name : names) {
    if (unlinkat(fd, name.c_str(), 0) == 0 || errno == ENOENT) continue;
    // A folder (EISDIR; EPERM on some systems): emptied through its own descriptor.
    int sub = openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0 || depth <= 0) {
      if (sub >= 0) close(sub);
      ok = false;
      continue;
    }
    ok = EmptyFolderFd(sub, depth - 1) && ok;
    if (unlinkat(fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) ok = false;
  }
  closedir(d);
  return ok;
}

}  // namespace

Status EmptyUntrustedFolder(const fs::path& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kIo, "cannot open " + dir.string());
  // Twice: a process still writing may add an entry while the first pass runs.
  if (!EmptyFolderFd(fd, 32)) {
    fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || !EmptyFolderFd(fd, 32)) {
      return MakeError(ErrorCode::kIo, "cannot empty " + dir.string());
    }
  }
  return {};
}

}  // namespace wenku
