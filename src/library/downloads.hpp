// Downloads: which requests for a document's original count as a download, and how often.
// The one rule, below the web layer (web/actions/document_download.cpp asks here):
//
//   what counts     a GET (never HEAD) whose response sends the file from its first byte:
//                   200, or 206 starting at byte 0. A resumption or a probe from a later byte
//                   (Range: bytes=100-) is the same download continued, not another one.
//   how often       at most once per (document, user) per calendar day in site.time_zone:
//                   reloading, or a download manager's several requests, count once.
//
// The count feeds documents.downloads (popular listings, the search index) and the
// `downloads` table (/admin/stats). Downloading needs a login, so the user is always known.
// Threading: CountsAsDownload is pure; CountDownload is as safe as DocumentStore.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/document.hpp"
#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "storage/document_store.hpp"

namespace wenku::library {

// `method` the request's ("GET", "HEAD"), `status` the response's, `first_byte` the offset
// its body starts at.
bool CountsAsDownload(std::string_view method, int status, int64_t first_byte);

// Counts `user`'s download of `id` unless they already had one counted on the calendar day
// (in `zone`) holding `now_ms`. Returns whether it was counted. REQUIRES: user != 0.
// Errors: kIo.
Result<bool> CountDownload(storage::DocumentStore& documents, const TimeZone& zone, int64_t now_ms,
                           DocumentId id, UserId user);

}  // namespace wenku::library
