#include "support/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <cstdlib>
#include <random>

#include "core/files.hpp"
#include "text_pdf.hpp"

namespace wenku::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("wenku-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

bool MakePdf(const fs::path& path, const std::vector<std::vector<std::string>>& pages) {
  return tools::WritePdfPages(path, pages);
}

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extra_env) {
  int pipefd[2];
  CommandResult result;
  if (pipe(pipefd) != 0) return result;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 1);
    close(pipefd[0]);
    close(pipefd[1]);
    for (const auto& e : extra_env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(pipefd[1]);
  char buf[65536];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof buf)) > 0) result.out.append(buf, static_cast<size_t>(n));
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

LoopbackListener::LoopbackListener() {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  listen(fd_, 16);
  socklen_t len = sizeof addr;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) > 0) {
        int c = accept(fd_, nullptr, nullptr);
        if (c >= 0) {
          ++connections_;
          close(c);
        }
      }
    }
  });
}

LoopbackListener::~LoopbackListener() {
  stop_ = true;
  thread_.join();
  close(fd_);
}

std::string SystemPng() {
  for (const char* root : {"/usr/share/icons", "/usr/lib/libreoffice/share", "/usr/share"}) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".png" && it->is_regular_file(ec) && it->file_size(ec) > 200) {
        return it->path().string();
      }
    }
  }
  return "";
}

bool MakeLinkProbes(const fs::path& dir, const fs::path& data, const std::string& url) {
  const std::string system_png = SystemPng();
  if (system_png.empty()) return false;
  const fs::path secret = data / "derived/119/pages/0003.png";
  std::error_code ec;
  fs::create_directories(secret.parent_path(), ec);
  fs::copy_file(system_png, secret, fs::copy_options::overwrite_existing, ec);
  if (ec) return false;
  const std::string maker = std::string(WENKU_SOURCE_DIR) + "/tests/ingest/make_link_probes.py";
  return RunCommand({"python3", maker, (dir / "data-links").string(),
                     "../../../derived/119/pages/0003.png", secret.string(), url})
                 .status == 0 &&
         RunCommand({"python3", maker, (dir / "usr-links").string(), system_png, system_png, url})
                 .status == 0;
}

int ImagesInPdf(const fs::path& pdf) {
  auto r = RunCommand({"/usr/bin/pdfimages", "-list", pdf.string()});
  int lines = 0;
  for (char c : r.out) lines += c == '\n';
  return std::max(0, lines - 2);  // two header lines
}

std::string WenkuBinary() {
  // WENKU_BINARY_PATH: a copy elsewhere (the sandbox tests re-run as `nobody` use one).
  const char* env = std::getenv("WENKU_BINARY_PATH");
  return env != nullptr && *env ? env : WENKU_BINARY;
}

std::string CorpusDir() {
  const char* env = std::getenv("WENKU_CORPUS");
  std::string dir = env && *env ? env : std::string(WENKU_SOURCE_DIR) + "/../shared/corpus";
  std::error_code ec;
  return fs::exists(fs::path(dir) / "MANIFEST.tsv", ec) ? dir : "";
}

std::string WithoutSpace(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f' && c != '\v') out += c;
  }
  return out;
}

Result<blob::BlobRef> MemoryBlobStore::PutFile(const fs::path& source) {
  auto bytes = ReadFile(source);
  if (!bytes.ok()) return bytes.error();
  return Put(*bytes);
}

Result<blob::BlobRef> MemoryBlobStore::Put(std::string_view bytes) {
  std::lock_guard lock(mu_);
  std::string sha = Sha256Hex(bytes);
  blobs_[sha] = std::string(bytes);
  return blob::BlobRef{sha, static_cast<int64_t>(bytes.size())};
}

bool MemoryBlobStore::Exists(const std::string& sha256) {
  std::lock_guard lock(mu_);
  return blobs_.count(sha256) > 0;
}

Status MemoryBlobStore::Read(const std::string& sha256, blob::ByteRange range,
                             const blob::ByteSink& sink) {
  std::string bytes;
  {
    std::lock_guard lock(mu_);
    auto it = blobs_.find(sha256);
    if (it == blobs_.end()) return MakeError(ErrorCode::kNotFound, "no blob");
    bytes = it->second;
  }
  const auto size = static_cast<int64_t>(bytes.size());
  if (range.offset < 0 || (range.offset > 0 && range.offset >= size)) {
    return MakeError(ErrorCode::kInvalidInput, "range past the end");
  }
  std::string_view part = std::string_view(bytes).substr(
      static_cast<size_t>(range.offset),
      range.length < 0 ? std::string_view::npos : static_cast<size_t>(range.length));
  if (!part.empty() && !sink(part)) return MakeError(ErrorCode::kIo, "stopped");
  return {};
}

Result<blob::BlobInfo> MemoryBlobStore::Stat(const std::string& sha256) {
  std::lock_guard lock(mu_);
  auto it = blobs_.find(sha256);
  if (it == blobs_.end()) return MakeError(ErrorCode::kNotFound, "no blob");
  return blob::BlobInfo{static_cast<int64_t>(it->second.size()), 0};
}

Result<fs::path> MemoryBlobStore::LocalPath(const std::string& sha256, const fs::path& scratch) {
  std::lock_guard lock(mu_);
  auto it = blobs_.find(sha256);
  if (it == blobs_.end()) return MakeError(ErrorCode::kNotFound, "no blob");
  std::error_code ec;
  fs::create_directories(scratch, ec);
  fs::path p = scratch / sha256;
  WENKU_TRY(WriteFileAtomic(p, it->second));
  return p;
}

Status MemoryBlobStore::Remove(const std::string& sha256) {
  std::lock_guard lock(mu_);
  blobs_.erase(sha256);
  return {};
}

std::vector<std::string> MemoryBlobStore::List() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [k, v] : blobs_) out.push_back(k);
  return out;
}

Status MemoryBlobStore::Check() {
  std::lock_guard lock(mu_);
  if (failure_) return *failure_;
  return {};
}

void MemoryBlobStore::FailChecks(Error failure) {
  std::lock_guard lock(mu_);
  failure_ = std::move(failure);
}

std::string MemoryBlobStore::Presign(const std::string& sha256, int64_t expires_seconds,
                                     int64_t /*now_unix*/, const std::string& content_disposition,
                                     const std::string& content_type) {
  if (presign_base.empty()) return "";
  return presign_base + sha256 + "?expires=" + std::to_string(expires_seconds) +
         "&disposition=" + content_disposition + "&type=" + content_type;
}

Status MemoryDerivedStore::Put(int64_t id, const std::string& name, std::string_view bytes) {
  if (id <= 0 || !blob::IsDerivedName(name)) return MakeError(ErrorCode::kInvalidInput, name);
  std::lock_guard lock(mu_);
  files_[{id, name}] = {std::string(bytes), next_version_++};
  return {};
}

Status MemoryDerivedStore::PutFile(int64_t id, const std::string& name, const fs::path& source) {
  auto bytes = ReadFile(source);
  if (!bytes.ok()) return bytes.error();
  return Put(id, name, *bytes);
}

Result<blob::DerivedInfo> MemoryDerivedStore::Stat(int64_t id, const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = files_.find({id, name});
  if (it == files_.end()) return MakeError(ErrorCode::kNotFound, name + " is missing");
  return blob::DerivedInfo{static_cast<int64_t>(it->second.first.size()),
                           std::to_string(it->second.second)};
}

Status MemoryDerivedStore::Read(int64_t id, const std::string& name, blob::ByteRange range,
                                const blob::ByteSink& sink) {
  std::string bytes;
  {
    std::lock_guard lock(mu_);
    auto it = files_.find({id, name});
    if (it == files_.end()) return MakeError(ErrorCode::kNotFound, name + " is missing");
    bytes = it->second.first;
  }
  const auto size = static_cast<int64_t>(bytes.size());
  if (range.offset < 0 || (range.offset > 0 && range.offset >= size)) {
    return MakeError(ErrorCode::kInvalidInput, "range past the end");
  }
  int64_t n = range.length < 0 ? size - range.offset : std::min(range.length, size - range.offset);
  if (n > 0 && !sink(std::string_view(bytes).substr(range.offset, n))) {
    return MakeError(ErrorCode::kIo, "stopped");
  }
  return {};
}

Status MemoryDerivedStore::RemoveAll(int64_t id) {
  std::lock_guard lock(mu_);
  std::erase_if(files_, [id](const auto& f) { return f.first.first == id; });
  return {};
}

Result<std::vector<int64_t>> MemoryDerivedStore::List() {
  std::lock_guard lock(mu_);
  std::vector<int64_t> out;
  for (const auto& [key, v] : files_) {
    if (out.empty() || out.back() != key.first) out.push_back(key.first);
  }
  return out;
}

std::vector<std::string> MemoryDerivedStore::Names() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [key, v] : files_) out.push_back(std::to_string(key.first) + "/" + key.second);
  return out;
}

}  // namespace wenku::testing
