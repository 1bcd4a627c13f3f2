// The protocol between ingest and its converter children (`wenku __pdf …`, `wenku __text …`),
// and ToolRunner, the parent side that starts one in the sandbox and turns how it ended into
// a Status whose message a person understands.
//
// Child side: print "progress DONE TOTAL" lines as work advances; exit 0 when done; when
// the document itself is the problem, print "error CODE MESSAGE" (CODE an ErrorCodeName,
// MESSAGE one sentence for a person) and exit with kToolDocumentError. Any other ending is
// a crash, a limit or a timeout, which ToolRunner explains.
//
// Threading: ToolRunner is safe for concurrent use (each Run starts its own child).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/process_runner.hpp"
#include "core/result.hpp"

namespace wenku::ingest {

constexpr int kToolDocumentError = 2;

using ProgressFn = std::function<void(int64_t done, int64_t total)>;

// Child side: prints "error CODE MESSAGE" and returns kToolDocumentError.
int ToolDocumentError(const std::string& code, const std::string& message);

// Child side: the main of a `wenku __NAME IN OUT_DIR` converter. Checks the arguments
// (exit 64 with a usage line), runs `convert(in, out_dir)` with OUT_DIR created, turns memory
// exhaustion into a resource_limit document error and any other exception into exit 3.
int RunInOutTool(
    const std::string& name, const std::vector<std::string>& args,
    const std::function<int(const std::string&, const std::filesystem::path&)>& convert);

// Parent side: the last "error CODE MESSAGE" line of a child's stdout `out` as an Error
// (kConversionFailed "`doing` failed." when there is none).
Error ParseDocumentError(const std::string& out, const std::string& doing);

// Parent side: how a converter child ended, as a Status whose message a person understands:
// OK (exit 0), its own document error (exit kToolDocumentError), kTimeout ("`doing` took
// longer than N seconds…"), kResourceLimit (CPU, file size), kConversionFailed (crash, other
// exits). Shared by ToolRunner and the warm pdf pool (pdf_pool.hpp), so both say the same.
Status OutcomeStatus(const ProcessOutcome& outcome, const ProcessLimits& limits,
                     const std::string& doing);

class ToolRunner {
 public:
  // `self` is the wenku executable.
  ToolRunner(ProcessRunner& runner, std::string self, ProcessLimits limits)
      : runner_(runner), self_(std::move(self)), limits_(limits) {}

  // Runs `self tool args…` in the sandbox with `work_dir` as its cwd and its one writable
  // folder (the output folder), and `inputs` readable. `doing` names the work for messages
  // ("Reading this PDF"). Every stdout line that is not progress goes to `lines` when given.
  // Errors: the child's own document error; kTimeout, kResourceLimit, kConversionFailed
  // (crash, unexpected exit, a link among its outputs) with a sentence naming `doing`; kIo
  // when it cannot start; kUnavailable when the sandbox is not ready.
  Status Run(const std::string& tool, const std::string& doing,
             const std::vector<std::string>& args, const std::filesystem::path& work_dir,
             const std::vector<std::filesystem::path>& inputs, const ProgressFn& progress,
             std::vector<std::string>* lines = nullptr) const;

  // Run for a program other than wenku that speaks the same protocol (Node running the CAD
  // renderer) or none (rsvg-convert): `argv[0]` absolute, under `limits`.
  Status RunProgram(const std::vector<std::string>& argv, const std::string& doing,
                    const std::filesystem::path& work_dir,
                    const std::vector<std::filesystem::path>& inputs, const ProcessLimits& limits,
                    const ProgressFn& progress, std::vector<std::string>* lines = nullptr) const;

  const ProcessLimits& limits() const { return limits_; }

 private:
  ProcessRunner& runner_;
  std::string self_;
  ProcessLimits limits_;
};

}  // namespace wenku::ingest
