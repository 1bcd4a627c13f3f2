#include "ingest/text_tool.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "ingest/text_decoder.hpp"
#include "ingest/text_layout.hpp"
#include "ingest/tool_runner.hpp"

namespace wenku::ingest {
namespace {

// CJK glyphs differ between regions: pick the Noto variant (and Pango language) for the text.
void ChooseFont(const std::string& encoding, TextLayoutOptions* o) {
  if (encoding == "SHIFT_JIS" || encoding == "EUC-JP" || encoding == "ISO-2022-JP") {
    o->font = "Noto Serif CJK JP";
    o->language = "ja";
  } else if (encoding == "BIG5" || encoding == "EUC-TW") {
    o->font = "Noto Serif CJK TC";
    o->language = "zh-tw";
  } else if (encoding == "EUC-KR" || encoding == "UHC") {
    o->font = "Noto Serif CJK KR";
    o->language = "ko";
  }
}

int Convert(const std::string& in, const std::filesystem::path& out_dir) {
  auto bytes = ReadFile(in);
  if (!bytes.ok()) return ToolDocumentError("io", "cannot read the text file");
  auto decoded = DecodeText(*bytes);
  if (!decoded.ok()) {
    return ToolDocumentError(std::string(ErrorCodeName(decoded.error().code)),
                             decoded.error().message);
  }
  std::printf("encoding %s\n", decoded->encoding.c_str());
  std::fflush(stdout);
  TextLayoutOptions options;
  ChooseFont(decoded->encoding, &options);
  auto pages = LayOutText(out_dir / "document.pdf", decoded->utf8, options, [](int n) {
    if (n % 10 == 0) {
      std::printf("progress %d 0\n", n);
      std::fflush(stdout);
    }
  });
  if (!pages.ok())
    return ToolDocumentError(std::string(ErrorCodeName(pages.error().code)), pages.error().message);
  std::ofstream out(out_dir / "pages.jsonl", std::ios::binary | std::ios::trunc);
  for (size_t i = 0; i < pages->size(); ++i) {
    nlohmann::json j{{"n", i + 1}, {"w", 595}, {"h", 842}, {"text", (*pages)[i]}};
    out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  out.close();
  if (!out) return ToolDocumentError("io", "cannot write the page texts");
  return 0;
}

}  // namespace

int RunTextTool(const std::vector<std::string>& args) {
  return RunInOutTool("text", args, Convert);
}

}  // namespace wenku::ingest
