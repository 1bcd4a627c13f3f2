// A fresh database, migrated, with the stores over it and a fake clock, and the categories
// (seeded by migration 8) for whatever submits documents.
//
// StorageTest runs on SQLite (a new file per test). The store conformance suite derives
// from BothBackendsTest instead: each of its tests runs twice, on SQLite and on PostgreSQL
// (a fresh schema per test, support/postgres_cluster.hpp); when PostgreSQL cannot start,
// the PostgreSQL half fails with the reason. Register such a fixture with
// WENKU_ON_BOTH_BACKENDS(Fixture) and write its tests with TEST_P.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "library/categories.hpp"
#include "storage/case_store.hpp"
#include "storage/category_store.hpp"
#include "storage/database.hpp"
#include "storage/document_store.hpp"
#include "storage/job_store.hpp"
#include "storage/migrations.hpp"
#include "storage/user_store.hpp"
#include "support/postgres_cluster.hpp"
#include "support/test_support.hpp"

namespace wenku::storage {

enum class Backend { kSqlite, kPostgres };

class StorageTest : public ::testing::Test {
 protected:
  virtual Backend backend() const { return Backend::kSqlite; }

  void SetUp() override {
    auto db = OpenAnother();
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    auto ran = Migrate(*db_);
    ASSERT_TRUE(ran.ok()) << ran.error().message;
    users_ = std::make_unique<UserStore>(*db_, clock_);
    documents_ = std::make_unique<DocumentStore>(*db_, clock_);
    jobs_ = std::make_unique<JobStore>(*db_, clock_);
    audit_ = std::make_unique<CaseStore>(*db_, clock_);
    category_store_ = std::make_unique<SqlCategoryStore>(*db_, *audit_, clock_);
    categories_ = std::make_unique<library::Categories>(*category_store_, clock_);
    auto owner = users_->Ensure("alice", "user", "alice");
    ASSERT_TRUE(owner.ok());
    owner_ = owner->id;
  }

  void TearDown() override {
    categories_.reset();
    category_store_.reset();
    audit_.reset();
    jobs_.reset();
    documents_.reset();
    users_.reset();
    db_.reset();
    if (!postgres_url_.empty()) wenku::testing::DropPostgresDatabase(postgres_url_);
    for (const auto& url : extra_) wenku::testing::DropPostgresDatabase(url);
  }

  // A new handle on this test's database (the first call makes the database): two of them
  // are two writers, as two processes would be.
  Result<std::unique_ptr<Database>> OpenAnother() {
    if (backend() == Backend::kSqlite) return OpenSqlite((dir_ / "wenku.db").string());
    if (postgres_url_.empty()) {
      auto url = wenku::testing::FreshPostgresDatabase();
      if (!url.ok()) return url.error();
      postgres_url_ = *url;
    }
    return OpenPostgres(postgres_url_);
  }

  // A handle on a second, empty database of this test's backend (not migrated).
  Result<std::unique_ptr<Database>> OpenEmpty() {
    if (backend() == Backend::kSqlite) {
      return OpenSqlite((dir_ / ("empty" + std::to_string(extra_.size()) + ".db")).string());
    }
    auto url = wenku::testing::FreshPostgresDatabase();
    if (!url.ok()) return url.error();
    extra_.push_back(*url);
    return OpenPostgres(*url);
  }

  DocumentId NewDoc(const std::string& sha, int max_attempts = 3) {
    NewDocument d;
    d.owner_id = owner_;
    d.blob_sha256 = sha;
    d.size = 10;
    d.filename = sha + ".pdf";
    d.title = "title " + sha;
    d.max_attempts = max_attempts;
    auto created = documents_->Create(d);
    EXPECT_TRUE(created.ok());
    return created.ok() ? created->id : 0;
  }

  wenku::testing::TempDir dir_;
  std::string postgres_url_;        // this test's PostgreSQL database; empty on SQLite
  std::vector<std::string> extra_;  // what OpenEmpty made (PostgreSQL: dropped at the end)
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<DocumentStore> documents_;
  std::unique_ptr<JobStore> jobs_;
  std::unique_ptr<CaseStore> audit_;  // the audit log the category store writes to
  std::unique_ptr<SqlCategoryStore> category_store_;
  std::unique_ptr<library::Categories> categories_;
  UserId owner_ = 0;
};

// The store conformance suite's base: the backend is the test's parameter.
class BothBackendsTest : public StorageTest, public ::testing::WithParamInterface<Backend> {
 protected:
  Backend backend() const override { return GetParam(); }
};

inline void PrintTo(Backend b, std::ostream* os) {
  *os << (b == Backend::kSqlite ? "sqlite" : "postgres");
}

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgres";
}

}  // namespace wenku::storage

#define WENKU_ON_BOTH_BACKENDS(fixture)                                                            \
  INSTANTIATE_TEST_SUITE_P(                                                                        \
      Store, fixture,                                                                              \
      ::testing::Values(::wenku::storage::Backend::kSqlite, ::wenku::storage::Backend::kPostgres), \
      ::wenku::storage::BackendName)
