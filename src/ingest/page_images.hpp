// PageImages: the image of any page of a ready document, kept in the derived store
// (blob/derived_store.hpp: the data folder or S3). Free-preview pages were drawn at ingest;
// any other page is drawn when first asked for (in the sandboxed pdf tool, into a scratch
// folder under tmp/, from a local copy of the PDF when the store is remote) and stored.
// Deleted derived files are simply drawn again: they are a cache of the original.
//
// A page that fails to draw because of the file itself (damaged, too slow, too large: any
// error that is not transient) is remembered in a marker beside its image
// (derived_name::PageFailure) and not drawn again: Drawn and Draw return the remembered error
// until the document is ingested again, which removes its derived files.
//
// This does not decide who may see a page: callers (the web layer) enforce the free-preview
// limit before asking. The web never calls Draw on a request thread: it goes through the
// RenderPool (render_pool.hpp), which is what bounds how many drawings run.
// Threading: safe for concurrent use; two drawings of the same missing page (the CLI and the
// pool) both draw it, and the second rename wins harmlessly.
#pragma once

#include <filesystem>
#include <optional>

#include "blob/blob_store.hpp"
#include "blob/derived_store.hpp"
#include "core/data_layout.hpp"
#include "ingest/pdf_converter.hpp"
#include "ingest/render_pool.hpp"
#include "storage/document_store.hpp"

namespace wenku::ingest {

class PageImages final : public PageDrawer {
 public:
  PageImages(const PdfConverter& pdf, storage::DocumentStore& documents, blob::BlobStore& blobs,
             blob::DerivedStore& derived, DataLayout layout, RenderOptions options)
      : pdf_(pdf),
        documents_(documents),
        blobs_(blobs),
        derived_(derived),
        layout_(std::move(layout)),
        options_(options) {}

  // Without drawing (cheap: one or two lookups in the store): the stored image of page `n`
  // (its size and version) when it is drawn, nullopt when it still has to be, or the
  // remembered failure (kConversionFailed with the reason). The image is then read from
  // derived() under derived_name::PageImage(n). REQUIRES: the caller checked that the
  // document is ready and has page n.
  Result<std::optional<blob::DerivedInfo>> Drawn(DocumentId id, int64_t n) const;

  // The derived-file name of the image of page `n` (1-based), drawn now (blocking) unless it
  // is drawn already. Errors: kNotFound (no such document, not ready, or no page n);
  // kConversionFailed with the reason when the page cannot be drawn (remembered) or could not
  // be before; a transient error (kIo, kInternal, kUnavailable: not remembered).
  Result<std::string> Draw(DocumentId id, int64_t n) override;

  blob::DerivedStore& derived() const { return derived_; }

 private:
  const PdfConverter& pdf_;
  storage::DocumentStore& documents_;
  blob::BlobStore& blobs_;
  blob::DerivedStore& derived_;
  DataLayout layout_;  // tmp/: scratch folders
  RenderOptions options_;
};

}  // namespace wenku::ingest
