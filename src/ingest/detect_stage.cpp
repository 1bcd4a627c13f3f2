// detect: what the file really is (file_type.hpp): the first 64 KiB decide, the uploaded
// name is only a hint. libmagic reads that copy of the first bytes in this process; it
// applies its own rules to the buffer and parses nothing else.
#include <fcntl.h>
#include <unistd.h>

#include "ingest/file_type.hpp"
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

constexpr size_t kSniffBytes = 64 << 10;

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
    FileType type = DetectFileType(head, ctx.document.filename);
    if (type.kind == FileKind::kEmpty) {
      return MakeError(ErrorCode::kEmptyFile, "empty file: the upload has no content (0 bytes).");
    }
    ctx.kind = type.kind;
    ctx.format = type.format;
    ctx.mime_type = type.mime;
    ctx.type_description = type.description;
    return {};
  }
};

}  // namespace

std::unique_ptr<Stage> MakeDetectStage() { return std::make_unique<DetectStage>(); }

}  // namespace wenku::ingest
