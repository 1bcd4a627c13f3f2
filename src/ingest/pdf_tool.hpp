// pdf_tool: the Poppler side of ingest, run as a sandboxed child process
// (`wenku __pdf …`, started through a ProcessRunner) so that a hostile PDF can only
// crash or exhaust that child. It never touches the database.
//
//   wenku __pdf text   IN OUT.jsonl
//       writes one JSON object per page {"n","w","h","text"} (text as pdftotext's
//       reading order gives it), printing "progress K N" lines on stdout as it goes.
//   wenku __pdf render IN OUT_DIR FIRST LAST WIDTH QUALITY [COVER_WIDTH]
//       writes OUT_DIR/NNNN.webp for pages FIRST..LAST, WIDTH pixels wide, and
//       OUT_DIR/cover.webp (page FIRST, COVER_WIDTH wide) when COVER_WIDTH > 0, printing
//       "progress K LAST" as each page image is written.
//   wenku __pdf raster IN OUT_DIR DPI PAGE…
//       writes OUT_DIR/NNNN.png (grey, for OCR) of the listed pages; prints "blank N" instead
//       for a page with nothing on it.
//   wenku __pdf serve CPU_SECONDS
//       a warm child (pdf_pool.hpp): one command a line on stdin, a JSON array of the
//       arguments above (["text", IN, OUT.jsonl], …), each answered by its progress lines
//       and then one last line, "ok" or its "error CODE MESSAGE"; each command gets
//       CPU_SECONDS of CPU from its start. Ends when stdin closes, or as the cold tool would.
//
// It speaks the converter protocol of tool_runner.hpp (progress lines, exit status 2 with
// "error CODE MESSAGE" when the PDF itself is the problem: encrypted, corrupt, …).
#pragma once

#include <string>
#include <vector>

namespace wenku::ingest {

// Entry point for `wenku __pdf ARGS…`; `args` excludes "__pdf". Returns the exit status.
int RunPdfTool(const std::vector<std::string>& args);

}  // namespace wenku::ingest
