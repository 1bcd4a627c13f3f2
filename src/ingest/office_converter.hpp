// OfficeConverter: Word, Excel, PowerPoint, ODF, RTF, WPS and HTML documents and DXF drawings
// to PDF with LibreOffice, inside the sandbox (its own process group, limits, no network,
// killed whole on timeout).
//
// Every office runs in the sandbox (sandbox.hpp) with a hardened profile (office_profile.hpp:
// linked images, OLE links and external data are never loaded; macros never run).
//
// Documents go to the warm OfficePool (office_pool.hpp: LibreOffice kept running, driven over
// UNO, ~0.1-0.5 s a document). A document that crashes a warm office is tried once more
// through a cold, sandboxed `soffice --convert-to pdf` (1.2-2 s) before it fails; that cold
// path is also the whole story when `warm` is off. Each concurrent cold conversion gets its
// own profile from a small pool of profile folders under the data folder (a shared profile
// silently serialises conversions). LibreOffice always works on a copy inside the
// job's work folder: it writes lock files beside what it opens.
//
// Threading: safe for concurrent use; at most `profiles` conversions run at once, others wait.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "core/process_runner.hpp"
#include "core/result.hpp"
#include "ingest/office_pool.hpp"

namespace wenku::ingest {

struct OfficeOptions {
  std::string soffice = "/usr/lib/libreoffice/program/soffice.bin";
  ProcessLimits limits;                // LibreOffice needs more address space than parsers
  std::filesystem::path profiles_dir;  // DATA/office
  int profiles = 2;                    // conversions at once
  bool warm = true;                    // use the OfficePool
  int recycle_after = 50;              // documents per warm office
};

class OfficeConverter {
 public:
  // `sandbox` is where the warm offices run (the runner's own, for cold conversions).
  OfficeConverter(ProcessRunner& runner, Sandbox& sandbox, OfficeOptions options);

  // `original` (a `format` file: "docx", "xls", "dxf", …) as a PDF written under `work_dir`.
  // Errors: kCorrupt when LibreOffice cannot load it (damaged, password-protected, or not
  // what its name says), kTimeout / kResourceLimit / kConversionFailed from the sandbox,
  // kIo when the copy cannot be made.
  Result<std::filesystem::path> ToPdf(const std::filesystem::path& original,
                                      const std::string& format,
                                      const std::filesystem::path& work_dir);

 private:
  Result<std::filesystem::path> Cold(const std::filesystem::path& input, const std::string& format,
                                     const std::filesystem::path& dir);
  int AcquireProfile();
  void ReleaseProfile(int slot);
  ProcessRunner& runner_;
  OfficeOptions options_;
  std::mutex mu_;
  std::condition_variable free_;
  std::vector<bool> busy_;
  std::unique_ptr<OfficePool> pool_;  // null when warm is off
};

}  // namespace wenku::ingest
