// Delete: a document's owner or a moderator deletes it, and this function owns the order
// of the steps, so a crash between two of them leaves nothing a visitor could reach:
//   1. the rows, in one transaction (DocumentStore::Delete: the document, its pages,
//      comments, jobs and archive-member rows; files unpacked from it stay documents
//      of their own) — from here on no route serves it;
//   2. its search index entry (best effort: searches check the database anyway, and
//      `wenku reindex` drops what is left);
//   3. its derived files (page images, cover, PDF) under DATA/derived/<id>/;
//   4. its original bytes, when no other document uses them (`wenku check --repair`
//      removes a blob a crash left behind).
// `also` (optional) runs inside step 1's transaction (a moderator's audit-log row,
// moderation/document_admin.hpp); its error rolls the rows back and nothing else happens.
// Errors: kUnauthenticated (no visitor), kNotFound (no such document, or one the visitor
// may not see), kForbidden (neither its owner nor a moderator), kIo (the database).
// Threading: safe for concurrent use; deleting the same document twice at once deletes it
// once (the other gets kNotFound).
#pragma once

#include <functional>

#include "blob/blob_store.hpp"
#include "blob/derived_store.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "library/access.hpp"
#include "search/search_index.hpp"
#include "storage/document_store.hpp"

namespace wenku::library {

struct DeleteDeps {
  storage::DocumentStore& documents;
  search::DocumentIndexer& index;
  blob::BlobStore& blobs;
  blob::DerivedStore& derived;  // page images, cover, converted PDF
};

Status Delete(const DeleteDeps& deps, Visitor visitor, DocumentId id,
              const std::function<Status(storage::Sql&)>& also = nullptr);

}  // namespace wenku::library
