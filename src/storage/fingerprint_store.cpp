#include "storage/fingerprint_store.hpp"

namespace wenku::storage {

Result<std::vector<FingerprintCandidate>> FingerprintStore::Candidates(
    int64_t scheme, const std::vector<int64_t>& buckets, DocumentId except, int64_t limit) {
  std::vector<FingerprintCandidate> out;
  if (buckets.empty()) return out;
  // One (band, bucket) probe of the primary key per band, OR-ed: SQLite runs it as a
  // multi-index OR, PostgreSQL as a bitmap OR; either touches only the matching rows.
  std::string where;
  Params params;
  for (size_t band = 0; band < buckets.size(); ++band) {
    if (band > 0) where += " OR ";
    where += "(band = ? AND bucket = ?)";
    params.emplace_back(static_cast<int64_t>(band));
    params.emplace_back(buckets[band]);
  }
  params.emplace_back(except);
  params.emplace_back(limit);
  params.emplace_back(scheme);
  auto rows = db_.Query(
      "SELECT f.document_id, d.owner_id, d.state, d.removal_reason, f.signature, c.bands "
      "FROM (SELECT document_id, COUNT(*) AS bands FROM fingerprint_bands WHERE (" +
          where +
          ") AND document_id <> ? GROUP BY document_id ORDER BY bands DESC, document_id "
          "LIMIT ?) c "
          "JOIN fingerprints f ON f.document_id = c.document_id "
          "JOIN documents d ON d.id = f.document_id "
          "WHERE f.scheme = ? AND d.state IN ('ready', 'taken_down') "
          "ORDER BY c.bands DESC, f.document_id",
      params);
  if (!rows.ok()) return rows.error();
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    FingerprintCandidate c;
    c.document_id = r.Int(0);
    c.owner_id = r.Int(1);
    c.state = ParseDocState(r.Text(2)).value_or(DocState::kReady);
    c.removal_reason = r.Text(3);
    c.signature = r.Text(4);
    c.shared_bands = r.Int(5);
    out.push_back(std::move(c));
  }
  return out;
}

Status FingerprintStore::Replace(Sql& tx, DocumentId id, int64_t scheme,
                                 const std::string& signature, int64_t characters,
                                 const std::vector<int64_t>& buckets) {
  WENKU_TRY(tx.Exec("DELETE FROM fingerprint_bands WHERE document_id = ?", {id}));
  WENKU_TRY(tx.Exec("DELETE FROM fingerprints WHERE document_id = ?", {id}));
  if (signature.empty()) return {};
  WENKU_TRY(
      tx.Exec("INSERT INTO fingerprints (document_id, scheme, signature, characters, created_at) "
              "VALUES (?, ?, ?, ?, ?)",
              {id, scheme, signature, characters, clock_.NowMs()}));
  for (size_t band = 0; band < buckets.size(); ++band) {
    WENKU_TRY(
        tx.Exec("INSERT INTO fingerprint_bands (band, bucket, document_id) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                {static_cast<int64_t>(band), buckets[band], id}));
  }
  return {};
}

Status FingerprintStore::ReplaceMatches(Sql& tx, DocumentId id,
                                        const std::vector<NearDuplicateRow>& rows) {
  WENKU_TRY(tx.Exec("DELETE FROM near_duplicates WHERE document_id = ?", {id}));
  const int64_t now = clock_.NowMs();
  for (const NearDuplicateRow& m : rows) {
    WENKU_TRY(tx.Exec(
        "INSERT INTO near_duplicates (document_id, other_document_id, similarity, same_owner, "
        "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        {id, m.other_document_id, m.similarity, int64_t{m.same_owner ? 1 : 0}, now}));
  }
  return {};
}

Result<std::vector<NearDuplicateRow>> FingerprintStore::Matches(DocumentId id) {
  auto rows = db_.Query(
      "SELECT document_id, other_document_id, similarity, same_owner, created_at "
      "FROM near_duplicates WHERE document_id = ? OR other_document_id = ? "
      "ORDER BY similarity DESC, document_id, other_document_id",
      {id, id});
  if (!rows.ok()) return rows.error();
  std::vector<NearDuplicateRow> out;
  for (const auto& r : *rows) {
    out.push_back(NearDuplicateRow{r.Int(0), r.Int(1), r.Int(2), r.Int(3) != 0, r.Int(4)});
  }
  return out;
}

Result<std::string> FingerprintStore::SignatureOf(DocumentId id) {
  auto rows = db_.Query("SELECT signature FROM fingerprints WHERE document_id = ?", {id});
  if (!rows.ok()) return rows.error();
  return rows->empty() ? std::string() : rows->front().Text(0);
}

Result<std::vector<DocumentId>> FingerprintStore::UnfingerprintedAfter(DocumentId after,
                                                                       int64_t limit) {
  auto rows = db_.Query(
      "SELECT d.id FROM documents d WHERE d.id > ? AND d.state IN ('ready', 'taken_down') "
      "AND NOT EXISTS (SELECT 1 FROM fingerprints f WHERE f.document_id = d.id) "
      "ORDER BY d.id LIMIT ?",
      {after, limit});
  if (!rows.ok()) return rows.error();
  std::vector<DocumentId> ids;
  ids.reserve(rows->size());
  for (const auto& r : *rows) ids.push_back(r.Int(0));
  return ids;
}

Result<int64_t> FingerprintStore::CountSignatures() {
  auto row = db_.QueryOne("SELECT COUNT(*) FROM fingerprints");
  if (!row.ok()) return row.error();
  return row->Int(0);
}

Result<int64_t> FingerprintStore::CountBandRows() {
  auto row = db_.QueryOne("SELECT COUNT(*) FROM fingerprint_bands");
  if (!row.ok()) return row.error();
  return row->Int(0);
}

}  // namespace wenku::storage
