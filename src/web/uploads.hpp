// Uploads, for the upload page (multipart form), its JavaScript (the API) and API clients
// alike: checks the fields, stores the bytes in the blob store and queues the document for
// ingest (storage::DocumentStore::Create). The serve process's ingest workers pick it up.
#pragma once

#include <filesystem>
#include <string>

#include "storage/document_store.hpp"
#include "web/context.hpp"

namespace wenku::web {

struct UploadFields {
  std::string title;  // "" : the file name without its extension
  std::string category;
  std::string price = "0";
  std::string description;
};

// Catalog keys of what is wrong with each field ("" when fine).
struct UploadFieldErrors {
  std::string title, category, price, description;
  bool any() const {
    return !title.empty() || !category.empty() || !price.empty() || !description.empty();
  }
};

UploadFieldErrors CheckUploadFields(const UploadFields& fields);

// A file name safe to show and store: its last path component, control characters removed,
// valid UTF-8, at most 255 bytes ("upload" when nothing is left).
std::string CleanFileName(std::string_view name);

// Stores `file` (a temp file of `size` bytes, sent as `filename`) for `owner`.
// Errors (messages are catalog keys where a person sees them): kInvalidInput (fields:
// check them first), kEmptyFile (file_empty), kTooLarge (file_too_large), kIo.
Result<storage::CreatedDocument> AcceptUpload(Site& site, const storage::User& owner,
                                              const std::filesystem::path& file, int64_t size,
                                              const std::string& filename,
                                              const UploadFields& fields);

}  // namespace wenku::web
