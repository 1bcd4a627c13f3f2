#include "ingest/tool_runner.hpp"

#include <cstdio>

namespace wenku::ingest {
namespace {

ErrorCode CodeFromName(const std::string& name) {
  for (ErrorCode c : {ErrorCode::kEncrypted, ErrorCode::kCorrupt, ErrorCode::kResourceLimit,
                      ErrorCode::kIo, ErrorCode::kUnsupportedType, ErrorCode::kEmptyFile}) {
    if (ErrorCodeName(c) == name) return c;
  }
  return ErrorCode::kConversionFailed;
}

}  // namespace

Error ParseDocumentError(const std::string& out, const std::string& doing) {
  size_t pos = out.rfind("error ");
  if (pos == std::string::npos || (pos > 0 && out[pos - 1] != '\n')) {
    return MakeError(ErrorCode::kConversionFailed, doing + " failed.");
  }
  std::string line = out.substr(pos + 6);
  if (auto nl = line.find('\n'); nl != std::string::npos) line.resize(nl);
  auto space = line.find(' ');
  if (space == std::string::npos) return MakeError(CodeFromName(line), doing + " failed.");
  return MakeError(CodeFromName(line.substr(0, space)), line.substr(space + 1));
}

int ToolDocumentError(const std::string& code, const std::string& message) {
  std::printf("error %s %s\n", code.c_str(), message.c_str());
  std::fflush(stdout);
  return kToolDocumentError;
}

int RunInOutTool(
    const std::string& name, const std::vector<std::string>& args,
    const std::function<int(const std::string&, const std::filesystem::path&)>& convert) {
  if (args.size() != 2) {
    std::fprintf(stderr, "usage: wenku __%s IN OUT_DIR\n", name.c_str());
    return 64;
  }
  try {
    std::error_code ec;
    std::filesystem::create_directories(args[1], ec);
    return convert(args[0], args[1]);
  } catch (const std::bad_alloc&) {
    return ToolDocumentError("resource_limit",
                             "The file needs more memory to convert than allowed.");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s tool: %s\n", name.c_str(), e.what());
    return 3;
  }
}

Status ToolRunner::Run(const std::string& tool, const std::string& doing,
                       const std::vector<std::string>& args, const std::filesystem::path& work_dir,
                       const std::vector<std::filesystem::path>& inputs, const ProgressFn& progress,
                       std::vector<std::string>* lines) const {
  std::vector<std::string> argv = {self_, tool};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, doing, work_dir, inputs, limits_, progress, lines);
}

Status ToolRunner::RunProgram(const std::vector<std::string>& argv, const std::string& doing,
                              const std::filesystem::path& work_dir,
                              const std::vector<std::filesystem::path>& inputs,
                              const ProcessLimits& limits, const ProgressFn& progress,
                              std::vector<std::string>* lines) const {
  ProcessSpec spec;
  spec.argv = argv;
  spec.work_dir = std::filesystem::absolute(work_dir).string();
  for (const auto& in : inputs) spec.read_only.push_back(std::filesystem::absolute(in).string());
  spec.limits = limits;
  auto outcome = runner_.Run(spec, [&](std::string_view line) {
    if (line.substr(0, 9) == "progress ") {
      long done = 0, total = 0;
      if (progress &&
          std::sscanf(std::string(line).c_str(), "progress %ld %ld", &done, &total) == 2) {
        progress(done, total);
      }
    } else if (lines != nullptr) {
      lines->emplace_back(line);
    }
  });
  if (!outcome.ok()) return outcome.error();
  return OutcomeStatus(*outcome, limits, doing);
}

Status OutcomeStatus(const ProcessOutcome& o, const ProcessLimits& limits,
                     const std::string& doing) {
  switch (o.end) {
    case ProcessEnd::kExited:
      if (o.exit_code == 0) return {};
      if (o.exit_code == kToolDocumentError) return ParseDocumentError(o.out, doing);
      return MakeError(ErrorCode::kConversionFailed, doing + " failed (" + o.Describe(limits) +
                                                         "); the file is probably damaged.");
    case ProcessEnd::kTimedOut:
      return MakeError(
          ErrorCode::kTimeout,
          doing + " took longer than " + std::to_string(limits.timeout_ms / 1000) +
              " seconds, so it was stopped; the file may be damaged or unusually complex.");
    case ProcessEnd::kCpuLimit:
      return MakeError(ErrorCode::kResourceLimit,
                       doing + " needed more than " + std::to_string(limits.cpu_seconds) +
                           " seconds of processor time, so it was stopped.");
    case ProcessEnd::kFileLimit:
      return MakeError(ErrorCode::kResourceLimit, doing + " produced more than " +
                                                      std::to_string(limits.file_size_mb) +
                                                      " MB of output, so it was stopped.");
    case ProcessEnd::kCrashed:
      return MakeError(ErrorCode::kConversionFailed,
                       doing + " crashed (" + o.Describe(limits) +
                           "); the file is probably damaged or needs more memory than allowed.");
  }
  return MakeError(ErrorCode::kInternal, "unexpected converter outcome");
}

}  // namespace wenku::ingest
