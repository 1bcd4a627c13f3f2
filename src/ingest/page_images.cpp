#include "ingest/page_images.hpp"

#include "core/files.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;

Result<fs::path> PageImages::Get(DocumentId id, int64_t n) {
  auto doc = documents_.Find(id);
  if (!doc.ok()) return doc.error();
  if (doc->state != DocState::kReady || n < 1 || n > doc->page_count) {
    return MakeError(ErrorCode::kNotFound,
                     "no page " + std::to_string(n) + " in document " + std::to_string(id));
  }
  fs::path target = layout_.page_image(id, n);
  std::error_code ec;
  if (fs::exists(target, ec)) return target;

  fs::path source;
  if (doc->format == "pdf") {
    auto original = blobs_.LocalPath(doc->blob_sha256);
    if (!original.ok()) return original.error();
    source = *original;
  } else {
    source = layout_.normalized_pdf(id);
    if (!fs::exists(source, ec))
      return MakeError(ErrorCode::kNotFound, "the converted document is missing; re-import it");
  }
  fs::path scratch = layout_.tmp() / UniqueTempName();
  RenderOptions o = options_;
  o.cover_width = 0;
  Status s = pdf_.Render(source, scratch, n, n, o, nullptr);
  if (s.ok()) {
    fs::create_directories(target.parent_path(), ec);
    s = DurableRename(scratch / target.filename(), target);
  }
  fs::remove_all(scratch, ec);
  if (!s.ok()) return s.error();
  return target;
}

}  // namespace wenku::ingest
