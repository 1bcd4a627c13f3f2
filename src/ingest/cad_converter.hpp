// CadConverter: DWG and DXF drawings (ASCII and binary) as PDF pages with their text.
//
// Two sandboxed children, the same sandbox as every converter (sandbox.hpp):
//   1. Node runs tools/cad/render.mjs: LibreDWG's WebAssembly build reads DWG, dxf-json reads
//      DXF; the renderer writes one SVG per page (model space, then each paper-space layout
//      with content), fitted to the drawing's extents, and drawing.json with each page's text
//      (TEXT/MTEXT/ATTRIB, formatting codes stripped), the layer names and the title block's
//      attributes. It speaks the converter protocol (tool_runner.hpp). V8 reserves address
//      space for WebAssembly memory, so Node runs with --disable-wasm-trap-handler and its
//      own limits (cad.memory_mb).
//   2. rsvg-convert (librsvg + cairo) turns the SVG pages into one PDF, which the pipeline then
//      renders like any other (page images, cover).
// Refusals that explain: more entities than cad.max_entities (resource_limit), a DWG version
// LibreDWG does not read (named), a file it cannot read at all ("LibreDWG error N: …").
// A DWG that reads with errors but still yields entities is drawn (its warning is logged).
//
// Threading: safe for concurrent use (each call starts its own children).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/result.hpp"
#include "ingest/tool_runner.hpp"

namespace wenku::ingest {

struct CadOptions {
  std::string node = "/usr/bin/node";
  std::string rsvg_convert = "/usr/bin/rsvg-convert";
  std::filesystem::path tool_dir;  // render.mjs and its node_modules
  int64_t max_entities = 200'000;
  ProcessLimits limits;  // for Node (memory_mb: WebAssembly needs more than parsers)
};

struct CadDrawing {
  std::filesystem::path pdf;
  std::vector<Page> pages;  // 1..N with their text and size
  std::string version;      // "AutoCAD 2007", "DXF AutoCAD 2018", …
  int64_t entities = 0;
  std::vector<std::string> layers;                               // besides "0" and Defpoints
  std::vector<std::pair<std::string, std::string>> title_block;  // ATTRIB tag, value
  std::string warning;  // LibreDWG's errors on a drawing it still read
};

// "图层 Layers: …" and the title block's attributes, for a document's description.
std::string DescribeDrawing(const CadDrawing& d);

class CadConverter {
 public:
  CadConverter(ProcessRunner& runner, CadOptions options);

  // `original` ("dwg" or "dxf" by `format`) as PDF pages under `work_dir`.
  // Errors: the renderer's document errors (kCorrupt, kUnsupportedType, kResourceLimit);
  // kUnavailable when the renderer is not installed (scripts/install-deps.sh); the sandbox's
  // kTimeout / kResourceLimit / kConversionFailed.
  Result<CadDrawing> ToPdf(const std::filesystem::path& original, const std::string& format,
                           const std::filesystem::path& work_dir, const ProgressFn& progress) const;

  // OK when Node, the renderer and its npm packages are where the options say. Errors:
  // kUnavailable naming what is missing.
  Status Installed() const;

  const CadOptions& options() const { return options_; }

 private:
  ToolRunner tools_;
  CadOptions options_;
};

}  // namespace wenku::ingest
