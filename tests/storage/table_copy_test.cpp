// storage/table_copy.hpp on two SQLite databases: the table order, a copy interrupted and run
// again, seeded rows overwritten from the source, the marks that tell libraries apart.
// (SQLite → PostgreSQL: tests/integration/migrate_cli_test.cpp.)
#include <algorithm>

#include "storage/migrations.hpp"
#include "storage/storage_fixture.hpp"
#include "storage/table_copy.hpp"

namespace wenku::storage {
namespace {

class TableCopyTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    auto target = OpenEmpty();
    ASSERT_TRUE(target.ok());
    target_ = std::move(target).value();
    ASSERT_TRUE(Migrate(*target_).ok());
  }
  void TearDown() override {
    target_.reset();
    StorageTest::TearDown();
  }
  size_t Position(const std::vector<TableInfo>& tables, const std::string& name) {
    auto it = std::find_if(tables.begin(), tables.end(),
                           [&](const TableInfo& t) { return t.name == name; });
    EXPECT_NE(it, tables.end()) << name;
    return static_cast<size_t>(it - tables.begin());
  }
  std::unique_ptr<Database> target_;
};

TEST_F(TableCopyTest, TablesComeAfterTheTablesTheyReference) {
  auto tables = ListTables(*db_);
  ASSERT_TRUE(tables.ok()) << tables.error().message;
  EXPECT_LT(Position(*tables, "users"), Position(*tables, "documents"));
  EXPECT_LT(Position(*tables, "blobs"), Position(*tables, "documents"));
  EXPECT_LT(Position(*tables, "documents"), Position(*tables, "pages"));
  EXPECT_LT(Position(*tables, "ledger_transactions"), Position(*tables, "ledger_entries"));
  EXPECT_LT(Position(*tables, "ledger_accounts"), Position(*tables, "ledger_entries"));
  EXPECT_LT(Position(*tables, "fingerprints"), Position(*tables, "fingerprint_bands"));
  for (const auto& t : *tables) {
    EXPECT_NE(t.name, "schema_migrations");
    EXPECT_NE(t.name, "library_marks");
  }
  const auto& pages = (*tables)[Position(*tables, "pages")];
  EXPECT_EQ(pages.key, (std::vector<std::string>{"document_id", "n"}));
  EXPECT_TRUE((*tables)[Position(*tables, "ledger_entries")].append_only);
}

TEST_F(TableCopyTest, AnInterruptedCopyRunsAgainToTheSameRows) {
  for (const char* name : {"bob", "carol", "dave", "erin"}) {
    ASSERT_TRUE(users_->Ensure(name, "user", name).ok());
  }
  NewDoc(std::string(64, 'a'));
  NewDoc(std::string(64, 'b'));
  // A seeded row the source changed: the copy must carry the change over the target's seed.
  ASSERT_TRUE(
      db_->Exec("UPDATE ledger_accounts SET balance = 5 WHERE kind = 'platform_grants'").ok());
  ASSERT_TRUE(
      db_->Exec("UPDATE categories SET name_en = 'Schooling' WHERE slug = 'education'").ok());
  auto tables = ListTables(*db_);
  ASSERT_TRUE(tables.ok());
  auto beyond = RowsBeyondMigrations(*target_, *tables);
  ASSERT_TRUE(beyond.ok());
  EXPECT_EQ(*beyond, 0);

  const auto& users = (*tables)[Position(*tables, "users")];
  auto stopped = CopyTable(*db_, *target_, users, 2, [](int64_t n) -> Status {
    if (n >= 2) return MakeError(ErrorCode::kIo, "interrupted");
    return {};
  });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().message, "interrupted");
  EXPECT_EQ(*CountRows(*target_, "users"), 2);

  for (const auto& t : *tables) {
    auto copied = CopyTable(*db_, *target_, t, 2, nullptr);
    ASSERT_TRUE(copied.ok()) << t.name << ": " << copied.error().message;
    EXPECT_EQ(*copied, *CountRows(*db_, t.name)) << t.name;
  }
  for (const auto& t : *tables) {  // and once more: nothing doubles, nothing is refused
    ASSERT_TRUE(CopyTable(*db_, *target_, t, 3, nullptr).ok()) << t.name;
    EXPECT_EQ(*CountRows(*target_, t.name), *CountRows(*db_, t.name)) << t.name;
  }
  auto grants =
      target_->QueryOne("SELECT balance FROM ledger_accounts WHERE kind = 'platform_grants'");
  ASSERT_TRUE(grants.ok());
  EXPECT_EQ(grants->Int(0), 5);
  auto education = target_->QueryOne("SELECT name_en FROM categories WHERE slug = 'education'");
  EXPECT_EQ(education->Text(0), "Schooling");
  auto names = target_->Query("SELECT id, name FROM users ORDER BY id");
  auto source_names = db_->Query("SELECT id, name FROM users ORDER BY id");
  ASSERT_EQ(names->size(), source_names->size());
  for (size_t i = 0; i < names->size(); ++i) {
    EXPECT_EQ((*names)[i].Int(0), (*source_names)[i].Int(0));
    EXPECT_EQ((*names)[i].Text(1), (*source_names)[i].Text(1));
  }
  EXPECT_GT(*RowsBeyondMigrations(*target_, *tables), 0);
  EXPECT_TRUE(ResetIdentities(*target_, *tables).ok());  // nothing to do on SQLite
}

TEST_F(TableCopyTest, EachLibraryKeepsOneIdAndMarksAreKept) {
  auto first = LibraryId(*db_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->size(), 32u);
  EXPECT_EQ(*LibraryId(*db_), *first);
  EXPECT_NE(*LibraryId(*target_), *first);
  EXPECT_FALSE(GetMark(*target_, kCopiedFrom)->has_value());
  ASSERT_TRUE(SetMark(*target_, kCopiedFrom, *first, 1).ok());
  ASSERT_TRUE(SetMark(*target_, kCopiedFrom, *first, 2).ok());
  EXPECT_EQ(GetMark(*target_, kCopiedFrom)->value(), *first);
}

TEST_F(TableCopyTest, NamedBlobsAreOriginalsAndProofs) {
  NewDoc(std::string(64, 'c'));
  auto named = NamedBlobs(*db_);
  ASSERT_TRUE(named.ok()) << named.error().message;
  EXPECT_EQ(*named, std::vector<std::string>{std::string(64, 'c')});
}

}  // namespace
}  // namespace wenku::storage
