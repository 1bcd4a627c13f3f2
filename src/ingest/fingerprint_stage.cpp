// fingerprint: the exact identity of the original is its SHA-256, computed once when the
// blob store took the bytes (the blob's name; not hashed again here). This stage asks the
// near-duplicate rule (library/near_duplicates.hpp) about the text: its MinHash signature
// and the published documents it resembles. A match of a document taken down (or, with
// copyright.refuse_duplicates, of another uploader's) stops the job with kForbidden and
// the sentence the owner reads; otherwise the signature and the matches wait in the
// JobContext for the publish stage, which registers them in the publication's transaction
// (nothing is written here, so a document that fails later leaves no signature).
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

class FingerprintStage final : public Stage {
 public:
  explicit FingerprintStage(const library::NearDuplicates& near) : near_(near) {}
  std::string_view name() const override { return "fingerprint"; }

  Status Run(JobContext& ctx) const override {
    auto found = near_.Check(ctx.document, ctx.pages);
    if (!found.ok()) return found.error();
    ctx.fingerprint = std::move(found).value();
    return {};
  }

 private:
  const library::NearDuplicates& near_;
};

}  // namespace

std::unique_ptr<Stage> MakeFingerprintStage(const library::NearDuplicates& near) {
  return std::make_unique<FingerprintStage>(near);
}

}  // namespace wenku::ingest
