// FingerprintStore: the near-duplicate signatures of published documents, their LSH band
// buckets, and the matches ingest found (migration 6). Rows only: how a signature is made,
// what counts as a match and what a match does are library/near_duplicates.hpp's.
//
//   fingerprints       document_id → scheme, signature (text, as the library encodes it),
//                      characters (the normalized text's length), created_at
//   fingerprint_bands  (band, bucket, document_id), primary key in that order: a lookup is
//                      one index probe per band, whatever the library's size
//   near_duplicates    (document_id, other_document_id) → similarity (percent, rounded
//                      down), same_owner (0/1), created_at: what the moderation code opens
//                      near_duplicate cases from
// Every row goes with its document (ON DELETE CASCADE).
//
// Writes take `Sql& tx`: they belong to the publication's unit of work
// (DocumentStore::Publish's `also`), so a document that fails never leaves a signature.
// Errors: kIo. Threading: safe for concurrent use.
#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

// A published document sharing at least one band bucket with the one looked up.
struct FingerprintCandidate {
  DocumentId document_id = 0;
  UserId owner_id = 0;
  DocState state = DocState::kReady;
  std::string removal_reason;  // taken down: why (copyright, porn, …; "" when not given)
  std::string signature;
  int64_t shared_bands = 0;
};

struct NearDuplicateRow {
  DocumentId document_id = 0;
  DocumentId other_document_id = 0;
  int64_t similarity = 0;  // percent, rounded down
  bool same_owner = false;
  int64_t created_at = 0;
};

class FingerprintStore {
 public:
  FingerprintStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Documents other than `except`, ready or taken down, whose signature (of `scheme`) shares
  // at least one bucket with `buckets` (band i's bucket is buckets[i]): those sharing the
  // most bands first, at most `limit` of them.
  Result<std::vector<FingerprintCandidate>> Candidates(int64_t scheme,
                                                       const std::vector<int64_t>& buckets,
                                                       DocumentId except, int64_t limit);

  // Sets the document's signature and buckets, replacing what it had; an empty `signature`
  // removes them (a re-ingested document that now has too little text).
  Status Replace(Sql& tx, DocumentId id, int64_t scheme, const std::string& signature,
                 int64_t characters, const std::vector<int64_t>& buckets);
  // Sets the matches found for `id` (rows naming it as document_id), replacing earlier ones.
  // REQUIRES: every row's document_id is `id`.
  Status ReplaceMatches(Sql& tx, DocumentId id, const std::vector<NearDuplicateRow>& rows);

  // The matches naming `id` on either side, most similar first.
  Result<std::vector<NearDuplicateRow>> Matches(DocumentId id);
  // The document's signature, "" when it has none.
  Result<std::string> SignatureOf(DocumentId id);
  // Published or taken-down documents after `after` (by id, ascending, at most `limit`) that
  // have no fingerprints row yet: those published before migration 6 (`wenku fingerprint`).
  Result<std::vector<DocumentId>> UnfingerprintedAfter(DocumentId after, int64_t limit);
  // Signatures stored, and band rows stored (for `wenku check` and tests).
  Result<int64_t> CountSignatures();
  Result<int64_t> CountBandRows();

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace wenku::storage
