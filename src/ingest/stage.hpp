// The ingest pipeline's stage contract.
//
// An ingest job carries one document from its original bytes to `ready`. The pipeline
// (pipeline.hpp) is an ordered list of Stages; each stage:
//   - has a name, shown as the document's progress while it runs;
//   - says whether it Applies to this job (detect always applies; normalize only to
//     formats that are not PDF already; …);
//   - Runs: reads what earlier stages put in the JobContext, adds its own results, and
//     writes files only under ctx.work_dir — except render, which moves finished page
//     images into the document's derived folder, and publish, which commits the database;
//   - returns an Error to stop the job. A non-transient error (IsTransient false: the
//     file is the problem) fails the document with that message, which must be a sentence
//     a person understands; a transient one (I/O, internal) lets the job be retried.
// Stages hold no per-job state of their own, so one pipeline serves every worker thread.
// Running a job again from the start is always safe: every stage is idempotent.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.hpp"
#include "core/result.hpp"
#include "ingest/file_type.hpp"
#include "ingest/pdf_converter.hpp"
#include "library/near_duplicates.hpp"

namespace wenku::ingest {

struct JobContext {
  // Given by the worker.
  int64_t job_id = 0;
  std::string worker;                           // lease owner
  Document document;                            // as it was claimed
  std::filesystem::path original;               // the blob, read-only
  std::filesystem::path work_dir;               // private, empty at start, removed at the end
  std::function<void(const Progress&)> report;  // progress for people watching

  // Filled in by the stages, in order.
  FileKind kind = FileKind::kUnknown;    // detect
  std::string format;                    // detect: "pdf", "txt", "docx", …
  std::string mime_type;                 // detect (normalize may add the text's charset)
  std::string type_description;          // detect: libmagic's words, for refusals
  std::filesystem::path pdf;             // normalize: the document as PDF
  bool text_from_ocr = false;            // normalize: the PDF's text layer is Tesseract's (images)
  std::vector<UnpackedMember> unpacked;  // normalize, for an archive: its files
  std::string description;               // normalize, for a drawing: its layers and title block
                                         // (the document's description when it has none)
  std::vector<ArchiveMember> members;    // members: with the documents made of them
  std::vector<Page> pages;               // extract (normalize, for laid-out text): 1..N
  int64_t preview_pages = 0;             // render: how many page images exist now
  bool recognise_text = false;           // ocr-later: pages without text wait for an ocr job
  library::Fingerprinted fingerprint;    // fingerprint: signature and matches, to register
  std::vector<StageTiming> timings;      // the worker and Pipeline::Run: each stage's time
};

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  virtual bool Applies(const JobContext&) const { return true; }
  virtual Status Run(JobContext& ctx) const = 0;
};

}  // namespace wenku::ingest
