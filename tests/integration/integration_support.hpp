// Helpers for the integration tests, which run the real `wenku` binary on a temp data
// folder and read its database directly.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "support/test_support.hpp"

namespace wenku::testing {

// `wenku import --json --data DATA <paths>` (plus `flags`): the JSON lines by path.
struct ImportRun {
  int status = -1;
  std::vector<nlohmann::json> rows;
  const nlohmann::json* Find(const std::string& path) const {
    for (const auto& r : rows) {
      if (r.value("path", "") == path) return &r;
    }
    return nullptr;
  }
};
ImportRun Import(const std::filesystem::path& data, const std::vector<std::string>& paths,
                 const std::vector<std::string>& flags = {},
                 const std::vector<std::string>& env = {});

// An import row's failure_reason, "" when null.
std::string FailureReason(const nlohmann::json& row);

// `wenku show --json ID`.
nlohmann::json Show(const std::filesystem::path& data, int64_t id);

// A single integer from the data folder's database.
int64_t QueryInt(const std::filesystem::path& data, const std::string& sql);

// One row of ../shared/corpus/MANIFEST.tsv.
struct ManifestRow {
  std::string filename, format, kind, note;
};
std::vector<ManifestRow> ReadManifest(const std::string& corpus);

// Files under `dir`, recursively.
size_t CountFiles(const std::filesystem::path& dir);

}  // namespace wenku::testing
