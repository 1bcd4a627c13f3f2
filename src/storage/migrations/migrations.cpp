#include <spdlog/spdlog.h>

#include <chrono>
#include <string>

#include "storage/migrations.hpp"

namespace wenku::storage {
namespace {

struct Migration {
  int version;
  const char* name;
  // {{ID}} is the dialect's auto-increment primary key; {{APPEND_ONLY table}} makes the
  // dialect refuse every UPDATE and DELETE of the table's rows (SQLite: triggers that
  // RAISE(ABORT); PostgreSQL: a trigger function that raises).
  const char* sql;
};

// Append only. Times are epoch milliseconds (BIGINT); states are checked lists.
constexpr Migration kMigrations[] = {
    {1, "initial: users, blobs, documents, pages, jobs", R"SQL(
CREATE TABLE users (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
  password_hash TEXT,
  created_at BIGINT NOT NULL
);
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE documents (
  id {{ID}},
  owner_id BIGINT NOT NULL REFERENCES users(id),
  blob_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  filename TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  price BIGINT NOT NULL DEFAULT 0,
  size BIGINT NOT NULL,
  mime_type TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'processing', 'ready', 'failed', 'taken_down')),
  failure_code TEXT,
  failure_reason TEXT,
  page_count BIGINT NOT NULL DEFAULT 0,
  preview_pages BIGINT NOT NULL DEFAULT 0,
  progress_stage TEXT NOT NULL DEFAULT 'queued',
  progress_done BIGINT NOT NULL DEFAULT 0,
  progress_total BIGINT NOT NULL DEFAULT 0,
  text_simhash TEXT,
  views BIGINT NOT NULL DEFAULT 0,
  downloads BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (owner_id, blob_sha256)
);
CREATE INDEX documents_by_state ON documents (state, created_at);
CREATE TABLE pages (
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  n BIGINT NOT NULL,
  text TEXT NOT NULL,
  text_source TEXT NOT NULL DEFAULT 'layer' CHECK (text_source IN ('layer', 'ocr', 'none')),
  width_pt BIGINT NOT NULL DEFAULT 0,
  height_pt BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (document_id, n)
);
CREATE TABLE jobs (
  id {{ID}},
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL DEFAULT 'ingest',
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts BIGINT NOT NULL DEFAULT 0,
  max_attempts BIGINT NOT NULL,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  run_after BIGINT NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_by_state ON jobs (state, run_after);
CREATE INDEX jobs_by_document ON jobs (document_id);
)SQL"},
    {2, "archives: members and the archive a document came from", R"SQL(
ALTER TABLE documents ADD COLUMN parent_id BIGINT REFERENCES documents(id);
CREATE TABLE archive_members (
  archive_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx BIGINT NOT NULL,
  path TEXT NOT NULL,
  size BIGINT NOT NULL,
  document_id BIGINT REFERENCES documents(id),
  note TEXT,
  PRIMARY KEY (archive_id, idx)
);
)SQL"},
    {3, "website: sessions, comments, browse indexes", R"SQL(
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE comments (
  id {{ID}},
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX comments_by_document ON comments (document_id, created_at);
CREATE INDEX documents_by_owner ON documents (owner_id, created_at);
CREATE INDEX documents_by_category ON documents (category, state, created_at);
)SQL"},
    {4, "points: the ledger (accounts, transactions, entries) and entitlements", R"SQL(
CREATE TABLE ledger_accounts (
  id {{ID}},
  kind TEXT NOT NULL
    CHECK (kind IN ('wallet', 'pending', 'platform_revenue', 'platform_grants')),
  user_id BIGINT REFERENCES users(id),
  balance BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  CHECK ((kind IN ('wallet', 'pending')) = (user_id IS NOT NULL)),
  UNIQUE (kind, user_id)
);
CREATE UNIQUE INDEX ledger_accounts_platform ON ledger_accounts (kind) WHERE user_id IS NULL;
INSERT INTO ledger_accounts (kind, user_id, balance, created_at) VALUES
  ('platform_revenue', NULL, 0, 0), ('platform_grants', NULL, 0, 0);
CREATE TABLE ledger_transactions (
  id {{ID}},
  kind TEXT NOT NULL CHECK (kind IN ('signup_bonus', 'checkin', 'upload_reward', 'purchase',
                                     'settle', 'refund', 'grant', 'reversal')),
  idempotency_key TEXT NOT NULL UNIQUE,
  user_id BIGINT REFERENCES users(id),
  document_id BIGINT,
  related_tx BIGINT UNIQUE REFERENCES ledger_transactions(id),
  memo TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX ledger_transactions_by_document ON ledger_transactions (document_id, kind);
CREATE TABLE ledger_entries (
  id {{ID}},
  tx_id BIGINT NOT NULL REFERENCES ledger_transactions(id),
  account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  amount BIGINT NOT NULL CHECK (amount <> 0),
  balance_after BIGINT NOT NULL
);
CREATE INDEX ledger_entries_by_tx ON ledger_entries (tx_id);
CREATE INDEX ledger_entries_by_account ON ledger_entries (account_id, id);
{{APPEND_ONLY ledger_transactions}}
{{APPEND_ONLY ledger_entries}}
CREATE TABLE entitlements (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  tx_id BIGINT NOT NULL REFERENCES ledger_transactions(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, document_id)
);
)SQL"},
    {5, "moderation: cases (reports, claims, near-duplicates), the audit log, notifications", R"SQL(
CREATE TABLE cases (
  id {{ID}},
  type TEXT NOT NULL CHECK (type IN ('report', 'claim', 'near_duplicate')),
  document_id BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'dismissed', 'taken_down', 'accepted', 'rejected')),
  reason TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  work TEXT NOT NULL DEFAULT '',
  rights_holder TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  proof_sha256 TEXT,
  reporter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  other_document_id BIGINT,
  similarity BIGINT,
  created_at BIGINT NOT NULL,
  decided_at BIGINT,
  decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cases_by_state ON cases (state, id);
CREATE INDEX cases_by_document ON cases (document_id, id);
CREATE TABLE audit_log (
  id {{ID}},
  actor_id BIGINT,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  case_id BIGINT,
  document_id BIGINT,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX audit_by_document ON audit_log (document_id, id);
CREATE INDEX audit_by_case ON audit_log (case_id, id);
{{APPEND_ONLY audit_log}}
CREATE TABLE notifications (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  document_id BIGINT,
  case_id BIGINT,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
ALTER TABLE documents ADD COLUMN removal_reason TEXT;
)SQL"},
    {6, "near-duplicates: text signatures, their LSH band buckets, the matches found", R"SQL(
-- Replaces the SimHash: documents.text_simhash (migration 1) is no longer written or read.
CREATE TABLE fingerprints (
  document_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  scheme BIGINT NOT NULL,
  signature TEXT NOT NULL,
  characters BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE fingerprint_bands (
  band BIGINT NOT NULL,
  bucket BIGINT NOT NULL,
  document_id BIGINT NOT NULL REFERENCES fingerprints(document_id) ON DELETE CASCADE,
  PRIMARY KEY (band, bucket, document_id)
);
CREATE INDEX fingerprint_bands_by_document ON fingerprint_bands (document_id);
CREATE TABLE near_duplicates (
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  other_document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  similarity BIGINT NOT NULL CHECK (similarity BETWEEN 0 AND 100),
  same_owner BIGINT NOT NULL CHECK (same_owner IN (0, 1)),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, other_document_id)
);
CREATE INDEX near_duplicates_by_other ON near_duplicates (other_document_id);
)SQL"},
    {7, "admin users: disabled accounts, audit entries about a user", R"SQL(
-- A disabled account (disabled_at set) cannot log in, has no sessions, and its documents are
-- hidden from everyone but moderators (library::CheckView). NULL: enabled.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
ALTER TABLE users ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX users_by_role ON users (role, id);
-- The user an audit entry is about (role changes, disabling, grants); NULL for others.
ALTER TABLE audit_log ADD COLUMN user_id BIGINT;
CREATE INDEX audit_by_user ON audit_log (user_id, id);
)SQL"},
    {8, "categories: the list documents are filed under, editable by admins", R"SQL(
-- Was a fixed list in the code (library/categories.cpp); seeded with it, in its order.
-- documents.category holds a slug; a hidden category keeps its documents.
CREATE TABLE categories (
  slug TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  position BIGINT NOT NULL,
  hidden BIGINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO categories (slug, name_zh, name_en, position, hidden, created_at, updated_at) VALUES
  ('education', '教育', 'Education', 0, 0, 0, 0),
  ('exam', '考试', 'Exams', 1, 0, 0, 0),
  ('business', '经管营销', 'Business', 2, 0, 0, 0),
  ('technology', 'IT 技术', 'Technology', 3, 0, 0, 0),
  ('engineering', '工程科技', 'Engineering', 4, 0, 0, 0),
  ('medicine', '医药卫生', 'Medicine', 5, 0, 0, 0),
  ('law', '法律', 'Law', 6, 0, 0, 0),
  ('literature', '文学', 'Literature', 7, 0, 0, 0),
  ('guides', '使用指南', 'Guides', 8, 0, 0, 0),
  ('other', '其他', 'Other', 9, 0, 0, 0);
)SQL"},
    {9, "settings: runtime settings an admin changed (their history: audit_log)", R"SQL(
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  updated_at BIGINT NOT NULL
);
)SQL"},
    {10, "downloads: one row per download, for the daily statistics (/admin/stats)", R"SQL(
CREATE TABLE downloads (
  id {{ID}},
  document_id BIGINT NOT NULL,
  user_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX downloads_by_time ON downloads (created_at);
CREATE INDEX documents_by_created ON documents (created_at);
CREATE INDEX ledger_transactions_by_kind ON ledger_transactions (kind, created_at);
)SQL"},
    {11, "review holds: documents and comments held for a moderator (sensitive words)", R"SQL(
ALTER TABLE documents ADD COLUMN held_at BIGINT;
ALTER TABLE comments ADD COLUMN held_at BIGINT;
ALTER TABLE cases ADD COLUMN comment_id BIGINT;
)SQL"},
    {12, "sessions: when a session was last used (idle timeout, accounts/accounts.hpp)", R"SQL(
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
)SQL"},
    {13, "users: the look-alike key of a name (accounts/user_names.hpp), one account per key",
     R"SQL(
-- The skeleton is computed by ICU, which SQL cannot call: rows made before this migration
-- keep NULL here until Accounts::FillNameSkeletons (run by every start of wenku) fills them.
-- A unique index allows many NULLs (SQLite and PostgreSQL alike): two old look-alike names
-- cannot both hold their skeleton, so the younger keeps NULL (and is logged at each start).
ALTER TABLE users ADD COLUMN name_skeleton TEXT;
CREATE UNIQUE INDEX users_by_name_skeleton ON users (name_skeleton);
)SQL"},
    {14, "API tokens: separate, revocable credentials for API clients (accounts/api_tokens.hpp)",
     R"SQL(
-- Only the SHA-256 of a token is kept: a copy of the database lets nobody call the API.
-- A revoked token keeps its row (revoked_at set) so the owner's history stays whole; it is
-- never found again. last_used_at 0: never used.
CREATE TABLE api_tokens (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL DEFAULT 0,
  revoked_at BIGINT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);
)SQL"},
    {15, "archive members by their archive (one budget for an archive and all inside it)",
     R"SQL(
CREATE INDEX documents_by_parent ON documents (parent_id);
)SQL"},
    {18, "library marks: a library's own id, and what a copy (wenku migrate-to) has done",
     R"SQL(
-- storage/table_copy.hpp: 'library_id' (made once), on a copy's target 'copied_from' (the
-- source's id), 'copied_table:<name>' per finished table, 'copy_verified_at'. Never copied.
CREATE TABLE library_marks (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
)SQL"},
    {19, "change counters shared by every node (the page cache's invalidation, web/cache_sync.hpp)",
     R"SQL(
CREATE TABLE change_counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
)SQL"},
    {20, "how long each ingest stage took for a published document (wenku show --json: timings)",
     R"SQL(
CREATE TABLE stage_timings (
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  stage TEXT NOT NULL,
  micros BIGINT NOT NULL,
  PRIMARY KEY (document_id, seq)
);
)SQL"},
    {21, "scans publish first: text recognition as a follow-up job (jobs.kind 'ocr')", R"SQL(
ALTER TABLE documents ADD COLUMN text_pending BIGINT NOT NULL DEFAULT 0;
CREATE INDEX jobs_by_kind ON jobs (kind, state, run_after);
)SQL"},
    {22, "the files `wenku import` stored, by path, size and mtime (a second run skips them)",
     R"SQL(
-- storage/import_file_store.hpp: one row per owner and absolute path (not valid UTF-8:
-- 'x:' and the bytes in hex); gone with its document.
CREATE TABLE import_files (
  owner_id BIGINT NOT NULL REFERENCES users(id),
  path TEXT NOT NULL,
  size BIGINT NOT NULL,
  mtime_ns BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (owner_id, path)
);
CREATE INDEX import_files_by_document ON import_files (document_id);
)SQL"},
};

std::string AppendOnly(const std::string& table, Dialect dialect) {
  if (dialect == Dialect::kSqlite) {
    std::string out;
    for (const char* op : {"UPDATE", "DELETE"}) {
      out += "CREATE TRIGGER " + table + "_no_" + op + " BEFORE " + op + " ON " + table +
             " BEGIN SELECT RAISE(ABORT, '" + table + " is append-only: " + op +
             " refused'); END;\n";
    }
    return out;
  }
  return "CREATE OR REPLACE FUNCTION wenku_append_only() RETURNS trigger LANGUAGE plpgsql AS "
         "$$ BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$;\n"
         "CREATE TRIGGER " +
         table + "_append_only BEFORE UPDATE OR DELETE ON " + table +
         " FOR EACH ROW EXECUTE FUNCTION wenku_append_only();\n";
}

std::string ForDialect(std::string sql, Dialect dialect) {
  const std::string id = dialect == Dialect::kSqlite
                             ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                             : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  for (size_t pos; (pos = sql.find("{{ID}}")) != std::string::npos;) sql.replace(pos, 6, id);
  const std::string append_only = "{{APPEND_ONLY ";
  for (size_t pos; (pos = sql.find(append_only)) != std::string::npos;) {
    size_t end = sql.find("}}", pos);
    std::string table = sql.substr(pos + append_only.size(), end - pos - append_only.size());
    sql.replace(pos, end + 2 - pos, AppendOnly(table, dialect));
  }
  return sql;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Several processes may start at once on one database (web nodes, workers). SQLite's
// BEGIN IMMEDIATE already lets one migrate at a time; PostgreSQL's transactions would both
// read the old version and both run the migration, so each takes one advisory lock first
// (held until its transaction ends). The key is arbitrary, fixed: "wenku" in ASCII.
Status SerializeMigrations(Sql& tx, Dialect dialect) {
  if (dialect != Dialect::kPostgres) return {};
  return tx.Exec("SELECT pg_advisory_xact_lock(512802843509)");
}

}  // namespace

int LatestSchemaVersion() { return std::end(kMigrations)[-1].version; }

Result<int> Migrate(Database& db) {
  WENKU_TRY(db.Transaction([&](Sql& tx) -> Status {
    WENKU_TRY(SerializeMigrations(tx, db.dialect()));
    return tx.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT "
        "NOT NULL, applied_at BIGINT NOT NULL)");
  }));
  int ran = 0;
  for (const auto& m : kMigrations) {
    bool applied = false;
    Status s = db.Transaction([&](Sql& tx) -> Status {
      WENKU_TRY(SerializeMigrations(tx, db.dialect()));
      auto row = tx.QueryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      if (!row.ok()) return row.error();
      int64_t current = row->Int(0);
      if (current > LatestSchemaVersion()) {
        return MakeError(ErrorCode::kConflict,
                         "the database has schema version " + std::to_string(current) +
                             ", newer than this wenku knows (" +
                             std::to_string(LatestSchemaVersion()) + "); upgrade wenku");
      }
      if (current >= m.version) return {};
      WENKU_TRY(tx.ExecScript(ForDialect(m.sql, db.dialect())));
      WENKU_TRY(
          tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                  {int64_t{m.version}, std::string(m.name), NowMs()}));
      applied = true;
      return {};
    });
    if (!s.ok()) return s.error();
    if (applied) {
      spdlog::info("storage: applied migration {} ({})", m.version, m.name);
      ++ran;
    }
  }
  return ran;
}

}  // namespace wenku::storage
