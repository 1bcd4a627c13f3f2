// wenku-convert: the converter children alone — `wenku-convert __pdf|__text|__epub|__archive
// ARGS…`, the same entry points as `wenku __pdf …` (main.cpp) — in a binary that links only
// the libraries they use (--as-needed, with ld.bfd: mold keeps every library listed). Every
// document starts two or more converter children in the sandbox, and the whole wenku binary
// loads 117 shared libraries: resolving them took ~16 ms a start and ~10% of a PDF import's
// CPU (bench/profile_ingest: ld.so's do_lookup_x and _dl_relocate_object). PdfConverter
// runs this binary when it sits beside wenku (App::ConverterPath), else wenku itself.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "ingest/archive_tool.hpp"
#include "ingest/epub_tool.hpp"
#include "ingest/pdf_tool.hpp"
#include "ingest/text_tool.hpp"

int main(int argc, char** argv) {
  const std::string tool = argc >= 2 ? argv[1] : "";
  const std::vector<std::string> args(argv + std::min(argc, 2), argv + argc);
  if (tool == "__pdf") return wenku::ingest::RunPdfTool(args);
  if (tool == "__archive") return wenku::ingest::RunArchiveTool(args);
  if (tool == "__epub") return wenku::ingest::RunEpubTool(args);
  if (tool == "__text") return wenku::ingest::RunTextTool(args);
  std::fprintf(stderr, "usage: wenku-convert __pdf|__text|__epub|__archive ARGS…\n");
  return 64;
}
