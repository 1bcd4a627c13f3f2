#include "ingest/pdf_converter.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "ingest/pdf_tool.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;

namespace {

ErrorCode CodeFromName(const std::string& name) {
  for (ErrorCode c : {ErrorCode::kEncrypted, ErrorCode::kCorrupt, ErrorCode::kResourceLimit,
                      ErrorCode::kIo, ErrorCode::kUnsupportedType, ErrorCode::kEmptyFile}) {
    if (ErrorCodeName(c) == name) return c;
  }
  return ErrorCode::kConversionFailed;
}

// The last "error CODE MESSAGE" line of the child's stdout, as an Error.
Error ParseDocumentError(const std::string& out) {
  size_t pos = out.rfind("error ");
  if (pos == std::string::npos || (pos > 0 && out[pos - 1] != '\n')) {
    return MakeError(ErrorCode::kConversionFailed, "The PDF could not be read.");
  }
  std::string line = out.substr(pos + 6);
  if (auto nl = line.find('\n'); nl != std::string::npos) line.resize(nl);
  auto space = line.find(' ');
  if (space == std::string::npos)
    return MakeError(CodeFromName(line), "The PDF could not be read.");
  return MakeError(CodeFromName(line.substr(0, space)), line.substr(space + 1));
}

}  // namespace

Status PdfConverter::RunTool(const std::vector<std::string>& args, const fs::path& work_dir,
                             const ProgressFn& progress) const {
  ProcessSpec spec;
  spec.argv = {tool_, "__pdf"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.work_dir = work_dir.string();
  spec.limits = limits_;
  auto outcome = runner_.Run(spec, [&](std::string_view line) {
    if (!progress || line.substr(0, 9) != "progress ") return;
    long done = 0, total = 0;
    if (std::sscanf(std::string(line).c_str(), "progress %ld %ld", &done, &total) == 2) {
      progress(done, total);
    }
  });
  if (!outcome.ok()) return outcome.error();
  const ProcessOutcome& o = *outcome;
  switch (o.end) {
    case ProcessEnd::kExited:
      if (o.exit_code == 0) return {};
      if (o.exit_code == kPdfToolDocumentError) return ParseDocumentError(o.out);
      return MakeError(ErrorCode::kConversionFailed, "The PDF reader failed on this file (" +
                                                         o.Describe(limits_) +
                                                         "); the file is probably damaged.");
    case ProcessEnd::kTimedOut:
      return MakeError(
          ErrorCode::kTimeout,
          "Reading this PDF took longer than " + std::to_string(limits_.timeout_ms / 1000) +
              " seconds, so it was stopped; the file may be damaged or unusually complex.");
    case ProcessEnd::kCpuLimit:
      return MakeError(ErrorCode::kResourceLimit,
                       "Reading this PDF needed more than " + std::to_string(limits_.cpu_seconds) +
                           " seconds of processor time, so it was stopped.");
    case ProcessEnd::kFileLimit:
      return MakeError(ErrorCode::kResourceLimit, "Reading this PDF produced more than " +
                                                      std::to_string(limits_.file_size_mb) +
                                                      " MB of output, so it was stopped.");
    case ProcessEnd::kCrashed:
      return MakeError(ErrorCode::kConversionFailed,
                       "The PDF reader crashed on this file (" + o.Describe(limits_) +
                           "); the file is probably damaged or needs more memory than allowed.");
  }
  return MakeError(ErrorCode::kInternal, "unexpected converter outcome");
}

Result<std::vector<Page>> PdfConverter::ExtractText(const fs::path& pdf, const fs::path& work_dir,
                                                    const ProgressFn& progress) const {
  fs::path out = work_dir / "pages.jsonl";
  WENKU_TRY(RunTool({"text", fs::absolute(pdf).string(), out.string()}, work_dir, progress));
  std::ifstream in(out, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kConversionFailed, "The PDF reader wrote no text.");
  std::vector<Page> pages;
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return MakeError(ErrorCode::kConversionFailed, "The PDF reader's output was unreadable.");
    }
    Page p;
    p.n = j.value("n", int64_t{0});
    p.text = j.value("text", std::string());
    p.width_pt = j.value("w", int64_t{0});
    p.height_pt = j.value("h", int64_t{0});
    p.source = p.text.empty() ? TextSource::kNone : TextSource::kLayer;
    if (p.n != static_cast<int64_t>(pages.size()) + 1) {
      return MakeError(ErrorCode::kConversionFailed, "The PDF reader's pages were out of order.");
    }
    pages.push_back(std::move(p));
  }
  if (pages.empty()) return MakeError(ErrorCode::kCorrupt, "The PDF has no readable pages.");
  return pages;
}

Status PdfConverter::Render(const fs::path& pdf, const fs::path& out_dir, int64_t first,
                            int64_t last, const RenderOptions& o,
                            const ProgressFn& progress) const {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot create " + out_dir.string());
  return RunTool({"render", fs::absolute(pdf).string(), fs::absolute(out_dir).string(),
                  std::to_string(first), std::to_string(last), std::to_string(o.width),
                  std::to_string(o.quality), std::to_string(o.cover_width)},
                 out_dir, progress);
}

}  // namespace wenku::ingest
