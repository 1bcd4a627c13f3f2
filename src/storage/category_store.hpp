// CategoryStore: the rows of the categories table (migration 8) — slug, Chinese and English
// names, position (the order pages list them in), hidden — and nothing else: which changes
// are allowed is library::Categories' (library/categories.hpp). Every write records its
// audit entry (CaseStore::Log, the one audit log) in the same transaction, so a change and
// its record are one unit of work.
//
// CategoryStore is an interface so that the service can be tested on a fake; SqlCategoryStore
// is the one over the database.
// Threading: SqlCategoryStore is safe for concurrent use.
#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/case_store.hpp"
#include "storage/database.hpp"

namespace wenku::storage {

struct CategoryRow {
  std::string slug;
  std::string name_zh;
  std::string name_en;
  int64_t position = 0;
  bool hidden = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

class CategoryStore {
 public:
  virtual ~CategoryStore() = default;
  // Every category, hidden ones too, by position (then slug).
  virtual Result<std::vector<CategoryRow>> List() = 0;
  // Adds `row` after the last one (its position is ignored). Errors: kConflict when the
  // slug is taken (nothing is written).
  virtual Status Insert(const CategoryRow& row, const AuditEntry& audit) = 0;
  // Writes names, position and hidden of each row, found by slug, all or none.
  // Errors: kNotFound when a slug is not there (nothing is written).
  virtual Status Update(const std::vector<CategoryRow>& rows, const AuditEntry& audit) = 0;
};

class SqlCategoryStore final : public CategoryStore {
 public:
  SqlCategoryStore(Database& db, CaseStore& audit, const Clock& clock)
      : db_(db), audit_(audit), clock_(clock) {}

  Result<std::vector<CategoryRow>> List() override;
  Status Insert(const CategoryRow& row, const AuditEntry& audit) override;
  Status Update(const std::vector<CategoryRow>& rows, const AuditEntry& audit) override;

 private:
  Database& db_;
  CaseStore& audit_;
  const Clock& clock_;
};

}  // namespace wenku::storage
