// The index's layout, shared by the writer and the searcher (see index.hpp): term
// prefixes and value slots. Changing any of these needs `wenku reindex`.
#pragma once

#include <string>

#include "core/document.hpp"

namespace wenku::search::schema {

// Term prefixes (body terms have none; folded terms never start with an upper-case letter).
inline constexpr const char* kTitle = "S";
inline constexpr const char* kMeta = "E";  // description, category name, uploader
inline constexpr const char* kDocument = "D";
inline constexpr const char* kFormat = "F";
inline constexpr const char* kCategory = "C";
inline constexpr const char* kFree = "P0";
inline constexpr const char* kPaid = "P1";

inline std::string DocumentTerm(DocumentId id) { return kDocument + std::to_string(id); }
inline std::string PageTerm(DocumentId id, int64_t n) {
  return "Q" + std::to_string(id) + "-" + std::to_string(n);
}

// Value slots.
inline constexpr unsigned kSlotDocument = 0;    // decimal id: the collapse key
inline constexpr unsigned kSlotPage = 1;        // sortable_serialise(n)
inline constexpr unsigned kSlotPageCount = 2;   // sortable_serialise
inline constexpr unsigned kSlotCreated = 3;     // sortable_serialise(ms)
inline constexpr unsigned kSlotDownloads = 4;   // sortable_serialise
inline constexpr unsigned kSlotPopularity = 5;  // sortable_serialise(weight), added to BM25

}  // namespace wenku::search::schema
