// The category rules and the cached list (categories.hpp).
#include "library/categories.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/text.hpp"

namespace wenku::library {
namespace {

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool SlugOk(std::string_view slug) {
  if (slug.empty() || slug.size() > kMaxCategorySlug) return false;
  return std::all_of(slug.begin(), slug.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool NameOk(std::string_view name) {
  if (name.empty() || !IsValidUtf8(name) || CodePointCount(name) > kMaxCategoryName) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status CheckAdmin(Visitor actor) {
  if (actor == nullptr || !actor->IsAdmin()) {
    return MakeError(ErrorCode::kForbidden, "only admins change categories");
  }
  return {};
}

Status CheckNames(const std::string& zh, const std::string& en) {
  if (!NameOk(zh)) return MakeError(ErrorCode::kInvalidInput, "name_zh");
  if (!NameOk(en)) return MakeError(ErrorCode::kInvalidInput, "name_en");
  return {};
}

storage::AuditEntry Entry(Visitor actor, std::string action, std::string note) {
  storage::AuditEntry e;
  e.actor = actor->id;
  e.actor_name = actor->name;
  e.action = std::move(action);
  e.note = std::move(note);
  return e;
}

storage::CategoryRow Row(const Category& c, int64_t position) {
  storage::CategoryRow r;
  r.slug = c.slug;
  r.name_zh = c.zh;
  r.name_en = c.en;
  r.position = position;
  r.hidden = c.hidden;
  return r;
}

}  // namespace

std::shared_ptr<const std::vector<Category>> Categories::Snapshot() {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMs();
  if (cache_ && now >= loaded_at_ && now - loaded_at_ < refresh_ms_) return cache_;
  auto rows = store_.List();
  if (!rows.ok()) {
    spdlog::warn("categories: cannot read the list: {}", rows.error().message);
    if (!cache_) return std::make_shared<const std::vector<Category>>();
    return cache_;  // the last list read; tried again on the next call
  }
  auto list = std::make_shared<std::vector<Category>>();
  for (const auto& r : *rows)
    list->push_back(Category{r.slug, r.name_zh, r.name_en, r.hidden, r.position});
  cache_ = std::move(list);
  loaded_at_ = now;
  return cache_;
}

void Categories::Invalidate() {
  std::lock_guard lock(mu_);
  cache_.reset();
}

std::vector<Category> Categories::All() { return *Snapshot(); }

std::vector<Category> Categories::Offered() {
  std::vector<Category> out;
  for (const auto& c : *Snapshot()) {
    if (!c.hidden) out.push_back(c);
  }
  return out;
}

std::optional<Category> Categories::Find(std::string_view slug) {
  for (const auto& c : *Snapshot()) {
    if (c.slug == slug) return c;
  }
  return std::nullopt;
}

bool Categories::MayFileUnder(std::string_view slug) {
  auto c = Find(slug);
  return c && !c->hidden;
}

bool Categories::MayList(Visitor visitor, std::string_view slug) {
  auto c = Find(slug);
  return c && (!c->hidden || (visitor != nullptr && visitor->IsModerator()));
}

std::vector<std::pair<std::string, std::string>> Categories::SearchNames() {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const std::string& name, const std::string& slug) {
    const std::string lower = Lower(name);
    out.emplace_back(lower, slug);
    size_t start = 0;
    while (start < lower.size()) {
      size_t end = lower.find(' ', start);
      if (end == std::string::npos) end = lower.size();
      if (end > start && !(start == 0 && end == lower.size())) {
        out.emplace_back(lower.substr(start, end - start), slug);
      }
      start = end + 1;
    }
  };
  for (const auto& c : *Snapshot()) {
    add(c.zh, c.slug);
    add(c.en, c.slug);
  }
  return out;
}

Status Categories::Add(Visitor actor, const std::string& slug, const std::string& zh,
                       const std::string& en) {
  WENKU_TRY(CheckAdmin(actor));
  Invalidate();  // a change starts from the stored list, not a copy up to 5 s old
  if (!SlugOk(slug)) return MakeError(ErrorCode::kInvalidInput, "slug");
  const std::string z = Trim(zh), e = Trim(en);
  WENKU_TRY(CheckNames(z, e));
  if (Find(slug)) return MakeError(ErrorCode::kConflict, "slug");
  storage::CategoryRow row;
  row.slug = slug;
  row.name_zh = z;
  row.name_en = e;
  Status s = store_.Insert(row, Entry(actor, "category_add", slug + ": " + z + " / " + e));
  Invalidate();
  if (!s.ok() && s.error().code == ErrorCode::kConflict) {
    return MakeError(ErrorCode::kConflict, "slug");
  }
  return s;
}

Status Categories::Rename(Visitor actor, const std::string& slug, const std::string& zh,
                          const std::string& en) {
  WENKU_TRY(CheckAdmin(actor));
  Invalidate();  // a change starts from the stored list, not a copy up to 5 s old
  const std::string z = Trim(zh), e = Trim(en);
  WENKU_TRY(CheckNames(z, e));
  auto list = All();
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].slug != slug) continue;
    const std::string note = slug + ": " + list[i].zh + " / " + list[i].en + " -> " + z + " / " + e;
    list[i].zh = z;
    list[i].en = e;
    Status s =
        store_.Update({Row(list[i], list[i].position)}, Entry(actor, "category_rename", note));
    Invalidate();
    return s;
  }
  return MakeError(ErrorCode::kNotFound, "no category \"" + slug + "\"");
}

Status Categories::Move(Visitor actor, const std::string& slug, int steps) {
  WENKU_TRY(CheckAdmin(actor));
  Invalidate();  // a change starts from the stored list, not a copy up to 5 s old
  auto list = All();
  auto it =
      std::find_if(list.begin(), list.end(), [&](const Category& c) { return c.slug == slug; });
  if (it == list.end()) return MakeError(ErrorCode::kNotFound, "no category \"" + slug + "\"");
  const auto from = static_cast<int64_t>(it - list.begin());
  const int64_t to = std::clamp<int64_t>(from + (steps < 0   ? -1
                                                 : steps > 0 ? 1
                                                             : 0),
                                         0, static_cast<int64_t>(list.size()) - 1);
  if (to == from) return {};
  std::swap(list[static_cast<size_t>(from)], list[static_cast<size_t>(to)]);
  // Every position written again (0, 1, 2, …): positions stay distinct whatever they were.
  std::vector<storage::CategoryRow> rows;
  for (size_t i = 0; i < list.size(); ++i) rows.push_back(Row(list[i], static_cast<int64_t>(i)));
  Status s = store_.Update(
      rows, Entry(actor, steps < 0 ? "category_up" : "category_down",
                  slug + ": " + std::to_string(from + 1) + " -> " + std::to_string(to + 1)));
  Invalidate();
  return s;
}

Status Categories::SetHidden(Visitor actor, const std::string& slug, bool hidden) {
  WENKU_TRY(CheckAdmin(actor));
  Invalidate();  // a change starts from the stored list, not a copy up to 5 s old
  if (hidden && slug == kDefaultCategory) return MakeError(ErrorCode::kInvalidInput, "hidden");
  auto list = All();
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].slug != slug) continue;
    if (list[i].hidden == hidden) return {};
    list[i].hidden = hidden;
    Status s = store_.Update({Row(list[i], list[i].position)},
                             Entry(actor, hidden ? "category_hide" : "category_show", slug));
    Invalidate();
    return s;
  }
  return MakeError(ErrorCode::kNotFound, "no category \"" + slug + "\"");
}

}  // namespace wenku::library
