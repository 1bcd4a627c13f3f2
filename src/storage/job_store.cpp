#include "storage/job_store.hpp"

#include <spdlog/spdlog.h>

namespace wenku::storage {
namespace {

std::string InterruptedReason(int64_t attempts) {
  return "Processing this file was interrupted " + std::to_string(attempts) +
         " times (the converter stopped without finishing); the file may be damaged or too "
         "large to convert.";
}

}  // namespace

Result<std::optional<Job>> JobStore::Claim(const std::string& worker, int64_t lease_ms,
                                           const std::string& kind) {
  const bool ingest = kind == kIngestJob;
  for (;;) {
    std::optional<Job> job;
    bool exhausted = false;
    int64_t now = clock_.NowMs();
    // SQLite: the transaction holds the one write lock, so two claims cannot pick the same
    // row. PostgreSQL (READ COMMITTED): the subquery would be evaluated once, before the
    // row lock, so a second worker blocked on the row would take the same job after the
    // first committed; FOR UPDATE SKIP LOCKED locks the row the subquery picks and lets the
    // others pass over it to the next one.
    static const std::string kClaimHead =
        "UPDATE jobs SET state = 'running', lease_owner = ?, lease_expires_at = ?, "
        "attempts = attempts + 1, updated_at = ? WHERE id = (SELECT id FROM jobs WHERE kind = ? "
        "AND ((state = 'queued' AND run_after <= ?) OR (state = 'running' AND "
        "lease_expires_at < ?)) ORDER BY id LIMIT 1";
    static const std::string kClaimTail = ") RETURNING id, document_id, attempts, max_attempts";
    static const std::string kClaimSqlite = kClaimHead + kClaimTail;
    static const std::string kClaimPostgres = kClaimHead + " FOR UPDATE SKIP LOCKED" + kClaimTail;
    const std::string& claim = db_.dialect() == Dialect::kPostgres ? kClaimPostgres : kClaimSqlite;
    Status s = db_.Transaction([&](Sql& tx) -> Status {
      auto rows = tx.Query(claim, {worker, now + lease_ms, now, kind, now, now});
      if (!rows.ok()) return rows.error();
      if (rows->empty()) return {};
      const Row& r = rows->front();
      job = Job{r.Int(0), kind, r.Int(1), r.Int(2), r.Int(3), worker};
      if (job->attempts > job->max_attempts) {
        exhausted = true;
        std::string reason = InterruptedReason(job->attempts - 1);
        WENKU_TRY(
            tx.Exec("UPDATE jobs SET state = 'failed', lease_owner = NULL, last_error = ? "
                    "WHERE id = ?",
                    {reason, job->id}));
        if (!ingest) {  // the scan stays published, without the text
          return tx.Exec("UPDATE documents SET text_pending = 0, updated_at = ? WHERE id = ?",
                         {now, job->document_id});
        }
        return tx.Exec(
            "UPDATE documents SET state = 'failed', failure_code = 'conversion_failed', "
            "failure_reason = ?, progress_stage = 'failed', updated_at = ? WHERE id = ?",
            {reason, now, job->document_id});
      }
      if (!ingest) return {};
      return tx.Exec(
          "UPDATE documents SET state = 'processing', progress_stage = 'claimed', updated_at = ? "
          "WHERE id = ?",
          {now, job->document_id});
    });
    if (!s.ok()) return s.error();
    if (exhausted) {
      spdlog::warn("queue: {} job of document {} failed: out of attempts ({})", kind,
                   job->document_id, job->attempts - 1);
      continue;
    }
    return job;
  }
}

Status JobStore::ExtendLease(int64_t job_id, const std::string& worker, int64_t lease_ms) {
  int64_t now = clock_.NowMs();
  auto rows = db_.Query(
      "UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE id = ? AND state = 'running' "
      "AND lease_owner = ? RETURNING id",
      {now + lease_ms, now, job_id, worker});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kConflict, "lease lost");
  return {};
}

Status JobStore::Retry(const Job& job, const Error& error, int64_t delay_ms) {
  int64_t now = clock_.NowMs();
  bool last = job.attempts >= job.max_attempts;
  return db_.Transaction([&](Sql& tx) -> Status {
    auto rows = tx.Query(
        "UPDATE jobs SET state = ?, lease_owner = NULL, lease_expires_at = NULL, run_after = ?, "
        "last_error = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ? "
        "RETURNING id",
        {std::string(last ? "failed" : "queued"), now + delay_ms, error.message, now, job.id,
         job.worker});
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return MakeError(ErrorCode::kConflict, "lease lost");
    if (job.kind != kIngestJob) {  // a follow-up: the document stays as it is
      if (!last) return {};
      return tx.Exec("UPDATE documents SET text_pending = 0, updated_at = ? WHERE id = ?",
                     {now, job.document_id});
    }
    if (last) {
      return tx.Exec(
          "UPDATE documents SET state = 'failed', failure_code = ?, failure_reason = ?, "
          "progress_stage = 'failed', updated_at = ? WHERE id = ?",
          {std::string(ErrorCodeName(error.code)),
           "Processing failed " + std::to_string(job.attempts) + " times: " + error.message, now,
           job.document_id});
    }
    return tx.Exec(
        "UPDATE documents SET state = 'queued', progress_stage = 'retrying', updated_at = ? "
        "WHERE id = ?",
        {now, job.document_id});
  });
}

Status JobStore::Abandon(const Job& job, const Error& error) {
  const int64_t now = clock_.NowMs();
  return db_.Transaction([&](Sql& tx) -> Status {
    auto rows = tx.Query(
        "UPDATE jobs SET state = 'failed', lease_owner = NULL, lease_expires_at = NULL, "
        "last_error = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ? "
        "RETURNING id",
        {error.message, now, job.id, job.worker});
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return MakeError(ErrorCode::kConflict, "lease lost");
    return tx.Exec("UPDATE documents SET text_pending = 0, updated_at = ? WHERE id = ?",
                   {now, job.document_id});
  });
}

Result<bool> JobStore::IsOpen(int64_t id) {
  auto rows = db_.Query("SELECT 1 FROM jobs WHERE id = ? AND state IN ('queued', 'running')", {id});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Result<QueueCounts> JobStore::Counts() {
  auto rows = db_.Query(
      "SELECT SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END) FROM jobs");
  if (!rows.ok()) return rows.error();
  return QueueCounts{rows->front().Int(0), rows->front().Int(1)};
}

Status JobStore::Requeue(Sql& tx, DocumentId document, int max_attempts) {
  const int64_t now = clock_.NowMs();
  auto doc = tx.Query("SELECT state FROM documents WHERE id = ?", {document});
  if (!doc.ok()) return doc.error();
  if (doc->empty())
    return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(document));
  auto rows = tx.Query(
      "UPDATE documents SET state = 'queued', failure_code = NULL, failure_reason = NULL, "
      "progress_stage = 'queued', progress_done = 0, progress_total = 0, updated_at = ? "
      "WHERE id = ? AND state = 'failed' RETURNING id",
      {now, document});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kConflict,
                     "document " + std::to_string(document) + " has not failed");
  }
  auto job = tx.Query(
      "UPDATE jobs SET state = 'queued', attempts = 0, lease_owner = NULL, "
      "lease_expires_at = NULL, run_after = ?, last_error = NULL, updated_at = ? "
      "WHERE id = (SELECT MAX(id) FROM jobs WHERE document_id = ? AND kind = 'ingest') "
      "RETURNING id",
      {now, now, document});
  if (!job.ok()) return job.error();
  if (!job->empty()) return {};
  return tx.Exec(
      "INSERT INTO jobs (document_id, max_attempts, created_at, updated_at) VALUES (?, ?, ?, ?)",
      {document, int64_t{max_attempts}, now, now});
}

}  // namespace wenku::storage
