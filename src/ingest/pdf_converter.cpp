#include "ingest/pdf_converter.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

namespace wenku::ingest {
namespace fs = std::filesystem;

Status PdfConverter::RunPdfTool(const std::string& doing, const std::string& command,
                                const fs::path& pdf, const std::string& out_file,
                                std::vector<std::string> args, const fs::path& out_dir,
                                const ProgressFn& progress, std::vector<std::string>* lines) const {
  if (pool_ != nullptr) {
    if (auto warm = pool_->Run(doing, command, pdf, out_file, args, out_dir, progress, lines))
      return *warm;
  }
  const fs::path out = out_file.empty() ? out_dir : out_dir / out_file;
  args.insert(args.begin(), {command, fs::absolute(pdf).string(), fs::absolute(out).string()});
  return tools_.Run("__pdf", doing, args, out_dir, {pdf}, progress, lines);
}

Result<std::vector<Page>> PdfConverter::ExtractText(const fs::path& pdf, const fs::path& work_dir,
                                                    const ProgressFn& progress) const {
  // The reader gets a folder of its own: it may write nothing else of the job's.
  fs::path dir = work_dir / "text";
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot create " + dir.string());
  fs::path out = dir / "pages.jsonl";
  WENKU_TRY(RunPdfTool("Reading this PDF", "text", pdf, "pages.jsonl", {}, dir, progress));
  auto pages = ReadPageTexts(out);
  if (!pages.ok()) return pages.error();
  if (pages->empty()) return MakeError(ErrorCode::kCorrupt, "The PDF has no readable pages.");
  return pages;
}

Result<std::vector<Page>> ReadPageTexts(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kConversionFailed, "The converter wrote no page texts.");
  std::vector<Page> pages;
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return MakeError(ErrorCode::kConversionFailed, "The converter's page texts were unreadable.");
    }
    Page p;
    p.n = j.value("n", int64_t{0});
    p.text = j.value("text", std::string());
    p.width_pt = j.value("w", int64_t{0});
    p.height_pt = j.value("h", int64_t{0});
    p.source = p.text.empty() ? TextSource::kNone : TextSource::kLayer;
    if (p.n != static_cast<int64_t>(pages.size()) + 1) {
      return MakeError(ErrorCode::kConversionFailed, "The converter's pages were out of order.");
    }
    pages.push_back(std::move(p));
  }
  return pages;
}

Status PdfConverter::Render(const fs::path& pdf, const fs::path& out_dir, int64_t first,
                            int64_t last, const RenderOptions& o,
                            const ProgressFn& progress) const {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot create " + out_dir.string());
  return RunPdfTool("Drawing this PDF's pages", "render", pdf, "",
                    {std::to_string(first), std::to_string(last), std::to_string(o.width),
                     std::to_string(o.quality), std::to_string(o.cover_width)},
                    out_dir, progress);
}

Result<std::vector<fs::path>> PdfConverter::Raster(const fs::path& pdf, const fs::path& out_dir,
                                                   int dpi, const std::vector<int64_t>& pages,
                                                   const ProgressFn& progress) const {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  std::vector<std::string> args = {std::to_string(dpi)};
  std::vector<fs::path> files;
  for (int64_t n : pages) {
    args.push_back(std::to_string(n));
    char name[32];
    std::snprintf(name, sizeof name, "%04lld.png", static_cast<long long>(n));
    files.push_back(out_dir / name);
  }
  std::vector<std::string> lines;
  WENKU_TRY(RunPdfTool("Drawing this PDF's pages for text recognition", "raster", pdf, "", args,
                       out_dir, progress, &lines));
  for (const auto& line : lines) {
    if (line.rfind("blank ", 0) != 0) continue;
    int64_t n = std::strtoll(line.c_str() + 6, nullptr, 10);
    for (size_t i = 0; i < pages.size(); ++i) {
      if (pages[i] == n) files[i].clear();
    }
  }
  return files;
}

Result<std::vector<UnpackedMember>> PdfConverter::UnpackArchive(const fs::path& archive,
                                                                const fs::path& out_dir,
                                                                const ProgressFn& progress) const {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  WENKU_TRY(tools_.Run("__archive", "Unpacking this archive",
                       {fs::absolute(archive).string(), fs::absolute(out_dir).string()}, out_dir,
                       {archive}, progress));
  std::ifstream in(out_dir / "members.jsonl", std::ios::binary);
  std::vector<UnpackedMember> members;
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return MakeError(ErrorCode::kConversionFailed, "The archive's file list was unreadable.");
    }
    // The list comes from a child that read a hostile archive: every field is checked for
    // its type (json::value would throw on a string where a number belongs).
    auto integer = [&](const char* key) -> std::optional<int64_t> {
      auto it = j.find(key);
      if (it == j.end()) return int64_t{0};
      if (!it->is_number_integer()) return std::nullopt;
      return it->get<int64_t>();
    };
    auto text = [&](const char* key) -> std::optional<std::string> {
      auto it = j.find(key);
      if (it == j.end() || it->is_null()) return std::string();
      if (!it->is_string()) return std::nullopt;
      return it->get<std::string>();
    };
    auto idx = integer("idx"), size = integer("size");
    auto path = text("path"), note = text("note"), file = text("file");
    if (!idx || !size || !path || !note || !file) {
      return MakeError(ErrorCode::kConversionFailed, "The archive's file list was unreadable.");
    }
    UnpackedMember m;
    m.member.idx = *idx;
    m.member.path = *path;
    m.member.size = *size;
    m.member.note = *note;
    if (!file->empty()) {
      const std::string& name = *file;
      if (name.rfind("m-", 0) != 0 || name.find('/') != std::string::npos) {
        return MakeError(ErrorCode::kConversionFailed, "The archive's file list was unreadable.");
      }
      m.file = out_dir / name;
    }
    members.push_back(std::move(m));
  }
  return members;
}

Result<fs::path> PdfConverter::EpubText(const fs::path& epub, const fs::path& out_dir,
                                        const ProgressFn& progress) const {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  WENKU_TRY(tools_.Run("__epub", "Reading this EPUB",
                       {fs::absolute(epub).string(), fs::absolute(out_dir).string()}, out_dir,
                       {epub}, progress));
  return out_dir / "book.txt";
}

Result<TextConversion> PdfConverter::LayOutTextFile(const fs::path& text_file,
                                                    const fs::path& out_dir,
                                                    const ProgressFn& progress) const {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot create " + out_dir.string());
  std::vector<std::string> lines;
  WENKU_TRY(tools_.Run("__text", "Laying out this text",
                       {fs::absolute(text_file).string(), fs::absolute(out_dir).string()}, out_dir,
                       {text_file}, progress, &lines));
  auto pages = ReadPageTexts(out_dir / "pages.jsonl");
  if (!pages.ok()) return pages.error();
  TextConversion result{out_dir / "document.pdf", std::move(pages).value(), ""};
  for (const auto& l : lines) {
    if (l.rfind("encoding ", 0) == 0) result.encoding = l.substr(9);
  }
  return result;
}

}  // namespace wenku::ingest
