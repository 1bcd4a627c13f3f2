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
//   archive      one budget for an upload and everything inside it: the documents that came
//   budget       from an archive, its archives' included, are at most
//                limits.archive_max_documents (archive.max_documents, default 200); a
//                member past it is refused, checked again inside the transaction that
//                stores it (so two archives of one upload unpacked at once cannot both
//                take the last place)                             kResourceLimit
//                (message: ArchiveBudgetNote, starting with kLeftOut)
//   quota        an upload's owner (a Submission with a `quota`: the website's uploads;
//                QuotaFor decides who has one) may, in any 24 hours, upload at most
//                quota.documents_per_day documents and quota.bytes_per_day bytes (this
//                file included), and may not upload while quota.open_jobs of their
//                documents wait for or are in conversion          kRateLimited
//                (message: a catalog key, "quota_documents", "quota_bytes" or
//                "quota_open_jobs"; the web shows its words with the limit)
//                Two uploads of one owner at the same moment may both pass the last place
//                (the website lets an account send upload.per_account at once, 2).
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
#include <optional>
#include <string>
#include <string_view>

#include "blob/blob_store.hpp"
#include "core/config.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "core/settings.hpp"
#include "library/categories.hpp"
#include "storage/document_store.hpp"
#include "storage/user_store.hpp"

namespace wenku::moderation {
class Moderation;
}

namespace wenku::library {

inline constexpr size_t kMaxTitle = 200;         // characters (code points)
inline constexpr size_t kMaxDescription = 2000;  // characters (code points)
inline constexpr int64_t kMaxPrice = 100000;     // points

// What one account may upload (the website's uploads; see "quota" above).
struct UploadQuota {
  int64_t documents_per_day = 50;
  int64_t bytes_per_day = int64_t{1} << 30;
  int64_t open_jobs = 20;
};

struct Submission {
  UserId owner = 0;            // the uploader (an archive member: the archive's owner)
  std::filesystem::path file;  // the bytes, already on local disk
  std::string filename;        // as the uploader named it (shown, and a hint of the type)
  std::string title;           // "" : from the filename
  std::string description;
  std::string category;  // slug; "" : kDefaultCategory
  int64_t price = 0;
  DocumentId parent = 0;  // the archive it was unpacked from
  // The uploader's quota (QuotaFor); nullopt: none (`wenku import`, archive members — the
  // archive's budget bounds those —, moderators and admins).
  std::optional<UploadQuota> quota;
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
  // Documents one upload's archives may add in all (0: no budget), and how many levels of
  // archives are unpacked (1: the upload only; 2: also archives inside it).
  int64_t archive_max_documents = 200;
  int archive_max_nesting = 2;
};
// ingest.max_file_mb, ingest.max_attempts, archive.max_documents, archive.max_nesting.
SubmitLimits SubmitLimitsFrom(const Config& config);

// The quota `uploader` uploads under, from the runtime settings as they are now
// (upload.documents_per_day, upload.mb_per_day, upload.open_jobs); nullopt for moderators
// and admins, who have none: they are the site's own staff, accountable in the audit log,
// and filling the library (a course's past papers, say) is their work — a quota would
// only send them to `wenku import`. Their uploads still meet every other limit here and
// the website's per-account and per-address concurrency.
std::optional<UploadQuota> QuotaFor(const storage::User& uploader, const Settings& settings);
// The quota rule alone, for `size` more bytes (0 when not known yet), as Submit applies it:
// the website asks it before an upload's body is read, so an over-quota user does not send
// a whole file to be refused. Errors: as Submit's quota (kRateLimited, a catalog key), kIo.
Status CheckUploadQuota(storage::DocumentStore& documents, const storage::User& uploader,
                        const Settings& settings, int64_t size);

// How an archive member refused for the archive's budget is listed: "left out: …".
inline constexpr std::string_view kLeftOut = "left out:";
std::string ArchiveBudgetNote(int64_t max_documents);

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
