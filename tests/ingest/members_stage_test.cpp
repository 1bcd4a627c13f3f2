// The members stage stores an archive's files through library::Submit: a member is a
// document of the archive's owner with its category and price, linked to the archive; a
// file Submit refuses (too large) or that is no document is listed with a note, and the
// archive goes on. Running the stage again adds nothing.
#include <gtest/gtest.h>

#include "core/files.hpp"
#include "ingest/pipeline.hpp"
#include "storage/storage_fixture.hpp"

namespace wenku::ingest {
namespace {

namespace fs = std::filesystem;

class MembersStageTest : public storage::StorageTest {
 protected:
  UnpackedMember Member(int64_t idx, const std::string& path, const std::string& bytes) {
    fs::path file = dir_ / ("m-" + std::to_string(idx));
    EXPECT_TRUE(WriteFileAtomic(file, bytes).ok());
    return UnpackedMember{ArchiveMember{idx, path, static_cast<int64_t>(bytes.size()), 0, ""},
                          file};
  }

  JobContext Archive() {
    auto blob = blobs_.Put("PK\x03\x04 an archive");
    storage::NewDocument d;
    d.owner_id = owner_;
    d.blob_sha256 = blob->sha256;
    d.size = 10;
    d.filename = "资料.zip";
    d.title = "资料";
    d.category = "exam";
    d.price = 8;
    auto created = documents_->Create(d);
    EXPECT_TRUE(created.ok());
    JobContext ctx;
    ctx.document = *documents_->Find(created->id);
    ctx.kind = FileKind::kArchive;
    const std::string pdf = "%PDF-1.4\n% a member\n";
    ctx.unpacked = {Member(0, "dir/第一章.pdf", pdf),
                    Member(1, "big.pdf", pdf + std::string(200, 'x')), Member(2, "empty.pdf", ""),
                    Member(3, "noise.bin", std::string("\x00\x01\xfe\xff", 4))};
    return ctx;
  }

  wenku::testing::MemoryBlobStore blobs_;
};

TEST_F(MembersStageTest, MembersGoThroughSubmitAndRefusalsBecomeNotes) {
  auto stage = MakeMembersStage({blobs_, *documents_, *categories_, library::SubmitLimits{100, 2}});
  JobContext ctx = Archive();
  ASSERT_TRUE(stage->Run(ctx).ok());
  ASSERT_EQ(ctx.members.size(), 4u);

  ASSERT_NE(ctx.members[0].document_id, 0);
  auto member = documents_->Find(ctx.members[0].document_id);
  ASSERT_TRUE(member.ok());
  EXPECT_EQ(member->parent_id, ctx.document.id);
  EXPECT_EQ(member->owner_id, owner_);
  EXPECT_EQ(member->filename, "第一章.pdf");
  EXPECT_EQ(member->title, "第一章");
  EXPECT_EQ(member->category, "exam");
  EXPECT_EQ(member->price, 8);  // never cheaper than its archive

  EXPECT_EQ(ctx.members[1].document_id, 0);
  EXPECT_NE(ctx.members[1].note.find("file too large"), std::string::npos) << ctx.members[1].note;
  EXPECT_EQ(ctx.members[2].note, "empty file");
  EXPECT_EQ(ctx.members[3].note, "not a document");

  JobContext again = Archive();  // a retried job
  ASSERT_TRUE(stage->Run(again).ok());
  EXPECT_EQ(again.members[0].document_id, ctx.members[0].document_id);
  auto count = db_->QueryOne("SELECT COUNT(*) FROM documents");
  EXPECT_EQ(count->Int(0), 2);  // the archive and its one member
}

// One budget for an upload and everything inside it: an archive nesting an archive adds at
// most archive_max_documents documents in all; the rest are listed "left out: …" and not
// queued. Archives nested past archive_max_nesting are listed, not unpacked.
TEST_F(MembersStageTest, OneBudgetForAnArchiveAndTheArchivesInIt) {
  library::SubmitLimits limits{1000, 2};
  limits.archive_max_documents = 3;
  limits.archive_max_nesting = 2;
  auto stage = MakeMembersStage({blobs_, *documents_, *categories_, limits});
  JobContext outer = Archive();
  // A ZIP holding a.txt ("hi"), made by python3's zipfile.
  const std::string zip(
      "\x50\x4b\x03\x04\x14\x00\x00\x00\x00\x00\x29\x18\x81\x5d\xac\x2a"
      "\x93\xd8\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x00\x00\x61\x2e"
      "\x74\x78\x74\x68\x69\x50\x4b\x01\x02\x14\x03\x14\x00\x00\x00\x00"
      "\x00\x29\x18\x81\x5d\xac\x2a\x93\xd8\x02\x00\x00\x00\x02\x00\x00"
      "\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00"
      "\x00\x00\x00\x61\x2e\x74\x78\x74\x50\x4b\x05\x06\x00\x00\x00\x00"
      "\x01\x00\x01\x00\x33\x00\x00\x00\x25\x00\x00\x00\x00\x00",
      110);
  outer.unpacked = {Member(0, "a.pdf", "%PDF-1.4\n% a\n"), Member(1, "inner.zip", zip)};
  ASSERT_TRUE(stage->Run(outer).ok());
  ASSERT_NE(outer.members[0].document_id, 0);
  ASSERT_NE(outer.members[1].document_id, 0) << outer.members[1].note;

  // The inner archive's job: three documents and an archive, one place left in the budget.
  JobContext inner;
  inner.document = *documents_->Find(outer.members[1].document_id);
  inner.kind = FileKind::kArchive;
  inner.unpacked = {Member(10, "b.pdf", "%PDF-1.4\n% b\n"), Member(11, "c.pdf", "%PDF-1.4\n% c\n"),
                    Member(12, "d.pdf", "%PDF-1.4\n% d\n"), Member(13, "deeper.zip", zip)};
  ASSERT_TRUE(stage->Run(inner).ok());
  ASSERT_EQ(inner.members.size(), 4u);
  EXPECT_NE(inner.members[0].document_id, 0);
  for (int i = 1; i < 3; ++i) {
    EXPECT_EQ(inner.members[i].document_id, 0);
    EXPECT_TRUE(inner.members[i].note.starts_with(library::kLeftOut)) << inner.members[i].note;
  }
  EXPECT_EQ(inner.members[3].document_id, 0);
  EXPECT_NE(inner.members[3].note.find("not unpacked"), std::string::npos) << inner.members[3].note;
  auto count = db_->QueryOne("SELECT COUNT(*) FROM documents");
  EXPECT_EQ(count->Int(0), 4);  // the upload and the budget's three
  EXPECT_EQ(*documents_->CountFromArchive(outer.document.id), 3);
  EXPECT_EQ(*documents_->ArchiveRoot(inner.members[0].document_id), outer.document.id);
  auto jobs = db_->QueryOne("SELECT COUNT(*) FROM jobs");
  EXPECT_EQ(jobs->Int(0), 4);  // nothing past the budget is queued
}

}  // namespace
}  // namespace wenku::ingest
