// Multipart: reads a multipart/form-data body (the no-JavaScript upload form) from the temp
// file the server streamed it into. Text fields are kept in memory (each at most 64 KiB);
// each file part is copied into its own temp file in `tmp_dir`. We wrote this parser
// because Debian packages no small C++ multipart parser (GMime would pull in GLib for it).
// Errors: kInvalidInput (no boundary, a malformed part, a field too long), kIo.
// The caller removes the files' temp files (MultipartForm's destructor does).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "web/http.hpp"

namespace wenku::web {

struct MultipartFile {
  std::string field;
  std::string filename;  // as the browser sent it (display only)
  std::filesystem::path path;
  int64_t size = 0;
};

struct MultipartForm {
  Fields fields;
  std::vector<MultipartFile> files;
  MultipartForm() = default;
  MultipartForm(MultipartForm&&) = default;
  MultipartForm& operator=(MultipartForm&&) = default;
  ~MultipartForm();
};

// The boundary of a `multipart/form-data; boundary=…` content type, or "".
std::string MultipartBoundary(std::string_view content_type);

Result<MultipartForm> ParseMultipart(const std::filesystem::path& body, std::string_view boundary,
                                     const std::filesystem::path& tmp_dir);

}  // namespace wenku::web
