// members: every file unpacked from an archive that is itself a document (by its bytes, as
// detect decides) is stored and queued as a document of its own through library::Submit
// (the same rules as an upload), owned by the archive's owner and linked to the archive;
// the rest — and a file Submit refuses (too large, say) — are listed with a note. Archives inside
// archives are unpacked too, to limits.archive_max_nesting levels (archive.max_nesting, 2);
// an upload's archives add at most limits.archive_max_documents documents in all (Submit's
// archive budget): the members past it are listed "left out: …" and not queued. Storing is
// idempotent: the same bytes for the same owner are the same document, so a retried job (or a
// quine: an archive that contains itself) adds nothing twice.
#include <fcntl.h>
#include <unistd.h>

#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

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
  explicit MembersStage(library::SubmitDeps submit) : submit_(std::move(submit)) {}
  std::string_view name() const override { return "members"; }
  bool Applies(const JobContext& ctx) const override { return ctx.kind == FileKind::kArchive; }

  Status Run(JobContext& ctx) const override {
    auto depth = submit_.documents.NestingDepth(ctx.document.id);
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
        } else if (type.kind == FileKind::kArchive &&
                   *depth + 1 >= submit_.limits.archive_max_nesting) {
          m.note = "archive nested more than " +
                   std::to_string(submit_.limits.archive_max_nesting) + " deep; not unpacked";
        } else {
          // A member inherits its archive's owner, category and price (a member is never
          // cheaper than its archive); everything else is library::Submit's. An archive
          // whose category was hidden since it was uploaded files its members under the
          // default category.
          library::Submission s;
          s.owner = ctx.document.owner_id;
          s.parent = ctx.document.id;
          s.file = u.file;
          s.filename = name;
          s.category = submit_.categories.MayFileUnder(ctx.document.category)
                           ? ctx.document.category
                           : std::string(library::kDefaultCategory);
          s.price = ctx.document.price;
          auto submitted = library::Submit(submit_, s);
          if (submitted.ok()) {
            m.document_id = submitted->id;
          } else if (IsTransient(submitted.error().code)) {
            return submitted.error();  // the job is tried again
          } else {
            m.note = submitted.error().message;  // this file only: the archive goes on
          }
        }
      }
      ctx.members.push_back(std::move(m));
      if (ctx.report)
        ctx.report(Progress{"members", ++done, static_cast<int64_t>(ctx.unpacked.size())});
    }
    return {};
  }

 private:
  library::SubmitDeps submit_;
};

}  // namespace

std::unique_ptr<Stage> MakeMembersStage(library::SubmitDeps submit) {
  return std::make_unique<MembersStage>(std::move(submit));
}

}  // namespace wenku::ingest
