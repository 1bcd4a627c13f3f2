#include "points/ledger_json.hpp"

namespace wenku::points {

nlohmann::json LedgerEntryJson(const storage::HistoryEntry& h) {
  return {{"tx", h.tx_id},
          {"kind", storage::TxKindName(h.kind)},
          {"account", storage::AccountKindName(h.account)},
          {"amount", h.amount},
          {"balance_after", h.balance_after},
          {"document_id", h.document ? nlohmann::json(h.document) : nullptr},
          {"created_at", h.created_at}};
}

}  // namespace wenku::points
