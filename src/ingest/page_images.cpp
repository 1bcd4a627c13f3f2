#include "ingest/page_images.hpp"

#include <spdlog/spdlog.h>

#include "core/files.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;
namespace names = blob::derived_name;
namespace {

// The marker holds the reason as the visitor will read it.
Error RememberedFailure(blob::DerivedStore& derived, DocumentId id, int64_t n) {
  auto reason = derived.Get(id, names::PageFailure(n), {0, 4096});
  std::string text = reason.ok() ? *reason : std::string();
  if (text.empty()) text = "the page could not be drawn";
  return MakeError(ErrorCode::kConversionFailed, text);
}

void RememberFailure(blob::DerivedStore& derived, DocumentId id, int64_t n, const Error& error) {
  Status s = derived.Put(id, names::PageFailure(n), error.message);
  if (!s.ok()) {
    spdlog::warn("render: cannot remember that page {} of document {} failed: {}", n, id,
                 s.error().message);
  }
}

}  // namespace

Result<std::optional<blob::DerivedInfo>> PageImages::Drawn(DocumentId id, int64_t n) const {
  auto image = derived_.Stat(id, names::PageImage(n));  // the common case: one lookup
  if (image.ok()) return std::optional<blob::DerivedInfo>(*image);
  if (image.error().code != ErrorCode::kNotFound) return image.error();
  auto marker = derived_.Stat(id, names::PageFailure(n));
  if (marker.ok()) return RememberedFailure(derived_, id, n);
  if (marker.error().code != ErrorCode::kNotFound) return marker.error();
  return std::optional<blob::DerivedInfo>();
}

Result<std::string> PageImages::Draw(DocumentId id, int64_t n) {
  auto doc = documents_.Find(id);
  if (!doc.ok()) return doc.error();
  if (doc->state != DocState::kReady || n < 1 || n > doc->page_count) {
    return MakeError(ErrorCode::kNotFound,
                     "no page " + std::to_string(n) + " in document " + std::to_string(id));
  }
  auto drawn = Drawn(id, n);
  if (!drawn.ok()) return drawn.error();
  const std::string name = names::PageImage(n);
  if (*drawn) return name;

  // The pdf tool needs a local file: the local blob store's own, or a copy in `scratch`.
  const fs::path scratch = layout_.tmp() / UniqueTempName();
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{scratch};
  Result<fs::path> source = MakeError(ErrorCode::kInternal, "no source");
  if (doc->format == "pdf") {
    source = blobs_.LocalPath(doc->blob_sha256, scratch / "source");
  } else {
    source = derived_.CopyToLocal(id, names::kNormalizedPdf, scratch / "source");
    if (!source.ok() && source.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, "the converted document is missing; re-import it");
    }
  }
  if (!source.ok()) return source.error();
  RenderOptions o = options_;
  o.cover_width = 0;
  const fs::path out = scratch / "out";
  Status s = pdf_.Render(*source, out, n, n, o, nullptr);
  if (!s.ok()) {  // a failure of the drawing, not of the store, is remembered
    if (!IsTransient(s.error().code)) {
      spdlog::warn("render: page {} of document {} failed and will not be tried again: {}", n, id,
                   s.error().message);
      RememberFailure(derived_, id, n, s.error());
      return MakeError(ErrorCode::kConversionFailed, s.error().message);  // as Drawn will say
    }
    return s.error();
  }
  WENKU_TRY(derived_.PutFile(id, name, out / fs::path(name).filename()));
  return name;
}

}  // namespace wenku::ingest
