#include "library/search_entry.hpp"

#include <algorithm>

#include "search/library_search.hpp"

namespace wenku::library {

Status ReturnToSearch(storage::DocumentStore& documents, search::DocumentIndexer& index,
                      DocumentId id) {
  auto doc = documents.Find(id);
  if (!doc.ok()) return doc.error();
  auto pages = documents.Pages(id, 1, std::max<int64_t>(doc->page_count, 1));
  if (!pages.ok()) return pages.error();
  return index.Replace(search::ToIndexed(*doc, *pages));
}

}  // namespace wenku::library
