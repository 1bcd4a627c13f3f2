// Categories: the list a document is filed under — a slug (in URLs, the database and the
// index) and its Chinese and English names, in the order pages list them. The list lives in
// the database (the categories table, storage/category_store.hpp); admins change it on
// /admin/categories and through the API. This service is the one place its rules live:
//
//   slug         [a-z0-9-], 1..kMaxCategorySlug characters, unique; never changes
//   names        Chinese and English, surrounding white space dropped, 1..kMaxCategoryName
//                characters of valid UTF-8 without control characters
//   hidden       not offered (upload form, home page, search filters, GET /api/v1/categories,
//                the sitemap); /c/{slug} is for moderators only; a document already filed
//                there keeps it and shows its name as usual. kDefaultCategory ("other")
//                cannot be hidden, and no category can be removed (documents point at it).
//   filing       a submission (library::Submit) may name a known category that is not
//                hidden (MayFileUnder); "" means kDefaultCategory
//   who          changes: admins only (kForbidden otherwise); each is written to the audit
//                log (document 0) with the change as its note, in the same transaction
//
// Search: the index holds a document's category slug only (C<slug>); a query word equal to
// a category's name (or one of its space-separated words) also matches that category's
// documents (SearchNames, read when the query is built). So a rename takes effect on the
// next search, in every process, and nothing is re-indexed.
//
// Cache: the list is read from the store once and kept in memory. A change made through this
// service drops the copy at once; a copy older than `refresh_ms` (kCategoryRefreshMs, 5 s)
// is read again, so a change made by another process (a second web node, `wenku worker`,
// the CLI) is seen within that time. A change itself starts from the stored list.
// Errors of the changes: kInvalidInput (message: the field at fault — "slug", "name_zh",
// "name_en", "hidden"), kConflict ("slug": taken), kNotFound, kForbidden, kIo.
// Threading: safe for concurrent use.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "library/access.hpp"
#include "storage/category_store.hpp"

namespace wenku::library {

struct Category {
  std::string slug;
  std::string zh;
  std::string en;
  bool hidden = false;
  int64_t position = 0;  // the list's order
};

inline constexpr std::string_view kDefaultCategory = "other";
inline constexpr size_t kMaxCategorySlug = 32;  // characters
inline constexpr size_t kMaxCategoryName = 20;  // characters (code points)
inline constexpr int64_t kCategoryRefreshMs = 5000;

class Categories {
 public:
  Categories(storage::CategoryStore& store, const Clock& clock,
             int64_t refresh_ms = kCategoryRefreshMs)
      : store_(store), clock_(clock), refresh_ms_(refresh_ms) {}

  // Every category, hidden ones too, in order (the admin page).
  std::vector<Category> All();
  // The categories offered to visitors: not hidden, in order.
  std::vector<Category> Offered();
  // The category with this slug, hidden or not.
  std::optional<Category> Find(std::string_view slug);
  // Whether a document may be filed under `slug` now: known and not hidden.
  bool MayFileUnder(std::string_view slug);
  // Whether `visitor` may see the listing of `slug` (/c/{slug}): known, and not hidden or
  // the visitor a moderator.
  bool MayList(Visitor visitor, std::string_view slug);
  // (name, slug) for every name and every space-separated word of a name, lower-case, of
  // every category (hidden ones too: their documents stay searchable).
  std::vector<std::pair<std::string, std::string>> SearchNames();

  // Changes (admins only).
  Status Add(Visitor actor, const std::string& slug, const std::string& zh, const std::string& en);
  // New names; the slug stays.
  Status Rename(Visitor actor, const std::string& slug, const std::string& zh,
                const std::string& en);
  // One place up (`steps` < 0) or down (> 0); at either end nothing changes.
  Status Move(Visitor actor, const std::string& slug, int steps);
  Status SetHidden(Visitor actor, const std::string& slug, bool hidden);

 private:
  std::shared_ptr<const std::vector<Category>> Snapshot();
  void Invalidate();

  storage::CategoryStore& store_;
  const Clock& clock_;
  const int64_t refresh_ms_;
  std::mutex mu_;
  std::shared_ptr<const std::vector<Category>> cache_;
  int64_t loaded_at_ = 0;
};

}  // namespace wenku::library
