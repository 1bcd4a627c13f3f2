#include "ingest/cad_converter.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "core/text.hpp"
#include "library/submit.hpp"

namespace wenku::ingest {

std::string DescribeDrawing(const CadDrawing& d) {
  std::string out;
  if (!d.title_block.empty()) {
    out += "标题栏 Title block:";
    for (const auto& [tag, value] : d.title_block) {
      if (value.empty()) continue;
      out += " " + tag + ": " + value + ";";
    }
    out += "\n";
  }
  if (!d.layers.empty()) {
    out += "图层 Layers:";
    size_t shown = 0;
    for (const auto& l : d.layers) {
      if (++shown > 60) {
        out += " …";
        break;
      }
      out += (shown == 1 ? " " : ", ") + l;
    }
    out += "\n";
  }
  return TruncateCodePoints(out, library::kMaxDescription);
}

CadConverter::CadConverter(ProcessRunner& runner, CadOptions options)
    : tools_(runner, "", options.limits), options_(std::move(options)) {}

Status CadConverter::Installed() const {
  std::error_code ec;
  if (!std::filesystem::exists(options_.node, ec)) {
    return MakeError(ErrorCode::kUnavailable,
                     "Node.js is not installed at " + options_.node + " (cad.node)");
  }
  for (const char* part : {"render.mjs", "node_modules/@mlightcad/libredwg-web/package.json",
                           "node_modules/@mlightcad/dxf-json/package.json"}) {
    if (!std::filesystem::exists(options_.tool_dir / part, ec)) {
      return MakeError(ErrorCode::kUnavailable,
                       "the CAD renderer is not installed: " + (options_.tool_dir / part).string() +
                           " is missing (run scripts/install-deps.sh)");
    }
  }
  return {};
}

Result<CadDrawing> CadConverter::ToPdf(const std::filesystem::path& original,
                                       const std::string& format,
                                       const std::filesystem::path& work_dir,
                                       const ProgressFn& progress) const {
  WENKU_TRY(Installed());
  const auto tool = options_.tool_dir / "render.mjs";
  std::error_code ec;
  const auto out = std::filesystem::absolute(work_dir / "cad");
  std::filesystem::create_directories(out, ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot create " + out.string() + ": " + ec.message());

  // 1. The drawing as SVG pages and their text.
  const long heap_mb = std::max(256L, options_.limits.memory_mb / 3);
  WENKU_TRY(tools_.RunProgram({options_.node, "--disable-wasm-trap-handler",
                               "--max-old-space-size=" + std::to_string(heap_mb), tool.string(),
                               std::filesystem::absolute(original).string(), out.string(), format,
                               std::to_string(options_.max_entities)},
                              "Reading this drawing", out, {original, options_.tool_dir},
                              options_.limits, progress));

  auto json = ReadFile(out / "drawing.json");
  if (!json.ok()) {
    return MakeError(ErrorCode::kConversionFailed, "Reading this drawing failed (no result).");
  }
  CadDrawing d;
  std::vector<std::string> svgs;
  try {
    auto j = nlohmann::json::parse(*json);
    d.version = j.value("version", "");
    d.entities = j.value("entities", int64_t{0});
    d.warning = j.value("warning", "");
    for (const auto& l : j.at("layers")) d.layers.push_back(l.get<std::string>());
    for (const auto& t : j.at("title_block")) {
      d.title_block.emplace_back(t.at(0).get<std::string>(), t.at(1).get<std::string>());
    }
    int64_t n = 0;
    for (const auto& p : j.at("pages")) {
      Page page;
      page.n = ++n;
      page.text = p.at("text").get<std::string>();
      page.source = TextSource::kLayer;  // a drawing's text is its entities: nothing to OCR
      page.width_pt = p.at("width_pt").get<int64_t>();
      page.height_pt = p.at("height_pt").get<int64_t>();
      const auto svg = p.at("svg").get<std::string>();
      // Names the renderer made; still, nothing but page-N.svg in its own folder.
      if (svg != "page-" + std::to_string(n) + ".svg") {
        return MakeError(ErrorCode::kConversionFailed, "Reading this drawing failed.");
      }
      svgs.push_back((out / svg).string());
      d.pages.push_back(std::move(page));
    }
  } catch (const nlohmann::json::exception& e) {
    return MakeError(ErrorCode::kConversionFailed,
                     std::string("Reading this drawing failed (") + e.what() + ").");
  }
  if (d.pages.empty()) {
    return MakeError(ErrorCode::kCorrupt, "This drawing is empty: it has nothing to draw.");
  }

  // 2. The pages as one PDF.
  d.pdf = out / "drawing.pdf";
  std::vector<std::string> argv = {options_.rsvg_convert, "--format=pdf",
                                   "--output=" + d.pdf.string()};
  argv.insert(argv.end(), svgs.begin(), svgs.end());
  WENKU_TRY(
      tools_.RunProgram(argv, "Drawing this drawing's pages", out, {}, options_.limits, nullptr));
  if (!std::filesystem::is_regular_file(d.pdf, ec)) {
    return MakeError(ErrorCode::kConversionFailed, "Drawing this drawing's pages failed.");
  }
  return d;
}

}  // namespace wenku::ingest
