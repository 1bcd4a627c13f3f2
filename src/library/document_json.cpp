#include "library/document_json.hpp"

#include <algorithm>
#include <charconv>

namespace wenku::library {
namespace {

// A whole number from 1 with at most 9 digits, or 0.
int64_t PositiveNumber(std::string_view text) {
  if (text.empty() || text.size() > 9) return 0;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1) return 0;
  return n;
}

}  // namespace

Result<PageWindow> ParsePageWindow(std::string_view from, std::string_view limit) {
  PageWindow w;
  if (!from.empty()) w.from = PositiveNumber(from);
  if (!limit.empty()) w.limit = std::min(PositiveNumber(limit), kMaxPagesPerAnswer);
  if (w.from < 1 || w.limit < 1) {
    return MakeError(ErrorCode::kInvalidInput, "pages_window_invalid");
  }
  return w;
}

PageSlice SlicePages(int64_t visible, PageWindow window) {
  PageSlice s;
  s.first = window.from;
  s.last = std::min(visible, window.from + window.limit - 1);
  if (s.last < visible) s.next_from = s.last + 1;
  if (s.empty()) s.next_from = 0;
  return s;
}

void AddPaging(nlohmann::json& j, DocumentId id, PageWindow window, const PageSlice& slice) {
  j["pages_from"] = window.from;
  j["pages_limit"] = window.limit;
  j["pages_next"] = slice.next_from == 0
                        ? nlohmann::json(nullptr)
                        : nlohmann::json("/api/v1/documents/" + std::to_string(id) +
                                         "?pages_from=" + std::to_string(slice.next_from) +
                                         "&pages_limit=" + std::to_string(window.limit));
}

nlohmann::json DocumentJson(Visitor visitor, const Document& d, PreviewPages preview,
                            const std::vector<Page>& visible_pages,
                            const std::vector<ArchiveMember>* members) {
  nlohmann::json j;
  j["id"] = d.id;
  j["title"] = d.title;
  j["description"] = d.description;
  j["category"] = d.category;
  j["owner"] = d.owner_name;
  j["format"] = d.format;
  j["mime_type"] = d.mime_type;
  j["size"] = d.size;
  if (MaySeeFileDetails(visitor, d)) {
    j["filename"] = d.filename;
    j["sha256"] = d.blob_sha256;
  }
  j["price"] = d.price;
  j["state"] = std::string(DocStateName(d.state));
  j["progress"] = {
      {"stage", d.progress.stage}, {"done", d.progress.done}, {"total", d.progress.total}};
  j["failure_reason"] =
      d.failure_reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.failure_reason);
  j["failure_code"] =
      d.failure_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.failure_code);
  j["page_count"] = d.page_count;
  j["text_pending"] = d.text_pending;  // pages without text are being recognised
  j["preview_pages"] = FreePreviewPages(d, preview);
  j["views"] = d.views;
  j["downloads"] = d.downloads;
  j["created_at"] = d.created_at;
  j["cover"] = d.state == DocState::kReady
                   ? nlohmann::json("/d/" + std::to_string(d.id) + "/cover.webp")
                   : nlohmann::json(nullptr);
  nlohmann::json pages = nlohmann::json::array();
  for (const Page& p : visible_pages) {
    pages.push_back(
        {{"n", p.n},
         {"text", p.text},
         {"text_source", std::string(TextSourceName(p.source))},
         {"image", "/d/" + std::to_string(d.id) + "/pages/" + std::to_string(p.n) + ".webp"}});
  }
  j["pages"] = std::move(pages);
  j["parent_id"] = d.parent_id ? nlohmann::json(d.parent_id) : nlohmann::json(nullptr);
  if (members != nullptr) {
    nlohmann::json list = nlohmann::json::array();
    for (const ArchiveMember& m : *members) {
      list.push_back(
          {{"path", m.path},
           {"size", m.size},
           {"document_id", m.document_id ? nlohmann::json(m.document_id) : nlohmann::json(nullptr)},
           {"note", m.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.note)}});
    }
    j["members"] = std::move(list);
  }
  return j;
}

}  // namespace wenku::library
