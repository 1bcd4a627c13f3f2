// text_tool: plain text to pages, run as a sandboxed child (`wenku __text IN OUT_DIR`):
// detects the encoding and decodes (text_decoder.hpp), lays the text out as a PDF
// (text_layout.hpp) and writes
//   OUT_DIR/document.pdf    the pages
//   OUT_DIR/pages.jsonl     one {"n","text"} a page: exactly the text drawn on it
// and prints "encoding NAME". Speaks the converter protocol of tool_runner.hpp.
#pragma once

#include <string>
#include <vector>

namespace wenku::ingest {

// Entry point for `wenku __text ARGS…`; `args` excludes "__text". Returns the exit status.
int RunTextTool(const std::vector<std::string>& args);

}  // namespace wenku::ingest
