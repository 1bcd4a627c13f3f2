// OfficeProfile: a LibreOffice user profile made ready for untrusted documents, for the warm
// pool and the cold path alike.
//
// Prepare makes the profile on first use (LibreOffice's first start in a fresh profile only
// writes it and exits with status 81, asking to be restarted: that start happens here, in
// the sandbox) and then writes into its registrymodifications.xcu the settings that keep a
// document from reaching anything outside itself:
//   - Security/Scripting/BlockUntrustedRefererLinks: linked images, OLE links and other
//     external content (relative paths, file://, http://) are not loaded; the conversion
//     succeeds with the links left empty;
//   - macros never run (MacroSecurityLevel 3, DisableMacrosExecution).
// The sandbox is the second wall: even a followed link finds no data folder and no network.
//
// The profile folder is writable by the office, so nothing in it is followed: a link where
// the settings file or its folder should be is removed. REQUIRES: no office is using the
// profile while Prepare runs.
// Threading: one call per profile at a time.
#pragma once

#include <filesystem>
#include <string>

#include "core/process_runner.hpp"
#include "core/result.hpp"

namespace wenku::ingest {

// The office binary started directly (the `soffice` shell script and oosplash start
// processes, which the sandbox forbids).
inline constexpr const char* kSofficeBin = "/usr/lib/libreoffice/program/soffice.bin";

// Errors: kIo / kUnavailable (the profile cannot be made), the sandbox's.
Status PrepareOfficeProfile(ProcessRunner& runner, const std::string& soffice,
                            const std::filesystem::path& profile, const ProcessLimits& limits);

// The settings written into every profile (for tests).
extern const char* const kOfficeHardening[];

}  // namespace wenku::ingest
