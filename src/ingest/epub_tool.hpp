// epub_tool: an EPUB's text in reading order, as a sandboxed child (`wenku __epub IN OUT_DIR`).
// Unpacks the book in memory with libarchive (the archive limits of archive_tool.hpp),
// follows META-INF/container.xml to the package document, and reads the spine's XHTML
// documents in order with libxml2's tolerant HTML parser: block elements become line
// breaks, scripts and styles are dropped. Writes OUT_DIR/book.txt (UTF-8, the title first);
// the text converter then lays it out as pages. Images and styling are not kept: Debian's
// LibreOffice cannot open EPUB, and the text is what readers search and quote.
// Speaks the converter protocol of tool_runner.hpp.
#pragma once

#include <string>
#include <vector>

namespace wenku::ingest {

int RunEpubTool(const std::vector<std::string>& args);

}  // namespace wenku::ingest
