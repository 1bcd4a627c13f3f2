// The JSON shape of one ledger line, as clients see it: shared by `GET /api/v1/me/ledger`
// and `wenku points show --json`, so the two cannot drift apart.
//   {"tx","kind","account","amount","balance_after","document_id" (or null),"created_at"}
#pragma once

#include <nlohmann/json.hpp>

#include "storage/ledger_store.hpp"

namespace wenku::points {

nlohmann::json LedgerEntryJson(const storage::HistoryEntry& entry);

}  // namespace wenku::points
