// The document: what a user uploaded, and its pages once converted.
//
// Lifecycle (DocState), each arrow naming the function that performs it:
//   kQueued     -> kProcessing [JobStore::Claim]           (a worker took the ingest job)
//   kProcessing -> kReady      [DocumentStore::Publish]    (pages and state in one transaction)
//   kProcessing -> kFailed     [DocumentStore::Fail]       (reason stored, shown to the owner)
//   kProcessing -> kQueued     [JobStore::Retry]           (a transient error; tried again later)
//   kReady      -> kTakenDown  [DocumentStore::TakeDown]   (moderation::Moderation::TakeDown)
//   kTakenDown  -> kReady      [DocumentStore::Restore]    (moderation::Moderation::Restore)
//   kFailed     -> kQueued     [JobStore::Requeue]         (a moderator's retry,
//                                                           moderation::DocumentAdmin::Retry)
// Orthogonal to the state: held_at (held for review, released by Moderation::Decide).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wenku {

using DocumentId = int64_t;
using UserId = int64_t;

enum class DocState { kQueued, kProcessing, kReady, kFailed, kTakenDown };

std::string_view DocStateName(DocState s);  // "queued", "processing", …
std::optional<DocState> ParseDocState(std::string_view name);

// Where a document's ingest stands, shown while it runs: stage name, pages done / total.
struct Progress {
  std::string stage;  // "queued", "detect", "extract", "render", …, "done"
  int64_t done = 0;
  int64_t total = 0;
};

// How long one ingest stage took for a document (wall clock), in the order they ran.
struct StageTiming {
  std::string stage;  // "fetch" (the original to a local file), "detect", …, "publish"
  int64_t micros = 0;
};

struct Document {
  DocumentId id = 0;
  DocumentId parent_id = 0;    // the archive this document was unpacked from (0: none)
  std::string removal_reason;  // taken down: why (a report reason: copyright, porn, …)
  UserId owner_id = 0;
  std::string owner_name;
  bool owner_disabled = false;  // the owner's account is disabled: hidden (library::CheckView)
  std::string blob_sha256;
  std::string filename;  // as uploaded (display only; never used as a path)
  std::string title;
  std::string description;
  std::string category;
  int64_t price = 0;
  int64_t size = 0;
  std::string mime_type;  // what detection found
  std::string format;     // "pdf", …
  DocState state = DocState::kQueued;
  std::string failure_code;
  std::string failure_reason;
  int64_t page_count = 0;
  int64_t preview_pages = 0;  // page images drawn at ingest; the free preview is the setting
                              // preview.pages now (library::FreePreviewPages)
  Progress progress;
  int64_t views = 0;
  int64_t downloads = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Held for a moderator's review (its title or description holds a sensitive word; see
  // moderation/sensitive_words.hpp): when, 0 when not held. A held document goes through
  // ingest as any other, but only its owner and moderators see it until a moderator
  // releases it (library/access.hpp).
  int64_t held_at = 0;
  // Its pages without text are waiting for text recognition (a scan is published as soon as
  // its page images exist; OCR follows as a job of its own, ingest/ocr_stage.cpp).
  bool text_pending = false;
};

// Whether `format` (Document::format, as detection names it) is a drawing: "dxf" or "dwg".
// A drawing's pages are its sheets; an archive's page shows its drawings' first sheets large.
bool IsDrawingFormat(std::string_view format);

// One file inside an archive document. `document_id` is the document made from it (0 when
// it is not a document, or could not be unpacked: `note` says why).
struct ArchiveMember {
  int64_t idx = 0;
  std::string path;  // as named in the archive, decoded to UTF-8; never used as a path
  int64_t size = 0;
  DocumentId document_id = 0;
  std::string note;
};

enum class TextSource { kLayer, kOcr, kNone };
std::string_view TextSourceName(TextSource s);

struct Page {
  int64_t n = 0;  // 1-based
  std::string text;
  TextSource source = TextSource::kLayer;
  int64_t width_pt = 0;
  int64_t height_pt = 0;
};

}  // namespace wenku
