// PdfConverter: reads PDFs through the sandboxed pdf_tool child (see pdf_tool.hpp), and lays
// plain text out as PDF pages through the text_tool child, turning what the children report
// into Results: page texts, page images, or an Error whose message a person understands
// ("This PDF is password-protected…", "…took longer than 300 s…").
//
// With a PdfPool (pdf_pool.hpp; App gives one unless `ingest.warm_pdf` is 0), ExtractText,
// Render and Raster run in a warm child when one is idle, else in a cold child of their own
// as without one; either way the same results and the same errors. The other converters are
// always cold.
//
// Threading: safe for concurrent use (each call runs its own child or holds a warm one).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/process_runner.hpp"
#include "core/result.hpp"
#include "ingest/pdf_pool.hpp"
#include "ingest/tool_runner.hpp"

namespace wenku::ingest {

struct RenderOptions {
  int width = 1000;     // page image width in pixels
  int quality = 80;     // WebP quality
  int cover_width = 0;  // also write cover.webp from the first page rendered, when > 0
};

struct TextConversion {
  std::filesystem::path pdf;  // the laid-out pages
  std::vector<Page> pages;    // exactly the text drawn on each page
  std::string encoding;       // what the text was decoded from ("GB18030", "UTF-16LE", …)
};

// Reads a converter's pages.jsonl: one {"n","text","w","h"} a page, in order.
// Errors: kConversionFailed when missing, unreadable or out of order.
Result<std::vector<Page>> ReadPageTexts(const std::filesystem::path& path);

struct UnpackedMember {
  ArchiveMember member;
  std::filesystem::path file;  // its bytes, when unpacked (empty: see member.note)
};

class PdfConverter {
 public:
  // `tool` is the wenku executable (it runs `tool __pdf …`). `pool` (may be null: cold
  // children only) must outlive the converter.
  PdfConverter(ProcessRunner& runner, std::string tool, ProcessLimits limits,
               PdfPool* pool = nullptr)
      : tools_(runner, std::move(tool), limits), pool_(pool) {}

  // The text of every page, page-aligned, in reading order. `work_dir` must exist; the
  // child writes only there. Errors: kEncrypted, kCorrupt, kTimeout, kResourceLimit,
  // kConversionFailed (the reader crashed), kIo.
  Result<std::vector<Page>> ExtractText(const std::filesystem::path& pdf,
                                        const std::filesystem::path& work_dir,
                                        const ProgressFn& progress) const;

  // Writes `out_dir`/NNNN.webp for pages first..last (clamped to the page count) and
  // cover.webp when asked. `out_dir` is created; nothing is written elsewhere.
  // Errors: as ExtractText.
  Status Render(const std::filesystem::path& pdf, const std::filesystem::path& out_dir,
                int64_t first, int64_t last, const RenderOptions& options,
                const ProgressFn& progress) const;

  // Grey PNGs of `pages` at `dpi` for OCR, written to `out_dir`; their paths, in order (an
  // empty path for a blank page, which needs no OCR).
  Result<std::vector<std::filesystem::path>> Raster(const std::filesystem::path& pdf,
                                                    const std::filesystem::path& out_dir, int dpi,
                                                    const std::vector<int64_t>& pages,
                                                    const ProgressFn& progress) const;

  // The files of an archive (`wenku __archive`, see archive_tool.hpp), unpacked into
  // `out_dir` under limits. Errors: kEncrypted, kCorrupt (damaged, zip-slip),
  // kResourceLimit (zip bomb, too many files), and the sandbox's.
  Result<std::vector<UnpackedMember>> UnpackArchive(const std::filesystem::path& archive,
                                                    const std::filesystem::path& out_dir,
                                                    const ProgressFn& progress) const;

  // An EPUB's text in reading order (`wenku __epub`, see epub_tool.hpp), written to
  // `out_dir`/book.txt; its path. Errors: kCorrupt, kEncrypted, kResourceLimit, the sandbox's.
  Result<std::filesystem::path> EpubText(const std::filesystem::path& epub,
                                         const std::filesystem::path& out_dir,
                                         const ProgressFn& progress) const;

  // A plain-text file as pages (`wenku __text`, see text_tool.hpp): encoding detected,
  // decoded, laid out into `out_dir`/document.pdf. Errors: kEmptyFile, kUnsupportedType
  // (binary, not text), kCorrupt (does not decode), kResourceLimit (too long), and the
  // sandbox's kTimeout / kConversionFailed.
  Result<TextConversion> LayOutTextFile(const std::filesystem::path& text_file,
                                        const std::filesystem::path& out_dir,
                                        const ProgressFn& progress) const;

 private:
  // `wenku __pdf COMMAND PDF OUT ARGS…` (OUT: `out_dir`/`out_file`, or `out_dir` when
  // `out_file` is empty) in a warm child of the pool when there is one free, else cold.
  Status RunPdfTool(const std::string& doing, const std::string& command,
                    const std::filesystem::path& pdf, const std::string& out_file,
                    std::vector<std::string> args, const std::filesystem::path& out_dir,
                    const ProgressFn& progress, std::vector<std::string>* lines = nullptr) const;

  ToolRunner tools_;
  PdfPool* pool_;
};

}  // namespace wenku::ingest
