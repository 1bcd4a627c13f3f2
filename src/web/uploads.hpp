// Uploads, for the upload page (multipart form), its JavaScript (the API) and API clients
// alike: reads the form's fields into a library::Submission and hands it to library::Submit
// (library/submit.hpp: the one set of rules, the same as `wenku import` and archive
// members). What is web's own here: the price as typed, the words each problem is shown
// with, and the transfer limit (web.max_upload_mb, never above ingest.max_file_mb: see
// site.cpp). The serve process's ingest workers pick the document up.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "library/submit.hpp"
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

// A whole number of points as typed ("" is 0); nullopt when it is not one.
std::optional<int64_t> ParsePrice(const std::string& text);

// The rules are library::CheckFields'; a price that is not a whole number is web's to find.
UploadFieldErrors CheckUploadFields(library::Categories& categories, const UploadFields& fields);

// Stores `file` (a temp file, sent as `filename`) for `owner` through library::Submit.
// Errors: those of library::Submit (kInvalidInput: check the fields first; kEmptyFile,
// kTooLarge: FileProblem has the words for them; kIo).
Result<library::Submitted> AcceptUpload(Site& site, const storage::User& owner,
                                        const std::filesystem::path& file,
                                        const std::string& filename, const UploadFields& fields);

// The sentence, in the visitor's language, for an upload refused for its file (empty, too
// large) or its owner's quota (kRateLimited, library::Submit: how many documents, megabytes
// or waiting conversions the quota allows); nullopt for other errors.
std::optional<std::string> FileProblem(const Context& ctx, const Error& error);

}  // namespace wenku::web
