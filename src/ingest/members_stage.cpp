// members: every file unpacked from an archive that is itself a document (by its bytes, as
// detect decides) is stored and queued as a document of its own, owned by the archive's
// owner and linked to the archive; the rest are listed with a note. Archives inside
// archives are unpacked too, to kMaxNesting levels. Storing is idempotent: the same bytes
// for the same owner are the same document, so a retried job (or a quine: an archive that
// contains itself) adds nothing twice.
#include <fcntl.h>
#include <unistd.h>

#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

constexpr int kMaxNesting = 3;

std::string Head(const std::filesystem::path& file) {
  std::string head(64 << 10, '\0');
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  ssize_t n = read(fd, head.data(), head.size());
  close(fd);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return head;
}

class MembersStage final : public Stage {
 public:
  MembersStage(blob::BlobStore& blobs, storage::DocumentStore& documents, int max_attempts)
      : blobs_(blobs), documents_(documents), max_attempts_(max_attempts) {}
  std::string_view name() const override { return "members"; }
  bool Applies(const JobContext& ctx) const override { return ctx.kind == FileKind::kArchive; }

  Status Run(JobContext& ctx) const override {
    auto depth = documents_.NestingDepth(ctx.document.id);
    if (!depth.ok()) return depth.error();
    int64_t done = 0;
    for (const UnpackedMember& u : ctx.unpacked) {
      ArchiveMember m = u.member;
      if (!u.file.empty()) {
        std::string name = std::filesystem::path(m.path).filename().string();
        FileType type = DetectFileType(Head(u.file), name);
        if (type.kind == FileKind::kEmpty) {
          m.note = "empty file";
        } else if (type.kind == FileKind::kUnknown) {
          m.note = "not a document";
        } else if (type.kind == FileKind::kArchive && *depth + 1 >= kMaxNesting) {
          m.note =
              "archive nested more than " + std::to_string(kMaxNesting) + " deep; not unpacked";
        } else {
          auto blob = blobs_.PutFile(u.file);
          if (!blob.ok()) return blob.error();
          storage::NewDocument nd;
          nd.owner_id = ctx.document.owner_id;
          nd.parent_id = ctx.document.id;
          nd.blob_sha256 = blob->sha256;
          nd.size = blob->size;
          nd.filename = name;
          nd.title = std::filesystem::path(name).stem().string();
          if (nd.title.empty()) nd.title = name.empty() ? "document" : name;
          nd.category = ctx.document.category;
          nd.price = ctx.document.price;  // a member is never cheaper than its archive
          nd.max_attempts = max_attempts_;
          auto created = documents_.Create(nd);
          if (!created.ok()) return created.error();
          m.document_id = created->id;
        }
      }
      ctx.members.push_back(std::move(m));
      if (ctx.report)
        ctx.report(Progress{"members", ++done, static_cast<int64_t>(ctx.unpacked.size())});
    }
    return {};
  }

 private:
  blob::BlobStore& blobs_;
  storage::DocumentStore& documents_;
  int max_attempts_;
};

}  // namespace

std::unique_ptr<Stage> MakeMembersStage(blob::BlobStore& blobs, storage::DocumentStore& documents,
                                        int max_attempts) {
  return std::make_unique<MembersStage>(blobs, documents, max_attempts);
}

}  // namespace wenku::ingest
