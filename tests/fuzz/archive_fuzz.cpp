// Fuzz target: the archive lister (ingest/archive_tool.hpp), the code that runs in the
// sandboxed `wenku __archive IN OUT_DIR` child: libarchive's reading driven by our member
// loop, name decoding (UTF-8, GB18030, CP437) and the zip-slip check. Called in-process
// through RunArchiveTool, exactly as main() calls it in the child.
// Input: the uploaded archive's bytes (any format libarchive reads: zip, tar, 7z, rar, gz…).
// Asserts: it ends with success (0) or a document error (2), never an escaped exception (3);
// on success members.jsonl is one JSON object a line, idx 1, 2, 3… in order, each path
// neither absolute nor climbing out with "..", each "file" either null (with a note) or
// "m-NNNN" for its idx holding exactly "size" bytes; nothing else is written.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "fuzz_support.hpp"
#include "ingest/archive_tool.hpp"

namespace fs = std::filesystem;

namespace {

bool Climbs(std::string path) {
  for (auto& c : path) {
    if (c == '\\') c = '/';
  }
  if (!path.empty() && path.front() == '/') return true;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (path.compare(start, end - start, "..") == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The child reports progress on stdout; keep libFuzzer's own output (stderr) readable.
  int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0) ::dup2(null, STDOUT_FILENO);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path in = wenku::fuzz::ScratchDir() / "upload.bin";
  static const fs::path out = wenku::fuzz::ScratchDir() / "out";
  std::error_code ec;
  fs::remove_all(out, ec);
  wenku::fuzz::WriteFile(in, {reinterpret_cast<const char*>(data), size});

  int rc = wenku::ingest::RunArchiveTool({in.string(), out.string()});
  std::fflush(stdout);
  FUZZ_CHECK(rc == 0 || rc == 2, "the archive tool ended other than done or a document error");
  if (rc != 0) return 0;

  std::ifstream list(out / "members.jsonl", std::ios::binary);
  std::string line;
  int64_t idx = 0;
  std::set<std::string> files = {"members.jsonl"};
  while (std::getline(list, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    FUZZ_CHECK(j.is_object(), "a member line that is not a JSON object");
    FUZZ_CHECK(j["idx"].is_number_integer() && j["idx"].get<int64_t>() == ++idx,
               "members out of order");
    FUZZ_CHECK(j["path"].is_string(), "a member without a path");
    FUZZ_CHECK(!Climbs(j["path"].get<std::string>()), "a member path outside the archive");
    FUZZ_CHECK(j["size"].is_number_integer() && j["size"].get<int64_t>() >= 0, "a bad size");
    if (j["file"].is_null()) {
      FUZZ_CHECK(j["note"].is_string(), "a member neither unpacked nor explained");
      continue;
    }
    char name[32];
    std::snprintf(name, sizeof name, "m-%04d", static_cast<int>(idx));
    FUZZ_CHECK(j["file"] == name, "a member file not named after its idx");
    FUZZ_CHECK(fs::file_size(out / name, ec) == j["size"].get<uintmax_t>() && !ec,
               "a member file does not hold its size");
    files.insert(name);
  }
  FUZZ_CHECK(idx > 0, "success without members");
  for (const auto& entry : fs::directory_iterator(out)) {
    FUZZ_CHECK(files.count(entry.path().filename().string()) == 1, "a stray file written");
  }
  return 0;
}
