#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

class JobStoreTest : public BothBackendsTest {};
WENKU_ON_BOTH_BACKENDS(JobStoreTest);

TEST_P(JobStoreTest, ClaimsOldestFirstAndNeverTwice) {
  DocumentId a = NewDoc("a1");
  DocumentId b = NewDoc("b1");
  auto first = jobs_->Claim("w1", 60'000);
  auto second = jobs_->Claim("w2", 60'000);
  auto none = jobs_->Claim("w3", 60'000);
  ASSERT_TRUE(first->has_value() && second->has_value());
  EXPECT_EQ((*first)->document_id, a);
  EXPECT_EQ((*second)->document_id, b);
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(documents_->Find(a)->state, DocState::kProcessing);
  EXPECT_EQ(jobs_->Counts()->running, 2);
}

TEST_P(JobStoreTest, WorkersClaimingAtOnceNeverHoldOneJobTogether) {
  // Two Database handles (two processes' worth of connections), four workers on each.
  auto second = OpenAnother();
  ASSERT_TRUE(second.ok()) << second.error().message;
  JobStore other(**second, clock_);
  constexpr int kJobs = 40;
  for (int i = 0; i < kJobs; ++i) NewDoc("c" + std::to_string(i));
  std::mutex mu;
  std::map<int64_t, std::vector<std::string>> holders;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w) {
    threads.emplace_back([&, w] {
      JobStore& store = w % 2 ? other : *jobs_;
      std::string worker = "w" + std::to_string(w);
      for (;;) {
        auto job = store.Claim(worker, 60'000);
        if (!job.ok()) {
          ++errors;
          continue;  // a lost race is reported as kConflict: try again
        }
        if (!job->has_value()) return;
        std::lock_guard lock(mu);
        holders[(*job)->id].push_back(worker);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(static_cast<int>(holders.size()), kJobs);
  for (const auto& [id, who] : holders) EXPECT_EQ(who.size(), 1u) << "job " << id;
  EXPECT_EQ(jobs_->Counts()->running, kJobs);
}

TEST_P(JobStoreTest, AJobWhoseWorkerDiedIsClaimedAgainAfterItsLease) {
  DocumentId a = NewDoc("a2");
  auto dead = jobs_->Claim("dead-worker", 10'000);
  ASSERT_TRUE(dead->has_value());
  clock_.Advance(9'000);
  EXPECT_FALSE(jobs_->Claim("w2", 10'000)->has_value());  // lease still valid
  clock_.Advance(2'000);
  auto again = jobs_->Claim("w2", 10'000);
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->document_id, a);
  EXPECT_EQ((*again)->attempts, 2);
  // The dead worker cannot finish it any more.
  EXPECT_EQ(jobs_->ExtendLease((*dead)->id, "dead-worker", 10'000).error().code,
            ErrorCode::kConflict);
}

TEST_P(JobStoreTest, ExtendingTheLeaseKeepsOthersAway) {
  NewDoc("a3");
  auto job = jobs_->Claim("w1", 10'000);
  clock_.Advance(8'000);
  ASSERT_TRUE(jobs_->ExtendLease((*job)->id, "w1", 10'000).ok());
  clock_.Advance(8'000);
  EXPECT_FALSE(jobs_->Claim("w2", 10'000)->has_value());
}

TEST_P(JobStoreTest, RetriesAreBoundedAndThenTheDocumentFails) {
  DocumentId a = NewDoc("a4", /*max_attempts=*/2);
  auto job = jobs_->Claim("w1", 10'000);
  ASSERT_TRUE(jobs_->Retry(**job, MakeError(ErrorCode::kIo, "disk hiccup"), 1'000).ok());
  EXPECT_EQ(documents_->Find(a)->state, DocState::kQueued);
  EXPECT_FALSE(jobs_->Claim("w1", 10'000)->has_value());  // not due yet
  clock_.Advance(1'000);
  job = jobs_->Claim("w1", 10'000);
  ASSERT_TRUE(job->has_value());
  ASSERT_TRUE(jobs_->Retry(**job, MakeError(ErrorCode::kIo, "disk hiccup"), 1'000).ok());
  auto doc = documents_->Find(a);
  EXPECT_EQ(doc->state, DocState::kFailed);
  EXPECT_NE(doc->failure_reason.find("disk hiccup"), std::string::npos);
}

TEST_P(JobStoreTest, AFileThatKeepsKillingItsWorkerFailsAfterMaxAttempts) {
  DocumentId a = NewDoc("a5", /*max_attempts=*/2);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(jobs_->Claim("w" + std::to_string(i), 1'000)->has_value());
    clock_.Advance(2'000);  // the worker died; its lease runs out
  }
  EXPECT_FALSE(jobs_->Claim("w9", 1'000)->has_value());
  auto doc = documents_->Find(a);
  EXPECT_EQ(doc->state, DocState::kFailed);
  EXPECT_NE(doc->failure_reason.find("interrupted 2 times"), std::string::npos);
}

// A scan published with pages left for recognition: its ocr job, claimed only by ocr workers.
class OcrJobTest : public BothBackendsTest {
 protected:
  // Publishes a new one-page document without text; returns it and its ocr job's claim.
  DocumentId PublishScan(const std::string& sha, bool recognise = true, int max_attempts = 3) {
    DocumentId id = NewDoc(sha, max_attempts);
    auto job = jobs_->Claim("w-ingest", 60'000);
    EXPECT_TRUE(job.ok() && job->has_value());
    PublishedPages pages;
    pages.pages = {Page{1, "", TextSource::kNone, 595, 842}};
    pages.preview_pages = 1;
    pages.recognise_text = recognise;
    EXPECT_TRUE(documents_->Publish(id, (*job)->id, "w-ingest", pages).ok());
    return id;
  }
};
WENKU_ON_BOTH_BACKENDS(OcrJobTest);

TEST_P(OcrJobTest, AScanIsReadyWhileItsTextWaitsAndOnlyOcrWorkersClaimIt) {
  DocumentId scan = PublishScan("s1");
  auto doc = documents_->Find(scan);
  EXPECT_EQ(doc->state, DocState::kReady);
  EXPECT_TRUE(doc->text_pending);
  DocumentId upload = NewDoc("u1");  // queued after the scan's ocr job
  auto ingest = jobs_->Claim("w1", 60'000);
  ASSERT_TRUE(ingest->has_value());
  EXPECT_EQ((*ingest)->document_id, upload);  // the ocr job is not an ingest worker's
  EXPECT_FALSE(jobs_->Claim("w1", 60'000)->has_value());
  auto ocr = jobs_->Claim("w-ocr", 60'000, kOcrJob);
  ASSERT_TRUE(ocr->has_value());
  EXPECT_EQ((*ocr)->document_id, scan);
  EXPECT_EQ((*ocr)->kind, kOcrJob);
  EXPECT_EQ(documents_->Find(scan)->state, DocState::kReady);  // a claim leaves it published
  // Another worker cannot store text for a job it does not hold.
  EXPECT_EQ(documents_->AmendText(scan, (*ocr)->id, "w-other", {}).error().code,
            ErrorCode::kConflict);
  ASSERT_TRUE(documents_
                  ->AmendText(scan, (*ocr)->id, "w-ocr",
                              {Page{1, "识别出的文字", TextSource::kOcr, 595, 842}})
                  .ok());
  doc = documents_->Find(scan);
  EXPECT_FALSE(doc->text_pending);
  auto pages = documents_->Pages(scan, 1, 1);
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_EQ(pages->front().text, "识别出的文字");
  EXPECT_EQ(pages->front().source, TextSource::kOcr);
  EXPECT_TRUE(documents_->RowProblems()->empty());
}

TEST_P(OcrJobTest, ADocumentWithTextQueuesNoOcrJob) {
  DocumentId id = PublishScan("s2", /*recognise=*/false);
  EXPECT_FALSE(documents_->Find(id)->text_pending);
  EXPECT_FALSE(jobs_->Claim("w-ocr", 60'000, kOcrJob)->has_value());
}

TEST_P(OcrJobTest, AnOcrJobOutOfAttemptsLeavesTheDocumentPublishedWithoutText) {
  DocumentId scan = PublishScan("s3", true, /*max_attempts=*/1);
  auto ocr = jobs_->Claim("w-ocr", 60'000, kOcrJob);
  ASSERT_TRUE(ocr->has_value());
  ASSERT_TRUE(jobs_->Retry(**ocr, MakeError(ErrorCode::kIo, "disk hiccup"), 0).ok());
  auto doc = documents_->Find(scan);
  EXPECT_EQ(doc->state, DocState::kReady);
  EXPECT_FALSE(doc->text_pending);
  EXPECT_FALSE(jobs_->Claim("w-ocr", 60'000, kOcrJob)->has_value());
  EXPECT_TRUE(documents_->RowProblems()->empty());
}

TEST_P(OcrJobTest, AGivenUpOcrJobClearsThePendingMark) {
  DocumentId scan = PublishScan("s4");
  auto ocr = jobs_->Claim("w-ocr", 60'000, kOcrJob);
  ASSERT_TRUE(ocr->has_value());
  ASSERT_TRUE(jobs_->Abandon(**ocr, MakeError(ErrorCode::kNotFound, "gone")).ok());
  EXPECT_FALSE(documents_->Find(scan)->text_pending);
  EXPECT_EQ(documents_->Find(scan)->state, DocState::kReady);
  EXPECT_EQ(jobs_->Abandon(**ocr, MakeError(ErrorCode::kNotFound, "gone")).error().code,
            ErrorCode::kConflict);
}

}  // namespace
}  // namespace wenku::storage
