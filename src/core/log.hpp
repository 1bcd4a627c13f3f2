// Logging: one readable line per event, "2026-11-26 19:30:00.123 INFO  ingest: document 5 ready".
// Uses spdlog's default logger, so call sites write spdlog::info("ingest: …{}", x).
// InitLogging is called once by main before any thread starts; logging itself is thread-safe.
#pragma once

#include <string>

namespace wenku {

// `level`: trace|debug|info|warn|error. Lines go to stderr at `console_level` and above, and
// (when `log_file` is non-empty) to that file at `level` and above.
void InitLogging(const std::string& level, const std::string& console_level,
                 const std::string& log_file);

}  // namespace wenku
