#include "storage/storage_fixture.hpp"

namespace wenku::storage {
namespace {

class DocumentStoreTest : public BothBackendsTest {};
WENKU_ON_BOTH_BACKENDS(DocumentStoreTest);

TEST_P(DocumentStoreTest, CreateRecordsBlobDocumentAndOneJob) {
  DocumentId id = NewDoc("aa");
  auto doc = documents_->Find(id);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->state, DocState::kQueued);
  EXPECT_EQ(doc->owner_name, "alice");
  EXPECT_EQ(doc->title, "title aa");
  auto jobs = db_->QueryOne("SELECT COUNT(*) FROM jobs WHERE document_id = ?", {id});
  EXPECT_EQ(jobs->Int(0), 1);
  EXPECT_EQ(*documents_->RecordedBlobs(), std::vector<std::string>{"aa"});
}

TEST_P(DocumentStoreTest, SameOwnerSameBytesIsTheSameDocument) {
  DocumentId first = NewDoc("bb");
  NewDocument again;
  again.owner_id = owner_;
  again.blob_sha256 = "bb";
  again.filename = "copy.pdf";
  again.title = "copy";
  auto created = documents_->Create(again);
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->existed);
  EXPECT_EQ(created->id, first);
  auto jobs = db_->QueryOne("SELECT COUNT(*) FROM jobs");
  EXPECT_EQ(jobs->Int(0), 1);  // no second job
}

TEST_P(DocumentStoreTest, PublishReplacesPagesAndNeedsTheLease) {
  DocumentId id = NewDoc("cc");
  auto job = jobs_->Claim("w1", 60'000);
  ASSERT_TRUE(job.ok() && job->has_value());
  PublishedPages result;
  result.pages = {Page{1, "第一页", TextSource::kLayer, 595, 842},
                  Page{2, "page two", TextSource::kLayer, 595, 842}};
  result.preview_pages = 2;
  EXPECT_EQ(documents_->Publish(id, (*job)->id, "someone-else", result).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(documents_->Find(id)->state, DocState::kProcessing);
  ASSERT_TRUE(documents_->Publish(id, (*job)->id, "w1", result).ok());
  auto doc = documents_->Find(id);
  EXPECT_EQ(doc->state, DocState::kReady);
  EXPECT_EQ(doc->page_count, 2);
  EXPECT_EQ(doc->preview_pages, 2);
  auto pages = documents_->Pages(id, 1, 10);
  ASSERT_EQ(pages->size(), 2u);
  EXPECT_EQ((*pages)[0].text, "第一页");
  // Publishing twice is refused: the job is done.
  EXPECT_FALSE(documents_->Publish(id, (*job)->id, "w1", result).ok());
  EXPECT_TRUE(documents_->RowProblems()->empty());
}

TEST_P(DocumentStoreTest, PublishRecordsTheStageTimingsAndTheDrawingsDescription) {
  DocumentId id = NewDoc("timed");
  auto job = jobs_->Claim("w1", 60'000);
  ASSERT_TRUE(job.ok() && job->has_value());
  PublishedPages result;
  result.pages = {Page{1, "图纸", TextSource::kLayer, 1190, 794}};
  result.preview_pages = 1;
  result.description = "图层 Layers: 墙体";
  const std::vector<StageTiming> timings = {{"fetch", 120}, {"detect", 800}, {"publish", 1500}};
  ASSERT_TRUE(documents_
                  ->Publish(id, (*job)->id, "w1", result,
                            [&](Sql& tx) { return documents_->RecordTimings(tx, id, timings); })
                  .ok());
  auto got = documents_->Timings(id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].stage, "fetch");
  EXPECT_EQ((*got)[2].stage, "publish");
  EXPECT_EQ((*got)[1].micros, 800);
  EXPECT_EQ(documents_->Find(id)->description, "图层 Layers: 墙体");
  // An uploader's own description is never replaced.
  DocumentId other = NewDoc("described");
  ASSERT_TRUE(documents_->SetFields(*db_, other, "t", "my words", "other", 0).ok());
  auto job2 = jobs_->Claim("w1", 60'000);
  ASSERT_TRUE(job2.ok() && job2->has_value());
  ASSERT_TRUE(documents_->Publish(other, (*job2)->id, "w1", result).ok());
  EXPECT_EQ(documents_->Find(other)->description, "my words");
  EXPECT_TRUE(documents_->Timings(other)->empty());
}

TEST_P(DocumentStoreTest, FailKeepsTheReason) {
  DocumentId id = NewDoc("dd");
  auto job = jobs_->Claim("w1", 60'000);
  ASSERT_TRUE(documents_
                  ->Fail(id, (*job)->id, "w1",
                         MakeError(ErrorCode::kEncrypted, "This PDF is password-protected."))
                  .ok());
  auto doc = documents_->Find(id);
  EXPECT_EQ(doc->state, DocState::kFailed);
  EXPECT_EQ(doc->failure_code, "encrypted");
  EXPECT_EQ(doc->failure_reason, "This PDF is password-protected.");
}

TEST_P(DocumentStoreTest, UnknownDocumentIsNotFound) {
  EXPECT_EQ(documents_->Find(4242).error().code, ErrorCode::kNotFound);
}

TEST_P(DocumentStoreTest, RowProblemsFindAWaitingDocumentWithoutJob) {
  DocumentId id = NewDoc("ee");
  ASSERT_TRUE(db_->Exec("DELETE FROM jobs WHERE document_id = ?", {id}).ok());
  auto problems = documents_->RowProblems();
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_NE((*problems)[0].find("no open ingest job"), std::string::npos);
}

TEST_P(DocumentStoreTest, AHeldDocumentIsReadyButNeitherListedNorCountedUntilReleased) {
  NewDocument held;
  held.owner_id = owner_;
  held.blob_sha256 = "hh";
  held.filename = "h.pdf";
  held.title = "held";
  held.held = true;
  auto created = documents_->Create(held);
  ASSERT_TRUE(created.ok());
  auto job = jobs_->Claim("w1", 60'000);
  ASSERT_TRUE(job.ok() && job->has_value());
  PublishedPages result;
  result.pages = {Page{1, "text", TextSource::kLayer, 595, 842}};
  result.preview_pages = 1;
  ASSERT_TRUE(documents_->Publish(created->id, (*job)->id, "w1", result).ok());
  Document doc = *documents_->Find(created->id);
  EXPECT_EQ(doc.state, DocState::kReady);
  EXPECT_NE(doc.held_at, 0);
  Browse everyone;
  EXPECT_TRUE(documents_->List(everyone)->empty());
  EXPECT_EQ(*documents_->CountReady(), 0);
  EXPECT_TRUE(documents_->ReadyIdsAfter(0, 10)->empty());  // `wenku reindex` skips it
  EXPECT_TRUE(documents_->CategoryCounts()->empty());
  Browse own;
  own.include_unready = true;  // the uploader's own page
  EXPECT_EQ(documents_->List(own)->size(), 1u);
  ASSERT_TRUE(db_->Transaction([&](Sql& tx) -> Status {
                   auto released = documents_->Release(tx, created->id);
                   if (!released.ok()) return released.error();
                   EXPECT_TRUE(*released);
                   return {};
                 })
                  .ok());
  EXPECT_EQ(documents_->List(everyone)->size(), 1u);
  EXPECT_EQ(*documents_->CountReady(), 1);
}

TEST_P(DocumentStoreTest, MembersWithDocumentsJoinEachMemberToItsDocumentInArchiveOrder) {
  DocumentId archive = NewDoc("ar");
  NewDocument member;
  member.owner_id = owner_;
  member.parent_id = archive;
  member.blob_sha256 = "mm";
  member.filename = "plan.dxf";
  member.title = "plan";
  auto created = documents_->Create(member);
  ASSERT_TRUE(created.ok());
  const DocumentId member_id = created->id;
  DocumentId waiting = NewDoc("ww");  // a member still queued
  for (int i = 0; i < 2; ++i) {
    auto job = jobs_->Claim("w1", 60'000);
    ASSERT_TRUE(job.ok() && job->has_value());
    PublishedPages result;
    if ((*job)->document_id == archive) {
      result.pages = {Page{1, "listing", TextSource::kLayer, 595, 842}};
      result.members = {ArchiveMember{0, "图纸/plan.dxf", 100, member_id, ""},
                        ArchiveMember{1, "readme.bin", 5, 0, "not a document"},
                        ArchiveMember{2, "later.txt", 7, waiting, ""}};
    } else {
      ASSERT_EQ((*job)->document_id, member_id);
      ASSERT_TRUE(documents_->SetDetected(member_id, "image/vnd.dxf", "dxf").ok());
      result.pages = {Page{1, "drawing", TextSource::kLayer, 1191, 842},
                      Page{2, "sheet 2", TextSource::kLayer, 595, 842}};
    }
    result.preview_pages = 1;
    ASSERT_TRUE(documents_->Publish((*job)->document_id, (*job)->id, "w1", result).ok());
  }

  auto members = documents_->MembersWithDocuments(archive);
  ASSERT_TRUE(members.ok()) << members.error().message;
  ASSERT_EQ(members->size(), 3u);
  const MemberWithDocument& drawing = (*members)[0];
  EXPECT_EQ(drawing.member.path, "图纸/plan.dxf");
  ASSERT_TRUE(drawing.document.has_value());
  EXPECT_EQ(drawing.document->id, member_id);
  EXPECT_EQ(drawing.document->title, "plan");
  EXPECT_EQ(drawing.document->format, "dxf");
  EXPECT_EQ(drawing.document->state, DocState::kReady);
  EXPECT_EQ(drawing.document->page_count, 2);
  EXPECT_EQ(drawing.document->owner_name, "alice");
  EXPECT_EQ(drawing.document->parent_id, archive);
  EXPECT_EQ(drawing.page1_width_pt, 1191);
  EXPECT_EQ(drawing.page1_height_pt, 842);
  EXPECT_FALSE((*members)[1].document.has_value());
  EXPECT_EQ((*members)[1].member.note, "not a document");
  ASSERT_TRUE((*members)[2].document.has_value());
  EXPECT_EQ((*members)[2].document->state, DocState::kQueued);
  EXPECT_EQ((*members)[2].page1_width_pt, 0);

  // A member deleted later is a file with a note again, not a document.
  ASSERT_TRUE(documents_->Delete(member_id).ok());
  members = documents_->MembersWithDocuments(archive);
  ASSERT_TRUE(members.ok());
  EXPECT_FALSE((*members)[0].document.has_value());
  EXPECT_EQ((*members)[0].member.note, "deleted");
  EXPECT_TRUE(documents_->MembersWithDocuments(waiting)->empty());  // not an archive
}

}  // namespace
}  // namespace wenku::storage
