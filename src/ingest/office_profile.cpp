#include "ingest/office_profile.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <sstream>

#include "core/files.hpp"

namespace wenku::ingest {
namespace fs = std::filesystem;

const char* const kOfficeHardening[] = {
    R"(<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>)",
    R"(<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>)",
    R"(<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>)",
    nullptr};

namespace {

constexpr const char* kHead =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    "\n"
    R"(<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)"
    "\n";

bool IsPlainDir(const fs::path& p) {
  struct stat st {};
  return lstat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The prop name of one of our hardening lines.
std::string PropName(const std::string& item) {
  auto a = item.find("oor:name=\"");
  auto b = item.find('"', a + 10);
  return item.substr(a + 10, b - a - 10);
}

}  // namespace

Status PrepareOfficeProfile(ProcessRunner& runner, const std::string& soffice,
                            const fs::path& profile, const ProcessLimits& limits) {
  std::error_code ec;
  fs::create_directories(profile, ec);
  const fs::path user = profile / "user";
  const fs::path xcu = user / "registrymodifications.xcu";
  if (fs::is_symlink(user, ec) || (fs::exists(user, ec) && !IsPlainDir(user))) {
    fs::remove_all(user, ec);  // removes a link itself, never what it points to
  }
  if (!IsPlainDir(user)) {
    ProcessSpec spec;
    spec.argv = {soffice,
                 "--headless",
                 "--norestore",
                 "--nologo",
                 "--nodefault",
                 "--nolockcheck",
                 "--terminate_after_init",
                 "-env:UserInstallation=file://" + fs::absolute(profile).string()};
    spec.work_dir = fs::absolute(profile).string();
    spec.limits = limits;
    spec.limits.timeout_ms = std::min<long>(limits.timeout_ms, 60'000);
    spec.env = {"HOME=" + fs::absolute(profile).string(), "SAL_USE_VCLPLUGIN=svp"};
    auto outcome = runner.Run(spec, nullptr);
    if (!outcome.ok()) return outcome.error();
    if (!IsPlainDir(user)) {
      return MakeError(ErrorCode::kIo, "LibreOffice could not make its profile in " +
                                           profile.string() + " (" +
                                           outcome->Describe(spec.limits) + ")");
    }
  }
  std::string text;
  if (fs::exists(xcu, ec) || fs::is_symlink(xcu, ec)) {
    auto read = ReadUntrusted(xcu, 16 << 20);
    if (read.ok()) text = std::move(read).value();
  }
  // Keep LibreOffice's own lines, drop any of ours (whatever their value), append ours.
  std::string out = kHead;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("<item ", 0) != 0) continue;
    bool ours = false;
    for (const char* const* h = kOfficeHardening; *h != nullptr; ++h) {
      if (line.find("oor:name=\"" + PropName(*h) + "\"") != std::string::npos) ours = true;
    }
    if (!ours) out += line + "\n";
  }
  for (const char* const* h = kOfficeHardening; *h != nullptr; ++h) out += std::string(*h) + "\n";
  out += "</oor:items>\n";
  if (out == text) return {};
  return WriteFileAtomic(xcu, out);
}

}  // namespace wenku::ingest
