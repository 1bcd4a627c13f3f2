#include "library/submit.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "library/categories.hpp"
#include "moderation/moderation.hpp"

namespace wenku::library {
namespace fs = std::filesystem;
namespace {

std::string_view TrimSpace(std::string_view s) {
  const char* kSpace = " \t\r\n";
  size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// At most `max_points` whole characters of valid UTF-8 `text`, the last one "…" when cut.
std::string CutCodePoints(const std::string& text, size_t max_points) {
  if (CodePointCount(text) <= max_points) return text;
  return TruncateCodePoints(text, max_points - 1);  // appends the "…"
}

DocumentFields FieldsOf(const Submission& s) {
  return DocumentFields{s.title, s.description, s.category, s.price};
}

std::string MiB(int64_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

constexpr int64_t kQuotaWindowMs = 24LL * 60 * 60 * 1000;

// The quota rule (submit.hpp): `size` more bytes and one more document within it.
Status CheckQuota(storage::DocumentStore& documents, UserId owner, const UploadQuota& quota,
                  int64_t size) {
  auto used = documents.UploadUsageOf(owner, kQuotaWindowMs);
  if (!used.ok()) return used.error();
  if (used->documents + 1 > quota.documents_per_day) {
    return MakeError(ErrorCode::kRateLimited, "quota_documents");
  }
  if (used->bytes + size > quota.bytes_per_day) {
    return MakeError(ErrorCode::kRateLimited, "quota_bytes");
  }
  if (used->open_jobs >= quota.open_jobs) {
    return MakeError(ErrorCode::kRateLimited, "quota_open_jobs");
  }
  return {};
}

}  // namespace

std::string StoredTitle(std::string_view given, const std::string& clean_name) {
  std::string title(TrimSpace(given));
  if (!title.empty()) return title;
  title = fs::path(clean_name).stem().string();
  if (title.empty()) title = clean_name;
  return CutCodePoints(title, kMaxTitle);
}

std::string StoredCategory(const std::string& category) {
  return category.empty() ? std::string(kDefaultCategory) : category;
}

FieldProblems CheckFields(const Submission& s, Categories& categories) {
  return CheckFields(FieldsOf(s), categories);
}

FieldProblems CheckFields(const DocumentFields& s, Categories& categories) {
  FieldProblems p;
  const std::string_view title = TrimSpace(s.title);
  p.title = !IsValidUtf8(title) || CodePointCount(title) > kMaxTitle;
  p.description = !IsValidUtf8(s.description) || CodePointCount(s.description) > kMaxDescription;
  p.category = !s.category.empty() && !categories.MayFileUnder(s.category);
  p.price = s.price < 0 || s.price > kMaxPrice;
  return p;
}

SubmitLimits SubmitLimitsFrom(const Config& config) {
  SubmitLimits l;
  l.max_bytes = std::max<int64_t>(1, config.GetInt("ingest.max_file_mb")) << 20;
  l.max_attempts = static_cast<int>(std::max<int64_t>(1, config.GetInt("ingest.max_attempts")));
  l.archive_max_documents = std::max<int64_t>(0, config.GetInt("archive.max_documents"));
  l.archive_max_nesting =
      static_cast<int>(std::max<int64_t>(1, config.GetInt("archive.max_nesting")));
  return l;
}

Status CheckUploadQuota(storage::DocumentStore& documents, const storage::User& uploader,
                        const Settings& settings, int64_t size) {
  const auto quota = QuotaFor(uploader, settings);
  if (!quota) return {};
  return CheckQuota(documents, uploader.id, *quota, size);
}

std::optional<UploadQuota> QuotaFor(const storage::User& uploader, const Settings& settings) {
  if (uploader.IsModerator()) return std::nullopt;  // moderators and admins: see the header
  UploadQuota q;
  q.documents_per_day = settings.GetInt("upload.documents_per_day");
  q.bytes_per_day = static_cast<int64_t>(settings.GetInt("upload.mb_per_day")) << 20;
  q.open_jobs = settings.GetInt("upload.open_jobs");
  return q;
}

std::string ArchiveBudgetNote(int64_t max_documents) {
  return std::string(kLeftOut) +
         " an uploaded archive, with the archives inside it, adds at most " +
         std::to_string(max_documents) + " documents";
}

Status FieldsError(const FieldProblems& problems, const DocumentFields& s, Categories& categories) {
  if (problems.title) {
    return MakeError(ErrorCode::kInvalidInput, "the title must be text of at most " +
                                                   std::to_string(kMaxTitle) + " characters");
  }
  if (problems.description) {
    return MakeError(ErrorCode::kInvalidInput, "the description must be text of at most " +
                                                   std::to_string(kMaxDescription) + " characters");
  }
  if (problems.category) {
    // One rule (MayFileUnder); the words say which way it was broken.
    return MakeError(ErrorCode::kInvalidInput,
                     categories.Find(s.category)
                         ? "category \"" + s.category + "\" is hidden: no new documents go there"
                         : "unknown category \"" + s.category + "\"");
  }
  if (problems.price) {
    return MakeError(ErrorCode::kInvalidInput,
                     "the price must be 0 to " + std::to_string(kMaxPrice) + " points");
  }
  return {};
}

Result<Submitted> Submit(const SubmitDeps& deps, const Submission& s) {
  WENKU_TRY(FieldsError(CheckFields(s, deps.categories), FieldsOf(s), deps.categories));

  std::error_code ec;
  if (!fs::is_regular_file(s.file, ec)) return MakeError(ErrorCode::kNotFound, "no such file");
  const auto size = fs::file_size(s.file, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot read the file: " + ec.message());
  if (size == 0) {
    return MakeError(ErrorCode::kEmptyFile, "empty file: the file has no content (0 bytes).");
  }
  if (static_cast<int64_t>(size) > deps.limits.max_bytes) {
    return MakeError(ErrorCode::kTooLarge, "file too large: " + MiB(static_cast<int64_t>(size)) +
                                               " (the limit is " + MiB(deps.limits.max_bytes) +
                                               ")");
  }

  if (s.quota) WENKU_TRY(CheckQuota(deps.documents, s.owner, *s.quota, size));
  DocumentId archive_root = 0;
  const int64_t budget = deps.limits.archive_max_documents;
  if (s.parent != 0 && budget > 0) {
    auto root = deps.documents.ArchiveRoot(s.parent);
    if (!root.ok()) return root.error();
    archive_root = *root;
    auto used = deps.documents.CountFromArchive(archive_root);
    if (!used.ok()) return used.error();
    if (*used >= budget) return MakeError(ErrorCode::kResourceLimit, ArchiveBudgetNote(budget));
  }

  auto blob = deps.blobs.PutFile(s.file);
  if (!blob.ok()) return blob.error();
  storage::NewDocument doc;
  doc.owner_id = s.owner;
  doc.parent_id = s.parent;
  doc.blob_sha256 = blob->sha256;
  doc.size = blob->size;
  doc.filename = CleanFileName(s.filename);
  doc.title = StoredTitle(s.title, doc.filename);
  doc.description = s.description;
  doc.category = StoredCategory(s.category);
  doc.price = s.price;
  doc.max_attempts = std::max(1, deps.limits.max_attempts);
  std::vector<std::string> words;
  if (deps.review != nullptr && s.parent == 0) {
    auto hits = deps.review->Screen({doc.title, doc.description});
    if (!hits.ok()) return hits.error();
    words = std::move(hits).value();
  }
  doc.held = !words.empty();
  auto created = deps.documents.Create(doc, [&](storage::Sql& tx, DocumentId id) -> Status {
    if (archive_root != 0) {  // counted again with this one in: the last place is taken once
      auto used = deps.documents.CountFromArchive(tx, archive_root);
      if (!used.ok()) return used.error();
      if (*used > budget) return MakeError(ErrorCode::kResourceLimit, ArchiveBudgetNote(budget));
    }
    if (!doc.held) return {};
    auto opened = deps.review->HoldDocument(tx, id, doc.owner_id, words);
    if (!opened.ok()) return opened.error();
    return {};
  });
  if (!created.ok()) return created.error();
  return Submitted{created->id, created->existed, doc.held && !created->existed};
}

std::string CleanFileName(std::string_view name) {
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out(name);
  if (!IsValidUtf8(out)) out = NormalizeNfc(out);  // invalid bytes become U+FFFD
  out = DropControls(out);  // C0, DEL, C1 and the bidi controls ("evil\u202Etxt.exe")
  while (out.size() > 255) {
    size_t cut = out.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  if (out.empty() || out == "." || out == "..") out = "upload";
  return out;
}

}  // namespace wenku::library
