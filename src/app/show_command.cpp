// wenku show ID [--json] — a document's facts, the text of every page and how long each ingest
// stage took ("timings", in the order they ran).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "library/document_json.hpp"

namespace wenku::app {

int RunShow(App& app, int64_t id, bool json) {
  auto doc = app.documents().Find(id);
  if (!doc.ok()) {
    if (json) {
      nlohmann::json e{{"error",
                        {{"code", std::string(ErrorCodeName(doc.error().code))},
                         {"message", doc.error().message}}}};
      std::printf("%s\n", e.dump().c_str());
    } else {
      std::fprintf(stderr, "wenku show: %s\n", doc.error().message.c_str());
    }
    return 1;
  }
  auto pages = app.documents().Pages(id, 1, doc->page_count);
  if (!pages.ok()) {
    std::fprintf(stderr, "wenku show: %s\n", pages.error().message.c_str());
    return 2;
  }
  auto members = app.documents().Members(id);
  if (!members.ok()) {
    std::fprintf(stderr, "wenku show: %s\n", members.error().message.c_str());
    return 2;
  }
  bool is_archive = !members->empty() || doc->format == "zip" || doc->format == "7z" ||
                    doc->format == "rar" || doc->format == "gz" || doc->format == "tar";
  const library::PreviewPages preview{app.settings().GetInt("preview.pages")};
  auto timings = app.documents().Timings(id);
  if (!timings.ok()) {
    std::fprintf(stderr, "wenku show: %s\n", timings.error().message.c_str());
    return 2;
  }
  if (json) {
    nlohmann::json j = library::DocumentJson(library::Operator(), *doc, preview, *pages,
                                             is_archive ? &*members : nullptr);
    // How long each ingest stage took, in the order they ran (operators only: not in the API).
    j["timings"] = nlohmann::json::array();
    for (const auto& t : *timings) {
      j["timings"].push_back({{"stage", t.stage}, {"ms", static_cast<double>(t.micros) / 1000.0}});
    }
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  const Document& d = *doc;
  std::printf("Document %lld: %s\n", static_cast<long long>(d.id), d.title.c_str());
  std::printf("  file      %s (%lld bytes, %s)\n", d.filename.c_str(),
              static_cast<long long>(d.size),
              d.mime_type.empty() ? "type not detected yet" : d.mime_type.c_str());
  std::printf("  owner     %s\n", d.owner_name.c_str());
  std::printf("  state     %s", std::string(DocStateName(d.state)).c_str());
  if (d.state == DocState::kProcessing || d.state == DocState::kQueued) {
    std::printf(" (%s %lld/%lld)", d.progress.stage.c_str(),
                static_cast<long long>(d.progress.done), static_cast<long long>(d.progress.total));
  }
  std::printf("\n");
  if (!d.failure_reason.empty()) std::printf("  reason    %s\n", d.failure_reason.c_str());
  if (d.state == DocState::kReady) {
    std::printf("  pages     %lld (free preview: %lld)\n", static_cast<long long>(d.page_count),
                static_cast<long long>(library::FreePreviewPages(d, preview)));
    std::printf("  images    derived/%lld/pages/\n", static_cast<long long>(d.id));
    if (!timings->empty()) {
      int64_t total = 0;
      std::string parts;
      for (const auto& t : *timings) {
        total += t.micros;
        char part[96];
        std::snprintf(part, sizeof part, "%s%s %.1f", parts.empty() ? "" : ", ", t.stage.c_str(),
                      static_cast<double>(t.micros) / 1000.0);
        parts += part;
      }
      std::printf("  ingest    %.1f ms: %s\n", static_cast<double>(total) / 1000.0, parts.c_str());
    }
  }
  std::printf("  sha256    %s\n", d.blob_sha256.c_str());
  for (const ArchiveMember& m : *members) {
    std::printf("  member    %s (%lld bytes)%s%s\n", m.path.c_str(), static_cast<long long>(m.size),
                m.document_id ? (" → document " + std::to_string(m.document_id)).c_str() : "",
                m.note.empty() ? "" : (" — " + m.note).c_str());
  }
  for (const Page& p : *pages) {
    std::printf("\n--- page %lld%s ---\n%s\n", static_cast<long long>(p.n),
                p.source != TextSource::kNone ? ""
                : d.text_pending              ? " (no text yet: being recognised)"
                                              : " (no text)",
                p.text.c_str());
  }
  return 0;
}

int RunPageImage(App& app, int64_t id, int64_t n) {
  auto name = app.page_images().Draw(id, n);
  if (!name.ok()) {
    std::fprintf(stderr, "wenku page-image: %s\n", name.error().message.c_str());
    return 1;
  }
  auto info = app.derived().Stat(id, *name);
  if (!info.ok()) {
    std::fprintf(stderr, "wenku page-image: %s\n", info.error().message.c_str());
    return 1;
  }
  // Where it is depends on the `blobs` setting: derived/<id>/<name> in the data folder or
  // the bucket.
  std::printf("derived/%lld/%s %lld bytes\n", static_cast<long long>(id), name->c_str(),
              static_cast<long long>(info->size));
  return 0;
}

}  // namespace wenku::app
