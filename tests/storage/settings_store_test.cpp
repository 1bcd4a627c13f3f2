// SettingsStore over a migrated SQLite file: one row a key, replaced in place, with who and
// when; Remove forgets a key.
#include "storage/settings_store.hpp"

#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

class SettingsStoreTest : public BothBackendsTest {};
WENKU_ON_BOTH_BACKENDS(SettingsStoreTest);

TEST_P(SettingsStoreTest, PutReplacesTheValueAndRemembersWhoAndWhen) {
  SettingsStore store(*db_, clock_);
  ASSERT_TRUE(
      db_->Transaction([&](Sql& tx) { return store.Put(tx, "preview.pages", "2", owner_); }).ok());
  clock_.Advance(1000);
  ASSERT_TRUE(
      db_->Transaction([&](Sql& tx) { return store.Put(tx, "preview.pages", "4", 0); }).ok());
  ASSERT_TRUE(
      db_->Transaction([&](Sql& tx) { return store.Put(tx, "site.name", "书库", owner_); }).ok());
  auto all = store.All();
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].key, "preview.pages");
  EXPECT_EQ((*all)[0].value, "4");
  EXPECT_EQ((*all)[0].updated_by, 0);  // the operator: NULL
  EXPECT_EQ((*all)[0].updated_at, clock_.NowMs());
  EXPECT_EQ((*all)[1].key, "site.name");
  EXPECT_EQ((*all)[1].value, "书库");
  EXPECT_EQ((*all)[1].updated_by, owner_);

  ASSERT_TRUE(db_->Transaction([&](Sql& tx) { return store.Remove(tx, "site.name"); }).ok());
  all = store.All();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].key, "preview.pages");
}

}  // namespace
}  // namespace wenku::storage
