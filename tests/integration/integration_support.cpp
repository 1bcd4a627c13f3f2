#include "integration/integration_support.hpp"

#include <fstream>
#include <sstream>

namespace wenku::testing {

ImportRun Import(const std::filesystem::path& data, const std::vector<std::string>& paths,
                 const std::vector<std::string>& flags, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {WenkuBinary(), "import", "--json", "--data", data.string()};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), paths.begin(), paths.end());
  CommandResult r = RunCommand(argv, env);
  ImportRun run;
  run.status = r.status;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded()) run.rows.push_back(std::move(j));
  }
  return run;
}

std::string FailureReason(const nlohmann::json& row) {
  return row["failure_reason"].is_null() ? "" : row["failure_reason"].get<std::string>();
}

nlohmann::json Show(const std::filesystem::path& data, int64_t id) {
  CommandResult r =
      RunCommand({WenkuBinary(), "show", "--json", "--data", data.string(), std::to_string(id)});
  return nlohmann::json::parse(r.out, nullptr, false);
}

int64_t QueryInt(const std::filesystem::path& data, const std::string& sql) {
  auto db = storage::OpenSqlite((data / "wenku.db").string());
  if (!db.ok()) return -1;
  auto row = (*db)->QueryOne(sql);
  return row.ok() ? row->Int(0) : -1;
}

std::vector<ManifestRow> ReadManifest(const std::string& corpus) {
  std::ifstream in(corpus + "/MANIFEST.tsv");
  std::vector<ManifestRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() >= 10) rows.push_back({cols[0], cols[1], cols[5], cols[9]});
  }
  return rows;
}

size_t CountFiles(const std::filesystem::path& dir) {
  size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) ++n;
  }
  return n;
}

}  // namespace wenku::testing
