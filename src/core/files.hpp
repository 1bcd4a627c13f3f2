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
// `n` bytes (a digest) as 2n lower-case hex digits.
std::string DigestHex(const unsigned char* digest, size_t n = 32);

// Writes all of `bytes` to the open file `fd` (retrying short writes and EINTR); false on
// an error (errno says which).
bool WriteAll(int fd, std::string_view bytes);

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

// Files a sandboxed converter may have written are not trusted: it may have left a symlink
// (to wenku.db, say) where a result should be. These never follow a link:
//
// The regular file at `path` (not a link, no link in its last component), at most
// `max_bytes`. Errors: kConversionFailed (a link or not a regular file), kResourceLimit
// (too large), kNotFound, kIo.
Result<std::string> ReadUntrusted(const std::filesystem::path& path, uint64_t max_bytes);
// Copies `src` to `sub`/`name` inside `trusted_dir` (a folder of ours, writable by a
// sandboxed process): `sub` is made a plain folder when it is anything else, and whatever
// was at `name` is replaced, links not followed. Errors: kIo.
Status CopyIntoUntrusted(const std::filesystem::path& src, const std::filesystem::path& trusted_dir,
                         const std::string& sub, const std::string& name);
// Copies the regular file `sub`/`name` inside `trusted_dir` to `dst` (created anew), links not
// followed, at most `max_bytes`. Errors: as ReadUntrusted.
Status CopyOutOfUntrusted(const std::filesystem::path& trusted_dir, const std::string& sub,
                          const std::string& name, const std::filesystem::path& dst,
                          uint64_t max_bytes);
// Removes everything inside `dir` (a folder of ours that a sandboxed process may still be
// writing in), never following a link: links are removed, not their targets, and every
// folder is entered through a descriptor opened without following links, so nothing outside
// `dir` can be reached however its content changes meanwhile. `dir` itself stays.
// Errors: kIo (something could not be removed).
Status EmptyUntrustedFolder(const std::filesystem::path& dir);
}  // namespace wenku
