// Ocr: text from pictures of text, with Tesseract (`chi_sim+chi_tra+eng`), run in the sandbox
// with OMP_THREAD_LIMIT=1 (4 s a page instead of 20 on two cores: its threads only fight).
//
// Simplified and traditional Chinese: both models are loaded, and each page's text is
// settled afterwards (SettleScript): a page on which traditional-only characters are rare is
// a simplified page, and the traditional forms the chi_tra model brought into it are
// written simplified (OpenCC's t2s, one character for one). Measured (bench/ocr_languages,
// Noto CJK pages at 300 dpi, character accuracy): chi_sim+eng reads a simplified page 0.725
// and a traditional one 0.361; chi_sim+chi_tra+eng 0.707 and 0.890, and on the corpus's
// simplified scans about 10% of what it reads are traditional forms; settled, the
// simplified page reads 0.814 and the traditional one is unchanged. Tesseract takes ~40%
// longer with both models.
//   ImageToPdf  an uploaded image (JPEG, PNG, TIFF with any number of pages, …) as a PDF of
//               its pages, each with its recognised text as a text layer
//   Recognize   the text of page images drawn from a scanned PDF, in order
// Threading: safe for concurrent use (each call runs its own tesseract).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/process_runner.hpp"
#include "core/result.hpp"
#include "core/text_fold.hpp"

namespace wenku::ingest {

struct OcrOptions {
  std::string tesseract = "/usr/bin/tesseract";
  std::string languages = "chi_sim+chi_tra+eng";
  ProcessLimits limits;
  std::string opencc_config = "/usr/share/opencc/t2s.json";  // for SettleScript
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

  // Recognised text as a page's text: spaces between CJK characters collapsed, and the
  // script settled (SettleScript) when OpenCC's table can be opened.
  std::string PageText(std::string_view recognised) const;

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

// A page where fewer than kTraditionalShare of the Han characters have a different simplified
// form is simplified: those characters are written simplified. Other pages are kept as read.
// (On the measured pages: simplified 0.12-0.16, traditional 0.25 and more.)
inline constexpr double kTraditionalShare = 0.2;
std::string SettleScript(std::string_view text, const TextFold& fold);

// Tesseract's text output split into pages (it ends each page with a form feed).
std::vector<std::string> SplitOcrPages(const std::string& text, size_t pages);

}  // namespace wenku::ingest
