#include "web/uploads.hpp"

#include <charconv>

#include "core/text.hpp"

namespace wenku::web {
namespace {

bool ParsePrice(const std::string& text, int64_t* out) {
  std::string t = text.empty() ? "0" : text;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), *out);
  return ec == std::errc() && p == t.data() + t.size() && *out >= 0 && *out <= 100000;
}

}  // namespace

UploadFieldErrors CheckUploadFields(const UploadFields& f) {
  UploadFieldErrors e;
  if (!IsValidUtf8(f.title) || CodePointCount(f.title) > 200) e.title = "title_invalid";
  if (!f.category.empty() && !CategoryName(Lang::kZh, f.category)) e.category = "category_invalid";
  int64_t price = 0;
  if (!ParsePrice(f.price, &price)) e.price = "price_invalid";
  if (!IsValidUtf8(f.description) || CodePointCount(f.description) > 2000) {
    e.description = "description_invalid";
  }
  return e;
}

std::string CleanFileName(std::string_view name) {
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (unsigned char c : name) {
    if (c >= 0x20 && c != 0x7f) out += static_cast<char>(c);
  }
  if (!IsValidUtf8(out)) out = NormalizeNfc(out);  // invalid bytes become U+FFFD
  while (out.size() > 255) {
    size_t cut = out.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  if (out.empty() || out == "." || out == "..") out = "upload";
  return out;
}

Result<storage::CreatedDocument> AcceptUpload(Site& site, const storage::User& owner,
                                              const std::filesystem::path& file, int64_t size,
                                              const std::string& filename,
                                              const UploadFields& fields) {
  if (CheckUploadFields(fields).any()) {
    return MakeError(ErrorCode::kInvalidInput, "check the document's fields");
  }
  if (size <= 0) return MakeError(ErrorCode::kEmptyFile, "file_empty");
  if (size > site.options().max_upload_bytes)
    return MakeError(ErrorCode::kTooLarge, "file_too_large");
  std::string name = CleanFileName(filename);
  std::string title = fields.title;
  if (title.find_first_not_of(" \t") == std::string::npos) {
    title = std::filesystem::path(name).stem().string();
    if (title.empty()) title = name;
  }
  auto blob = site.app().blobs().PutFile(file);
  if (!blob.ok()) return blob.error();
  storage::NewDocument doc;
  doc.owner_id = owner.id;
  doc.blob_sha256 = blob->sha256;
  doc.size = blob->size;
  doc.filename = name;
  doc.title = title;
  doc.description = fields.description;
  doc.category = fields.category.empty() ? "other" : fields.category;
  int64_t price = 0;
  ParsePrice(fields.price, &price);
  doc.price = price;
  doc.max_attempts = static_cast<int>(site.app().config().GetInt("ingest.max_attempts"));
  return site.app().documents().Create(doc);
}

}  // namespace wenku::web
