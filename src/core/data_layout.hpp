// DataLayout: where everything lives inside the data folder. Nothing Wenku writes is
// outside it.
//   wenku.db                 SQLite database (the system of record)
// With `blobs = "s3://…"`, blobs/ and derived/ stay empty: both live in the bucket
// (blob/blob_store.hpp, blob/derived_store.hpp). Only the stores use these two paths.
//   blobs/ab/cd/<sha256>     original uploads, content-addressed (FsBlobStore)
//   derived/<id>/pages/NNNN.webp, derived/<id>/cover.webp, derived/<id>/document.pdf
//                            (FsDerivedStore; names in blob::derived_name)
//                            page images and cover: a cache, reproducible from the original
//   derived/<id>/cover-placeholder.webp
//                            the cover when page 1 is not in the free preview (format, title)
//   derived/<id>/pages/NNNN.failed
//                            why page NNNN could not be drawn: not tried again until the
//                            document is ingested again (which wipes derived/<id>/)
//   work/job-<id>/           a job's private folder while it runs (converters write here;
//                            original/: the original's local copy when the store is remote)
//   tmp/                     temp files, renamed into place when complete
//   office/profile-N/        LibreOffice profiles
//   convert/warm-N/exchange/ a warm Poppler child's only folder (ingest/pdf_pool.hpp)
//   index/                   the search index (Xapian): rebuilt from the database by
//                            `wenku reindex`
//   logs/wenku.log
#pragma once

#include <cstdio>
#include <filesystem>

#include "core/document.hpp"

namespace wenku {

class DataLayout {
 public:
  explicit DataLayout(std::filesystem::path root) : root_(std::filesystem::absolute(root)) {}
  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path database() const { return root_ / "wenku.db"; }
  std::filesystem::path blobs() const { return root_ / "blobs"; }
  std::filesystem::path derived() const { return root_ / "derived"; }
  std::filesystem::path derived(DocumentId id) const { return derived() / std::to_string(id); }
  std::filesystem::path pages(DocumentId id) const { return derived(id) / "pages"; }
  std::filesystem::path page_image(DocumentId id, int64_t n) const {
    char name[32];
    std::snprintf(name, sizeof name, "%04lld.webp", static_cast<long long>(n));
    return pages(id) / name;
  }
  std::filesystem::path page_failure(DocumentId id, int64_t n) const {
    return page_image(id, n).replace_extension(".failed");
  }
  // The cover drawn from page 1 (only when page 1 is a free-preview page), and the one
  // drawn from the format and title otherwise.
  std::filesystem::path cover(DocumentId id) const { return derived(id) / "cover.webp"; }
  std::filesystem::path cover_placeholder(DocumentId id) const {
    return derived(id) / "cover-placeholder.webp";
  }
  // The document as PDF when the original is not one (text, Office, images).
  std::filesystem::path normalized_pdf(DocumentId id) const { return derived(id) / "document.pdf"; }
  std::filesystem::path work() const { return root_ / "work"; }
  std::filesystem::path work(int64_t job_id) const {
    return work() / ("job-" + std::to_string(job_id));
  }
  std::filesystem::path tmp() const { return root_ / "tmp"; }
  // LibreOffice profiles, one per concurrent conversion.
  std::filesystem::path office() const { return root_ / "office"; }
  // Warm converter children's folders.
  std::filesystem::path convert() const { return root_ / "convert"; }
  std::filesystem::path logs() const { return root_ / "logs"; }
  std::filesystem::path index() const { return root_ / "index"; }

  // Creates the folders. Errors are reported by the first write that needs them.
  void Create() const {
    std::error_code ec;
    for (const auto& p : {root_, blobs(), derived(), work(), tmp(), logs()}) {
      std::filesystem::create_directories(p, ec);
    }
  }

 private:
  std::filesystem::path root_;
};

}  // namespace wenku
