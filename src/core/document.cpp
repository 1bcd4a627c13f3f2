#include "core/document.hpp"

namespace wenku {

std::string_view DocStateName(DocState s) {
  switch (s) {
    case DocState::kQueued:
      return "queued";
    case DocState::kProcessing:
      return "processing";
    case DocState::kReady:
      return "ready";
    case DocState::kFailed:
      return "failed";
    case DocState::kTakenDown:
      return "taken_down";
  }
  return "queued";
}

std::optional<DocState> ParseDocState(std::string_view name) {
  for (DocState s : {DocState::kQueued, DocState::kProcessing, DocState::kReady, DocState::kFailed,
                     DocState::kTakenDown}) {
    if (DocStateName(s) == name) return s;
  }
  return std::nullopt;
}

bool IsDrawingFormat(std::string_view format) { return format == "dxf" || format == "dwg"; }

std::string_view TextSourceName(TextSource s) {
  switch (s) {
    case TextSource::kLayer:
      return "layer";
    case TextSource::kOcr:
      return "ocr";
    case TextSource::kNone:
      return "none";
  }
  return "none";
}

}  // namespace wenku
