#include "web/uploads.hpp"

#include <charconv>

namespace wenku::web {

std::optional<int64_t> ParsePrice(const std::string& text) {
  const std::string t = text.empty() ? "0" : text;
  int64_t price = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), price);
  if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
  return price;
}

namespace {

library::Submission FieldsToSubmission(const UploadFields& f, int64_t price) {
  library::Submission s;
  s.title = f.title;
  s.description = f.description;
  s.category = f.category;
  s.price = price;
  return s;
}

}  // namespace

UploadFieldErrors CheckUploadFields(library::Categories& categories, const UploadFields& f) {
  const auto price = ParsePrice(f.price);
  const library::FieldProblems p =
      library::CheckFields(FieldsToSubmission(f, price.value_or(0)), categories);
  UploadFieldErrors e;
  if (p.title) e.title = "title_invalid";
  if (p.category) e.category = "category_invalid";
  if (!price || p.price) e.price = "price_invalid";
  if (p.description) e.description = "description_invalid";
  return e;
}

Result<library::Submitted> AcceptUpload(Site& site, const storage::User& owner,
                                        const std::filesystem::path& file,
                                        const std::string& filename, const UploadFields& fields) {
  // A request without a body has no file at all: as empty as an empty one.
  if (file.empty()) return MakeError(ErrorCode::kEmptyFile, "no file was sent");
  const auto price = ParsePrice(fields.price);
  if (!price) return MakeError(ErrorCode::kInvalidInput, "the price must be a whole number");
  library::Submission s = FieldsToSubmission(fields, *price);
  s.owner = owner.id;
  s.file = file;
  s.filename = filename;
  s.quota = library::QuotaFor(owner, site.settings());  // the rule: library/submit.hpp
  // options().submit: ingest's limits, max_bytes the web's (never above ingest's, site.cpp)
  return library::Submit(
      {site.blobs(), site.documents(), site.categories(), site.submit_limits(), &site.moderation()},
      s);
}

std::optional<std::string> FileProblem(const Context& ctx, const Error& error) {
  switch (error.code) {
    case ErrorCode::kEmptyFile:
      return T(ctx.lang, "file_empty");
    case ErrorCode::kTooLarge:
      return Format(ctx.lang, "file_too_large",
                    {std::to_string(ctx.site.max_upload_bytes() >> 20)});
    case ErrorCode::kRateLimited: {  // a quota (library::Submit): the key names which
      const char* setting = error.message == "quota_documents"   ? "upload.documents_per_day"
                            : error.message == "quota_bytes"     ? "upload.mb_per_day"
                            : error.message == "quota_open_jobs" ? "upload.open_jobs"
                                                                 : nullptr;
      if (setting == nullptr) return std::nullopt;
      return Format(ctx.lang, error.message, {std::to_string(ctx.site.settings().GetInt(setting))});
    }
    default:
      return std::nullopt;
  }
}

}  // namespace wenku::web
