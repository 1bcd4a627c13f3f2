// Ocr: text from pictures of text, with Tesseract (`chi_sim+eng`), run in the sandbox with
// OMP_THREAD_LIMIT=1 (4 s a page instead of 20 on two cores: its threads only fight).
//   ImageToPdf  an uploaded image (JPEG, PNG, TIFF with any number of pages, …) as a PDF of
//               its pages, each with its recognised text as a text layer
//   Recognize   the text of page images drawn from a scanned PDF, in order
// Threading: safe for concurrent use (each call runs its own tesseract).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/process_runner.hpp"
#include "core/result.hpp"

namespace wenku::ingest {

struct OcrOptions {
  std::string tesseract = "/usr/bin/tesseract";
  std::string languages = "chi_sim+eng";
  ProcessLimits limits;
};

class Ocr {
 public:
  Ocr(ProcessRunner& runner, OcrOptions options) : runner_(runner), options_(std::move(options)) {}

  // `image` (of `format`: "png", "jpeg", "tiff", …) as a PDF written under `work_dir`:
  // each page the picture with its recognised text as an invisible text layer (read back by
  // the extract stage like any PDF's). Errors: kCorrupt (the image cannot be read),
  // kTimeout, kResourceLimit, kConversionFailed.
  Result<std::filesystem::path> ImageToPdf(const std::filesystem::path& image,
                                           const std::string& format,
                                           const std::filesystem::path& work_dir) const;

  // The text of each image in `images`, in order. Errors: as ImageToPdf.
  Result<std::vector<std::string>> Recognize(const std::vector<std::filesystem::path>& images,
                                             const std::filesystem::path& work_dir) const;

 private:
  Status RunTesseract(const std::filesystem::path& input, const std::filesystem::path& out_base,
                      const std::vector<std::string>& formats, const std::string& what,
                      const std::vector<std::filesystem::path>& images) const;
  ProcessRunner& runner_;
  OcrOptions options_;
};

// Tesseract's text output split into pages (it ends each page with a form feed).
std::vector<std::string> SplitOcrPages(const std::string& text, size_t pages);

}  // namespace wenku::ingest
