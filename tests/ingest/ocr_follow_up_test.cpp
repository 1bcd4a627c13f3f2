// The worker pool's rule for a scan's follow-up (ocr) job, with a fake follow-up pipeline:
// only the ocr threads run it (never the ingest pipeline); a recognised text that the
// near-duplicate rule refuses (kForbidden) fails the document with that sentence; any other
// non-transient error gives the job up and leaves the document published; success stores
// the text through the real amend stage.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "ingest/pipeline.hpp"
#include "ingest/worker_pool.hpp"
#include "storage/storage_fixture.hpp"

namespace wenku::ingest {
namespace {

using wenku::testing::MemoryBlobStore;

// A stage that counts its runs and answers `status`, after giving page 1 `text` (as OCR).
class FakeOcrStage final : public Stage {
 public:
  FakeOcrStage(std::atomic<int>& runs, Status status, std::string text)
      : runs_(runs), status_(std::move(status)), text_(std::move(text)) {}
  std::string_view name() const override { return "ocr"; }
  Status Run(JobContext& ctx) const override {
    ++runs_;
    ctx.pages = {Page{1, text_, TextSource::kOcr, 595, 842}};
    return status_;
  }

 private:
  std::atomic<int>& runs_;
  Status status_;
  std::string text_;
};

class OcrFollowUpTest : public storage::StorageTest {
 protected:
  // A published one-page scan whose ocr job is queued.
  DocumentId PublishedScan() {
    auto ref = blobs_.Put("%PDF-1.4 a scanned page");
    DocumentId id = NewDoc(ref->sha256);
    auto job = jobs_->Claim("test-ingest", 60'000);
    EXPECT_TRUE(job.ok() && job->has_value());
    storage::PublishedPages pages;
    pages.pages = {Page{1, "", TextSource::kNone, 595, 842}};
    pages.preview_pages = 1;
    pages.recognise_text = true;
    EXPECT_TRUE(documents_->Publish(id, (*job)->id, "test-ingest", pages).ok());
    return id;
  }

  // Runs the pool with an ingest pipeline that only counts, and the fake follow-up, until
  // the document's text is no longer pending (or 5 s).
  Document RunFollowUp(DocumentId id, Status status) {
    std::vector<std::unique_ptr<Stage>> ingest;
    ingest.push_back(std::make_unique<FakeOcrStage>(ingest_runs_, Status{}, "wrong pipeline"));
    Pipeline ingest_pipeline(std::move(ingest));
    std::vector<std::unique_ptr<Stage>> follow_up;
    follow_up.push_back(std::make_unique<FakeOcrStage>(ocr_runs_, status, "识别出的文字"));
    follow_up.push_back(MakeAmendStage(*documents_, nullptr, nullptr));
    Pipeline ocr_pipeline(std::move(follow_up));
    WorkerOptions o;
    o.workers = 2;
    o.idle_poll_ms = 10;
    o.ocr_pipeline = &ocr_pipeline;
    o.ocr_workers = 1;
    WorkerPool pool(ingest_pipeline, *jobs_, *documents_, blobs_, layout_, o);
    pool.Start();
    Document doc;
    for (int i = 0; i < 500; ++i) {
      doc = *documents_->Find(id);
      if (!doc.text_pending) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pool.Stop();
    return doc;
  }

  MemoryBlobStore blobs_;
  DataLayout layout_{dir_ / "data"};
  std::atomic<int> ingest_runs_{0};
  std::atomic<int> ocr_runs_{0};
};

TEST_F(OcrFollowUpTest, TheRecognisedTextReachesThePagesThroughTheOcrThreadsOnly) {
  DocumentId id = PublishedScan();
  Document doc = RunFollowUp(id, Status{});
  EXPECT_FALSE(doc.text_pending);
  EXPECT_EQ(doc.state, DocState::kReady);
  EXPECT_EQ(ocr_runs_.load(), 1);
  EXPECT_EQ(ingest_runs_.load(), 0);  // the ingest threads never took the ocr job
  auto pages = documents_->Pages(id, 1, 1);
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_EQ(pages->front().text, "识别出的文字");
  EXPECT_EQ(pages->front().source, TextSource::kOcr);
}

TEST_F(OcrFollowUpTest, ATextThatCopiesATakenDownDocumentFailsTheDocument) {
  DocumentId id = PublishedScan();
  const std::string why = "This document matches document #12, which was taken down.";
  Document doc = RunFollowUp(id, MakeError(ErrorCode::kForbidden, why));
  EXPECT_EQ(doc.state, DocState::kFailed);
  EXPECT_EQ(doc.failure_reason, why);
  EXPECT_FALSE(doc.text_pending);
  EXPECT_EQ(documents_->Pages(id, 1, 1)->front().source, TextSource::kNone);  // not amended
}

TEST_F(OcrFollowUpTest, AnyOtherFailureLeavesTheScanPublishedWithoutItsText) {
  DocumentId id = PublishedScan();
  Document doc = RunFollowUp(id, MakeError(ErrorCode::kCorrupt, "the page cannot be drawn"));
  EXPECT_EQ(doc.state, DocState::kReady);
  EXPECT_FALSE(doc.text_pending);
  EXPECT_EQ(ocr_runs_.load(), 1);  // given up, not retried
  EXPECT_EQ(documents_->Pages(id, 1, 1)->front().source, TextSource::kNone);
  EXPECT_TRUE(documents_->RowProblems()->empty());
}

}  // namespace
}  // namespace wenku::ingest
