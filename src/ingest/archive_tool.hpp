// archive_tool: unpacks an archive (ZIP, 7z, RAR 4/5, tar, gzip…) with libarchive as a
// sandboxed child, `wenku __archive IN OUT_DIR`, inside hard limits:
//   at most kMaxMembers members, kMaxUnpacked bytes in all, kMaxMemberBytes a member, and
//   no more than kMaxRatio times the archive's own size once past 10 MB (zip bombs);
// A member path that is absolute or climbs out with ".." fails the whole archive (zip-slip).
// Member paths are never used as file-system paths: member i is written as OUT_DIR/m-NNNN.
// Names are decoded to UTF-8 (UTF-8 as is, otherwise GB18030 — zips from Chinese Windows —
// falling back to CP437). Writes OUT_DIR/members.jsonl, one
//   {"idx","path","size","file": "m-NNNN" | null, "note": null | "…"}
// a member. Speaks the converter protocol of tool_runner.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wenku::ingest {

constexpr int kMaxMembers = 1000;
constexpr int64_t kMaxUnpacked = int64_t{1} << 30;  // 1 GiB
constexpr int64_t kMaxMemberBytes = int64_t{200} << 20;
constexpr int64_t kMaxRatio = 100;

int RunArchiveTool(const std::vector<std::string>& args);

}  // namespace wenku::ingest
