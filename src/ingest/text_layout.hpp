// Text layout: lays UTF-8 text out on A4 pages as a PDF with Pango and cairo (line breaking
// by Unicode rules, CJK punctuation kept off line starts, font fallback through fontconfig for
// scripts the main font lacks), and returns each page's own text — exactly the characters
// drawn on it, so a text document's pages are aligned by construction.
//
// Used by the text converter child (`wenku __text`) for plain-text uploads and by
// `make-sample-pdf` for the bundled samples. Not thread-safe across calls on one cairo
// surface; separate calls are independent.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace wenku::ingest {

struct TextLayoutOptions {
  std::string font = "Noto Serif CJK SC";  // the family for most text
  std::string language = "zh-cn";          // picks CJK glyph variants (zh-cn, zh-tw, ja, …)
  double font_size = 11;
  std::string title;     // drawn bold and larger before the text, if set
  int max_pages = 3000;  // longer text fails instead of running for ever
};

// Each "\n" ends a paragraph (a line of the input); "\f" starts a new page. Writes the PDF
// to `out` and returns the text of each page. Errors: kResourceLimit over max_pages;
// kIo when cairo cannot write.
Result<std::vector<std::string>> LayOutText(
    const std::filesystem::path& out, std::string_view utf8, const TextLayoutOptions& options,
    const std::function<void(int pages)>& progress = nullptr);

}  // namespace wenku::ingest
