// NearDuplicates: what it means for a new document to hold nearly the same text as one
// already published — the one place the rule lives. The ingest fingerprint stage asks
// Check; the publish stage hands what it found to Register inside the publication's unit
// of work. Signatures and their parameters: fingerprint.hpp.
//
// Check(document, pages), before the document is published:
//   - under kMinCharacters normalized characters (a scan without OCR text, a drawing): no
//     signature, nothing compared, nothing recorded.
//   - else the published documents sharing a band bucket with it (at most kMaxCandidates,
//     those sharing most bands first) are confirmed on their full signatures. For each at
//     estimated similarity s (shown as a percentage, rounded down):
//       taken down (any owner, the same one too), s ≥ copyright.block_similarity
//           → kForbidden, naming it: the document is not published ("This document matches
//             document #12, which was taken down after a copyright complaint (93% the same
//             text); it cannot be published.").
//       ready, another owner's, s ≥ copyright.flag_similarity
//           → a match to record (same_owner 0): the document is published, and moderation
//             opens a near_duplicate case from the row. With copyright.refuse_duplicates:
//             kForbidden instead, naming the document it copies.
//       ready, the same owner's, s ≥ copyright.flag_similarity
//           → a link to record (same_owner 1): the owner's own upload in another format,
//             not flagged.
//     When several documents block, the most similar is named.
// Register(tx, id, found), inside DocumentStore::Publish's unit of work: the signature, its
//   band buckets and the matches, replacing whatever an earlier publication of the same
//   document left (none for a document without a signature). A document that fails
//   leaves nothing; a deleted one takes its rows along (ON DELETE CASCADE).
//
// Not covered: two near-identical documents published at the same moment by two workers do
// not see each other (each looks up before either registers); documents published before
// migration 6 have no signature until `wenku fingerprint` signs them (SignatureOnly).
// Errors: kForbidden as above; kIo (the database); kInternal (OpenCC's data missing: the
// job is retried). Threading: safe for concurrent use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/document.hpp"
#include "core/result.hpp"
#include "library/fingerprint.hpp"
#include "storage/database.hpp"
#include "storage/fingerprint_store.hpp"

namespace wenku::library {

inline constexpr int64_t kMaxCandidates = 200;  // confirmed per lookup at most

struct NearDuplicateSettings {
  int64_t block_percent = 85;                                // copyright.block_similarity
  int64_t flag_percent = 85;                                 // copyright.flag_similarity
  bool refuse_duplicates = false;                            // copyright.refuse_duplicates
  std::string opencc_config = "/usr/share/opencc/t2s.json";  // search.opencc_config
  // The values `settings` holds now (percentages 1-100: ValidateSetting checked them).
  static Result<NearDuplicateSettings> FromConfig(const Settings& settings);
};

// A published document found to resemble the one checked.
struct Resemblance {
  DocumentId document_id = 0;
  UserId owner_id = 0;
  DocState state = DocState::kReady;
  std::string removal_reason;
  double similarity = 0;  // estimated, 0..1
};

// What Check found, for Register.
struct Fingerprinted {
  std::optional<Signature> signature;  // none: too little text
  int64_t characters = 0;              // normalized characters
  std::vector<storage::NearDuplicateRow> matches;
};

// The rule alone: what `resemblances` mean for a document of `owner` — the rows to record,
// or kForbidden with the sentence its owner reads. Pure.
Result<std::vector<storage::NearDuplicateRow>> Judge(UserId owner,
                                                     const std::vector<Resemblance>& resemblances,
                                                     const NearDuplicateSettings& settings);

class NearDuplicates {
 public:
  // With `live`, the copyright.* thresholds are read from it at every check (runtime
  // settings, changed on /admin/settings); otherwise `settings` as given.
  NearDuplicates(storage::FingerprintStore& store, NearDuplicateSettings settings,
                 const Settings* live = nullptr)
      : store_(store), settings_(std::move(settings)), live_(live) {}

  // See the top of this file.
  Result<Fingerprinted> Check(const Document& document, const std::vector<Page>& pages) const;
  Status Register(storage::Sql& tx, DocumentId id, const Fingerprinted& found) const;
  // The documents `id` was registered as resembling (its recorded matches), ascending: a
  // second registration (the text of a scan, recognised after publication) opens cases for
  // new matches only.
  Result<std::vector<DocumentId>> Matched(DocumentId id) const;
  // The signature alone, nothing judged or matched: for documents published before
  // migration 6 (`wenku fingerprint`), so that later uploads are compared with them. Old
  // pairs are not turned into cases after the fact — they were published side by side
  // before the rule existed; new uploads resembling either one are judged as usual.
  Result<Fingerprinted> SignatureOnly(const std::vector<Page>& pages) const;

  // The published documents other than `except` whose signatures resemble `signature`
  // (band candidates confirmed at ≥ the lower of the two thresholds), most similar first.
  Result<std::vector<Resemblance>> Resembling(const Signature& signature, DocumentId except) const;

  // The thresholds now.
  NearDuplicateSettings settings() const;

 private:
  storage::FingerprintStore& store_;
  NearDuplicateSettings settings_;
  const Settings* live_;
};

}  // namespace wenku::library
