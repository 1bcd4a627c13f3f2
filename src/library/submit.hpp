// Submit: store a file as a document — the one way a file becomes a document, used by the
// upload page and the JSON API (web/uploads.cpp), `wenku import` (app/import_command.cpp)
// and the files unpacked from an archive (ingest/members_stage.cpp) alike. It checks the
// submission against the rules below, stores the bytes (BlobStore::PutFile) and records
// the document with its ingest job (DocumentStore::Create, one transaction).
//
// The rules, one set for every way in (a second copy of one of them is a bug):
//   file         a regular file on local disk                      kNotFound "no such file"
//                of 1 byte ..                                      kEmptyFile
//                .. limits.max_bytes (ingest.max_file_mb; over the   kTooLarge
//                web web.max_upload_mb when smaller)
//   filename     stored cleaned (CleanFileName): last path component, no control
//                characters nor bidi controls (U+202E …), valid UTF-8, at most 255 bytes
//   title        surrounding white space dropped; empty: the filename without its
//                extension (cut to kMaxTitle characters, the last one "…"); else valid
//                UTF-8 and at most kMaxTitle (200) characters      kInvalidInput
//   description  valid UTF-8, at most kMaxDescription (2000) characters   kInvalidInput
//   category     "" : kDefaultCategory ("other"); else a category documents may be
//                filed under now: known, not hidden
//                (Categories::MayFileUnder, library/categories.hpp)  kInvalidInput
//   price        0 .. kMaxPrice (100000) points                    kInvalidInput
//   retries      the ingest job may be claimed limits.max_attempts times
//                (ingest.max_attempts, at least 1)
//   parent       the archive a member came from (0 for an upload or an import)
//   review       title and description screened for sensitive words (Moderation::Screen);
//                a hit stores the document held for review, with its review case, in the
//                same transaction (Moderation::HoldDocument) — it is ingested, but only its
//                owner and moderators see it until a moderator releases it. Archive
//                members (named by their file names) are not screened: their archive was; nor
//                is the operator's `wenku import`.
// A moderator's edit of a document's title, description, category and price
// (moderation/document_admin.hpp) meets these same rules through CheckFields, FieldsError,
// StoredTitle and StoredCategory.
// The same bytes for the same owner are the same document: nothing is written and its id
// comes back with existed = true (re-running an import, a retried archive job, a quine).
// Error messages are sentences for people (English); the web shows its own words per
// error code and field (FieldProblems).
// Errors: as above; kIo (the file cannot be read, the blob store or database failed).
// Threading: safe for concurrent use (the stores are).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "blob/blob_store.hpp"
#include "core/config.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "library/categories.hpp"
#include "storage/document_store.hpp"

namespace wenku::moderation {
class Moderation;
}

namespace wenku::library {

inline constexpr size_t kMaxTitle = 200;         // characters (code points)
inline constexpr size_t kMaxDescription = 2000;  // characters (code points)
inline constexpr int64_t kMaxPrice = 100000;     // points

struct Submission {
  UserId owner = 0;            // the uploader (an archive member: the archive's owner)
  std::filesystem::path file;  // the bytes, already on local disk
  std::string filename;        // as the uploader named it (shown, and a hint of the type)
  std::string title;           // "" : from the filename
  std::string description;
  std::string category;  // slug; "" : kDefaultCategory
  int64_t price = 0;
  DocumentId parent = 0;  // the archive it was unpacked from
};

// The fields a person describes a document with: what an upload sets and what a moderator
// may edit later (moderation/document_admin.hpp). One set of rules for both (above).
struct DocumentFields {
  std::string title;  // "" : from the filename (StoredTitle)
  std::string description;
  std::string category;  // slug; "" : kDefaultCategory
  int64_t price = 0;
};

// Which of a submission's fields break the rules (all false when none does).
struct FieldProblems {
  bool title = false, description = false, category = false, price = false;
  bool any() const { return title || description || category || price; }
};
FieldProblems CheckFields(const DocumentFields& fields, Categories& categories);
FieldProblems CheckFields(const Submission& submission, Categories& categories);
// kInvalidInput with a sentence naming the first field at fault (title, description,
// category, price), or success when `problems` has none.
Status FieldsError(const FieldProblems& problems, const DocumentFields& fields,
                   Categories& categories);
// The title stored for `title` as given (surrounding white space dropped) or, when that is
// empty, made from the clean file name (its stem, cut to kMaxTitle characters).
// REQUIRES: CheckFields found no problem with the title.
std::string StoredTitle(std::string_view title, const std::string& clean_filename);
// The category stored for `category` ("" : kDefaultCategory).
std::string StoredCategory(const std::string& category);

// The limits that come from settings.
struct SubmitLimits {
  int64_t max_bytes = 200LL << 20;
  int max_attempts = 3;
};
// ingest.max_file_mb and ingest.max_attempts.
SubmitLimits SubmitLimitsFrom(const Config& config);

// Where a submission goes.
struct SubmitDeps {
  blob::BlobStore& blobs;
  storage::DocumentStore& documents;
  Categories& categories;
  SubmitLimits limits;
  moderation::Moderation* review = nullptr;  // nullptr: nothing is screened
};

struct Submitted {
  DocumentId id = 0;
  bool existed = false;  // the owner already had a document with these exact bytes
  bool held = false;     // held for review (sensitive words)
};

Result<Submitted> Submit(const SubmitDeps& deps, const Submission& submission);

// A file name safe to show and store: its last path component, control characters (Cc) and
// bidirectional formatting controls (IsBidiControl) removed,
// valid UTF-8, at most 255 bytes ("upload" when nothing is left).
std::string CleanFileName(std::string_view name);

}  // namespace wenku::library
