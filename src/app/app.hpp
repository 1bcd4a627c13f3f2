// App: wires a Config into the running services (database, stores, blob store, sandbox,
// converter, pipeline). Every CLI command opens one App; nothing else constructs services.
// Opening creates the data folder and applies pending migrations.
#pragma once

#include <memory>

#include "accounts/accounts.hpp"
#include "accounts/api_tokens.hpp"
#include "accounts/user_admin.hpp"
#include "blob/blob_store.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/data_layout.hpp"
#include "core/process_runner.hpp"
#include "core/sandbox.hpp"
#include "ingest/page_images.hpp"
#include "ingest/pdf_converter.hpp"
#include "ingest/pipeline.hpp"
#include "ingest/worker_pool.hpp"
#include "library/categories.hpp"
#include "library/near_duplicates.hpp"
#include "moderation/document_admin.hpp"
#include "moderation/moderation.hpp"
#include "points/points.hpp"
#include "search/search_index.hpp"
#include "settings/live_settings.hpp"
#include "storage/api_token_store.hpp"
#include "storage/case_store.hpp"
#include "storage/category_store.hpp"
#include "storage/comment_store.hpp"
#include "storage/database.hpp"
#include "storage/document_store.hpp"
#include "storage/entitlement_store.hpp"
#include "storage/fingerprint_store.hpp"
#include "storage/job_store.hpp"
#include "storage/ledger_store.hpp"
#include "storage/session_store.hpp"
#include "storage/stats_store.hpp"
#include "storage/user_store.hpp"

namespace wenku::app {

class App {
 public:
  // Errors: kIo (data folder or database unusable), kConflict (database newer than us).
  static Result<std::unique_ptr<App>> Open(const Config& config);

  // Start-time settings only; runtime ones through settings().
  const Config& config() const { return config_; }
  // The runtime settings: the Config with an admin's changes from the database on top.
  settings::LiveSettings& settings() { return settings_; }
  const DataLayout& layout() const { return layout_; }
  storage::Database& db() { return *db_; }
  storage::UserStore& users() { return users_; }
  storage::DocumentStore& documents() { return documents_; }
  storage::JobStore& jobs() { return jobs_; }
  storage::SessionStore& sessions() { return sessions_; }
  storage::CommentStore& comments() { return comments_; }
  const Clock& clock() const { return clock_; }
  blob::BlobStore& blobs() { return *blobs_; }
  blob::DerivedStore& derived() { return *derived_; }
  ingest::PageImages& page_images() { return page_images_; }
  // Where converters run; Ready() says whether they can (healthz, check, workers).
  Sandbox& sandbox() { return sandbox_; }
  const ingest::CadConverter& cad() const { return cad_; }
  search::SearchIndex& search() { return search_; }
  const ingest::Pipeline& pipeline() const { return pipeline_; }
  ingest::WorkerOptions worker_options();
  int migrations_applied() const { return migrations_applied_; }
  storage::LedgerStore& ledger() { return ledger_; }
  storage::EntitlementStore& entitlements() { return entitlements_; }
  points::Points& points() { return points_; }
  accounts::Accounts& accounts() { return accounts_; }
  accounts::ApiTokens& api_tokens() { return api_tokens_; }
  storage::CaseStore& cases() { return cases_; }
  moderation::Moderation& moderation() { return moderation_; }
  accounts::UserAdmin& user_admin() { return user_admin_; }
  moderation::DocumentAdmin& document_admin() { return document_admin_; }
  storage::StatsStore& stats() { return stats_; }
  storage::FingerprintStore& fingerprints() { return fingerprints_; }
  const library::NearDuplicates& near_duplicates() const { return near_duplicates_; }
  library::Categories& categories() { return categories_; }

 private:
  App(const Config& config, std::unique_ptr<storage::Database> db, blob::Stores stores);
  Config config_;
  DataLayout layout_;
  SystemClock clock_;
  std::unique_ptr<storage::Database> db_;
  storage::CaseStore cases_;  // the audit log LiveSettings writes to; notices (points_)
  settings::LiveSettings settings_;
  std::unique_ptr<blob::BlobStore> blobs_;       // the `blobs` setting: local folder or S3
  std::unique_ptr<blob::DerivedStore> derived_;  // in the same place as blobs_
  storage::UserStore users_;
  storage::DocumentStore documents_;
  storage::JobStore jobs_;
  storage::SessionStore sessions_;
  storage::CommentStore comments_;
  storage::LedgerStore ledger_;
  storage::EntitlementStore entitlements_;
  points::Points points_;
  accounts::Accounts accounts_;
  storage::SqlApiTokenStore api_token_store_;
  accounts::ApiTokens api_tokens_;
  storage::FingerprintStore fingerprints_;
  library::NearDuplicates near_duplicates_;
  search::SearchIndex search_;
  Sandbox sandbox_;
  SandboxRunner runner_;
  std::unique_ptr<ingest::PdfPool> pdf_pool_;  // null when ingest.warm_pdf is 0
  ingest::PdfConverter pdf_;
  ingest::OfficeConverter office_;
  ingest::CadConverter cad_;
  ingest::Ocr ocr_;
  ingest::Ocr ocr_background_;  // the ocr jobs' (a scan's text): at a lower CPU priority
  storage::SqlCategoryStore category_store_;  // logs to cases_ (made below; used later)
  library::Categories categories_;
  ingest::PipelineDeps pipeline_deps_;
  ingest::Pipeline pipeline_;
  ingest::Pipeline ocr_pipeline_;  // the follow-up of published scans (ocr jobs)
  ingest::PageImages page_images_;
  moderation::Moderation moderation_;
  accounts::UserAdmin user_admin_;
  moderation::DocumentAdmin document_admin_;
  storage::StatsStore stats_;
  int migrations_applied_ = 0;
};

// Limits for converter processes, from the `limits.*` settings.
ProcessLimits LimitsFrom(const Config& config);

}  // namespace wenku::app
