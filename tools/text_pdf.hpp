// TextPdf: lays UTF-8 text out on A4 pages with cairo and writes a PDF. Used by the tests
// (PDFs with known text) and by `make run` (the bundled sample documents, made from the
// project's own text in samples/). Not part of the product: uploads are converted by the
// ingest pipeline, never by this.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace wenku::tools {

// Writes `pages` (page k holds the lines pages[k-1], drawn as given) to `path`.
bool WritePdfPages(const std::filesystem::path& path,
                   const std::vector<std::vector<std::string>>& pages);

// Wraps `text` (paragraphs separated by blank lines; a first line starting with "# " is the
// title) to the page width and paginates it. Returns false when cairo fails.
bool WriteTextPdf(const std::filesystem::path& path, const std::string& text);

}  // namespace wenku::tools
