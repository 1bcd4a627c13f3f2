// wenku fingerprint — gives a near-duplicate signature to every published or taken-down
// document that has none: those published before migration 6 brought fingerprints. Each
// document's pages are read from the database, signed (NearDuplicates::SignatureOnly: no
// judging, no case opened for old pairs) and registered in a transaction of its own, so
// an interrupted run is continued by running it again (documents already signed are no
// longer listed). Prints how many were signed and how many had too little text.
// A taken-down document signed here starts blocking re-uploads of its text at once.
// Exit status: 0 done, 2 an error (the database, OpenCC's data).
#include <cstdio>

#include "app/commands.hpp"

namespace wenku::app {
namespace {

constexpr int64_t kBatch = 100;

}  // namespace

int RunFingerprint(App& app) {
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "wenku fingerprint: %s\n", e.message.c_str());
    return 2;
  };
  int64_t signed_count = 0, too_short = 0;
  DocumentId cursor = 0;
  for (;;) {
    auto ids = app.fingerprints().UnfingerprintedAfter(cursor, kBatch);
    if (!ids.ok()) return fail(ids.error());
    if (ids->empty()) break;
    for (DocumentId id : *ids) {
      cursor = id;
      auto doc = app.documents().Find(id);
      if (!doc.ok()) continue;  // deleted meanwhile
      auto pages = app.documents().Pages(id, 1, std::max<int64_t>(doc->page_count, 1));
      if (!pages.ok()) return fail(pages.error());
      auto found = app.near_duplicates().SignatureOnly(*pages);
      if (!found.ok()) return fail(found.error());
      Status s = app.db().Transaction(
          [&](storage::Sql& tx) { return app.near_duplicates().Register(tx, id, *found); });
      if (!s.ok()) return fail(s.error());
      (found->signature ? signed_count : too_short) += 1;
    }
  }
  std::printf("%lld documents signed, %lld with too little text to compare\n",
              static_cast<long long>(signed_count), static_cast<long long>(too_short));
  return 0;
}

}  // namespace wenku::app
