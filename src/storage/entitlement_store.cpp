#include "storage/entitlement_store.hpp"

namespace wenku::storage {

Result<bool> EntitlementStore::Has(UserId user, DocumentId document) {
  return Has(db_, user, document);
}

Result<bool> EntitlementStore::Has(Sql& tx, UserId user, DocumentId document) {
  auto rows = tx.Query("SELECT 1 FROM entitlements WHERE user_id = ? AND document_id = ?",
                       {user, document});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Result<bool> EntitlementStore::Add(Sql& tx, UserId user, DocumentId document, int64_t tx_id) {
  auto rows = tx.Query(
      "INSERT INTO entitlements (user_id, document_id, tx_id, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (user_id, document_id) DO NOTHING RETURNING user_id",
      {user, document, tx_id, clock_.NowMs()});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}

Status EntitlementStore::Remove(Sql& tx, UserId user, DocumentId document) {
  return tx.Exec("DELETE FROM entitlements WHERE user_id = ? AND document_id = ?",
                 {user, document});
}

Result<std::vector<Entitlement>> EntitlementStore::ForUser(UserId user, int64_t limit,
                                                           int64_t offset) {
  auto rows = db_.Query(
      "SELECT user_id, document_id, tx_id, created_at FROM entitlements WHERE user_id = ? "
      "ORDER BY created_at DESC, tx_id DESC LIMIT ? OFFSET ?",
      {user, limit, offset});
  if (!rows.ok()) return rows.error();
  std::vector<Entitlement> out;
  for (const auto& r : *rows) out.push_back(Entitlement{r.Int(0), r.Int(1), r.Int(2), r.Int(3)});
  return out;
}

}  // namespace wenku::storage
