#include "library/near_duplicates.hpp"

#include <algorithm>

#include "core/text_fold.hpp"

namespace wenku::library {
namespace {

std::string Percent(double similarity) {
  return std::to_string(SimilarityPercent(similarity)) + "%";
}

// Why the document was taken down, as the end of a sentence.
std::string TakenDownBecause(const std::string& removal_reason) {
  if (removal_reason == "copyright") return "after a copyright complaint";
  return "by the site's moderators";
}

}  // namespace

NearDuplicateSettings NearDuplicates::settings() const {
  if (live_ == nullptr) return settings_;
  auto now = NearDuplicateSettings::FromConfig(*live_);
  if (!now.ok()) return settings_;
  now->opencc_config = settings_.opencc_config;  // a start-time setting
  return *now;
}

Result<NearDuplicateSettings> NearDuplicateSettings::FromConfig(const Settings& config) {
  NearDuplicateSettings s;
  s.block_percent = config.GetInt("copyright.block_similarity");
  s.flag_percent = config.GetInt("copyright.flag_similarity");
  s.refuse_duplicates = config.GetInt("copyright.refuse_duplicates") != 0;
  s.opencc_config = config.GetString("search.opencc_config");
  // 1-100 each: checked where every value is (ValidateSetting, core/settings.hpp).
  return s;
}

Result<std::vector<storage::NearDuplicateRow>> Judge(UserId owner,
                                                     const std::vector<Resemblance>& resemblances,
                                                     const NearDuplicateSettings& settings) {
  const Resemblance* blocked_by = nullptr;  // taken down
  const Resemblance* copies = nullptr;      // another owner's, ready
  std::vector<storage::NearDuplicateRow> rows;
  for (const Resemblance& r : resemblances) {
    const int64_t percent = SimilarityPercent(r.similarity);
    if (r.state == DocState::kTakenDown) {
      if (percent >= settings.block_percent &&
          (blocked_by == nullptr || r.similarity > blocked_by->similarity)) {
        blocked_by = &r;
      }
      continue;
    }
    if (r.state != DocState::kReady || percent < settings.flag_percent) continue;
    const bool same_owner = r.owner_id == owner;
    if (!same_owner && (copies == nullptr || r.similarity > copies->similarity)) copies = &r;
    rows.push_back(storage::NearDuplicateRow{0, r.document_id, percent, same_owner, 0});
  }
  if (blocked_by != nullptr) {
    return MakeError(ErrorCode::kForbidden,
                     "This document matches document #" + std::to_string(blocked_by->document_id) +
                         ", which was taken down " + TakenDownBecause(blocked_by->removal_reason) +
                         " (" + Percent(blocked_by->similarity) +
                         " the same text); it cannot be published.");
  }
  if (copies != nullptr && settings.refuse_duplicates) {
    return MakeError(ErrorCode::kForbidden,
                     "This document matches document #" + std::to_string(copies->document_id) +
                         ", which another user has already published (" +
                         Percent(copies->similarity) +
                         " the same text); this site does not accept copies of documents "
                         "already here.");
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.similarity != b.similarity ? a.similarity > b.similarity
                                        : a.other_document_id < b.other_document_id;
  });
  return rows;
}

Result<std::vector<Resemblance>> NearDuplicates::Resembling(const Signature& signature,
                                                            DocumentId except) const {
  auto candidates =
      store_.Candidates(kFingerprintScheme, BandBuckets(signature), except, kMaxCandidates);
  if (!candidates.ok()) return candidates.error();
  const NearDuplicateSettings current = settings();
  const int64_t floor = std::min(current.block_percent, current.flag_percent);
  std::vector<Resemblance> out;
  for (const auto& c : *candidates) {
    auto other = DecodeSignature(c.signature);
    if (!other) continue;  // not one of ours: never compared
    double s = Similarity(signature, *other);
    if (SimilarityPercent(s) < floor) continue;
    out.push_back(Resemblance{c.document_id, c.owner_id, c.state, c.removal_reason, s});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.similarity != b.similarity ? a.similarity > b.similarity
                                        : a.document_id < b.document_id;
  });
  return out;
}

Result<Fingerprinted> NearDuplicates::Check(const Document& document,
                                            const std::vector<Page>& pages) const {
  auto signed_only = SignatureOnly(pages);
  if (!signed_only.ok()) return signed_only.error();
  Fingerprinted found = std::move(signed_only).value();
  if (!found.signature) return found;
  auto resembling = Resembling(*found.signature, document.id);
  if (!resembling.ok()) return resembling.error();
  auto rows = Judge(document.owner_id, *resembling, settings());
  if (!rows.ok()) return rows.error();
  found.matches = std::move(rows).value();
  for (auto& m : found.matches) m.document_id = document.id;
  return found;
}

Result<Fingerprinted> NearDuplicates::SignatureOnly(const std::vector<Page>& pages) const {
  auto fold = TextFold::Shared(settings_.opencc_config);
  if (!fold.ok()) return fold.error();
  Fingerprinted found;
  std::u32string normalized = NormalizeForFingerprint(**fold, pages);
  found.characters = static_cast<int64_t>(normalized.size());
  found.signature = SignatureOf(normalized);
  return found;
}

Result<std::vector<DocumentId>> NearDuplicates::Matched(DocumentId id) const {
  auto rows = store_.Matches(id);
  if (!rows.ok()) return rows.error();
  std::vector<DocumentId> out;
  for (const auto& r : *rows) out.push_back(r.other_document_id);
  std::sort(out.begin(), out.end());
  return out;
}

Status NearDuplicates::Register(storage::Sql& tx, DocumentId id, const Fingerprinted& found) const {
  if (!found.signature) {
    WENKU_TRY(store_.Replace(tx, id, kFingerprintScheme, "", 0, {}));
    return store_.ReplaceMatches(tx, id, {});
  }
  WENKU_TRY(store_.Replace(tx, id, kFingerprintScheme, EncodeSignature(*found.signature),
                           found.characters, BandBuckets(*found.signature)));
  return store_.ReplaceMatches(tx, id, found.matches);
}

}  // namespace wenku::library
