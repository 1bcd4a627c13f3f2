// Converter probes through the whole ingest pipeline (`wenku import`, warm LibreOffice in its
// sandbox, cold fallback): HTML, DOCX, RTF and ODT documents that link images — into the
// data folder (another document's page image, by a relative path and by file://), to a file
// the sandbox does show (/usr), and to a loopback listener that records every connection.
// Each document must end ready (the links left empty), its converted PDF must hold no
// image from outside the upload, and the listener must see nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "integration/integration_support.hpp"

namespace wenku::testing {
namespace {

namespace fs = std::filesystem;

TEST(IntegrationLinkProbesTest, LinkedContentNeverReachesADocument) {
  TempDir dir;
  const fs::path data = dir / "data";
  LoopbackListener listener;
  const std::string url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/secret.png";
  ASSERT_TRUE(MakeLinkProbes(dir.path(), data, url));
  std::vector<std::string> files;
  for (const char* f : {"links.html", "links.docx", "links.rtf", "links.odt"}) {
    files.push_back((dir / "data-links" / f).string());
  }
  for (const char* f : {"links.html", "links.docx", "links.odt"}) {
    files.push_back((dir / "usr-links" / f).string());
  }
  auto run = Import(data, files, {"--workers", "1"});
  ASSERT_EQ(run.rows.size(), files.size());
  for (const auto& path : files) {
    SCOPED_TRACE(path);
    const nlohmann::json* row = run.Find(path);
    ASSERT_NE(row, nullptr);
    // They all convert: the links are left empty, the text stays.
    ASSERT_EQ(row->value("state", ""), "ready") << FailureReason(*row);
    const int64_t id = row->value("id", int64_t{0});
    const fs::path pdf = data / "derived" / std::to_string(id) / "document.pdf";
    ASSERT_TRUE(fs::exists(pdf));
    EXPECT_EQ(ImagesInPdf(pdf), 0) << "an image from outside the upload was embedded";
  }
  EXPECT_EQ(listener.connections(), 0) << "a converter fetched a linked URL";
}

}  // namespace
}  // namespace wenku::testing
