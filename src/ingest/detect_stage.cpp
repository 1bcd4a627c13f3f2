// detect: what the file really is. The first bytes decide (our own sniffing for the formats
// we convert, libmagic for naming everything else); the uploaded name's extension is only a
// hint and never trusted. libmagic reads a copy of the first 64 KiB in this process: it
// parses no more than its own magic rules over that buffer.
#include <fcntl.h>
#include <magic.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

constexpr size_t kSniffBytes = 64 << 10;

struct Sniffed {
  std::string mime;
  std::string description;
};

Sniffed Describe(const std::string& head) {
  // A libmagic handle is not thread-safe; each worker thread keeps its own.
  thread_local std::unique_ptr<magic_set, decltype(&magic_close)> mime(nullptr, magic_close);
  thread_local std::unique_ptr<magic_set, decltype(&magic_close)> text(nullptr, magic_close);
  if (!mime) {
    mime.reset(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR));
    text.reset(magic_open(MAGIC_ERROR));
    if (mime) magic_load(mime.get(), nullptr);
    if (text) magic_load(text.get(), nullptr);
  }
  Sniffed s;
  if (const char* m = mime ? magic_buffer(mime.get(), head.data(), head.size()) : nullptr)
    s.mime = m;
  if (const char* d = text ? magic_buffer(text.get(), head.data(), head.size()) : nullptr)
    s.description = d;
  if (s.mime.empty()) s.mime = "application/octet-stream";
  if (s.description.empty()) s.description = "unknown data";
  return s;
}

class DetectStage final : public Stage {
 public:
  std::string_view name() const override { return "detect"; }

  Status Run(JobContext& ctx) const override {
    int fd = open(ctx.original.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return MakeError(ErrorCode::kIo, "cannot read the stored original");
    std::string head(kSniffBytes, '\0');
    ssize_t n = read(fd, head.data(), head.size());
    close(fd);
    if (n < 0) return MakeError(ErrorCode::kIo, "cannot read the stored original");
    head.resize(static_cast<size_t>(n));
    if (head.empty())
      return MakeError(ErrorCode::kEmptyFile, "empty file: the upload has no content (0 bytes).");

    Sniffed s = Describe(head);
    ctx.mime_type = s.mime;
    // PDF: "%PDF-" within the first KiB (readers accept leading junk up to there).
    if (head.substr(0, 1024).find("%PDF-") != std::string::npos) {
      ctx.format = "pdf";
      ctx.mime_type = "application/pdf";
    } else {
      ctx.format = "";
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<Stage> MakeDetectStage() { return std::make_unique<DetectStage>(); }

}  // namespace wenku::ingest
