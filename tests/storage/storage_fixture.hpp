// A fresh SQLite database file, migrated, with the stores over it and a fake clock, and the
// categories (seeded by migration 8) for whatever submits documents.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "core/clock.hpp"
#include "library/categories.hpp"
#include "storage/case_store.hpp"
#include "storage/category_store.hpp"
#include "storage/database.hpp"
#include "storage/document_store.hpp"
#include "storage/job_store.hpp"
#include "storage/migrations.hpp"
#include "storage/user_store.hpp"
#include "support/test_support.hpp"

namespace wenku::storage {

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenSqlite((dir_ / "wenku.db").string());
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

}  // namespace wenku::storage
