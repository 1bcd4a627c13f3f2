// `wenku backup` / `wenku restore` (a round trip on a real library) and `wenku migrate-to`
// (SQLite + local blobs → PostgreSQL + Ceph RGW): interrupted by the test hook, run again,
// verified, and the target used by `wenku ledger check` and `wenku check`; the refusals a
// user meets (not empty, another library, unreachable, wrong keys).
#include <gtest/gtest.h>

#include <fstream>

#include "app/commands.hpp"
#include "blob/s3_blob_store.hpp"
#include "core/files.hpp"
#include "integration/integration_support.hpp"
#include "storage/migrations.hpp"
#include "storage/table_copy.hpp"
#include "support/postgres_cluster.hpp"
#include "support/rgw.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

// wenku … --data DATA, with stderr (where errors and progress go) joined to stdout.
CommandResult Wenku(const fs::path& data, std::vector<std::string> args,
                    const std::vector<std::string>& env = {}) {
  args.insert(args.begin(), {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1", WenkuBinary()});
  args.insert(args.end(), {"--data", data.string()});
  return RunCommand(args, env);
}

// A small library: three users, points granted (ledger rows), one ingested PDF (a document,
// its pages, its blob, a cover).
void MakeLibrary(const fs::path& dir, const fs::path& data) {
  ASSERT_TRUE(MakePdf(dir / "年报.pdf", {{"年度报告 第1页", "annual report one"},
                                         {"年度报告 第2页", "annual report two"}}));
  ImportRun run = Import(data, {(dir / "年报.pdf").string()}, {"--owner", "alice"});
  ASSERT_EQ(run.status, 0);
  ASSERT_EQ(run.rows.size(), 1u);
  ASSERT_EQ(run.rows[0]["state"], "ready");
  for (const char* name : {"bob", "carol"}) {
    ASSERT_EQ(Wenku(data, {"user", "add", name, "--password", "correct horse"}).status, 0);
  }
  ASSERT_EQ(Wenku(data, {"points", "grant", "bob", "30", "--memo", "欢迎"}).status, 0);
  ASSERT_EQ(Wenku(data, {"points", "grant", "carol", "7"}).status, 0);
}

// Every table's row count, and the rows of the tables a user would notice.
std::map<std::string, std::string> Snapshot(storage::Database& db) {
  std::map<std::string, std::string> out;
  auto tables = storage::ListTables(db);
  EXPECT_TRUE(tables.ok()) << tables.error().message;
  if (!tables.ok()) return out;
  for (const auto& t : *tables) out[t.name] = std::to_string(*storage::CountRows(db, t.name));
  for (const char* sql :
       {"SELECT id, name, role FROM users ORDER BY id",
        "SELECT id, title, blob_sha256, state, page_count FROM documents ORDER BY id",
        "SELECT id, kind, user_id, balance FROM ledger_accounts ORDER BY id",
        "SELECT tx_id, account_id, amount, balance_after FROM ledger_entries ORDER BY id"}) {
    auto rows = db.Query(sql);
    EXPECT_TRUE(rows.ok());
    std::string text;
    for (const auto& r : *rows) {
      for (size_t i = 0; i < r.size(); ++i) text += r.Text(i) + "|";
      text += "\n";
    }
    out[sql] = text;
  }
  return out;
}

std::map<std::string, std::string> SnapshotOf(const fs::path& data) {
  auto db = storage::OpenSqlite((data / "wenku.db").string());
  EXPECT_TRUE(db.ok());
  return Snapshot(**db);
}

TEST(IntegrationBackupTest, RoundTripRestoresTheSameRowsAndBlobsAndChecksClean) {
  TempDir dir;
  const fs::path data = dir / "data", backup = dir / "backup", restored = dir / "restored";
  MakeLibrary(dir.path(), data);

  CommandResult made = Wenku(data, {"backup", backup.string()});
  ASSERT_EQ(made.status, 0) << made.out;
  EXPECT_NE(made.out.find("backed up " + backup.string()), std::string::npos) << made.out;
  EXPECT_NE(made.out.find("1 blobs"), std::string::npos) << made.out;
  EXPECT_TRUE(fs::exists(backup / "manifest.json"));
  CommandResult again = Wenku(data, {"backup", backup.string()});
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.out.find("is not empty"), std::string::npos) << again.out;

  CommandResult back = Wenku(restored, {"restore", backup.string()});
  ASSERT_EQ(back.status, 0) << back.out;
  EXPECT_EQ(SnapshotOf(restored), SnapshotOf(data));
  // The same blobs, byte for byte; the cover came along.
  EXPECT_EQ(CountFiles(restored / "blobs"), 1u);
  for (auto& e : fs::recursive_directory_iterator(data / "blobs")) {
    if (!e.is_regular_file()) continue;
    fs::path twin = restored / "blobs" / fs::relative(e.path(), data / "blobs");
    ASSERT_TRUE(fs::exists(twin)) << twin;
    EXPECT_EQ(*Sha256File(twin), e.path().filename().string());
  }
  EXPECT_EQ(CountFiles(restored / "derived"), CountFiles(data / "derived"));
  CommandResult check = Wenku(restored, {"check"});
  EXPECT_EQ(check.status, 0) << check.out;
  EXPECT_NE(check.out.find("0 problem(s)"), std::string::npos) << check.out;
  CommandResult search = Wenku(restored, {"search", "annual"});
  EXPECT_NE(search.out.find("年报"), std::string::npos) << search.out;
  EXPECT_EQ(Wenku(restored, {"ledger", "check"}).status, 0);

  // Not over a library.
  CommandResult over = Wenku(restored, {"restore", backup.string()});
  EXPECT_EQ(over.status, 2);
  EXPECT_NE(over.out.find("already holds a library"), std::string::npos) << over.out;

  // A damaged blob is found before anything is placed.
  for (auto& e : fs::recursive_directory_iterator(backup / "blobs")) {
    if (!e.is_regular_file()) continue;
    fs::path p = e.path();
    fs::remove(p);  // a hard link to the library's own blob: replace, do not write through
    std::ofstream(p) << "not the original bytes";
  }
  CommandResult damaged = Wenku(dir / "restored2", {"restore", backup.string()});
  EXPECT_EQ(damaged.status, 1);
  EXPECT_NE(damaged.out.find("is damaged"), std::string::npos) << damaged.out;
  EXPECT_FALSE(fs::exists(dir / "restored2" / "wenku.db"));
}

class IntegrationMigrateToTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Rgw::Get().ok()) << Rgw::Get().reason();
    auto url = FreshPostgresDatabase();
    ASSERT_TRUE(url.ok()) << url.error().message;
    urls_.push_back(*url);
    blobs_ = RgwBlobsSetting(UniqueBucket());
  }
  void TearDown() override {
    for (const auto& u : urls_) DropPostgresDatabase(u);
  }
  std::vector<std::string> urls_;
  std::string blobs_;
};

TEST_F(IntegrationMigrateToTest, AnInterruptedCopyContinuesAndIsVerified) {
  TempDir dir;
  const fs::path data = dir / "data";
  MakeLibrary(dir.path(), data);
  const std::string& url = urls_[0];

  {  // The first run stops after 5 rows (test hook), two rows a batch.
    auto config = Config::Load("", {{"data", data.string()}});
    ASSERT_TRUE(config.ok());
    auto app = app::App::Open(*config);
    ASSERT_TRUE(app.ok()) << app.error().message;
    app::MigrateToOptions o{url, blobs_, 2, 5};
    EXPECT_EQ(app::RunMigrateTo(**app, o), 1);
  }
  {
    auto pg = storage::OpenPostgres(url);
    ASSERT_TRUE(pg.ok());
    auto src_db = storage::OpenSqlite((data / "wenku.db").string());
    ASSERT_TRUE(src_db.ok());
    auto tables = storage::ListTables(**src_db);
    ASSERT_TRUE(tables.ok());
    int64_t there = 0, here = 0;
    for (const auto& t : *tables) {
      there += *storage::CountRows(**pg, t.name);
      here += *storage::CountRows(**src_db, t.name);
    }
    EXPECT_GE(there, 5);
    EXPECT_LT(there, here);  // stopped part way
  }

  CommandResult run = Wenku(data, {"migrate-to", "--database", url, "--blobs", blobs_});
  ASSERT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("resuming the copy"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("verified: row counts equal, every blob read back"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("1 blobs (1 uploaded now"), std::string::npos) << run.out;
  // The cover and the preview pages drawn at ingest go along (derived/<id>/… in the bucket).
  const std::string derived_line = "derived files: " + std::to_string(CountFiles(data / "derived"));
  EXPECT_NE(run.out.find(derived_line + " (" + std::to_string(CountFiles(data / "derived")) +
                         " uploaded now)"),
            std::string::npos)
      << run.out;
  {
    auto pg = storage::OpenPostgres(url);
    ASSERT_TRUE(pg.ok());
    auto source = SnapshotOf(data);
    // The PostgreSQL side lists its tables from the source's schema: compare the same keys.
    auto src_db = storage::OpenSqlite((data / "wenku.db").string());
    auto tables = storage::ListTables(**src_db);
    ASSERT_TRUE(tables.ok());
    for (const auto& t : *tables) {
      EXPECT_EQ(std::to_string(*storage::CountRows(**pg, t.name)), source[t.name]) << t.name;
    }
    for (const char* sql :
         {"SELECT id, name, role FROM users ORDER BY id",
          "SELECT id, title, blob_sha256, state, page_count FROM documents ORDER BY id",
          "SELECT id, kind, user_id, balance FROM ledger_accounts ORDER BY id",
          "SELECT tx_id, account_id, amount, balance_after FROM ledger_entries ORDER BY id"}) {
      auto rows = (*pg)->Query(sql);
      ASSERT_TRUE(rows.ok()) << sql;
      std::string text;
      for (const auto& r : *rows) {
        for (size_t i = 0; i < r.size(); ++i) text += r.Text(i) + "|";
        text += "\n";
      }
      EXPECT_EQ(text, source[sql]) << sql;
    }
    // Identity sequences continue after the copied ids.
    auto next =
        (*pg)->QueryOne("INSERT INTO users (name, created_at) VALUES ('dave', 0) RETURNING id");
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_GT(next->Int(0), std::stoll(source["users"]));
    ASSERT_TRUE((*pg)->Exec("DELETE FROM users WHERE name = 'dave'").ok());
  }
  // The target works as a library: the ledger balances, rows and blobs agree.
  const fs::path node = dir / "node";
  std::vector<std::string> on_target = {"--set", "database=" + url, "--set", "blobs=" + blobs_};
  auto with_target = [&](std::vector<std::string> args) {
    args.insert(args.end(), on_target.begin(), on_target.end());
    return Wenku(node, args);
  };
  CommandResult ledger = with_target({"ledger", "check"});
  EXPECT_EQ(ledger.status, 0) << ledger.out;
  EXPECT_NE(ledger.out.find("ledger ok"), std::string::npos) << ledger.out;
  ASSERT_EQ(with_target({"reindex"}).status, 0);
  CommandResult check = with_target({"check"});
  EXPECT_EQ(check.status, 0) << check.out;
  EXPECT_NE(check.out.find("checked 1 blobs on disk, 1 blob rows, 1 referenced"), std::string::npos)
      << check.out;
  EXPECT_EQ(check.out.find("problem: blob"), std::string::npos) << check.out;

  // Run again: nothing to copy, verified again.
  CommandResult third = Wenku(data, {"migrate-to", "--database", url, "--blobs", blobs_});
  EXPECT_EQ(third.status, 0) << third.out;
  EXPECT_NE(third.out.find("0 copied now"), std::string::npos) << third.out;
  EXPECT_NE(third.out.find(derived_line + " (0 uploaded now)"), std::string::npos) << third.out;
  EXPECT_NE(third.out.find("0 uploaded now, 1 already there"), std::string::npos) << third.out;

  // Another library into the same target: refused.
  const fs::path other = dir / "other";
  ASSERT_EQ(Wenku(other, {"user", "add", "mallory", "--password", "correct horse"}).status, 0);
  CommandResult mixed = Wenku(other, {"migrate-to", "--database", url, "--blobs", blobs_});
  EXPECT_EQ(mixed.status, 2);
  EXPECT_NE(mixed.out.find("holds a copy of another library"), std::string::npos) << mixed.out;
}

TEST_F(IntegrationMigrateToTest, RefusesATargetInUseAnUnreachableOneAndWrongKeys) {
  TempDir dir;
  const fs::path data = dir / "data";
  ASSERT_EQ(Wenku(data, {"user", "add", "alice", "--password", "correct horse"}).status, 0);
  {  // A database some other site already uses (no copy mark).
    auto pg = storage::OpenPostgres(urls_[0]);
    ASSERT_TRUE(pg.ok());
    ASSERT_TRUE(storage::Migrate(**pg).ok());
    ASSERT_TRUE((*pg)->Exec("INSERT INTO users (name, created_at) VALUES ('alice', 1)").ok());
  }
  CommandResult used = Wenku(data, {"migrate-to", "--database", urls_[0], "--blobs", blobs_});
  EXPECT_EQ(used.status, 2);
  EXPECT_NE(used.out.find("already holds a library (1 rows)"), std::string::npos) << used.out;

  CommandResult unreachable = Wenku(
      data, {"migrate-to", "--database", "postgresql://wenku@127.0.0.1:1/none", "--blobs", blobs_});
  EXPECT_EQ(unreachable.status, 2);
  EXPECT_NE(unreachable.out.find("cannot reach the target database"), std::string::npos)
      << unreachable.out;

  auto fresh = FreshPostgresDatabase();
  ASSERT_TRUE(fresh.ok());
  urls_.push_back(*fresh);
  CommandResult keys = Wenku(data, {"migrate-to", "--database", *fresh, "--blobs", blobs_},
                             {"WENKU_S3_SECRET_KEY=wrong"});
  EXPECT_EQ(keys.status, 2);
  EXPECT_NE(keys.out.find("cannot use the target bucket"), std::string::npos) << keys.out;
  EXPECT_NE(keys.out.find("WENKU_S3_SECRET_KEY"), std::string::npos) << keys.out;
}

}  // namespace
}  // namespace wenku::testing
