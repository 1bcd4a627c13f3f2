#include "core/files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
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
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
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
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}
}  // namespace wenku
