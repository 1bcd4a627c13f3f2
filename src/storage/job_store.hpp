// JobStore: the persistent ingest queue. A worker claims a job with a lease (owner name +
// expiry); while it works it extends the lease; a job whose worker died (kill -9) becomes
// claimable again once its lease expires. Each claim counts an attempt; a job claimed more
// than max_attempts times fails its document ("processing was interrupted …"), so a file
// that kills its worker every time cannot loop forever.
// Threading and processes: safe for concurrent use; a claim is one transaction, so two
// workers (threads or processes) never hold the same job.
//
// Two kinds of job share the queue: "ingest" carries a document to ready or failed (its
// claim moves the document to processing); "ocr" is the follow-up that recognises the text
// of a published scan's pages (ingest/ocr_stage.cpp). An ocr job never changes its
// document's state: claimed, retried or out of attempts, the document stays as it is, and
// when the job ends without text (out of attempts) the document's text_pending is cleared.
// Each worker thread claims one kind, so a queue of scans never holds up an upload.
#pragma once

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

inline constexpr const char* kIngestJob = "ingest";
inline constexpr const char* kOcrJob = "ocr";

struct Job {
  int64_t id = 0;
  std::string kind = kIngestJob;
  DocumentId document_id = 0;
  int64_t attempts = 0;  // including this claim
  int64_t max_attempts = 0;
  std::string worker;
};

struct QueueCounts {
  int64_t queued = 0;
  int64_t running = 0;
};

class JobStore {
 public:
  JobStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The oldest claimable job of `kind` (queued and due, or running with an expired lease),
  // now leased to `worker` for `lease_ms`; an ingest job's document moved to `processing`.
  // nullopt when there is none. Jobs out of attempts are failed on the way. Errors: kIo.
  Result<std::optional<Job>> Claim(const std::string& worker, int64_t lease_ms,
                                   const std::string& kind = kIngestJob);
  // Pushes the lease of a job `worker` holds. Errors: kConflict when the lease was lost.
  Status ExtendLease(int64_t job_id, const std::string& worker, int64_t lease_ms);
  // Gives the job back for a later try after a transient error (or fails the document
  // when it is out of attempts). Errors: kConflict when the lease was lost.
  Status Retry(const Job& job, const Error& error, int64_t delay_ms);
  Result<QueueCounts> Counts();
  // Whether job `id` may still be worked on (queued or running); false for a finished or
  // unknown one. Errors: kIo.
  Result<bool> IsOpen(int64_t id);
  // Gives up a follow-up (ocr) job `worker` holds: failed with `error`, its document's
  // text_pending cleared, the document otherwise unchanged. Errors: kConflict (lease lost).
  Status Abandon(const Job& job, const Error& error);
  // A moderator's retry of a failed document (moderation/document_admin.hpp), inside the
  // caller's unit of work: kFailed -> kQueued, its failure cleared, its latest ingest job
  // queued again now with its attempts from 0 (a new job of `max_attempts` when it has none).
  // Errors: kNotFound (no such document), kConflict (it has not failed).
  Status Requeue(Sql& tx, DocumentId document, int max_attempts);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
