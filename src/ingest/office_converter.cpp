#include "ingest/office_converter.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "core/sandbox.hpp"
#include "ingest/office_profile.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;

namespace {

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

OfficeConverter::OfficeConverter(ProcessRunner& runner, Sandbox& sandbox, OfficeOptions options)
    : runner_(runner),
      options_(std::move(options)),
      busy_(static_cast<size_t>(std::max(1, options_.profiles)), false) {
  if (options_.warm) {
    OfficePoolOptions o;
    o.processes = std::max(1, options_.profiles);
    o.recycle_after = options_.recycle_after;
    o.timeout_ms = options_.limits.timeout_ms;
    o.limits = options_.limits;
    o.profiles_dir = options_.profiles_dir;
    o.soffice = options_.soffice;
    o.runner = &runner_;
    o.sandbox = &sandbox;
    o.max_pdf_mb = options_.limits.file_size_mb;
    pool_ = std::make_unique<OfficePool>(o);
  }
}

int OfficeConverter::AcquireProfile() {
  std::unique_lock lock(mu_);
  for (;;) {
    for (size_t i = 0; i < busy_.size(); ++i) {
      if (!busy_[i]) {
        busy_[i] = true;
        return static_cast<int>(i);
      }
    }
    free_.wait(lock);
  }
}

void OfficeConverter::ReleaseProfile(int slot) {
  {
    std::lock_guard lock(mu_);
    busy_[static_cast<size_t>(slot)] = false;
  }
  free_.notify_one();
}

Result<fs::path> OfficeConverter::ToPdf(const fs::path& original, const std::string& format,
                                        const fs::path& work_dir) {
  fs::path dir = work_dir / "office";
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir / "out", ec);
  // The copy's name only carries the format; the uploaded name is never used as a path.
  fs::path input = dir / ("document." + format);
  fs::copy_file(original, input, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot copy the document for conversion: " + ec.message());
  }
  if (pool_) {
    fs::path pdf = dir / "out" / "document.pdf";
    Status warm = pool_->ToPdf(input, pdf);
    if (warm.ok()) return pdf;
    switch (warm.error().code) {
      case ErrorCode::kCorrupt:
        return MakeError(ErrorCode::kCorrupt,
                         "LibreOffice cannot open this " + Upper(format) +
                             " file: it is damaged or not what its name says.");
      case ErrorCode::kConversionFailed:
      case ErrorCode::kIo:
        spdlog::warn("office: warm conversion failed ({}); trying once more in a fresh LibreOffice",
                     warm.error().message);
        break;
      default:
        return warm.error();
    }
  }
  return Cold(input, format, dir);
}

Result<fs::path> OfficeConverter::Cold(const fs::path& input, const std::string& format,
                                       const fs::path& dir) {
  std::error_code ec;
  int slot = AcquireProfile();
  fs::path profile = fs::absolute(options_.profiles_dir / ("profile-" + std::to_string(slot)));
  Status prepared = PrepareOfficeProfile(runner_, options_.soffice, profile, options_.limits);
  if (!prepared.ok()) {
    ReleaseProfile(slot);
    return prepared.error();
  }
  ProcessSpec spec;
  spec.argv = {options_.soffice,
               "--headless",
               "--norestore",
               "--nologo",
               "--nodefault",
               "--nolockcheck",
               "-env:UserInstallation=file://" + profile.string(),
               "--convert-to",
               "pdf",
               "--outdir",
               fs::absolute(dir / "out").string(),
               fs::absolute(input).string()};
  // The office may write its profile and the job's office folder (input copy, out/).
  spec.work_dir = fs::absolute(dir).string();
  spec.writable = {profile.string()};
  // Its /tmp (the single-instance pipe, temp files) inside the job's office folder.
  fs::create_directories(dir / "tmp", ec);
  spec.private_tmp = fs::absolute(dir / "tmp").string();
  spec.limits = options_.limits;
  spec.env = {"HOME=" + profile.string(), "SAL_USE_VCLPLUGIN=svp"};
  auto started = std::chrono::steady_clock::now();
  auto outcome = runner_.Run(spec, nullptr);
  ReleaseProfile(slot);
  if (!outcome.ok()) return outcome.error();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::debug("office: {} converted cold in {:.2f} s ({})", format, seconds,
                outcome->Describe(spec.limits));

  fs::path pdf = dir / "out" / "document.pdf";
  const ProcessOutcome& o = *outcome;
  const std::string what = "Converting this " + Upper(format) + " file";
  switch (o.end) {
    case ProcessEnd::kExited:
      break;
    case ProcessEnd::kTimedOut:
      return MakeError(
          ErrorCode::kTimeout,
          what + " took longer than " + std::to_string(spec.limits.timeout_ms / 1000) +
              " seconds, so it was stopped; the file may be damaged or unusually large.");
    case ProcessEnd::kCpuLimit:
    case ProcessEnd::kFileLimit:
      return MakeError(ErrorCode::kResourceLimit, what + " " + o.Describe(spec.limits) + ".");
    case ProcessEnd::kCrashed:
      return MakeError(ErrorCode::kConversionFailed, what + " crashed LibreOffice (" +
                                                         o.Describe(spec.limits) +
                                                         "); the file is probably damaged.");
  }
  if (fs::exists(pdf, ec) && fs::file_size(pdf, ec) > 0) return pdf;
  if ((o.out + o.err).find("could not be loaded") != std::string::npos) {
    return MakeError(ErrorCode::kCorrupt,
                     "LibreOffice cannot open this " + Upper(format) +
                         " file: it is damaged, password-protected, or not what its "
                         "name says.");
  }
  return MakeError(ErrorCode::kConversionFailed,
                   what + " produced no pages (LibreOffice " + o.Describe(spec.limits) + ").");
}

}  // namespace wenku::ingest
