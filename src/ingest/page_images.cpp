#include "ingest/page_images.hpp"

#include <spdlog/spdlog.h>

#include "core/files.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;
namespace {

// The marker holds the reason as the visitor will read it.
Error RememberedFailure(const fs::path& marker) {
  auto reason = ReadFile(marker);
  std::string text = reason.ok() ? *reason : std::string();
  if (text.empty()) text = "the page could not be drawn";
  return MakeError(ErrorCode::kConversionFailed, text);
}

void RememberFailure(const DataLayout& layout, DocumentId id, int64_t n, const Error& error) {
  fs::path marker = layout.page_failure(id, n);
  std::error_code ec;
  fs::create_directories(marker.parent_path(), ec);
  Status s = WriteFileAtomic(marker, error.message);
  if (!s.ok()) {
    spdlog::warn("render: cannot remember that page {} of document {} failed: {}", n, id,
                 s.error().message);
  }
}

}  // namespace

Result<std::optional<fs::path>> PageImages::Drawn(DocumentId id, int64_t n) const {
  std::error_code ec;
  fs::path marker = layout_.page_failure(id, n);
  if (fs::exists(marker, ec)) return RememberedFailure(marker);
  fs::path target = layout_.page_image(id, n);
  if (fs::exists(target, ec)) return std::optional<fs::path>(target);
  return std::optional<fs::path>();
}

Result<fs::path> PageImages::Draw(DocumentId id, int64_t n) {
  auto doc = documents_.Find(id);
  if (!doc.ok()) return doc.error();
  if (doc->state != DocState::kReady || n < 1 || n > doc->page_count) {
    return MakeError(ErrorCode::kNotFound,
                     "no page " + std::to_string(n) + " in document " + std::to_string(id));
  }
  auto drawn = Drawn(id, n);
  if (!drawn.ok()) return drawn.error();
  if (*drawn) return **drawn;

  fs::path source;
  std::error_code ec;
  if (doc->format == "pdf") {
    auto original = blobs_.LocalPath(doc->blob_sha256);
    if (!original.ok()) return original.error();
    source = *original;
  } else {
    source = layout_.normalized_pdf(id);
    if (!fs::exists(source, ec))
      return MakeError(ErrorCode::kNotFound, "the converted document is missing; re-import it");
  }
  fs::path target = layout_.page_image(id, n);
  fs::path scratch = layout_.tmp() / UniqueTempName();
  RenderOptions o = options_;
  o.cover_width = 0;
  Status s = pdf_.Render(source, scratch, n, n, o, nullptr);
  if (s.ok()) {
    fs::create_directories(target.parent_path(), ec);
    s = DurableRename(scratch / target.filename(), target);
  }
  fs::remove_all(scratch, ec);
  if (!s.ok()) {
    if (!IsTransient(s.error().code)) {
      spdlog::warn("render: page {} of document {} failed and will not be tried again: {}", n, id,
                   s.error().message);
      RememberFailure(layout_, id, n, s.error());
      return MakeError(ErrorCode::kConversionFailed, s.error().message);  // as Drawn will say
    }
    return s.error();
  }
  return target;
}

}  // namespace wenku::ingest
