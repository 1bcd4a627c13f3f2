// FakeIndexer: a search index for tests of the code that puts documents into it and takes
// them out (moderation, deletion, disabling accounts) — it records each call and what it
// holds now, and can be told to fail removals.
#pragma once

#include <set>

#include "search/search_index.hpp"

namespace wenku::testing {

class FakeIndexer final : public search::DocumentIndexer {
 public:
  Status Replace(const search::IndexedDocument& doc) override {
    replaced.insert(doc.id);
    held.insert(doc.id);
    return {};
  }
  Status Remove(DocumentId id) override {
    removed.insert(id);
    if (fail) return MakeError(ErrorCode::kIo, "index locked");
    held.erase(id);
    return {};
  }
  std::set<DocumentId> replaced;  // every document ever written
  std::set<DocumentId> removed;   // every document ever asked to leave
  std::set<DocumentId> held;      // what the index holds now
  bool fail = false;              // removals fail with kIo
};

}  // namespace wenku::testing
