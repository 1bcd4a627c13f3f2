// The categories table's SQL (category_store.hpp).
#include "storage/category_store.hpp"

namespace wenku::storage {

Result<std::vector<CategoryRow>> SqlCategoryStore::List() {
  auto rows = db_.Query(
      "SELECT slug, name_zh, name_en, position, hidden, created_at, updated_at FROM categories "
      "ORDER BY position, slug");
  if (!rows.ok()) return rows.error();
  std::vector<CategoryRow> out;
  for (const auto& r : *rows) {
    out.push_back(
        CategoryRow{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4) != 0, r.Int(5), r.Int(6)});
  }
  return out;
}

Status SqlCategoryStore::Insert(const CategoryRow& row, const AuditEntry& audit) {
  const int64_t now = clock_.NowMs();
  return db_.Transaction([&](Sql& tx) -> Status {
    auto taken = tx.Query("SELECT 1 FROM categories WHERE slug = ?", {row.slug});
    if (!taken.ok()) return taken.error();
    if (!taken->empty()) {
      return MakeError(ErrorCode::kConflict, "category \"" + row.slug + "\" exists");
    }
    WENKU_TRY(tx.Exec(
        "INSERT INTO categories (slug, name_zh, name_en, position, hidden, created_at, "
        "updated_at) SELECT ?, ?, ?, COALESCE(MAX(position), -1) + 1, ?, ?, ? FROM categories",
        {row.slug, row.name_zh, row.name_en, int64_t{row.hidden ? 1 : 0}, now, now}));
    return audit_.Log(tx, audit);
  });
}

Status SqlCategoryStore::Update(const std::vector<CategoryRow>& rows, const AuditEntry& audit) {
  const int64_t now = clock_.NowMs();
  return db_.Transaction([&](Sql& tx) -> Status {
    for (const auto& row : rows) {
      auto changed = tx.Query(
          "UPDATE categories SET name_zh = ?, name_en = ?, position = ?, hidden = ?, "
          "updated_at = ? WHERE slug = ? RETURNING slug",
          {row.name_zh, row.name_en, row.position, int64_t{row.hidden ? 1 : 0}, now, row.slug});
      if (!changed.ok()) return changed.error();
      if (changed->empty()) {
        return MakeError(ErrorCode::kNotFound, "no category \"" + row.slug + "\"");
      }
    }
    return audit_.Log(tx, audit);
  });
}

}  // namespace wenku::storage
