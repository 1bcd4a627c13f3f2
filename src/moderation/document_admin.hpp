// DocumentAdmin: what a moderator does to any document from the documents page
// (/admin/documents) and the API (POST /api/v1/admin/documents/{id}), besides taking it down
// and restoring it (Moderation::TakeDown / Restore). Each decision is one unit of work with
// its audit-log row (CaseStore::Log: who, when, what, the note):
//   Edit    title, description, category and price, by the upload's rules
//           (library::CheckFields / StoredTitle / StoredCategory — the same check, not a
//           copy); a ready document's search entry follows (best effort, after commit).
//           Audit action "edit", its note the moderator's note, else the fields changed.
//   Delete  library::Delete with the audit row "delete" inside its rows' transaction: the
//           rows, then the search entry, derived files and unused bytes. A note is required.
//   Retry   a failed document back to `queued` (JobStore::Requeue: its ingest job queued
//           again with fresh attempts); a worker picks it up. Audit action "retry".
// Notes: at most kMaxNote characters; Delete's must not be blank.
// Errors: kForbidden (not a moderator), kNotFound (no such document), kInvalidInput (message:
// a sentence naming the field for the fields — library::FieldsError —, "note" for the note),
// kConflict (Retry: the document has not failed), kIo.
// Threading: safe for concurrent use (the stores are).
#pragma once

#include <string>

#include "blob/blob_store.hpp"
#include "blob/derived_store.hpp"
#include "core/result.hpp"
#include "library/access.hpp"
#include "library/categories.hpp"
#include "library/submit.hpp"
#include "search/search_index.hpp"
#include "storage/case_store.hpp"
#include "storage/database.hpp"
#include "storage/document_store.hpp"
#include "storage/job_store.hpp"

namespace wenku::moderation {

struct DocumentAdminDeps {
  storage::Database& db;
  storage::CaseStore& cases;
  storage::DocumentStore& documents;
  storage::JobStore& jobs;
  search::DocumentIndexer& index;
  blob::BlobStore& blobs;
  blob::DerivedStore& derived;
  library::Categories& categories;  // an edit's category meets the upload's rule
  int max_attempts = 3;  // a retried document without a job gets one (ingest.max_attempts)
};

class DocumentAdmin {
 public:
  explicit DocumentAdmin(DocumentAdminDeps deps) : d_(deps) {}

  Status Edit(library::Visitor moderator, DocumentId document,
              const library::DocumentFields& fields, const std::string& note);
  Status Delete(library::Visitor moderator, DocumentId document, const std::string& note);
  Status Retry(library::Visitor moderator, DocumentId document, const std::string& note);

 private:
  DocumentAdminDeps d_;
};

}  // namespace wenku::moderation
