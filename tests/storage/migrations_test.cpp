#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

class MigrationsTest : public BothBackendsTest {};
WENKU_ON_BOTH_BACKENDS(MigrationsTest);

TEST_P(MigrationsTest, RunOnceAndRecordTheirVersion) {
  auto again = Migrate(*db_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);  // everything already applied in SetUp
  auto v = db_->QueryOne("SELECT MAX(version) FROM schema_migrations");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->Int(0), LatestSchemaVersion());
}

TEST_P(MigrationsTest, RefuseADatabaseNewerThanTheBinary) {
  ASSERT_TRUE(
      db_->Exec(
             "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
          .ok());
  auto r = Migrate(*db_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("newer"), std::string::npos);
}

TEST_P(MigrationsTest, ForeignKeysAreEnforced) {
  auto r = db_->Exec("INSERT INTO pages (document_id, n, text) VALUES (12345, 1, 'x')");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST_P(MigrationsTest, TransactionRollsBackOnError) {
  Status s = db_->Transaction([](Sql& tx) -> Status {
    WENKU_TRY(tx.Exec("INSERT INTO users (name, role, created_at) VALUES ('bob', 'user', 0)"));
    return MakeError(ErrorCode::kInvalidInput, "changed my mind");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(users_->FindByName("bob").ok());
}

}  // namespace
}  // namespace wenku::storage
