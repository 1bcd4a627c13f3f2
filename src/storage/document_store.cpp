#include "storage/document_store.hpp"

namespace wenku::storage {
namespace {

constexpr const char* kDocumentColumns =
    "d.id, d.owner_id, u.name, d.blob_sha256, d.filename, d.title, d.description, d.category, "
    "d.price, d.size, d.mime_type, d.format, d.state, d.failure_code, d.failure_reason, "
    "d.page_count, d.preview_pages, d.progress_stage, d.progress_done, d.progress_total, "
    "d.views, d.downloads, d.created_at, d.updated_at, d.parent_id, d.removal_reason, "
    "d.held_at, u.disabled_at, d.text_pending";

// The document in `r` whose kDocumentColumns start at column `at`.
Document ToDocument(const Row& r, size_t at = 0) {
  auto Int = [&](size_t i) { return r.Int(at + i); };
  auto Text = [&](size_t i) { return r.Text(at + i); };
  Document d;
  d.id = Int(0);
  d.owner_id = Int(1);
  d.owner_name = Text(2);
  d.blob_sha256 = Text(3);
  d.filename = Text(4);
  d.title = Text(5);
  d.description = Text(6);
  d.category = Text(7);
  d.price = Int(8);
  d.size = Int(9);
  d.mime_type = Text(10);
  d.format = Text(11);
  d.state = ParseDocState(Text(12)).value_or(DocState::kFailed);
  d.failure_code = Text(13);
  d.failure_reason = Text(14);
  d.page_count = Int(15);
  d.preview_pages = Int(16);
  d.progress = Progress{Text(17), Int(18), Int(19)};
  d.views = Int(20);
  d.downloads = Int(21);
  d.created_at = Int(22);
  d.updated_at = Int(23);
  d.parent_id = Int(24);
  d.removal_reason = Text(25);
  d.held_at = Int(26);
  d.owner_disabled = Int(27) != 0;
  d.text_pending = Int(28) != 0;
  return d;
}

std::vector<std::string> FirstColumn(const Rows& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

// Closes `job_id` for `worker`; kConflict when the worker lost its lease.
Status CloseJob(Sql& tx, int64_t job_id, const std::string& worker, const char* state,
                const std::string& last_error, int64_t now) {
  auto rows = tx.Query(
      "UPDATE jobs SET state = ?, lease_owner = NULL, lease_expires_at = NULL, last_error = ?, "
      "updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ? RETURNING id",
      {std::string(state), last_error.empty() ? Value(nullptr) : Value(last_error), now, job_id,
       worker});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kConflict,
                     "job " + std::to_string(job_id) + " is no longer held by " + worker);
  }
  return {};
}

}  // namespace

Result<CreatedDocument> DocumentStore::Create(const NewDocument& doc,
                                              const std::function<Status(Sql&, DocumentId)>& also) {
  if (doc.title.empty()) return MakeError(ErrorCode::kInvalidInput, "a document needs a title");
  CreatedDocument created;
  int64_t now = clock_.NowMs();
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    WENKU_TRY(
        tx.Exec("INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (sha256) DO NOTHING",
                {doc.blob_sha256, doc.size, now}));
    auto inserted = tx.Query(
        "INSERT INTO documents (owner_id, blob_sha256, filename, title, description, category, "
        "price, size, created_at, updated_at, parent_id, held_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (owner_id, blob_sha256) DO NOTHING RETURNING id",
        {doc.owner_id, doc.blob_sha256, doc.filename, doc.title, doc.description, doc.category,
         doc.price, doc.size, now, now, doc.parent_id ? Value(doc.parent_id) : Value(nullptr),
         doc.held ? Value(now) : Value(nullptr)});
    if (!inserted.ok()) return inserted.error();
    if (inserted->empty()) {
      auto existing = tx.QueryOne("SELECT id FROM documents WHERE owner_id = ? AND blob_sha256 = ?",
                                  {doc.owner_id, doc.blob_sha256});
      if (!existing.ok()) return existing.error();
      created = {existing->Int(0), true};
      return {};
    }
    created = {inserted->front().Int(0), false};
    WENKU_TRY(
        tx.Exec("INSERT INTO jobs (document_id, kind, max_attempts, created_at, updated_at) "
                "VALUES (?, 'ingest', ?, ?, ?)",
                {created.id, int64_t{doc.max_attempts}, now, now}));
    return also ? also(tx, created.id) : Status{};
  });
  if (!s.ok()) return s.error();
  return created;
}

Result<Document> DocumentStore::Find(DocumentId id) { return Find(db_, id); }

Result<std::vector<Document>> DocumentStore::FindMany(const std::vector<DocumentId>& ids) {
  std::vector<Document> out;
  if (ids.empty()) return out;
  std::string sql = std::string("SELECT ") + kDocumentColumns +
                    " FROM documents d JOIN users u ON u.id = d.owner_id WHERE d.id IN (";
  Params params;
  for (DocumentId id : ids) {
    sql += params.empty() ? "?" : ", ?";
    params.push_back(id);
  }
  auto rows = db_.Query(sql + ")", params);
  if (!rows.ok()) return rows.error();
  for (const auto& r : *rows) out.push_back(ToDocument(r));
  return out;
}

Result<bool> DocumentStore::Release(Sql& tx, DocumentId id) {
  auto rows = tx.Query(
      "UPDATE documents SET held_at = NULL, updated_at = ? WHERE id = ? AND held_at IS NOT NULL "
      "RETURNING id",
      {clock_.NowMs(), id});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Result<Document> DocumentStore::Find(Sql& tx, DocumentId id) {
  auto row = tx.QueryOne(std::string("SELECT ") + kDocumentColumns +
                             " FROM documents d JOIN users u ON u.id = d.owner_id WHERE d.id = ?",
                         {id});
  if (!row.ok()) {
    if (row.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(id));
    }
    return row.error();
  }
  return ToDocument(*row);
}

Result<std::vector<Document>> DocumentStore::List(int64_t limit, int64_t offset) {
  auto rows = db_.Query(std::string("SELECT ") + kDocumentColumns +
                            " FROM documents d JOIN users u ON u.id = d.owner_id "
                            "ORDER BY d.created_at DESC, d.id DESC LIMIT ? OFFSET ?",
                        {limit, offset});
  if (!rows.ok()) return rows.error();
  std::vector<Document> out;
  for (const auto& r : *rows) out.push_back(ToDocument(r));
  return out;
}

namespace {

// WHERE clause and parameters of a Browse.
std::string BrowseWhere(const Browse& b, Params* params) {
  std::string where = b.include_unready ? " WHERE d.state <> 'taken_down'"
                                        : " WHERE d.state = 'ready' AND d.held_at IS NULL";
  if (!b.include_disabled_owners) where += " AND u.disabled_at IS NULL";
  if (!b.category.empty()) {
    where += " AND d.category = ?";
    params->push_back(b.category);
  }
  if (b.owner != 0) {
    where += " AND d.owner_id = ?";
    params->push_back(b.owner);
  }
  return where;
}

}  // namespace

Result<std::vector<Document>> DocumentStore::List(const Browse& b) {
  Params params;
  std::string sql = std::string("SELECT ") + kDocumentColumns +
                    " FROM documents d JOIN users u ON u.id = d.owner_id" + BrowseWhere(b, &params);
  sql += b.sort == Browse::Sort::kPopular
             ? " ORDER BY d.views + d.downloads DESC, d.id DESC LIMIT ? OFFSET ?"
             : " ORDER BY d.created_at DESC, d.id DESC LIMIT ? OFFSET ?";
  params.push_back(b.limit);
  params.push_back(b.offset);
  auto rows = db_.Query(sql, params);
  if (!rows.ok()) return rows.error();
  std::vector<Document> out;
  for (const auto& r : *rows) out.push_back(ToDocument(r));
  return out;
}

Result<std::vector<Document>> DocumentStore::Search(const DocumentQuery& q) {
  Params params;
  std::string where;
  auto add = [&](const std::string& clause) {
    where += (where.empty() ? " WHERE " : " AND ") + clause;
  };
  if (!q.text.empty()) {
    std::string pattern = "%";
    for (char c : q.text) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    pattern += "%";
    const bool digits =
        q.text.size() <= 18 && q.text.find_first_not_of("0123456789") == std::string::npos;
    add(std::string("(LOWER(d.title) LIKE ? ESCAPE '\\' OR LOWER(d.filename) LIKE ? ESCAPE '\\'") +
        (digits ? " OR d.id = ?)" : ")"));
    params.push_back(pattern);
    params.push_back(pattern);
    if (digits) params.push_back(static_cast<int64_t>(std::stoll(q.text)));
  }
  if (q.state) {
    add("d.state = ?");
    params.push_back(std::string(DocStateName(*q.state)));
  }
  if (!q.uploader.empty()) {
    add("u.name = ?");
    params.push_back(q.uploader);
  }
  if (!q.category.empty()) {
    add("d.category = ?");
    params.push_back(q.category);
  }
  params.push_back(q.limit);
  params.push_back(q.offset);
  auto rows = db_.Query(std::string("SELECT ") + kDocumentColumns +
                            " FROM documents d JOIN users u ON u.id = d.owner_id" + where +
                            " ORDER BY d.id DESC LIMIT ? OFFSET ?",
                        params);
  if (!rows.ok()) return rows.error();
  std::vector<Document> out;
  for (const auto& r : *rows) out.push_back(ToDocument(r));
  return out;
}

Result<std::vector<DocumentId>> DocumentStore::ReadyIdsAfter(DocumentId after, int64_t limit) {
  auto rows = db_.Query(
      "SELECT d.id FROM documents d JOIN users u ON u.id = d.owner_id WHERE d.state = 'ready' "
      "AND d.held_at IS NULL AND u.disabled_at IS NULL AND d.id > ? ORDER BY d.id LIMIT ?",
      {after, limit});
  if (!rows.ok()) return rows.error();
  std::vector<DocumentId> ids;
  for (const auto& r : *rows) ids.push_back(r.Int(0));
  return ids;
}

Result<std::vector<DocumentId>> DocumentStore::ReadyIdsOfOwner(UserId owner) {
  auto rows = db_.Query(
      "SELECT id FROM documents WHERE state = 'ready' AND owner_id = ? ORDER BY id", {owner});
  if (!rows.ok()) return rows.error();
  std::vector<DocumentId> ids;
  for (const auto& r : *rows) ids.push_back(r.Int(0));
  return ids;
}

Result<int64_t> DocumentStore::CountReady() {
  auto row = db_.QueryOne(
      "SELECT COUNT(*) FROM documents d JOIN users u ON u.id = d.owner_id WHERE d.state = 'ready' "
      "AND d.held_at IS NULL AND u.disabled_at IS NULL",
      {});
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<DocumentId> DocumentStore::MaxId() {
  auto row = db_.QueryOne("SELECT COALESCE(MAX(id), 0) FROM documents");
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<std::vector<SitemapEntry>> DocumentStore::SitemapEntries(DocumentId after,
                                                                DocumentId up_to) {
  auto rows = db_.Query(
      "SELECT d.id, d.updated_at FROM documents d JOIN users u ON u.id = d.owner_id "
      "WHERE d.id > ? AND d.id <= ? AND d.state = 'ready' AND d.held_at IS NULL "
      "AND u.disabled_at IS NULL ORDER BY d.id",
      {after, up_to});
  if (!rows.ok()) return rows.error();
  std::vector<SitemapEntry> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back({r.Int(0), r.Int(1)});
  return out;
}

Result<int64_t> DocumentStore::Count(const Browse& b) {
  Params params;
  std::string sql = "SELECT COUNT(*) FROM documents d JOIN users u ON u.id = d.owner_id" +
                    BrowseWhere(b, &params);
  auto row = db_.QueryOne(sql, params);
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<std::vector<std::pair<std::string, int64_t>>> DocumentStore::CategoryCounts() {
  auto rows = db_.Query(
      "SELECT d.category, COUNT(*) FROM documents d JOIN users u ON u.id = d.owner_id "
      "WHERE d.state = 'ready' AND d.held_at IS NULL AND u.disabled_at IS NULL "
      "AND d.category <> '' "
      "GROUP BY d.category ORDER BY 2 DESC, 1");
  if (!rows.ok()) return rows.error();
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& r : *rows) out.emplace_back(r.Text(0), r.Int(1));
  return out;
}

Status DocumentStore::AddViews(const std::vector<std::pair<DocumentId, int64_t>>& views) {
  if (views.empty()) return {};
  return db_.Transaction([&](Sql& tx) -> Status {
    for (const auto& [id, n] : views) {
      WENKU_TRY(tx.Exec("UPDATE documents SET views = views + ? WHERE id = ?", {n, id}));
    }
    return {};
  });
}

Result<bool> DocumentStore::CountDownload(DocumentId id, UserId user, int64_t once_since) {
  bool counted = false;
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    if (user != 0 && once_since != 0) {
      auto seen = tx.QueryOne(
          "SELECT COUNT(*) FROM downloads WHERE document_id = ? AND user_id = ? "
          "AND created_at >= ?",
          {id, user, once_since});
      if (!seen.ok()) return seen.error();
      if (seen->Int(0) > 0) return {};
    }
    WENKU_TRY(tx.Exec("UPDATE documents SET downloads = downloads + 1 WHERE id = ?", {id}));
    WENKU_TRY(tx.Exec("INSERT INTO downloads (document_id, user_id, created_at) VALUES (?, ?, ?)",
                      {id, user ? Value(user) : Value(nullptr), clock_.NowMs()}));
    counted = true;
    return {};
  });
  if (!s.ok()) return s.error();
  return counted;
}

Result<DeletedDocument> DocumentStore::Delete(DocumentId id,
                                              const std::function<Status(Sql&)>& also) {
  DeletedDocument out;
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    auto doc = tx.QueryOne("SELECT blob_sha256 FROM documents WHERE id = ?", {id});
    if (!doc.ok()) {
      if (doc.error().code == ErrorCode::kNotFound) {
        return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(id));
      }
      return doc.error();
    }
    std::string sha = doc->Text(0);
    WENKU_TRY(tx.Exec("UPDATE documents SET parent_id = NULL WHERE parent_id = ?", {id}));
    WENKU_TRY(
        tx.Exec("UPDATE archive_members SET document_id = NULL, note = 'deleted' "
                "WHERE document_id = ?",
                {id}));
    WENKU_TRY(tx.Exec("DELETE FROM archive_members WHERE archive_id = ?", {id}));
    WENKU_TRY(tx.Exec("DELETE FROM comments WHERE document_id = ?", {id}));
    WENKU_TRY(tx.Exec("DELETE FROM jobs WHERE document_id = ?", {id}));
    WENKU_TRY(tx.Exec("DELETE FROM pages WHERE document_id = ?", {id}));
    WENKU_TRY(tx.Exec("DELETE FROM near_duplicates WHERE document_id = ? OR other_document_id = ?",
                      {id, id}));
    WENKU_TRY(tx.Exec("DELETE FROM fingerprint_bands WHERE document_id = ?", {id}));
    WENKU_TRY(tx.Exec("DELETE FROM fingerprints WHERE document_id = ?", {id}));
    WENKU_TRY(tx.Exec("DELETE FROM documents WHERE id = ?", {id}));
    auto users = tx.QueryOne("SELECT COUNT(*) FROM documents WHERE blob_sha256 = ?", {sha});
    if (!users.ok()) return users.error();
    if (users->Int(0) == 0) {
      WENKU_TRY(tx.Exec("DELETE FROM blobs WHERE sha256 = ?", {sha}));
      out.unreferenced_blob = sha;
    }
    return also ? also(tx) : Status();
  });
  if (!s.ok()) return s.error();
  return out;
}

Result<std::vector<std::string>> DocumentStore::ReferencedBlobs() {
  auto rows = db_.Query("SELECT DISTINCT blob_sha256 FROM documents ORDER BY 1");
  if (!rows.ok()) return rows.error();
  return FirstColumn(*rows);
}

Result<std::vector<std::string>> DocumentStore::RecordedBlobs() {
  auto rows = db_.Query("SELECT sha256 FROM blobs ORDER BY 1");
  if (!rows.ok()) return rows.error();
  return FirstColumn(*rows);
}

Result<std::vector<std::string>> DocumentStore::RowProblems() {
  std::vector<std::string> problems;
  auto ready_without_pages = db_.Query(
      "SELECT d.id FROM documents d WHERE d.state = 'ready' AND d.page_count <> "
      "(SELECT COUNT(*) FROM pages p WHERE p.document_id = d.id)");
  if (!ready_without_pages.ok()) return ready_without_pages.error();
  for (const auto& r : *ready_without_pages) {
    problems.push_back("document " + r.Text(0) +
                       " is ready but its page rows do not match its page count");
  }
  auto without_job = db_.Query(
      "SELECT d.id FROM documents d WHERE d.state IN ('queued', 'processing') AND NOT EXISTS "
      "(SELECT 1 FROM jobs j WHERE j.document_id = d.id AND j.kind = 'ingest' AND j.state IN "
      "('queued', 'running'))");
  if (!without_job.ok()) return without_job.error();
  for (const auto& r : *without_job) {
    problems.push_back("document " + r.Text(0) + " is waiting but has no open ingest job");
  }
  auto duplicate_jobs = db_.Query(
      "SELECT document_id, kind FROM jobs WHERE state IN ('queued', 'running') GROUP BY "
      "document_id, kind HAVING COUNT(*) > 1");
  if (!duplicate_jobs.ok()) return duplicate_jobs.error();
  for (const auto& r : *duplicate_jobs) {
    problems.push_back("document " + r.Text(0) + " has more than one open " + r.Text(1) + " job");
  }
  auto pending_without_job = db_.Query(
      "SELECT d.id FROM documents d WHERE d.text_pending <> 0 AND NOT EXISTS (SELECT 1 FROM "
      "jobs j WHERE j.document_id = d.id AND j.kind = 'ocr' AND j.state IN ('queued', "
      "'running'))");
  if (!pending_without_job.ok()) return pending_without_job.error();
  for (const auto& r : *pending_without_job) {
    problems.push_back("document " + r.Text(0) +
                       " waits for text recognition but has no open ocr job");
  }
  return problems;
}

Result<std::vector<std::string>> DocumentStore::RemoveUnreferencedBlobRows() {
  auto rows = db_.Query(
      "DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.blob_sha256 = "
      "blobs.sha256) RETURNING sha256");
  if (!rows.ok()) return rows.error();
  return FirstColumn(*rows);
}

Status DocumentStore::SetProgress(DocumentId id, const Progress& p) {
  return db_.Exec(
      "UPDATE documents SET progress_stage = ?, progress_done = ?, progress_total = ?, "
      "updated_at = ? WHERE id = ?",
      {p.stage, p.done, p.total, clock_.NowMs(), id});
}

Status DocumentStore::SetDetected(DocumentId id, const std::string& mime_type,
                                  const std::string& format) {
  return db_.Exec("UPDATE documents SET mime_type = ?, format = ?, updated_at = ? WHERE id = ?",
                  {mime_type, format, clock_.NowMs(), id});
}

Status DocumentStore::Publish(DocumentId id, int64_t job_id, const std::string& worker,
                              const PublishedPages& result,
                              const std::function<Status(Sql&)>& also) {
  int64_t now = clock_.NowMs();
  auto count = static_cast<int64_t>(result.pages.size());
  return db_.Transaction([&](Sql& tx) -> Status {
    WENKU_TRY(CloseJob(tx, job_id, worker, "done", "", now));
    WENKU_TRY(tx.Exec("DELETE FROM pages WHERE document_id = ?", {id}));
    WENKU_TRY(tx.Exec("DELETE FROM archive_members WHERE archive_id = ?", {id}));
    for (const ArchiveMember& m : result.members) {
      WENKU_TRY(
          tx.Exec("INSERT INTO archive_members (archive_id, idx, path, size, document_id, note) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
                  {id, m.idx, m.path, m.size, m.document_id ? Value(m.document_id) : Value(nullptr),
                   m.note.empty() ? Value(nullptr) : Value(m.note)}));
    }
    for (const Page& p : result.pages) {
      WENKU_TRY(tx.Exec(
          "INSERT INTO pages (document_id, n, text, text_source, width_pt, height_pt) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          {id, p.n, p.text, std::string(TextSourceName(p.source)), p.width_pt, p.height_pt}));
    }
    WENKU_TRY(
        tx.Exec("UPDATE documents SET state = 'ready', page_count = ?, preview_pages = ?, "
                "failure_code = NULL, failure_reason = NULL, progress_stage = 'done', "
                "progress_done = ?, progress_total = ?, text_pending = ?, updated_at = ? "
                "WHERE id = ?",
                {count, result.preview_pages, count, count, int64_t{result.recognise_text ? 1 : 0},
                 now, id}));
    if (!result.description.empty()) {
      WENKU_TRY(
          tx.Exec("UPDATE documents SET description = ? WHERE id = ? AND "
                  "(description IS NULL OR description = '')",
                  {result.description, id}));
    }
    // An earlier publication's recognition still open is superseded (its worker's lease
    // check then fails: it writes nothing).
    WENKU_TRY(
        tx.Exec("UPDATE jobs SET state = 'failed', lease_owner = NULL, last_error = 'superseded', "
                "updated_at = ? WHERE document_id = ? AND kind = 'ocr' AND state IN ('queued', "
                "'running')",
                {now, id}));
    if (result.recognise_text) {
      WENKU_TRY(
          tx.Exec("INSERT INTO jobs (document_id, kind, max_attempts, created_at, updated_at) "
                  "SELECT document_id, 'ocr', max_attempts, ?, ? FROM jobs WHERE id = ?",
                  {now, now, job_id}));
    }
    if (also) return also(tx);
    return {};
  });
}

Status DocumentStore::AmendText(DocumentId id, int64_t job_id, const std::string& worker,
                                const std::vector<Page>& pages,
                                const std::function<Status(Sql&)>& also) {
  const int64_t now = clock_.NowMs();
  return db_.Transaction([&](Sql& tx) -> Status {
    WENKU_TRY(CloseJob(tx, job_id, worker, "done", "", now));
    for (const Page& p : pages) {
      WENKU_TRY(
          tx.Exec("UPDATE pages SET text = ?, text_source = ? WHERE document_id = ? AND n = ?",
                  {p.text, std::string(TextSourceName(p.source)), id, p.n}));
    }
    WENKU_TRY(
        tx.Exec("UPDATE documents SET text_pending = 0, updated_at = ? WHERE id = ?", {now, id}));
    if (also) return also(tx);
    return {};
  });
}

Status DocumentStore::TakeDown(Sql& tx, DocumentId id, const std::string& reason) {
  auto rows = tx.Query(
      "UPDATE documents SET state = 'taken_down', removal_reason = ?, updated_at = ? "
      "WHERE id = ? AND state = 'ready' RETURNING id",
      {reason, clock_.NowMs(), id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kConflict, "document " + std::to_string(id) + " is not ready");
  }
  return {};
}

Status DocumentStore::Restore(Sql& tx, DocumentId id) {
  auto rows = tx.Query(
      "UPDATE documents SET state = 'ready', removal_reason = NULL, updated_at = ? "
      "WHERE id = ? AND state = 'taken_down' RETURNING id",
      {clock_.NowMs(), id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kConflict, "document " + std::to_string(id) + " is not taken down");
  }
  return {};
}

Status DocumentStore::SetFields(Sql& tx, DocumentId id, const std::string& title,
                                const std::string& description, const std::string& category,
                                int64_t price) {
  auto rows = tx.Query(
      "UPDATE documents SET title = ?, description = ?, category = ?, price = ?, updated_at = ? "
      "WHERE id = ? RETURNING id",
      {title, description, category, price, clock_.NowMs(), id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(id));
  return {};
}

Status DocumentStore::SetOwner(Sql& tx, DocumentId id, UserId owner) {
  auto rows =
      tx.Query("UPDATE documents SET owner_id = ?, updated_at = ? WHERE id = ? RETURNING id",
               {owner, clock_.NowMs(), id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(id));
  return {};
}

Status DocumentStore::Fail(DocumentId id, int64_t job_id, const std::string& worker,
                           const Error& reason) {
  int64_t now = clock_.NowMs();
  return db_.Transaction([&](Sql& tx) -> Status {
    WENKU_TRY(CloseJob(tx, job_id, worker, "failed", reason.message, now));
    return tx.Exec(
        "UPDATE documents SET state = 'failed', failure_code = ?, failure_reason = ?, "
        "progress_stage = 'failed', text_pending = 0, updated_at = ? WHERE id = ?",
        {std::string(ErrorCodeName(reason.code)), reason.message, now, id});
  });
}

Result<std::vector<ArchiveMember>> DocumentStore::Members(DocumentId archive_id) {
  auto rows = db_.Query(
      "SELECT idx, path, size, document_id, note FROM archive_members WHERE archive_id = ? ORDER "
      "BY idx",
      {archive_id});
  if (!rows.ok()) return rows.error();
  std::vector<ArchiveMember> out;
  for (const auto& r : *rows)
    out.push_back(ArchiveMember{r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Text(4)});
  return out;
}

Result<std::vector<MemberWithDocument>> DocumentStore::MembersWithDocuments(DocumentId archive_id) {
  auto rows =
      db_.Query(std::string("SELECT m.idx, m.path, m.size, m.document_id, m.note, p.width_pt, "
                            "p.height_pt, ") +
                    kDocumentColumns +
                    " FROM archive_members m LEFT JOIN documents d ON d.id = m.document_id "
                    "LEFT JOIN users u ON u.id = d.owner_id "
                    "LEFT JOIN pages p ON p.document_id = d.id AND p.n = 1 "
                    "WHERE m.archive_id = ? ORDER BY m.idx",
                {archive_id});
  if (!rows.ok()) return rows.error();
  constexpr size_t kDocumentAt = 7;
  std::vector<MemberWithDocument> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    MemberWithDocument m;
    m.member = ArchiveMember{r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Text(4)};
    if (!r.IsNull(kDocumentAt)) {
      m.document = ToDocument(r, kDocumentAt);
      m.page1_width_pt = r.Int(5);
      m.page1_height_pt = r.Int(6);
    }
    out.push_back(std::move(m));
  }
  return out;
}

Result<int> DocumentStore::NestingDepth(DocumentId id) {
  int depth = 0;
  for (DocumentId at = id; depth < 64; ++depth) {
    auto row = db_.QueryOne("SELECT parent_id FROM documents WHERE id = ?", {at});
    if (!row.ok()) return row.error();
    if (row->IsNull(0) || row->Int(0) == at) break;
    at = row->Int(0);
  }
  return depth;
}

Result<DocumentId> DocumentStore::ArchiveRoot(DocumentId id) {
  DocumentId at = id;
  for (int depth = 0; depth < 64; ++depth) {
    auto row = db_.QueryOne("SELECT parent_id FROM documents WHERE id = ?", {at});
    if (!row.ok()) return row.error();
    if (row->IsNull(0) || row->Int(0) == at) break;
    at = row->Int(0);
  }
  return at;
}

Result<int64_t> DocumentStore::CountFromArchive(DocumentId root) {
  return CountFromArchive(db_, root);
}

Result<int64_t> DocumentStore::CountFromArchive(Sql& tx, DocumentId root) {
  auto row = tx.QueryOne(
      "WITH RECURSIVE tree (id) AS (SELECT id FROM documents WHERE parent_id = ? "
      "UNION ALL SELECT d.id FROM documents d JOIN tree t ON d.parent_id = t.id) "
      "SELECT COUNT(*) FROM tree",
      {root});
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<DocumentStore::UploadUsage> DocumentStore::UploadUsageOf(UserId owner, int64_t window_ms) {
  const int64_t since_ms = clock_.NowMs() - window_ms;
  auto uploaded = db_.QueryOne(
      "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM documents "
      "WHERE owner_id = ? AND created_at >= ? AND parent_id IS NULL",
      {owner, since_ms});
  if (!uploaded.ok()) return uploaded.error();
  auto open = db_.QueryOne(
      "SELECT COUNT(*) FROM documents WHERE owner_id = ? AND state IN ('queued', 'processing')",
      {owner});
  if (!open.ok()) return open.error();
  return UploadUsage{uploaded->Int(0), uploaded->Int(1), open->Int(0)};
}

Result<std::vector<Page>> DocumentStore::Pages(DocumentId id, int64_t from, int64_t to) {
  auto rows = db_.Query(
      "SELECT n, text, text_source, width_pt, height_pt FROM pages WHERE document_id = ? AND n "
      ">= ? AND n <= ? ORDER BY n",
      {id, from, to});
  if (!rows.ok()) return rows.error();
  std::vector<Page> pages;
  pages.reserve(rows->size());
  for (const auto& r : *rows) {
    std::string src = r.Text(2);
    TextSource source = src == "ocr"    ? TextSource::kOcr
                        : src == "none" ? TextSource::kNone
                                        : TextSource::kLayer;
    pages.push_back(Page{r.Int(0), r.Text(1), source, r.Int(3), r.Int(4)});
  }
  return pages;
}

Result<std::vector<StageTiming>> DocumentStore::Timings(DocumentId id) {
  auto rows =
      db_.Query("SELECT stage, micros FROM stage_timings WHERE document_id = ? ORDER BY seq", {id});
  if (!rows.ok()) return rows.error();
  std::vector<StageTiming> out;
  for (const auto& r : *rows) out.push_back({r.Text(0), r.Int(1)});
  return out;
}

Status DocumentStore::RecordTimings(Sql& tx, DocumentId id,
                                    const std::vector<StageTiming>& timings) {
  WENKU_TRY(tx.Exec("DELETE FROM stage_timings WHERE document_id = ?", {id}));
  int64_t seq = 0;
  for (const auto& t : timings) {
    WENKU_TRY(
        tx.Exec("INSERT INTO stage_timings (document_id, seq, stage, micros) VALUES (?, ?, ?, ?)",
                {id, ++seq, t.stage, t.micros}));
  }
  return {};
}

}  // namespace wenku::storage
