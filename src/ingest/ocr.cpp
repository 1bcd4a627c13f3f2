#include "ingest/ocr.hpp"

#include <fstream>

#include "core/files.hpp"
#include "core/text.hpp"
#include "core/text_fold.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;

std::vector<std::string> SplitOcrPages(const std::string& text, size_t pages) {
  std::vector<std::string> out;
  size_t start = 0;
  while (out.size() < pages) {
    size_t ff = text.find('\f', start);
    std::string page = text.substr(start, ff == std::string::npos ? std::string::npos : ff - start);
    while (!page.empty() && (page.back() == '\n' || page.back() == ' ')) page.pop_back();
    size_t lead = page.find_first_not_of("\n ");
    out.push_back(lead == std::string::npos ? "" : page.substr(lead));
    if (ff == std::string::npos) break;
    start = ff + 1;
  }
  out.resize(pages);
  return out;
}

Status Ocr::RunTesseract(const fs::path& input, const fs::path& out_base,
                         const std::vector<std::string>& formats, const std::string& what,
                         const std::vector<fs::path>& images) const {
  ProcessSpec spec;
  spec.argv = {options_.tesseract, fs::absolute(input).string(), fs::absolute(out_base).string(),
               "-l", options_.languages};
  spec.argv.insert(spec.argv.end(), formats.begin(), formats.end());
  spec.work_dir = fs::absolute(out_base.parent_path()).string();
  for (const auto& image : images) {
    if (!image.empty()) spec.read_only.push_back(fs::absolute(image).string());
  }
  spec.limits = options_.limits;
  spec.env = {"OMP_THREAD_LIMIT=1"};
  spec.tmpfs_tmp_mb = 512;  // Leptonica writes a PDF's page images to /tmp, whatever TMPDIR says
  auto outcome = runner_.Run(spec, nullptr);
  if (!outcome.ok()) return outcome.error();
  const ProcessOutcome& o = *outcome;
  switch (o.end) {
    case ProcessEnd::kExited:
      if (o.exit_code == 0) return {};
      if (o.err.find("Error in pix") != std::string::npos ||
          o.err.find("Unsupported image") != std::string::npos ||
          o.err.find("cannot be read") != std::string::npos) {
        return MakeError(ErrorCode::kCorrupt,
                         "The " + what + " cannot be read: it is damaged or not really an image.");
      }
      return MakeError(
          ErrorCode::kConversionFailed,
          "Recognising the text of the " + what + " failed (" + o.Describe(spec.limits) + ").");
    case ProcessEnd::kTimedOut:
      return MakeError(ErrorCode::kTimeout, "Recognising the text of the " + what +
                                                " took longer than " +
                                                std::to_string(spec.limits.timeout_ms / 1000) +
                                                " seconds, so it was stopped.");
    case ProcessEnd::kCpuLimit:
    case ProcessEnd::kFileLimit:
      return MakeError(ErrorCode::kResourceLimit,
                       "Recognising the text of the " + what + " " + o.Describe(spec.limits) + ".");
    case ProcessEnd::kCrashed:
      return MakeError(ErrorCode::kConversionFailed, "The text recogniser crashed on the " + what +
                                                         " (" + o.Describe(spec.limits) +
                                                         "); it is probably damaged.");
  }
  return MakeError(ErrorCode::kInternal, "unexpected OCR outcome");
}

Result<fs::path> Ocr::ImageToPdf(const fs::path& image, const std::string& format,
                                 const fs::path& work_dir) const {
  fs::path dir = work_dir / "ocr";
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::path input = dir / ("image." + format);
  fs::copy_file(image, input, fs::copy_options::overwrite_existing, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot copy the image for recognition");
  WENKU_TRY(RunTesseract(input, dir / "document", {"pdf"}, "image", {}));
  if (!fs::exists(dir / "document.pdf", ec)) {
    return MakeError(ErrorCode::kConversionFailed,
                     "The text recogniser wrote no pages for this image.");
  }
  return dir / "document.pdf";
}

Result<std::vector<std::string>> Ocr::Recognize(const std::vector<fs::path>& images,
                                                const fs::path& work_dir) const {
  fs::path dir = work_dir / "ocr";
  std::error_code ec;
  fs::create_directories(dir, ec);
  // A few pages per Tesseract run (about 5 s a page): each run stays well inside the
  // sandbox's CPU and wall-clock limits however long the scan is.
  constexpr size_t kPagesPerRun = 8;
  std::vector<std::string> texts;
  for (size_t first = 0; first < images.size(); first += kPagesPerRun) {
    size_t count = std::min(kPagesPerRun, images.size() - first);
    std::string list;
    for (size_t i = first; i < first + count; ++i) list += fs::absolute(images[i]).string() + "\n";
    std::string base = "pages-" + std::to_string(first / kPagesPerRun);
    WENKU_TRY(WriteFileAtomic(dir / (base + ".list"), list));
    std::vector<fs::path> batch(images.begin() + static_cast<std::ptrdiff_t>(first),
                                images.begin() + static_cast<std::ptrdiff_t>(first + count));
    WENKU_TRY(RunTesseract(dir / (base + ".list"), dir / base, {"txt"}, "scanned pages", batch));
    auto text = ReadFile(dir / (base + ".txt"));
    if (!text.ok()) {
      return MakeError(ErrorCode::kConversionFailed, "The text recogniser wrote no text.");
    }
    for (auto& t : SplitOcrPages(*text, count)) texts.push_back(std::move(t));
  }
  return texts;
}

std::string SettleScript(std::string_view text, const TextFold& fold) {
  const double share = fold.TraditionalShare(text);
  if (share == 0.0 || share >= kTraditionalShare) return std::string(text);
  return fold.Simplified(text);
}

std::string Ocr::PageText(std::string_view recognised) const {
  std::string text = CollapseCjkSpaces(recognised);
  auto fold = TextFold::Shared(options_.opencc_config);
  if (!fold.ok()) return text;
  return SettleScript(text, **fold);
}

}  // namespace wenku::ingest
