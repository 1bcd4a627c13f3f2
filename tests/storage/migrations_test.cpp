#include <thread>
#include <vector>

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

TEST_P(MigrationsTest, ProcessesStartingAtOnceMigrateOnceBetweenThem) {
  // Four handles on one empty database, as four processes starting together would be:
  // every migration runs once, and every one of them ends with the newest schema.
  constexpr int kProcesses = 4;
  auto first = OpenEmpty();
  ASSERT_TRUE(first.ok()) << first.error().message;
  std::vector<std::unique_ptr<Database>> handles;
  handles.push_back(std::move(first).value());
  for (int i = 1; i < kProcesses; ++i) {
    auto again = backend() == Backend::kSqlite ? OpenSqlite((dir_ / "empty0.db").string())
                                               : OpenPostgres(extra_.back());
    ASSERT_TRUE(again.ok()) << again.error().message;
    handles.push_back(std::move(again).value());
  }
  std::vector<Result<int>> results(kProcesses, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] { results[i] = Migrate(*handles[i]); });
  }
  for (auto& t : threads) t.join();
  int ran = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.error().message;
    ran += *r;
  }
  // Versions need not be contiguous (numbers are handed out to branches ahead of merging).
  auto v = handles[0]->QueryOne("SELECT COUNT(*), MAX(version) FROM schema_migrations");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(ran, v->Int(0));
  EXPECT_EQ(v->Int(1), LatestSchemaVersion());
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
