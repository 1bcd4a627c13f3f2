// wenku reindex [--restart] — rebuilds the search index from the database: every ready
// document's pages written again (replaced, never doubled), then whatever the index holds
// for documents that are no longer ready removed. Resumable: the last document written is
// committed with each batch (index metadata "wenku.reindex.cursor"), so an interrupted
// run continues where it stopped; --restart begins from the first document. Each batch
// takes the write lock only while it writes, so a running server keeps indexing uploads.
#include <unistd.h>

#include <cstdio>
#include <set>

#include "app/commands.hpp"
#include "core/text.hpp"
#include "search/library_search.hpp"

namespace wenku::app {
namespace {

constexpr const char* kCursor = "wenku.reindex.cursor";
constexpr int64_t kBatch = 50;

}  // namespace

int RunReindex(App& app, bool restart) {
  auto writer = app.search().writer();
  if (!writer.ok()) {
    std::fprintf(stderr, "wenku reindex: %s\n", writer.error().message.c_str());
    return 2;
  }
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "\nwenku reindex: %s\n", e.message.c_str());
    return 2;
  };
  DocumentId cursor = 0;
  {
    auto batch = (*writer)->Begin();
    if (!batch.ok()) return fail(batch.error());
    std::string saved = (*batch)->GetMetadata(kCursor);
    if (!restart && !saved.empty()) {
      cursor = std::strtoll(saved.c_str(), nullptr, 10);
      std::fprintf(stderr, "resuming after document %lld\n", static_cast<long long>(cursor));
    }
  }
  auto total = app.documents().CountReady();
  if (!total.ok()) return fail(total.error());
  const bool tty = isatty(2) != 0;
  int64_t done = 0, pages = 0;
  auto started = std::chrono::steady_clock::now();
  for (;;) {
    auto ids = app.documents().ReadyIdsAfter(cursor, kBatch);
    if (!ids.ok()) return fail(ids.error());
    if (ids->empty()) break;
    auto batch = (*writer)->Begin();
    if (!batch.ok()) return fail(batch.error());
    for (DocumentId id : *ids) {
      auto doc = app.documents().Find(id);
      if (!doc.ok()) continue;  // deleted meanwhile
      auto text = app.documents().Pages(id, 1, std::max<int64_t>(doc->page_count, 1));
      if (!text.ok()) return fail(text.error());
      Status s = (*batch)->Replace(search::ToIndexed(*doc, *text));
      if (!s.ok()) return fail(s.error());
      pages += static_cast<int64_t>(text->size());
      ++done;
    }
    cursor = ids->back();
    (*batch)->SetMetadata(kCursor, std::to_string(cursor));
    if (Status s = (*batch)->Commit(); !s.ok()) return fail(s.error());
    if (tty) {
      std::fprintf(stderr, "\r  %s %lld/%lld documents, %lld pages", Bar(done, *total, 40).c_str(),
                   static_cast<long long>(done), static_cast<long long>(*total),
                   static_cast<long long>(pages));
      std::fflush(stderr);
    }
  }
  if (tty) std::fputs("\n", stderr);
  // What the index holds for documents that are not ready (deleted, failed, taken down).
  int64_t removed = 0;
  {
    auto searcher = app.search().searcher();
    if (!searcher.ok()) return fail(searcher.error());
    auto indexed = (*searcher)->DocumentIds();
    if (!indexed.ok()) return fail(indexed.error());
    auto batch = (*writer)->Begin();
    if (!batch.ok()) return fail(batch.error());
    for (DocumentId id : *indexed) {
      auto doc = app.documents().Find(id);
      if (doc.ok() && library::Searchable(*doc)) continue;
      if (Status s = (*batch)->Remove(id); !s.ok()) return fail(s.error());
      ++removed;
    }
    (*batch)->SetMetadata(kCursor, "");
    if (Status s = (*batch)->Commit(); !s.ok()) return fail(s.error());
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("reindexed %lld documents (%lld pages) in %.1f s; removed %lld stale\n",
              static_cast<long long>(done), static_cast<long long>(pages), seconds,
              static_cast<long long>(removed));
  return 0;
}

}  // namespace wenku::app
