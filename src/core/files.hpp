// File helpers with the durability Wenku relies on. All functions report failures as
// kIo errors naming the file; none throws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace wenku {

// SHA-256 of `bytes` as 64 lower-case hex digits (libsodium).
std::string Sha256Hex(std::string_view bytes);

// Reads a whole file (REQUIRES: small enough to hold in memory).
Result<std::string> ReadFile(const std::filesystem::path& path);

// Writes `bytes` to `path` atomically: a temp file beside it, fsync, rename, fsync of the
// folder. Readers see the old file or the new one, never a part.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view bytes);

// Renames `from` over `to` and fsyncs `to`'s folder, so the rename survives a crash.
Status DurableRename(const std::filesystem::path& from, const std::filesystem::path& to);

// A name for a temp file unique to this process: "<pid>-<counter>-<random>.tmp". Temp
// files of dead processes can be recognised by their pid (see RemoveStaleTempFiles).
std::string UniqueTempName();

// Removes temp files in `dir` left by processes that no longer run. Returns how many.
int RemoveStaleTempFiles(const std::filesystem::path& dir);

}  // namespace wenku

namespace wenku {
// SHA-256 of a file's content, streamed. Errors: kIo.
Result<std::string> Sha256File(const std::filesystem::path& path);
}  // namespace wenku
