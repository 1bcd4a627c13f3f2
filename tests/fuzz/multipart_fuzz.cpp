// Fuzz target: the multipart/form-data parser (web/multipart.hpp), as the dispatcher calls it
// for the upload form.
// Input: the Content-Type header value, a '\n', then the body (as the server streamed it into
// a file). Feeds MultipartBoundary(content type) and ParseMultipart(body file, boundary).
// Asserts: a boundary is 1–70 bytes and only comes from a multipart/form-data type; a parsed
// form has at most 200 parts, no text field over 64 KiB, nothing larger than the body; every
// file part's temp file is in the given folder and holds exactly `size` bytes; no temp file
// is left once the form is gone, whether parsing succeeded or failed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "web/multipart.hpp"

namespace fs = std::filesystem;
using wenku::fuzz::ScratchDir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string_view content_type = input.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);

  std::string boundary = wenku::web::MultipartBoundary(content_type);
  FUZZ_CHECK(boundary.size() <= 70, "boundary too long");
  if (!boundary.empty()) {
    FUZZ_CHECK(content_type.size() >= 19, "a boundary without multipart/form-data");
  }

  static const fs::path body_file = ScratchDir() / "body";
  static const fs::path tmp = [] {
    fs::create_directories(ScratchDir() / "parts");
    return ScratchDir() / "parts";
  }();
  wenku::fuzz::WriteFile(body_file, body);
  {
    auto form = wenku::web::ParseMultipart(body_file, boundary, tmp);
    if (form.ok()) {
      FUZZ_CHECK(form->fields.size() + form->files.size() <= 200, "too many parts");
      size_t total = 0;
      for (const auto& [name, value] : form->fields) {
        FUZZ_CHECK(value.size() <= 64 * 1024, "a field over 64 KiB");
        total += name.size() + value.size();
      }
      for (const auto& f : form->files) {
        FUZZ_CHECK(f.path.parent_path() == tmp, "a part's file outside the temp folder");
        std::error_code ec;
        FUZZ_CHECK(fs::file_size(f.path, ec) == static_cast<uintmax_t>(f.size) && !ec,
                   "a part's file does not hold its size");
        total += static_cast<size_t>(f.size);
      }
      FUZZ_CHECK(total <= body.size(), "the parts hold more than the body");
    }
  }
  FUZZ_CHECK(wenku::fuzz::EmptyDir(tmp), "a temp file left behind");
  return 0;
}
