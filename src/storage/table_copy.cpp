// TableCopy (table_copy.hpp): generic row copy between two Databases in key order.
#include "storage/table_copy.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

namespace wenku::storage {
namespace {

// Tables whose rows are never changed (migrations' {{APPEND_ONLY}}): a row already copied is
// left alone, an UPDATE would be refused by their triggers.
const std::set<std::string> kAppendOnly = {"ledger_transactions", "ledger_entries", "audit_log"};
// Not library data: the schema's own bookkeeping and the marks of copies.
const std::set<std::string> kNotCopied = {"schema_migrations", "library_marks"};

std::string Quote(const std::string& ident) { return "\"" + ident + "\""; }

std::string Join(const std::vector<std::string>& names, const std::string& sep,
                 const std::function<std::string(const std::string&)>& f) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? sep : "") + f(names[i]);
  return out;
}

Status VisitInOrder(const std::string& name,
                    const std::map<std::string, std::set<std::string>>& deps,
                    std::set<std::string>& done, std::set<std::string>& visiting,
                    std::vector<std::string>& order) {
  if (done.count(name)) return {};
  if (visiting.count(name)) {
    return MakeError(ErrorCode::kInvalidInput, "foreign keys form a cycle through " + name);
  }
  visiting.insert(name);
  auto it = deps.find(name);
  if (it != deps.end()) {
    for (const auto& d : it->second) {
      if (d != name && deps.count(d)) WENKU_TRY(VisitInOrder(d, deps, done, visiting, order));
    }
  }
  visiting.erase(name);
  done.insert(name);
  order.push_back(name);
  return {};
}

// SQLite's type affinity rules, as far as our schema uses them.
char KindOf(std::string type) {
  for (auto& ch : type) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (type.find("INT") != std::string::npos) return 'i';
  if (type.find("REAL") != std::string::npos || type.find("FLOA") != std::string::npos ||
      type.find("DOUB") != std::string::npos) {
    return 'r';
  }
  return 't';
}

Value Cell(const Row& row, size_t i, char kind) {
  if (row.IsNull(i)) return nullptr;
  if (kind == 'i') return row.Int(i);
  if (kind == 'r') return std::strtod(row.Text(i).c_str(), nullptr);
  return row.Text(i);
}

}  // namespace

Result<std::vector<TableInfo>> ListTables(Database& source) {
  if (source.dialect() != Dialect::kSqlite) {
    return MakeError(ErrorCode::kInvalidInput, "the library to copy must be a SQLite database");
  }
  auto names = source.Query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      "ORDER BY name");
  if (!names.ok()) return names.error();
  std::map<std::string, TableInfo> tables;
  std::map<std::string, std::set<std::string>> deps;
  for (const auto& n : *names) {
    TableInfo t;
    t.name = n.Text(0);
    if (kNotCopied.count(t.name)) continue;
    // table_info: cid, name, type, notnull, dflt_value, pk (1-based position in the key).
    auto cols =
        source.Query("SELECT name, pk, type FROM pragma_table_info(?) ORDER BY cid", {t.name});
    if (!cols.ok()) return cols.error();
    std::vector<std::pair<int64_t, std::string>> key;
    for (const auto& c : *cols) {
      t.columns.push_back(c.Text(0));
      t.kinds.push_back(KindOf(c.Text(2)));
      if (c.Int(1) > 0) key.emplace_back(c.Int(1), c.Text(0));
    }
    std::sort(key.begin(), key.end());
    for (const auto& [pos, col] : key) t.key.push_back(col);
    if (t.key.empty()) {
      return MakeError(ErrorCode::kInvalidInput, "table " + t.name + " has no primary key");
    }
    t.append_only = kAppendOnly.count(t.name) > 0;
    t.has_identity = t.key == std::vector<std::string>{"id"};
    auto fks = source.Query("SELECT \"table\" FROM pragma_foreign_key_list(?)", {t.name});
    if (!fks.ok()) return fks.error();
    for (const auto& f : *fks) deps[t.name].insert(f.Text(0));
    deps[t.name];
    std::string name = t.name;
    tables[name] = std::move(t);
  }
  std::vector<std::string> order;
  std::set<std::string> done, visiting;
  for (const auto& [name, unused] : tables) {
    WENKU_TRY(VisitInOrder(name, deps, done, visiting, order));
  }
  std::vector<TableInfo> out;
  for (const auto& name : order) out.push_back(tables[name]);
  return out;
}

Result<int64_t> CountRows(Sql& db, const std::string& table) {
  auto row = db.QueryOne("SELECT COUNT(*) FROM " + Quote(table));
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<int64_t> CopyTable(Database& source, Database& target, const TableInfo& t, size_t batch,
                          const std::function<Status(int64_t)>& after_batch) {
  const size_t ncols = t.columns.size();
  // Both SQLite (32766) and PostgreSQL (65535) limit the parameters of one statement.
  batch = std::max<size_t>(1, std::min(batch, 30000 / std::max<size_t>(ncols, 1)));
  const std::string cols = Join(t.columns, ", ", Quote);
  const std::string keys = Join(t.key, ", ", Quote);
  std::string select = "SELECT " + cols + " FROM " + Quote(t.name);
  std::string order = " ORDER BY " + keys + " LIMIT " + std::to_string(batch);
  std::string after = " WHERE (" + keys + ") > (" +
                      Join(t.key, ", ", [](const std::string&) { return std::string("?"); }) + ")";
  std::vector<std::string> rest;
  for (const auto& c : t.columns) {
    if (std::find(t.key.begin(), t.key.end(), c) == t.key.end()) rest.push_back(c);
  }
  std::string conflict = " ON CONFLICT (" + keys + ") " +
                         (t.append_only || rest.empty()
                              ? std::string("DO NOTHING")
                              : "DO UPDATE SET " + Join(rest, ", ", [](const std::string& c) {
                                  return Quote(c) + " = EXCLUDED." + Quote(c);
                                }));
  std::string one_row =
      "(" + Join(t.columns, ", ", [](const std::string&) { return std::string("?"); }) + ")";
  std::vector<size_t> key_index;
  for (const auto& k : t.key) {
    key_index.push_back(
        static_cast<size_t>(std::find(t.columns.begin(), t.columns.end(), k) - t.columns.begin()));
  }

  int64_t copied = 0;
  Params last_key;
  for (;;) {
    auto rows = last_key.empty() ? source.Query(select + order)
                                 : source.Query(select + after + order, last_key);
    if (!rows.ok()) return rows.error();
    if (rows->empty()) break;
    std::string insert = "INSERT INTO " + Quote(t.name) + " (" + cols + ") VALUES ";
    Params params;
    params.reserve(rows->size() * ncols);
    for (size_t r = 0; r < rows->size(); ++r) {
      insert += (r ? ", " : "") + one_row;
      for (size_t c = 0; c < ncols; ++c) params.push_back(Cell((*rows)[r], c, t.kinds[c]));
    }
    insert += conflict;
    Status s = target.Transaction([&](Sql& tx) { return tx.Exec(insert, params); });
    if (!s.ok()) {
      return MakeError(s.error().code, "copying table " + t.name + ": " + s.error().message);
    }
    copied += static_cast<int64_t>(rows->size());
    last_key.clear();
    for (size_t i : key_index) last_key.push_back(Cell(rows->back(), i, t.kinds[i]));
    if (after_batch) WENKU_TRY(after_batch(copied));
    if (rows->size() < batch) break;
  }
  return copied;
}

Status ResetIdentities(Database& db, const std::vector<TableInfo>& tables) {
  if (db.dialect() != Dialect::kPostgres) return {};
  for (const auto& t : tables) {
    if (!t.has_identity) continue;
    // setval(…, MAX(id) + 1, false): the next id handed out is MAX(id) + 1 (1 when empty).
    WENKU_TRY(
        db.Exec("SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT COALESCE(MAX(id), "
                "0) + 1 FROM " +
                    Quote(t.name) + "), false)",
                {t.name}));
  }
  return {};
}

Result<int64_t> RowsBeyondMigrations(Database& db, const std::vector<TableInfo>& tables) {
  int64_t total = 0;
  for (const auto& t : tables) {
    if (t.name == "categories") continue;  // seeded by migration 8; edits alone are no library
    std::string sql = "SELECT COUNT(*) FROM " + Quote(t.name);
    // The platform's two accounts come with migration 4.
    if (t.name == "ledger_accounts") sql += " WHERE user_id IS NOT NULL";
    auto row = db.QueryOne(sql);
    if (!row.ok()) return row.error();
    total += row->Int(0);
  }
  return total;
}

Result<std::vector<std::string>> NamedBlobs(Sql& db) {
  auto rows = db.Query(
      "SELECT blob_sha256 FROM documents UNION SELECT sha256 FROM blobs UNION "
      "SELECT proof_sha256 FROM cases WHERE proof_sha256 IS NOT NULL ORDER BY 1");
  if (!rows.ok()) return rows.error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.Text(0));
  return out;
}

Result<std::optional<std::string>> GetMark(Sql& db, const std::string& key) {
  auto rows = db.Query("SELECT value FROM library_marks WHERE key = ?", {key});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<std::string>{};
  return std::optional<std::string>{(*rows)[0].Text(0)};
}

Status SetMark(Sql& db, const std::string& key, const std::string& value, int64_t now_ms) {
  return db.Exec(
      "INSERT INTO library_marks (key, value, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at",
      {key, value, now_ms});
}

Result<std::string> LibraryId(Database& db) {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  static const char kHex[] = "0123456789abcdef";
  std::string fresh;
  for (unsigned char b : bytes) {
    fresh += kHex[b >> 4];
    fresh += kHex[b & 15];
  }
  // The first caller's id wins; every later call reads it.
  WENKU_TRY(db.Exec(
      "INSERT INTO library_marks (key, value, updated_at) VALUES (?, ?, 0) ON CONFLICT (key) "
      "DO NOTHING",
      {std::string(kLibraryId), fresh}));
  auto id = GetMark(db, kLibraryId);
  if (!id.ok()) return id.error();
  if (!*id) return MakeError(ErrorCode::kIo, "the library id was not stored");
  return **id;
}

}  // namespace wenku::storage
