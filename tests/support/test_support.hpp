// Helpers shared by the tests: temp folders, PDFs with known text (made with cairo), fakes
// for the I/O seams (blob store, process runner), and running the wenku binary.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "blob/blob_store.hpp"
#include "blob/derived_store.hpp"
#include "core/process_runner.hpp"

namespace wenku::testing {

// A fresh folder under /tmp, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes a PDF (A4) whose page k holds the lines pages[k-1] (UTF-8; Chinese drawn with
// Noto Sans CJK). Returns false when cairo fails.
bool MakePdf(const std::filesystem::path& path, const std::vector<std::vector<std::string>>& pages);

// Runs a command, returns its exit status and stdout (stderr goes to the test log).
struct CommandResult {
  int status = -1;
  std::string out;
};
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extra_env = {});

// A TCP listener on 127.0.0.1 (a free port) that accepts and counts connections on a thread
// of its own until destroyed: "did the converter reach the network?"
class LoopbackListener {
 public:
  LoopbackListener();
  ~LoopbackListener();
  int port() const { return port_; }
  int connections() const { return connections_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

// Some PNG file under /usr (an icon), which a sandboxed converter can see; "" when none.
std::string SystemPng();

// The linked-image probes (tests/ingest/make_link_probes.py: HTML, DOCX, RTF, ODT) for a data
// folder `data`: `data`/derived/119/pages/0003.png is made (another document's page image);
// `dir`/data-links/ link to it (relative from three folders below `data`, and file://) and
// to `url`; `dir`/usr-links/ link to a PNG under /usr (which the sandbox shows) and `url`.
// Returns false when they cannot be made.
bool MakeLinkProbes(const std::filesystem::path& dir, const std::filesystem::path& data,
                    const std::string& url);

// Images in a PDF (`pdfimages -list`): 0 for a PDF without any.
int ImagesInPdf(const std::filesystem::path& pdf);

// The wenku binary under test, and the corpus folder ("" when absent).
std::string WenkuBinary();
std::string CorpusDir();

// Text with all whitespace removed, for whitespace-insensitive comparisons.
std::string WithoutSpace(const std::string& text);

// An in-memory BlobStore (LocalPath writes the bytes to a temp folder on demand).
class MemoryBlobStore final : public blob::BlobStore {
 public:
  Result<blob::BlobRef> PutFile(const std::filesystem::path& source) override;
  Result<blob::BlobRef> Put(std::string_view bytes) override;
  bool Exists(const std::string& sha256) override;
  Status Read(const std::string& sha256, blob::ByteRange range,
              const blob::ByteSink& sink) override;
  Result<blob::BlobInfo> Stat(const std::string& sha256) override;
  Result<std::filesystem::path> LocalPath(const std::string& sha256,
                                          const std::filesystem::path& scratch) override;
  Status Remove(const std::string& sha256) override;
  std::vector<std::string> List() override;
  // Ok, or `failure` once set (a store that has gone away, for /healthz tests).
  Status Check() override;
  void FailChecks(Error failure);
  // "" (as the local folder) unless `presign_base` is set: then, as S3 would,
  // presign_base + sha256 + "?expires=N&disposition=D&type=T".
  std::string Presign(const std::string& sha256, int64_t expires_seconds, int64_t now_unix,
                      const std::string& content_disposition,
                      const std::string& content_type) override;
  std::string presign_base;

 private:
  std::mutex mu_;
  std::optional<Error> failure_;
  std::map<std::string, std::string> blobs_;
};

// An in-memory DerivedStore: files by (id, name); versions count up with every Put.
class MemoryDerivedStore final : public blob::DerivedStore {
 public:
  Status Put(int64_t id, const std::string& name, std::string_view bytes) override;
  Status PutFile(int64_t id, const std::string& name, const std::filesystem::path& source) override;
  Result<blob::DerivedInfo> Stat(int64_t id, const std::string& name) override;
  Status Read(int64_t id, const std::string& name, blob::ByteRange range,
              const blob::ByteSink& sink) override;
  Status RemoveAll(int64_t id) override;
  Result<std::vector<int64_t>> List() override;
  // Every file, for assertions: "7/pages/0001.webp".
  std::vector<std::string> Names();

 private:
  std::mutex mu_;
  std::map<std::pair<int64_t, std::string>, std::pair<std::string, int64_t>> files_;
  int64_t next_version_ = 1;
};

// A ProcessRunner whose children are a function: tests decide what "the converter" writes
// and how it ends, without starting a process.
class FakeRunner final : public ProcessRunner {
 public:
  using Behaviour = std::function<ProcessOutcome(const ProcessSpec&,
                                                 const std::function<void(std::string_view)>&)>;
  explicit FakeRunner(Behaviour b) : behaviour_(std::move(b)) {}
  Result<ProcessOutcome> Run(const ProcessSpec& spec,
                             const std::function<void(std::string_view)>& on_line) override {
    std::lock_guard lock(mu_);
    calls_.push_back(spec);
    return behaviour_(spec, on_line);
  }
  std::vector<ProcessSpec> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  Behaviour behaviour_;
  std::mutex mu_;
  std::vector<ProcessSpec> calls_;
};

}  // namespace wenku::testing
