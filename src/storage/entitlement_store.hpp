// EntitlementStore: who may have a priced document in full (every page, the original)
// because they bought it. One row per (user, document), made in the same unit of work as the
// purchase's ledger transaction (Points::Purchase), so a buyer is charged at most once per
// document: the primary key refuses a second row whatever the idempotency keys. A refund
// removes the row (the buyer has their points back). The owner, moderators and admins are
// entitled by their role, not by a row here (that rule is the access policy's).
// A document's rows go with the document when it is deleted.
// Threading: safe for concurrent use; each method is one statement.
#pragma once

#include <vector>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

struct Entitlement {
  UserId user = 0;
  DocumentId document = 0;
  int64_t tx_id = 0;  // the purchase
  int64_t created_at = 0;
};

class EntitlementStore {
 public:
  EntitlementStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<bool> Has(UserId user, DocumentId document);
  Result<bool> Has(Sql& tx, UserId user, DocumentId document);
  // Records that `user` bought `document` by ledger transaction `tx_id`. Returns false (and
  // writes nothing) when the row already exists.
  Result<bool> Add(Sql& tx, UserId user, DocumentId document, int64_t tx_id);
  // Removes the row, if any (a refund).
  Status Remove(Sql& tx, UserId user, DocumentId document);
  // What `user` bought, newest first.
  Result<std::vector<Entitlement>> ForUser(UserId user, int64_t limit, int64_t offset);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
