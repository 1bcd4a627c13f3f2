#include "storage/comment_store.hpp"

namespace wenku::storage {
namespace {

constexpr const char* kColumns =
    "SELECT c.id, c.document_id, c.user_id, u.name, c.text, c.created_at, c.held_at FROM "
    "comments c JOIN users u ON u.id = c.user_id ";

// Which comments a reader sees: the unheld ones, their own, or every one (moderators).
constexpr const char* kReadable = " AND (c.held_at IS NULL OR c.user_id = ? OR ? = 1) ";

Comment ToComment(const Row& r) {
  return Comment{r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6) != 0};
}

}  // namespace

Result<Comment> CommentStore::Create(DocumentId document, UserId user, const std::string& text) {
  auto rows = db_.Query(
      "INSERT INTO comments (document_id, user_id, text, created_at) "
      "SELECT id, ?, ?, ? FROM documents WHERE id = ? RETURNING id",
      {user, text, clock_.NowMs(), document});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(document));
  }
  return Find((*rows)[0].Int(0));
}

Result<Comment> CommentStore::CreateLimited(DocumentId document, UserId user,
                                            const std::string& text, int64_t max_recent,
                                            int64_t since_ms, bool held,
                                            const std::function<Status(Sql&, int64_t)>& also) {
  int64_t id = 0;
  const int64_t now = clock_.NowMs();
  Status s = db_.Transaction([&](Sql& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO comments (document_id, user_id, text, created_at, held_at) "
        "SELECT id, ?, ?, ?, ? FROM documents WHERE id = ? AND "
        "(SELECT COUNT(*) FROM comments WHERE user_id = ? AND created_at >= ?) < ? RETURNING id",
        {user, text, now, held ? Value(now) : Value(nullptr), document, user, since_ms,
         max_recent});
    if (!rows.ok()) return rows.error();
    if (rows->empty()) {
      auto exists = tx.QueryOne("SELECT COUNT(*) FROM documents WHERE id = ?", {document});
      if (!exists.ok()) return exists.error();
      if (exists->Int(0) == 0) {
        return MakeError(ErrorCode::kNotFound, "no document " + std::to_string(document));
      }
      return MakeError(ErrorCode::kRateLimited, "too many comments");
    }
    id = (*rows)[0].Int(0);
    return also ? also(tx, id) : Status{};
  });
  if (!s.ok()) return s.error();
  return Find(id);
}

Result<std::vector<Comment>> CommentStore::List(DocumentId document, int64_t limit, int64_t offset,
                                                const CommentReader& reader) {
  auto rows = db_.Query(std::string(kColumns) + "WHERE c.document_id = ?" + kReadable +
                            "ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?",
                        {document, reader.user, int64_t{reader.moderator}, limit, offset});
  if (!rows.ok()) return rows.error();
  std::vector<Comment> out;
  for (const auto& r : *rows) out.push_back(ToComment(r));
  return out;
}

Result<int64_t> CommentStore::Count(DocumentId document, const CommentReader& reader) {
  auto row = db_.QueryOne(
      std::string("SELECT COUNT(*) FROM comments c WHERE c.document_id = ?") + kReadable,
      {document, reader.user, int64_t{reader.moderator}});
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<bool> CommentStore::Release(Sql& tx, int64_t id) {
  auto rows = tx.Query(
      "UPDATE comments SET held_at = NULL WHERE id = ? AND held_at IS NOT NULL RETURNING id", {id});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Status CommentStore::Delete(Sql& tx, int64_t id) {
  return tx.Exec("DELETE FROM comments WHERE id = ?", {id});
}

Result<Comment> CommentStore::Find(int64_t id) { return Find(db_, id); }

Result<Comment> CommentStore::Find(Sql& tx, int64_t id) {
  auto row = tx.QueryOne(std::string(kColumns) + "WHERE c.id = ?", {id});
  if (!row.ok()) {
    if (row.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, "no comment " + std::to_string(id));
    }
    return row.error();
  }
  return ToComment(*row);
}

Status CommentStore::Delete(int64_t id) {
  return db_.Exec("DELETE FROM comments WHERE id = ?", {id});
}

Result<int64_t> CommentStore::CountSince(UserId user, int64_t since_ms) {
  auto row = db_.QueryOne("SELECT COUNT(*) FROM comments WHERE user_id = ? AND created_at >= ?",
                          {user, since_ms});
  if (!row.ok()) return row.error();
  return row->Int(0);
}

}  // namespace wenku::storage
