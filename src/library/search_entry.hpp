// SearchEntry: putting one document (back) into the search index from the database — its
// pages' text, title and category words — for the decisions that return a document to
// search after it left or changed (a takedown restored, a moderator's edit: moderation.hpp
// BackInSearch; a disabled account enabled: accounts/user_admin.hpp). Ingest indexes through
// its own stage; `wenku reindex` rebuilds everything.
// Errors: kNotFound (no such document), kIo / kInternal from the index. Callers treat a
// failure as best effort (logged; `wenku reindex` repairs it).
// Threading: as the store and the index (safe for concurrent use).
#pragma once

#include "core/document.hpp"
#include "core/result.hpp"
#include "search/search_index.hpp"
#include "storage/document_store.hpp"

namespace wenku::library {

Status ReturnToSearch(storage::DocumentStore& documents, search::DocumentIndexer& index,
                      DocumentId id);

}  // namespace wenku::library
