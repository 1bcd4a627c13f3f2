// View helpers: what every page needs (the layout's fields: site name, viewer, CSRF token,
// language switch), rendering a page template into the layout, the one mapping from an
// error code to an HTTP status, and error answers as a page or as API JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/document.hpp"
#include "core/result.hpp"
#include "web/context.hpp"
#include "web/templates.hpp"

namespace wenku::web {

// The fields the layout uses, for a page titled `page_title`.
View BaseView(Context& ctx, const std::string& page_title);
// Renders `tmpl` with `view` (made from BaseView) and puts it into the layout.
Response RenderPage(Context& ctx, std::string_view tmpl, View view, int status = 200);
// A page with a heading and a message (errors, confirmations), from catalog keys.
Response MessagePage(Context& ctx, int status, std::string_view heading_key,
                     const std::string& message);

// The one mapping from error codes to HTTP statuses.
int HttpStatus(ErrorCode code);
// `{"error":{"code":…,"message":…}}`.
Response ApiError(int status, std::string_view code, const std::string& message);
// The error as the caller expects it: JSON under /api/, else a page (a login redirect for
// kUnauthenticated; kBusy: 503 with Retry-After). Internal errors are logged and shown
// without detail.
Response Fail(Context& ctx, const Error& error);
// A search that could not be answered (kIo: the search service or index unreachable):
// logged with its detail; the visitor gets 503 and "search is unavailable" (a page under
// /d/…, JSON code "search_unavailable" under /api/), never the internal message.
// Other errors go to Fail.
Response SearchFailed(Context& ctx, const Error& error);
Response NotFound(Context& ctx);

// How deep a listing may be paged (`?page=`, the pages and GET /api/v1/documents): at most
// this page, 20 a page — 2,000 documents; deeper asks are answered with the last page. An
// OFFSET costs the rows it skips, so an unbounded one lets a visitor make each request
// read the whole library; past this depth, search and the filters are the way in.
inline constexpr int64_t kMaxListingPage = 100;
// Seconds a busy visitor is told to wait before trying again (Retry-After).
inline constexpr int kRetryAfterSeconds = 3;

// Answers once work done elsewhere is ready: the dispatcher keeps this Context, the server
// keeps the connection but frees the handler thread, and `deferred.finish` runs on a
// handler thread once `deferred.on_ready` fired (or the request timeout passed). The action
// returns what this returns.
Response AnswerLater(Context& ctx, Deferred deferred);

// Display helpers.
std::string SizeLabel(int64_t bytes);                // "1.2 MB"
std::string DateLabel(int64_t epoch_ms);             // "2026-11-26"
std::string FormatLabel(const std::string& format);  // "PDF", "DOCX", …
std::string PriceLabel(Lang lang, int64_t price);
std::string PathSegment(std::string_view text);  // percent-encoded for a URL path
// Documents as the doc_list template shows them.
ViewList DocListView(Context& ctx, const std::vector<Document>& docs, bool show_state);

// A template flag.
inline View::type Flag(bool on) { return on ? View::type::bool_true : View::type::bool_false; }
// One <option> of a filter's <select>: {value, label, selected}.
View SelectOption(const std::string& value, const std::string& label, bool selected);
// A page read with one row more than `per_page` (the way a listing learns whether there is
// a next page): drops that row and says whether it was there.
template <typename Row>
bool TrimToPage(std::vector<Row>& rows, int64_t per_page) {
  if (static_cast<int64_t>(rows.size()) <= per_page) return false;
  rows.resize(static_cast<size_t>(per_page));
  return true;
}
std::string CoverUrl(const Document& doc);

}  // namespace wenku::web
