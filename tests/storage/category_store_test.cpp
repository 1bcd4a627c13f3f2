// SqlCategoryStore over a migrated SQLite file: migration 8's seed (today's list in today's
// order), adding at the end, a taken slug refused, updates all-or-none, and each write's
// audit entry in the one audit log (document 0 stored as NULL).
#include <gtest/gtest.h>

#include "storage/category_store.hpp"
#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

class CategoryStoreTest : public BothBackendsTest {
 protected:
  AuditEntry Entry(const std::string& action) {
    AuditEntry e;
    e.actor = 0;
    e.actor_name = "operator";
    e.action = action;
    e.note = "test";
    return e;
  }
  std::vector<std::string> Slugs() {
    auto rows = category_store_->List();
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> out;
    for (const auto& r : *rows) out.push_back(r.slug);
    return out;
  }
};
WENKU_ON_BOTH_BACKENDS(CategoryStoreTest);

TEST_P(CategoryStoreTest, MigrationEightSeedsTheListInItsOrder) {
  EXPECT_EQ(Slugs(),
            (std::vector<std::string>{"education", "exam", "business", "technology", "engineering",
                                      "medicine", "law", "literature", "guides", "other"}));
  auto rows = category_store_->List();
  EXPECT_EQ((*rows)[0].name_zh, "教育");
  EXPECT_EQ((*rows)[0].name_en, "Education");
  EXPECT_FALSE((*rows)[0].hidden);
}

TEST_P(CategoryStoreTest, InsertAppendsAndRefusesATakenSlugWritingNothing) {
  clock_.Advance(5);
  CategoryRow row{"music", "音乐", "Music", 0, false, 0, 0};
  ASSERT_TRUE(category_store_->Insert(row, Entry("category_add")).ok());
  auto rows = category_store_->List();
  ASSERT_EQ(rows->size(), 11u);
  EXPECT_EQ(rows->back().slug, "music");
  EXPECT_EQ(rows->back().position, 10);
  EXPECT_EQ(rows->back().created_at, clock_.NowMs());

  Status again = category_store_->Insert(row, Entry("category_add"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto log = audit_->RecentAudit(10);
  ASSERT_EQ(log->size(), 1u);  // the refused insert logged nothing
  EXPECT_EQ((*log)[0].action, "category_add");
  EXPECT_EQ((*log)[0].document, 0);
}

TEST_P(CategoryStoreTest, UpdateWritesEveryRowOrNone) {
  auto rows = *category_store_->List();
  CategoryRow law = rows[6];
  law.name_zh = "法学";
  law.hidden = true;
  law.position = 0;
  CategoryRow education = rows[0];
  education.position = 6;
  ASSERT_TRUE(category_store_->Update({law, education}, Entry("category_up")).ok());
  EXPECT_EQ(Slugs()[0], "law");
  EXPECT_EQ(Slugs()[6], "education");
  auto after = *category_store_->List();
  EXPECT_EQ(after[0].name_zh, "法学");
  EXPECT_TRUE(after[0].hidden);

  CategoryRow ghost{"ghost", "鬼", "Ghost", 1, false, 0, 0};
  CategoryRow exam = after[1];
  exam.name_zh = "changed";
  Status s = category_store_->Update({exam, ghost}, Entry("category_rename"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_EQ((*category_store_->List())[1].name_zh, "考试");  // rolled back
  EXPECT_EQ(audit_->RecentAudit(10)->size(), 1u);
}

}  // namespace
}  // namespace wenku::storage
