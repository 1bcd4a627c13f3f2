// normalize: the document as a PDF, the one form the later stages read. A PDF is used as
// it is. Other formats (Office, text, images, archives) arrive with the formats issue;
// until then they fail with "unsupported type: …" naming what detection found.
#include "ingest/pipeline.hpp"

namespace wenku::ingest {
namespace {

class NormalizeStage final : public Stage {
 public:
  std::string_view name() const override { return "normalize"; }

  Status Run(JobContext& ctx) const override {
    if (ctx.format == "pdf") {
      ctx.pdf = ctx.original;
      return {};
    }
    return MakeError(
        ErrorCode::kUnsupportedType,
        "unsupported type: " + ctx.mime_type + " (only PDF documents can be converted so far)");
  }
};

}  // namespace

std::unique_ptr<Stage> MakeNormalizeStage() { return std::make_unique<NormalizeStage>(); }

}  // namespace wenku::ingest
