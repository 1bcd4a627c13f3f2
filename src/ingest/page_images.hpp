// PageImages: the image of any page of a ready document. Free-preview pages were drawn at
// ingest; any other page is drawn on its first request (in the sandboxed pdf tool, into a
// temp folder, then renamed into the derived folder) and served from there afterwards.
// Deleted derived files are simply drawn again: they are a cache of the original.
//
// This does not decide who may see a page: callers (the web layer) enforce the free-preview
// limit before asking.
// Threading: safe for concurrent use; two requests for the same missing page may both draw
// it, and the second rename wins harmlessly.
#pragma once

#include <filesystem>

#include "blob/blob_store.hpp"
#include "core/data_layout.hpp"
#include "ingest/pdf_converter.hpp"
#include "storage/document_store.hpp"

namespace wenku::ingest {

class PageImages {
 public:
  PageImages(const PdfConverter& pdf, storage::DocumentStore& documents, blob::BlobStore& blobs,
             DataLayout layout, RenderOptions options)
      : pdf_(pdf),
        documents_(documents),
        blobs_(blobs),
        layout_(std::move(layout)),
        options_(options) {}

  // The image file of page `n` (1-based). Errors: kNotFound (no such document, not ready,
  // or no page n), and the converter's errors when drawing fails.
  Result<std::filesystem::path> Get(DocumentId id, int64_t n);

 private:
  const PdfConverter& pdf_;
  storage::DocumentStore& documents_;
  blob::BlobStore& blobs_;
  DataLayout layout_;
  RenderOptions options_;
};

}  // namespace wenku::ingest
