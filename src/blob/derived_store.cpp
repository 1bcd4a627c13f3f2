// DerivedStore, FsDerivedStore and S3DerivedStore: see derived_store.hpp for the contract.
#include "blob/derived_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "blob/s3_client.hpp"
#include "core/files.hpp"

namespace wenku::blob {
namespace fs = std::filesystem;

namespace derived_name {
std::string PageImage(int64_t n) {
  char name[40];
  std::snprintf(name, sizeof name, "pages/%04lld.webp", static_cast<long long>(n));
  return name;
}
std::string PageFailure(int64_t n) {
  char name[40];
  std::snprintf(name, sizeof name, "pages/%04lld.failed", static_cast<long long>(n));
  return name;
}
}  // namespace derived_name

bool IsDerivedName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  int slashes = 0;
  for (char c : name) {
    if (c == '/') {
      ++slashes;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
      return false;
    }
  }
  return slashes <= 1 && name.find("..") == std::string::npos && name.front() != '/' &&
         name.back() != '/' && name.front() != '.' && name.find("/.") == std::string::npos;
}

namespace {

Status CheckName(int64_t id, const std::string& name) {
  if (id <= 0 || !IsDerivedName(name)) {
    return MakeError(ErrorCode::kInvalidInput, "not a derived file name: " + name);
  }
  return {};
}

std::string What(int64_t id, const std::string& name) {
  return "derived file " + std::to_string(id) + "/" + name;
}

}  // namespace

Result<std::string> DerivedStore::Get(int64_t id, const std::string& name, ByteRange range) {
  std::string out;
  Status s = Read(id, name, range, [&](std::string_view chunk) {
    out.append(chunk);
    return true;
  });
  if (!s.ok()) return s.error();
  return out;
}

Result<fs::path> DerivedStore::CopyToLocal(int64_t id, const std::string& name,
                                           const fs::path& scratch) {
  std::error_code ec;
  fs::create_directories(scratch, ec);
  fs::path target = scratch / (std::to_string(id) + "-" + fs::path(name).filename().string());
  int out = open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    return MakeError(ErrorCode::kIo, "cannot create " + target.string() + ": " + strerror(errno));
  }
  bool write_failed = false;
  Status s = Read(id, name, {}, [&](std::string_view chunk) {
    if (!WriteAll(out, chunk)) {
      write_failed = true;
      return false;
    }
    return true;
  });
  close(out);
  if (write_failed) return MakeError(ErrorCode::kIo, "cannot write " + target.string());
  if (!s.ok()) return s.error();
  return target;
}

// ---- the data folder ----

FsDerivedStore::FsDerivedStore(fs::path root, fs::path tmp_dir)
    : root_(std::move(root)), tmp_dir_(std::move(tmp_dir)) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  fs::create_directories(tmp_dir_, ec);
}

Status FsDerivedStore::Put(int64_t id, const std::string& name, std::string_view bytes) {
  WENKU_TRY(CheckName(id, name));
  fs::path target = root_ / std::to_string(id) / name;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  return WriteFileAtomic(target, bytes);
}

Status FsDerivedStore::PutFile(int64_t id, const std::string& name, const fs::path& source) {
  WENKU_TRY(CheckName(id, name));
  fs::path target = root_ / std::to_string(id) / name;
  fs::path tmp = tmp_dir_ / UniqueTempName();
  std::error_code ec;
  fs::copy_file(source, tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot copy " + source.string() + ": " + ec.message());
  }
  int fd = open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  bool synced = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  if (!synced) {
    fs::remove(tmp, ec);
    return MakeError(ErrorCode::kIo, "cannot write " + What(id, name));
  }
  fs::create_directories(target.parent_path(), ec);
  Status s = DurableRename(tmp, target);
  if (!s.ok()) fs::remove(tmp, ec);
  return s;
}

Result<DerivedInfo> FsDerivedStore::Stat(int64_t id, const std::string& name) {
  WENKU_TRY(CheckName(id, name));
  struct stat st {};
  fs::path path = root_ / std::to_string(id) / name;
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return MakeError(ErrorCode::kNotFound, What(id, name) + " is missing");
    }
    return MakeError(ErrorCode::kIo, "cannot read " + What(id, name) + ": " + strerror(errno));
  }
  return DerivedInfo{static_cast<int64_t>(st.st_size),
                     std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec)};
}

Status FsDerivedStore::Read(int64_t id, const std::string& name, ByteRange range,
                            const ByteSink& sink) {
  WENKU_TRY(CheckName(id, name));
  return ReadFileRange(root_ / std::to_string(id) / name, range, sink, What(id, name));
}

Status FsDerivedStore::RemoveAll(int64_t id) {
  if (id <= 0) return MakeError(ErrorCode::kInvalidInput, "not a document id");
  std::error_code ec;
  fs::remove_all(root_ / std::to_string(id), ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot remove the derived files of document " +
                                         std::to_string(id) + ": " + ec.message());
  }
  return {};
}

Result<std::vector<int64_t>> FsDerivedStore::List() {
  std::vector<int64_t> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    const std::string name = entry.path().filename().string();
    char* end = nullptr;
    long long id = std::strtoll(name.c_str(), &end, 10);
    // Anything else in the folder belongs to no document: reported as id 0.
    out.push_back(id > 0 && *end == 0 && std::to_string(id) == name ? id : 0);
  }
  if (ec) return MakeError(ErrorCode::kIo, "cannot list " + root_.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

// ---- S3 ----

namespace {
std::string KeyOf(int64_t id, const std::string& name) {
  return "derived/" + std::to_string(id) + "/" + name;
}
}  // namespace

Status S3DerivedStore::Put(int64_t id, const std::string& name, std::string_view bytes) {
  WENKU_TRY(CheckName(id, name));
  return client_->PutBytes(KeyOf(id, name), bytes, What(id, name));
}

Status S3DerivedStore::PutFile(int64_t id, const std::string& name, const fs::path& source) {
  WENKU_TRY(CheckName(id, name));
  int fd = open(source.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0) {
    std::string why = strerror(errno);
    if (fd >= 0) close(fd);
    return MakeError(ErrorCode::kIo, "cannot read " + source.string() + ": " + why);
  }
  Status s = client_->PutFile(KeyOf(id, name), fd, st.st_size, What(id, name));
  close(fd);
  return s;
}

Result<DerivedInfo> S3DerivedStore::Stat(int64_t id, const std::string& name) {
  WENKU_TRY(CheckName(id, name));
  auto head = client_->Head(KeyOf(id, name), What(id, name));
  if (!head.ok()) return head.error();
  std::string version = head->etag;
  std::erase(version, '"');
  return DerivedInfo{head->size, version};
}

Status S3DerivedStore::Read(int64_t id, const std::string& name, ByteRange range,
                            const ByteSink& sink) {
  WENKU_TRY(CheckName(id, name));
  return client_->Get(KeyOf(id, name), range, sink, What(id, name));
}

Status S3DerivedStore::RemoveAll(int64_t id) {
  if (id <= 0) return MakeError(ErrorCode::kInvalidInput, "not a document id");
  auto keys = client_->List("derived/" + std::to_string(id) + "/");
  if (!keys.ok()) return keys.error();
  for (const auto& key : *keys) WENKU_TRY(client_->Delete(key, key));
  return {};
}

Result<std::vector<int64_t>> S3DerivedStore::List() {
  auto keys = client_->List("derived/");
  if (!keys.ok()) return keys.error();
  std::set<int64_t> ids;
  for (const auto& key : *keys) {
    std::string rest = key.substr(8);
    std::string folder = rest.substr(0, rest.find('/'));
    char* end = nullptr;
    long long id = std::strtoll(folder.c_str(), &end, 10);
    ids.insert(id > 0 && *end == 0 && std::to_string(id) == folder ? id : 0);
  }
  return std::vector<int64_t>(ids.begin(), ids.end());
}

std::string S3DerivedStore::Presign(int64_t id, const std::string& name, int64_t expires_seconds,
                                    int64_t now_unix, const std::string& content_type) {
  if (!CheckName(id, name).ok()) return "";
  return client_->Presign(KeyOf(id, name), expires_seconds, now_unix, "", content_type);
}

}  // namespace wenku::blob
