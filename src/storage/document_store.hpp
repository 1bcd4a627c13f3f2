// DocumentStore persists documents and their pages, and moves them through their
// lifecycle (see core/document.hpp). Each method is one transaction; the ones that finish
// an ingest job (Publish, Fail) also close the job in that same transaction, and only for
// the worker that still holds the job's lease, so a document is finished exactly once.
// Threading: safe for concurrent use.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

struct NewDocument {
  UserId owner_id = 0;
  DocumentId parent_id = 0;  // the archive it came from
  std::string blob_sha256;
  int64_t size = 0;
  std::string filename;
  std::string title;
  std::string description;
  std::string category;
  int64_t price = 0;
  int max_attempts = 3;
  bool held = false;  // held for review from the start (held_at = now)
};

struct CreatedDocument {
  DocumentId id = 0;
  bool existed = false;  // the owner already had a document with these exact bytes
};

struct PublishedPages {
  std::vector<Page> pages;  // 1..N, in order
  int64_t preview_pages = 0;
  std::vector<ArchiveMember> members;  // for an archive: what it holds
  std::string description;  // becomes the document's description when it has none (drawings)
  // Pages without text are left for an ocr job, queued in the same transaction (the
  // document's text_pending is set until that job ends).
  bool recognise_text = false;
};

// One file of an archive with the document made from it, as the archive's page shows it.
struct MemberWithDocument {
  ArchiveMember member;
  // The document made from it (any state: whom it may be shown to is library::CheckView's);
  // nullopt when it is not a document (member.note says why).
  std::optional<Document> document;
  // The size of the document's page 1 in points (0 when it has no pages yet).
  int64_t page1_width_pt = 0;
  int64_t page1_height_pt = 0;
};

// What a listing shows: ready documents, filtered and sorted.
struct Browse {
  enum class Sort { kLatest, kPopular };
  Sort sort = Sort::kLatest;
  std::string category;          // "" for all
  UserId owner = 0;              // 0 for all
  bool include_unready = false;  // the owner's own page shows queued/failed ones too
  // Documents of disabled accounts are left out unless this is set (a moderator's view of
  // an uploader page: library::MaySeeDisabledUploads).
  bool include_disabled_owners = false;
  int64_t limit = 20;
  int64_t offset = 0;
};

// What the moderators' document list (/admin/documents) finds: every state, newest first.
struct DocumentQuery {
  std::string text;  // "" : all; else a part of the title or filename (case-insensitive for
                     // ASCII), or, when it is all digits, also the document with that id
  std::optional<DocState> state;
  std::string uploader;  // "" : all; else exactly this user name
  std::string category;  // "" : all; else this slug
  int64_t limit = 50;
  int64_t offset = 0;
};

// A listed document as a sitemap names it.
struct SitemapEntry {
  DocumentId id = 0;
  int64_t updated_at = 0;
};

// What a deletion leaves for the caller (library::Delete) to remove from files: the blob
// when no other document uses it any more.
struct DeletedDocument {
  std::string unreferenced_blob;  // "" when other documents still use the bytes
};

class DocumentStore {
 public:
  DocumentStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Records the blob, a `queued` document and its ingest job, all in one transaction.
  // It keeps rows only: what a document may be (title, category, price, size) is checked
  // by library::Submit, the one caller.
  // When the owner already has a document with the same bytes, nothing is written and
  // that document's id comes back with existed = true (so re-running an import is safe).
  // `also`, when given, runs inside the same transaction for a document newly created (not
  // for one that existed), with its id: a review hold's case (moderation).
  // Errors: kInvalidInput (no title), kIo, or what `also` returns (nothing is written then).
  Result<CreatedDocument> Create(const NewDocument& doc,
                                 const std::function<Status(Sql&, DocumentId)>& also = {});

  // Errors: kNotFound.
  Result<Document> Find(DocumentId id);
  // The documents of `ids` that exist, in one query, in no particular order (`wenku import`
  // polls its documents in flight so). REQUIRES: at most a few hundred ids.
  Result<std::vector<Document>> FindMany(const std::vector<DocumentId>& ids);
  // Newest first.
  Result<std::vector<Document>> List(int64_t limit, int64_t offset);
  // Listings for the home, category and uploader pages and the API (popular: views +
  // downloads).
  Result<std::vector<Document>> List(const Browse& browse);
  Result<int64_t> Count(const Browse& browse);
  // The moderators' search (any state). REQUIRES: text at most a few hundred bytes.
  Result<std::vector<Document>> Search(const DocumentQuery& query);
  // Ids of searchable documents (ready, their owner's account enabled: library::Searchable)
  // above `after`, ascending (`wenku reindex` walks them, `wenku check` compares the index).
  Result<std::vector<DocumentId>> ReadyIdsAfter(DocumentId after, int64_t limit);
  Result<int64_t> CountReady();
  // The highest document id given so far (0: none); one primary-key probe.
  Result<DocumentId> MaxId();
  // Listed documents (ready, not held, owner enabled — library::IsListed) with
  // after < id <= up_to, ascending: a primary-key range scan.
  Result<std::vector<SitemapEntry>> SitemapEntries(DocumentId after, DocumentId up_to);
  // Ids of `owner`'s ready documents (whatever their account's state), ascending.
  Result<std::vector<DocumentId>> ReadyIdsOfOwner(UserId owner);
  // Searchable documents per category (categories with none are left out).
  Result<std::vector<std::pair<std::string, int64_t>>> CategoryCounts();
  // Adds counted page views (batched by the web layer).
  Status AddViews(const std::vector<std::pair<DocumentId, int64_t>>& views);
  // Counts a download on the document and records it with its time (the `downloads` table,
  // for /admin/stats) — unless `once_since` is set and `user` already has a download of it
  // recorded at or after that instant (library::CountDownload: once a day). Returns whether
  // it was counted. `user` 0: not known (always counted).
  Result<bool> CountDownload(DocumentId id, UserId user = 0, int64_t once_since = 0);
  // Deletes the document with its pages, comments, jobs, archive-member rows, near-duplicate
  // fingerprint and the near-duplicate matches naming it (either side); documents
  // unpacked from it stay (their parent link is cleared). Who may, and the index entry and
  // files that go after the rows, are library::Delete's. `also` (optional) runs inside the
  // same transaction after those writes (a moderator's audit-log row); its error rolls
  // everything back. Errors: kNotFound.
  Result<DeletedDocument> Delete(DocumentId id, const std::function<Status(Sql&)>& also = nullptr);

  // Every blob hash referenced by a document, and every hash in the blobs table.
  Result<std::vector<std::string>> ReferencedBlobs();
  Result<std::vector<std::string>> RecordedBlobs();
  // Documents whose blob row is missing, documents without pages although ready, etc.:
  // one line per problem, for `wenku check`.
  Result<std::vector<std::string>> RowProblems();
  // Deletes blob rows no document references. Returns the removed hashes.
  Result<std::vector<std::string>> RemoveUnreferencedBlobRows();

  // Shown while the document is processed. Best effort: no error when the document is gone.
  Status SetProgress(DocumentId id, const Progress& progress);
  Status SetDetected(DocumentId id, const std::string& mime_type, const std::string& format);

  // kProcessing -> kReady: replaces the document's pages, sets page count and preview pages,
  // and marks `job_id` done. Errors: kConflict when `worker` no longer holds
  // the job's lease (another worker took it over); nothing is written then.
  // `also` (optional) runs inside the same transaction after those writes — the unit of
  // work of what must happen exactly when the document becomes ready (its near-duplicate
  // fingerprint, its upload reward);
  // its error rolls everything back.
  Status Publish(DocumentId id, int64_t job_id, const std::string& worker,
                 const PublishedPages& result, const std::function<Status(Sql&)>& also = nullptr);
  // The text an ocr job (`job_id`, held by `worker`) recognised: replaces those pages' text
  // and source, clears text_pending and marks the job done; `also` runs in the same
  // transaction (the new fingerprint). Errors: kConflict when the lease was lost.
  Status AmendText(DocumentId id, int64_t job_id, const std::string& worker,
                   const std::vector<Page>& pages,
                   const std::function<Status(Sql&)>& also = nullptr);
  // kProcessing -> kFailed with a reason a person understands; marks `job_id` failed. (Also
  // kReady -> kFailed, from an ocr job: the recognised text copies a taken-down document.)
  // Errors: kConflict as for Publish.
  Status Fail(DocumentId id, int64_t job_id, const std::string& worker, const Error& reason);

  // Moderation (moderation/moderation.hpp owns when), each inside the caller's unit of work.
  // kReady -> kTakenDown with `reason`. Errors: kConflict when it is not ready.
  Status TakeDown(Sql& tx, DocumentId id, const std::string& reason);
  // kTakenDown -> kReady. Errors: kConflict when it is not taken down.
  Status Restore(Sql& tx, DocumentId id);
  // A claim accepted: `owner` owns the document from now on. Errors: kNotFound.
  Status SetOwner(Sql& tx, DocumentId id, UserId owner);
  // A moderator's edit (moderation/document_admin.hpp; the values already checked by
  // library::CheckFields): title, description, category and price. Errors: kNotFound.
  Status SetFields(Sql& tx, DocumentId id, const std::string& title, const std::string& description,
                   const std::string& category, int64_t price);
  Result<Document> Find(Sql& tx, DocumentId id);
  // A review hold released (held_at cleared). False when it was not held.
  Result<bool> Release(Sql& tx, DocumentId id);

  // Pages [from, to] (1-based, inclusive) of a document, in order.
  Result<std::vector<Page>> Pages(DocumentId id, int64_t from, int64_t to);
  // An archive's members, in archive order (empty for other documents).
  Result<std::vector<ArchiveMember>> Members(DocumentId archive_id);

  // A published document's stage timings, in the order the stages ran (none for a document
  // that failed or is not converted yet). RecordTimings replaces them, in `tx` (publish's
  // unit of work).
  Result<std::vector<StageTiming>> Timings(DocumentId id);
  Status RecordTimings(Sql& tx, DocumentId id, const std::vector<StageTiming>& timings);
  // The same members, each with the document made from it and its page 1's size, in one
  // query (the archive's page shows them as a grid).
  Result<std::vector<MemberWithDocument>> MembersWithDocuments(DocumentId archive_id);
  // How many archives up the chain of parents `id` sits (0 for an upload).
  Result<int> NestingDepth(DocumentId id);
  // The upload an archive member came from, through every archive between (`id` itself
  // when it has no parent).
  Result<DocumentId> ArchiveRoot(DocumentId id);
  // How many documents came from the archive `root`: its members, their members, and so on.
  Result<int64_t> CountFromArchive(DocumentId root);
  Result<int64_t> CountFromArchive(Sql& tx, DocumentId root);
  // What `owner` uploaded (documents not from an archive) in the last `window_ms`, and how many of
  // all the owner's documents wait for or are in conversion (queued, processing): the numbers of
  // the upload quotas (library/submit.hpp).
  struct UploadUsage {
    int64_t documents = 0;
    int64_t bytes = 0;
    int64_t open_jobs = 0;
  };
  Result<UploadUsage> UploadUsageOf(UserId owner, int64_t window_ms);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
